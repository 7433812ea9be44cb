"""Achievements: the verbs. Every change is written to the young person's audit trail."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cpevents.achievements.models import Achievement, AchievementArea
from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.champions.services import champion_lapsed
from cpevents.core.time import utcnow
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.nominations.services import draft_deleting, start_nomination
from cpevents.young_people.models import YoungPerson
from cpevents.young_people.services import connect_merge


class AchievementError(Exception):
    """A rule stopped the change; the message is for the worker."""


LAPSED_MESSAGE = (
    "Your time as a Corporate Parenting Champion has ended, so you cannot record achievements. "
    "Renew or apply again to carry on."
)


def is_linked(young_person: YoungPerson, user) -> bool:
    """A current, organiser-made link (see YoungPerson.has_current_worker)."""
    return young_person.has_current_worker(user)


def record_achievement(young_person: YoungPerson, *, by, achieved_on: date, area: AchievementArea, description: str,
                       celebrated_with: str) -> Achievement:
    if not is_linked(young_person, by) or young_person.is_merged:
        raise AchievementError("You can only record achievements for young people you are linked to")
    if champion_lapsed(by):
        raise AchievementError(LAPSED_MESSAGE)
    if achieved_on > utcnow().date():
        raise AchievementError("The date cannot be in the future")
    if not description.strip():
        raise AchievementError("Describe what happened")
    achievement = Achievement(
        young_person_id=young_person.id,
        recorded_by_id=by.id,
        achieved_on=achieved_on,
        area=area,
        description=description.strip(),
        celebrated_with=celebrated_with.strip(),
    )
    achievement.young_person = young_person
    db.session.add(achievement)
    db.session.flush()
    record(by, AuditAction.CREATED, achievement, young_person=young_person, detail=f"achievement recorded: {area.label.lower()}")
    return achievement


def note_certificate(achievement: Achievement, *, by) -> None:
    """Making a certificate shows the young person's name: it goes in their audit trail."""
    record(by, AuditAction.VIEWED, achievement, young_person=achievement.young_person, detail="certificate downloaded")


def nominate_from(achievement: Achievement, event: Event, *, by):
    """Start a PROUD nomination draft pre-filled with the young person and the achievement."""
    if not is_linked(achievement.young_person, by):
        raise AchievementError("You can only nominate young people you are linked to")
    if champion_lapsed(by):
        raise AchievementError(LAPSED_MESSAGE)
    person = achievement.young_person
    nomination = start_nomination(event, by=by)
    nomination.first_name = person.first_name
    nomination.last_name = person.last_name
    nomination.date_of_birth = person.date_of_birth
    nomination.care_status = person.care_status
    nomination.district = person.district
    nomination.achievement = f"{achievement.description}\n\n({achievement.area.label}, {achievement.achieved_on.strftime('%-d %B %Y')}. Celebrated with {achievement.celebrated_with}.)"
    link = next((w for w in person.current_worker_links if w.user_id == by.id), None)
    if link is not None:
        nomination.relationship_type = link.relationship_type
    achievement.nomination_id = nomination.id
    record(by, AuditAction.CREATED, nomination, young_person=person, detail="nomination draft started from an achievement")
    return nomination


def _move_achievements_on_merge(keep: YoungPerson, merge: YoungPerson) -> None:
    """A merged record's achievements belong to the kept record from now on."""
    from sqlalchemy import update

    db.session.execute(update(Achievement).where(Achievement.young_person_id == merge.id).values(young_person_id=keep.id))



def _free_achievement_of_deleted_draft(nomination, by) -> None:
    """A deleted draft no longer holds its achievement: a new nomination can start from it."""
    for achievement in db.session.execute(select(Achievement).where(Achievement.nomination_id == nomination.id)).scalars():
        achievement.nomination_id = None
        record(by, AuditAction.UPDATED, achievement, young_person=achievement.young_person, detail="the draft nomination started from it was deleted")


def connect_signals() -> None:
    """Called once from cpevents/wiring.py when the app is built."""
    connect_merge(_move_achievements_on_merge, "achievements.young_person_id")
    draft_deleting.connect(_free_achievement_of_deleted_draft, weak=False)
