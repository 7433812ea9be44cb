"""What a judge may read about a young person and the other judges: the rules, in one place, so
the scoring page (and anything else that shows a file to a judge) asks here rather than decide."""

from __future__ import annotations

import re

from cpevents.judging import queries
from cpevents.judging.models import Assignment
from cpevents.nominations.models import NominationFile


def without_surname(text: str, person, redacted: bool) -> str:
    """A do-not-publish young person's surname never reaches a judge, even in free text. For young
    and blind judges this is only a back-stop: they read the organisers' panel version, which
    cannot be saved with the surname in it."""
    if not (person.do_not_publish or redacted) or not person.last_name.strip():
        return text
    return re.sub(rf"\b{re.escape(person.last_name.strip())}\b", "[surname removed]", text, flags=re.IGNORECASE)


def other_judges(assignment: Assignment, redacted: bool) -> list[dict]:
    """Other judges' submitted scores, shown once your own are in. A young or blind judge sees
    the numbers only: never another judge's name or comment, which may name people or places."""
    rows = []
    for a in queries.file_assignments(assignment.file):
        if a.id == assignment.id or not a.submitted_at or a.conflicted:
            continue
        rows.append({
            "name": "Another judge" if redacted else a.judge.user.name,
            "comment": "" if redacted else a.comment,
            "scores": {s.criterion_id: s.value for s in a.scores},
        })
    return rows


def texts_for_judge(file: NominationFile, redacted: bool) -> dict[int, str] | None:
    """Each live nomination's words as this judge reads them (by nomination id). A young or blind
    judge reads only the organisers' panel version, never the nominator's words: None when a
    nomination has none yet (the file is then 404 to them)."""
    if redacted:
        written = queries.panel_texts(file)
        if not all(n.id in written for n in file.live_nominations):
            return None
        return {n.id: without_surname(written[n.id], file.young_person, True) for n in file.live_nominations}
    return {n.id: without_surname(n.achievement, file.young_person, False) for n in file.live_nominations}
