"""The guest list as CSV and XLSX, safe to open in a spreadsheet (no cell runs as a formula)."""

from __future__ import annotations

from cpevents.core.exports import csv_bytes, xlsx_bytes
from cpevents.core.time import london
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


def _rows(invitations: list[Invitation]):
    yield HEADER
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


def to_csv(invitations: list[Invitation]) -> bytes:
    return csv_bytes(_rows(invitations))


def to_xlsx(invitations: list[Invitation]) -> bytes:
    return xlsx_bytes(_rows(invitations), "Guest list")
