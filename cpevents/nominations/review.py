"""Organiser review: matching nominations to young people's records, one file per young person
per event, and decisions on files, each with a recorded reason."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from blinker import Signal
from sqlalchemy import func, or_, select

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.mail.services import queue_email
from cpevents.nominations.models import (
    DecisionAction,
    FileDecision,
    FileStatus,
    Nomination,
    NominationFile,
)
from cpevents.young_people.models import WorkerRelationship, YoungPerson, normalise_name
from cpevents.young_people.services import connect_merge, create_young_person, link_account


class ReviewError(Exception):
    """A rule stopped the decision; the message is for the organiser."""


# Sent as file_accepted.send(file, by=by) when a file is accepted for judging, so judging (a
# higher package) can tell judges whose scores predate a change to the file
# (cpevents/judging/services.py; connected in cpevents/wiring.py).
file_accepted = Signal("nomination-file-accepted")


def _decide(file: NominationFile, action: DecisionAction, reason: str, by) -> None:
    db.session.add(FileDecision(file=file, action=action, reason=reason.strip(), by_id=getattr(by, "id", None), at=utcnow()))


def file_for(event_id: int, young_person: YoungPerson) -> NominationFile:
    file = db.session.execute(
        select(NominationFile).where(NominationFile.event_id == event_id, NominationFile.young_person_id == young_person.id)
    ).scalar_one_or_none()
    if file is None:
        file = NominationFile(event_id=event_id, young_person_id=young_person.id, status=FileStatus.TO_REVIEW)
        db.session.add(file)
        db.session.flush()
    return file


def match_nomination(nomination: Nomination, person: YoungPerson, *, by, reason: str = "", link_nominator: bool = False) -> NominationFile:
    """Put a nomination in the young person's file. It never gives the nominator access to the
    young person: that is a separate, explicit choice of the organiser (`link_nominator`),
    recorded in the audit trail like a link made on the record."""
    nomination.young_person_id = person.id
    file = file_for(nomination.event_id, person)
    nomination.file = file
    if file.category_id is None:
        file.category_id = nomination.category_id
    if file.status == FileStatus.ACCEPTED:
        file.status = FileStatus.TO_REVIEW  # a new nomination arrived: look again before judging
        _decide(file, DecisionAction.REOPENED, "A new nomination arrived", by)
    _decide(file, DecisionAction.MATCHED, reason or f"Nomination by {nomination.nominator.name}", by)
    record(by, AuditAction.UPDATED, nomination, young_person=person, detail="nomination added to the young person's file")
    if link_nominator:
        link_account(person, nomination.nominator, nomination.relationship_type or WorkerRelationship.OTHER, by=by)
    return file


def can_match_automatically(nomination: Nomination, person: YoungPerson) -> bool:
    """A sent nomination joins a file without an organiser only when its nominator's account is
    approved and the file (if there is one) is still waiting for review. Anything else (a
    pending account, a file already accepted, not eligible or judged) waits in the organisers'
    "to match" queue, so a stranger's nomination can never reopen a file or change what judges
    see, and nothing the nominator sees depends on whether a record exists."""
    if not nomination.nominator.is_approved:
        return False
    file = db.session.execute(
        select(NominationFile).where(NominationFile.event_id == nomination.event_id, NominationFile.young_person_id == person.id)
    ).scalar_one_or_none()
    return file is None or file.status == FileStatus.TO_REVIEW


def create_record_from(nomination: Nomination, *, by, link_nominator: bool = False) -> YoungPerson:
    person = create_young_person(
        {
            "first_name": nomination.first_name,
            "last_name": nomination.last_name,
            "date_of_birth": nomination.date_of_birth,
            "care_status": nomination.care_status,
            "district": nomination.district,
            # a nominator's warning becomes the organiser-only flag, for an organiser to check
            "contact_restriction": bool(nomination.contact_restriction_details.strip()),
            "contact_restriction_note": nomination.contact_restriction_details.strip(),
        },
        by=by,
    )
    match_nomination(nomination, person, by=by, reason="New record made from this nomination", link_nominator=link_nominator)
    return person


def exact_match(nomination: Nomination) -> YoungPerson | None:
    """The one record with the same normalised name and date of birth, or None."""
    found = db.session.execute(
        select(YoungPerson).where(
            YoungPerson.match_key == normalise_name(nomination.first_name + nomination.last_name),
            YoungPerson.date_of_birth == nomination.date_of_birth,
            YoungPerson.merged_into_id.is_(None),
        )
    ).scalars().all()
    return found[0] if len(found) == 1 else None


def likely_matches(nomination: Nomination, limit: int = 5) -> list[YoungPerson]:
    """Records an organiser should look at: same date of birth with a similar name, or the same
    surname and first name with a different date of birth."""
    key = normalise_name(nomination.first_name + nomination.last_name)
    candidates = db.session.execute(
        select(YoungPerson).where(
            YoungPerson.merged_into_id.is_(None),
            or_(YoungPerson.date_of_birth == nomination.date_of_birth, YoungPerson.match_key == key),
        )
    ).scalars().all()
    scored = sorted(
        ((SequenceMatcher(None, key, c.match_key).ratio(), c) for c in candidates),
        key=lambda pair: -pair[0],
    )
    return [c for score, c in scored if score >= 0.7][:limit]


def accept_file(file: NominationFile, *, reason: str, by) -> None:
    if file.needs_flag_review:
        raise ReviewError("Review the safety answers before accepting this file for judging")
    if file.category_id is None:
        raise ReviewError("Choose the award before accepting this file for judging")
    if not file.live_nominations:
        raise ReviewError("This file has no nominations to judge")
    file.status = FileStatus.ACCEPTED
    file.not_eligible_reason = ""
    _decide(file, DecisionAction.ACCEPTED, reason, by)
    file_accepted.send(file, by=by)


def mark_not_eligible(file: NominationFile, *, reason: str, by) -> None:
    if not reason.strip():
        raise ReviewError("Say why, in words the nominators will understand")
    file.status = FileStatus.NOT_ELIGIBLE
    file.not_eligible_reason = reason.strip()
    _decide(file, DecisionAction.NOT_ELIGIBLE, reason, by)
    for nomination in file.live_nominations:
        queue_email(
            "nominations/not_eligible",
            to=nomination.nominator.email,
            user=nomination.nominator,
            subject="About your nomination",
            name=nomination.nominator.name,
            first_name=nomination.first_name,
            event_name=file.event.name,
            reason=reason.strip(),
        )


def move_category(file: NominationFile, category, *, reason: str, by) -> None:
    if category.event_id != file.event_id:
        raise ReviewError("Choose an award from this event")
    file.category_id = category.id
    file.category = category
    _decide(file, DecisionAction.CATEGORY_MOVED, f"{category.name}. {reason}".strip(), by)


def clear_flags(file: NominationFile, *, reason: str, by) -> None:
    if not reason.strip():
        raise ReviewError("Say what you checked and decided")
    file.flags_cleared_at = utcnow()
    _decide(file, DecisionAction.FLAGS_CLEARED, reason, by)


def move_out(nomination: Nomination, *, reason: str, by) -> None:
    """Split a file: the nomination goes back to be matched to the right young person."""
    file = nomination.file
    if file is None:
        return
    _decide(file, DecisionAction.NOMINATION_MOVED_OUT, f"Nomination by {nomination.nominator.name}. {reason}".strip(), by)
    nomination.file = None
    nomination.young_person_id = None


def daily_counts(since) -> Counter:
    """Nominations sent since `since`, per event: counted by the database (one row per event, not
    one per nomination; issue 19)."""
    rows = db.session.execute(
        select(Nomination.event_id, func.count()).where(Nomination.submitted_at >= since).group_by(Nomination.event_id)
    ).tuples()
    return Counter(dict(rows.all()))


def _move_files_on_merge(keep: YoungPerson, merge: YoungPerson) -> None:
    """When two young people's records are merged, their files for the same event merge too."""
    files = db.session.execute(select(NominationFile).where(NominationFile.young_person_id == merge.id)).scalars().all()
    for old in files:
        target = file_for(old.event_id, keep)
        for nomination in list(old.nominations):
            nomination.file = target
            nomination.young_person_id = keep.id
        if target.category_id is None:
            target.category_id = old.category_id
        old.status = FileStatus.MERGED
        target.status = FileStatus.TO_REVIEW
        _decide(target, DecisionAction.REOPENED, "Two young people's records were merged", None)


def connect_signals() -> None:
    """Called once from cpevents/wiring.py when the app is built."""
    connect_merge(_move_files_on_merge, "nomination_files.young_person_id", "nominations.young_person_id")
