"""CSV and XLSX exports of an event's nominations, safe to open in a spreadsheet."""

from __future__ import annotations

from cpevents.core.exports import csv_bytes, xlsx_bytes
from cpevents.nominations.models import Nomination


def _rows(nominations: list[Nomination], include_background: bool):
    header = ["File", "First name", "Last name", "Date of birth", "Care status", "District", "Award chosen", "Award settled",
              "File status", "Nominator", "Nominator organisation", "Relationship", "Sent", "What they achieved",
              "Young person knows", "Public or photo concern", "Contact restrictions"]
    if include_background:
        header.append("Background for organisers")
    yield header
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


def to_csv(nominations: list[Nomination], include_background: bool) -> bytes:
    return csv_bytes(_rows(nominations, include_background))


def to_xlsx(nominations: list[Nomination], include_background: bool) -> bytes:
    return xlsx_bytes(_rows(nominations, include_background), "Nominations")
