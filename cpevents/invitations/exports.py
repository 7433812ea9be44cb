"""The guest list as CSV and XLSX, safe to open in a spreadsheet (no cell runs as a formula)."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response

from cpevents.core.exports import download
from cpevents.core.time import london
from cpevents.invitations import queries
from cpevents.invitations.models import GuestApproval, Invitation

HEADER = [
    "First name", "Last name", "Name read on stage", "District", "Reply", "Replied", "Replied how", "Guests",
    "Guest names", "Guests waiting for approval", "Food and drink needs", "Access needs", "Travel help", "Photos allowed",
    "Do not publish", "Contact restriction", "Email address", "Invitation sent", "Guests waiting for a place",
]


def _guest(guest) -> str:
    """A guest's name, age group and their own needs (the venue counts people, not replies)."""
    needs = [w for w in (guest.dietary_words, ("access: " + guest.access_words) if guest.access_words else "") if w]
    return f"{guest.name} ({'; '.join([guest.age_group.label.lower(), *needs])})"


def _rows(invitations: Iterable[Invitation]):
    for inv in invitations:
        person = inv.young_person
        counted = inv.guests_counted
        row = [
            person.first_name,
            person.last_name,
            inv.name_read.label,
            person.district,
            inv.status.label,
            london(inv.replied_at, "%Y-%m-%d %H:%M") if inv.replied_at else "",
            inv.replied_how.label if inv.replied_how else "",
            len(counted),
            "; ".join(_guest(g) for g in counted),
            "; ".join(g.name for g in inv.guests if g.approval == GuestApproval.TO_APPROVE),
            inv.dietary_words,
            inv.access_words,
            ("Yes: " + inv.travel_details) if inv.travel_help else "No",
            "Yes" if inv.photos_ok else "No",
            "Yes" if person.do_not_publish else "No",
            "Yes" if person.contact_restriction else "No",
            person.email,
            "Printed letter" if inv.letter_needed else (london(inv.sent_at, "%Y-%m-%d") if inv.sent_at else "Not sent"),
            "; ".join(g.name for g in inv.guests_waiting),
        ]
        yield row


def download_response(event_id: int, fmt: str, stem: str) -> Response:
    """The guest list streamed as CSV or XLSX, EXPORT_BATCH invitations at a time."""

    def batches():
        yield [HEADER]
        for invitations in queries.guest_list_batches(event_id):
            yield list(_rows(invitations))

    return download(batches, fmt, stem, "Guest list")
