"""Nominations: the verbs."""

from __future__ import annotations

from sqlalchemy import select

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.time import utcnow
from cpevents.core.urls import absolute_url
from cpevents.events.models import Eligibility, Event, check_eligibility
from cpevents.extensions import db
from cpevents.mail.services import queue_email
from cpevents.nominations.models import Nomination, NominationStatus, YesNo
from cpevents.young_people.models import YoungPerson, YoungPersonWorker, normalise_name


class NominationError(Exception):
    """A rule stopped the change; the message is for the nominator."""


def start_nomination(event: Event, *, by) -> Nomination:
    if not event.nominations_open():
        raise NominationError("Nominations are closed")
    nomination = Nomination(event_id=event.id, nominator_id=by.id, status=NominationStatus.DRAFT)
    nomination.event = event
    db.session.add(nomination)
    db.session.flush()
    return nomination


def save_answers(nomination: Nomination, answers: dict) -> None:
    """Save one page's answers into the nomination (a draft, or a sent one being changed)."""
    if not nomination.event.nominations_open():
        raise NominationError("Nominations are closed")
    for name, value in answers.items():
        setattr(nomination, name, value)
    if nomination.young_person_knows == YesNo.YES:
        nomination.not_known_reason = ""
    if nomination.public_concern == YesNo.NO:
        nomination.public_concern_details = ""


def eligibility(nomination: Nomination) -> Eligibility | None:
    """None until the answers it needs have been given."""
    if nomination.category is None or nomination.date_of_birth is None or nomination.care_status is None or nomination.worked_with_recently is None:
        return None
    return check_eligibility(
        nomination.category,
        date_of_birth=nomination.date_of_birth,
        care_status=nomination.care_status.value,
        worked_with_recently=nomination.worked_with_recently,
    )


def missing_answers(nomination: Nomination) -> list[tuple[str, str]]:
    """(step, what is missing) for every question still to answer."""
    missing = []
    if not (nomination.first_name and nomination.last_name and nomination.date_of_birth and nomination.care_status):
        missing.append(("young-person", "The young person’s details"))
    if nomination.relationship_type is None or nomination.worked_with_recently is None:
        missing.append(("you", "How you know them"))
    if nomination.category is None:
        missing.append(("category", "The award"))
    if not nomination.achievement.strip():
        missing.append(("achievement", "What they have achieved"))
    if nomination.young_person_knows is None or nomination.public_concern is None:
        missing.append(("safety", "The safety questions"))
    return missing


def _match_record(nomination: Nomination) -> YoungPerson | None:
    """An existing record with the same normalised name and date of birth, if exactly one."""
    candidates = db.session.execute(
        select(YoungPerson).where(
            YoungPerson.match_key == normalise_name(nomination.first_name + nomination.last_name),
            YoungPerson.date_of_birth == nomination.date_of_birth,
            YoungPerson.merged_into_id.is_(None),
        )
    ).scalars().all()
    return candidates[0] if len(candidates) == 1 else None


def submit_nomination(nomination: Nomination, *, by) -> None:
    if not nomination.event.nominations_open():
        raise NominationError("Nominations are closed")
    if missing_answers(nomination):
        raise NominationError("Answer every question before you send the nomination")
    result = eligibility(nomination)
    if result is not None and not result.eligible:
        raise NominationError(" ".join(result.reasons))
    first_time = nomination.status == NominationStatus.DRAFT
    nomination.status = NominationStatus.SENT
    nomination.submitted_at = nomination.submitted_at or utcnow()
    if nomination.young_person_id is None:
        person = _match_record(nomination)
        if person is not None:
            nomination.young_person_id = person.id
            if not any(link.user_id == by.id for link in person.worker_links):
                person.worker_links.append(YoungPersonWorker(user_id=by.id, relationship_type=nomination.relationship_type))
            record(by, AuditAction.UPDATED, nomination, young_person=person, detail="nomination sent and matched to this record")
    if first_time:
        queue_email(
            "nominations/sent",
            to=by.email,
            user=by,
            subject="Thank you for your nomination",
            name=by.name,
            first_name=nomination.first_name,
            event_name=nomination.event.name,
            category=nomination.category.name,
            last_day=nomination.event.nominations_last_day,
            link=absolute_url("home.nominator"),
        )


def withdraw_nomination(nomination: Nomination) -> None:
    if not nomination.event.nominations_open():
        raise NominationError("Nominations are closed, so it can no longer be withdrawn here. Contact the participation team.")
    nomination.status = NominationStatus.WITHDRAWN
    nomination.withdrawn_at = utcnow()
