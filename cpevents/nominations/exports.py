"""CSV and XLSX exports of an event's nominations, safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response

from cpevents.core.exports import download
from cpevents.nominations import queries
from cpevents.nominations.models import Nomination


def _header(include_background: bool) -> list[str]:
    header = ["File", "First name", "Last name", "Date of birth", "Care status", "District", "Award chosen", "Award settled",
              "File status", "Nominator", "Nominator organisation", "Relationship", "Sent", "What they achieved",
              "Young person knows", "Public or photo concern", "Contact restrictions"]
    if include_background:
        header.append("Background for organisers")
    return header


def _rows(nominations: Iterable[Nomination], include_background: bool):
    for n in nominations:
        row = [
            n.file.public_id[:8] if n.file else "Not matched yet",
            n.first_name,
            n.last_name,
            n.date_of_birth.isoformat() if n.date_of_birth else "",
            n.care_status.label if n.care_status else "",
            n.district,
            n.category.name if n.category else "",
            n.file.category.name if n.file and n.file.category else "",
            n.file.status.label if n.file else "",
            n.nominator.name,
            n.nominator.organisation,
            n.relationship_type.label if n.relationship_type else "",
            n.submitted_at.date().isoformat() if n.submitted_at else "",
            n.achievement,
            "Yes" if n.young_person_knows and n.young_person_knows.value == "yes" else f"No: {n.not_known_reason}",
            f"Yes: {n.public_concern_details}" if n.public_concern and n.public_concern.value == "yes" else "No",
            n.contact_restriction_details,
        ]
        if include_background:
            row.append(n.background)
        yield row


def download_response(event_id: int, include_background: bool, fmt: str, stem: str) -> Response:
    """The event's sent nominations streamed as CSV or XLSX, EXPORT_BATCH at a time."""

    def batches():
        yield [_header(include_background)]
        for nominations in queries.export_batches(event_id):
            yield list(_rows(nominations, include_background))

    return download(batches, fmt, stem, "Nominations")
