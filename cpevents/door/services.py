"""The verbs of the door: check people in and out, add a late guest, keep the door helpers and the
door notes. Services never commit: the view that calls one owns the transaction.

Two helpers tapping the same person at the same moment must record one time. Every check-in is a
conditional UPDATE (`... WHERE checked_in_at IS NULL`): the database lets exactly one of them change
the row, and the other is told the time already recorded. On PostgreSQL the second UPDATE waits for
the first transaction's row lock and then finds the row no longer matches; on SQLite a POST's
transaction begins IMMEDIATE, so the two run one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select, update

from cpevents.accounts.models import normalise_email, user_by_email
from cpevents.accounts.services import invite_user
from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.checks import known
from cpevents.core.enums import Role
from cpevents.core.models import rows_changed
from cpevents.core.time import london, utcnow
from cpevents.core.urls import absolute_url
from cpevents.door.models import EventDoorHelper, is_door_day
from cpevents.extensions import db
from cpevents.invitations.models import AgeGroup, Guest, GuestApproval, Invitation, InvitationStatus
from cpevents.mail.services import queue_email

CLOSED = "This event is closed; attendance is final"
CANCELLED = "This event has been cancelled; nobody can be checked in"
NOT_TODAY = "The door list opens on the day of the event"
NOT_ON_LIST = "Not on the list: speak to an organiser"
NOT_VALID = "This invitation is no longer valid: speak to an organiser"
OTHER_EVENT = "This code is for another event"


class DoorError(Exception):
    """A refusal in plain words; nothing was changed."""


def time_of(value: datetime) -> str:
    """18:42, UK time."""
    return london(value, "%H:%M")


@dataclass
class CheckInResult:
    checked_in: list[str] = field(default_factory=list)  # names just checked in
    already: list[tuple[str, datetime]] = field(default_factory=list)  # names already in, and since when
    skipped: list[str] = field(default_factory=list)  # guests waiting for an organiser's approval

    @property
    def changed(self) -> bool:
        return bool(self.checked_in)

    def message(self) -> str:
        parts = []
        if self.checked_in:
            parts.append("Checked in: " + _and(self.checked_in) + ".")
        if self.already and not self.checked_in:
            first = min(t for _, t in self.already)
            parts.append(f"Already checked in at {time_of(first)}.")
        elif self.already:
            parts.append(_and([f"{name} (at {time_of(t)})" for name, t in self.already]) + " already checked in.")
        if self.skipped:
            parts.append(_and(self.skipped) + (" needs" if len(self.skipped) == 1 else " need") + " an organiser's approval: speak to an organiser.")
        return " ".join(parts)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def door_name(person) -> str:
    """The name at the door: first (or preferred) name and the surname's initial."""
    initial = (person.last_name or "").strip()[:1]
    return f"{person.first_or_preferred} {initial}".strip()


# --- checks ---------------------------------------------------------------------------------------


def _check_open(event, now: datetime) -> None:
    if event.is_closed:
        raise DoorError(CLOSED)
    if event.is_cancelled:
        raise DoorError(CANCELLED)
    if not is_door_day(event, now):
        raise DoorError(NOT_TODAY)


def _check_coming(invitation: Invitation) -> None:
    if invitation.status != InvitationStatus.COMING:
        raise DoorError(NOT_ON_LIST)


# --- checking in and out --------------------------------------------------------------------------


def _claim(row, by, now: datetime, earliest: bool = False) -> bool:
    """Record a check-in on an invitation, a guest or a registration. True when this call recorded
    it; False when someone had already (the conditional UPDATE lets exactly one request win).

    `earliest`: `now` is the time a tap was made on a phone, perhaps offline and sent later. Then
    the earliest tap wins: the time is set where none is recorded or a later one is."""
    model = type(row)
    free = or_(model.checked_in_at.is_(None), model.checked_in_at > now) if earliest else model.checked_in_at.is_(None)
    result = db.session.execute(
        update(model)
        .where(model.id == row.id, free)
        .values(checked_in_at=now, checked_in_by_id=getattr(by, "id", None))
        .execution_options(synchronize_session=False)
    )
    db.session.expire(row, ["checked_in_at", "checked_in_by_id"])
    return rows_changed(result) == 1


def _since(row) -> datetime:
    """When a row whose claim was lost was checked in: the request that won set the time."""
    return known(row.checked_in_at, "a claim is lost only to a check-in")


def _release(row, before: datetime | None = None) -> bool:
    """Undo a check-in made by mistake. False when the row was not checked in. `before`: the time
    an undo was tapped on a phone; it undoes only a check-in recorded at or before that time."""
    model = type(row)
    done = model.checked_in_at.is_not(None) if before is None else model.checked_in_at <= before
    result = db.session.execute(
        update(model)
        .where(model.id == row.id, done)
        .values(checked_in_at=None, checked_in_by_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(row, ["checked_in_at", "checked_in_by_id"])
    return rows_changed(result) == 1


def check_in(invitation: Invitation, *, by, now: datetime | None = None, with_guests: bool = True, tapped: bool = False) -> CheckInResult:
    """One tap: the young person and (by default) every confirmed guest. Anyone already in keeps
    the time first recorded. Guests waiting for an organiser's approval are left for an organiser."""
    now = now or utcnow()
    _check_open(invitation.event, now)
    _check_coming(invitation)
    result = CheckInResult()
    name = door_name(invitation.young_person)
    if _claim(invitation, by, now, tapped):
        result.checked_in.append(name)
    else:
        result.already.append((name, _since(invitation)))
    if with_guests:
        for guest in invitation.guests:
            if guest.approval == GuestApproval.CANNOT_COME:
                continue
            if guest.approval == GuestApproval.TO_APPROVE:
                if guest.checked_in_at is None:
                    result.skipped.append(guest.name)
                continue
            if _claim(guest, by, now, tapped):
                result.checked_in.append(guest.name)
            else:
                result.already.append((guest.name, _since(guest)))
    if result.changed:
        record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Checked in at the door")
    return result


def check_in_guest(guest: Guest, *, by, now: datetime | None = None, tapped: bool = False) -> CheckInResult:
    now = now or utcnow()
    invitation = guest.invitation
    _check_open(invitation.event, now)
    _check_coming(invitation)
    if guest.approval == GuestApproval.CANNOT_COME:
        raise DoorError(f"{guest.name} cannot come: speak to an organiser")
    if guest.approval == GuestApproval.TO_APPROVE:
        raise DoorError(f"{guest.name} needs an organiser's approval: speak to an organiser")
    result = CheckInResult()
    if _claim(guest, by, now, tapped):
        result.checked_in.append(guest.name)
        record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Guest checked in at the door")
    else:
        result.already.append((guest.name, _since(guest)))
    return result


def check_out(invitation: Invitation, *, by, now: datetime | None = None, tapped: bool = False) -> bool:
    """Undo a check-in made by mistake (the young person only). False when they were not in.
    `tapped`: `now` is when the undo was tapped on a phone (see `_release`)."""
    _check_open(invitation.event, now or utcnow())
    done = _release(invitation, now if tapped else None)
    if done:
        record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Check-in undone at the door")
    return done


def check_out_guest(guest: Guest, *, by, now: datetime | None = None, tapped: bool = False) -> bool:
    invitation = guest.invitation
    _check_open(invitation.event, now or utcnow())
    done = _release(guest, now if tapped else None)
    if done:
        record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Guest check-in undone at the door")
    return done


def add_late_guest(invitation: Invitation, *, name: str, age_group: AgeGroup, by, now: datetime | None = None) -> Guest:
    """A guest nobody told us about, added at the door and checked in at once. A young person with
    a contact restriction needs an organiser to agree to any guest, so a door helper cannot add one."""
    now = now or utcnow()
    _check_open(invitation.event, now)
    _check_coming(invitation)
    person = invitation.young_person
    if (person.contact_restriction or person.do_not_publish) and not by.has_role(Role.ORGANISER):
        raise DoorError("Speak to an organiser before adding a guest for this young person")
    position = max((g.position for g in invitation.guests), default=0) + 1
    guest = Guest(name=name.strip(), age_group=age_group, approval=GuestApproval.CONFIRMED, position=position, added_at_door=True,
                  added_by_id=by.id, added_at=now, checked_in_at=now, checked_in_by_id=by.id,
                  decided_by_id=by.id if person.contact_restriction else None, decided_at=now if person.contact_restriction else None)
    invitation.guests.append(guest)
    db.session.flush()
    record(by, AuditAction.UPDATED, invitation, young_person=person, detail="Guest added at the door")
    return guest


def remove_late_guest(guest: Guest, *, by, now: datetime | None = None) -> str:
    """Take off a guest added at the door by mistake (a wrong name, a double tap). Only guests added
    at the door, only while the door is open (on the day, before the event is closed): invited
    guests are the organisers' to change. A late guest is checked in the moment they are added, so
    being checked in does not stop this; the audit trail records who removed whom. Returns the name."""
    invitation = guest.invitation
    _check_open(invitation.event, now or utcnow())
    if not guest.added_at_door:
        raise DoorError(f"{guest.name} was invited, not added at the door: speak to an organiser")
    name = guest.name
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Guest added at the door removed")
    invitation.guests.remove(guest)
    db.session.delete(guest)
    db.session.flush()
    return name


# --- the organisers' side -------------------------------------------------------------------------


def set_door_note(invitation: Invitation, note: str, *, by) -> None:
    invitation.door_note = " ".join(note.split())[:140]
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="door_note")


def add_door_helper(event, *, name: str, email: str, by) -> EventDoorHelper:
    """Someone with no account is invited by email with the door helper role; someone with an
    account gets the role added (if they lack it) and an email naming the event."""
    user = user_by_email(normalise_email(email))
    if user is None:
        user = invite_user(name=name, email=email, roles={Role.DOOR_HELPER}, by=by)
    else:
        if not user.is_active:
            raise DoorError("This person's account has been deactivated. Reactivate it from their page first.")
        if not user.is_approved:
            raise DoorError("This person's account is waiting for approval. Check who they are and approve it on their page in People first.")
        exists = db.session.execute(
            select(EventDoorHelper.id).where(EventDoorHelper.event_id == event.id, EventDoorHelper.user_id == user.id)
        ).first()
        if exists:
            raise DoorError("This person already helps at the door of this event")
        if not user.has_role(Role.DOOR_HELPER):
            user.set_roles(user.roles | {Role.DOOR_HELPER})
        queue_email("door/added", to=user.email, user=user, subject="You are helping at the door",
                    name=user.name, event_name=event.name, event_day=event.starts_at, link=absolute_url("home.door_helper"))
    helper = EventDoorHelper(event_id=event.id, user_id=user.id, added_by_id=getattr(by, "id", None), added_at=utcnow())
    db.session.add(helper)
    db.session.flush()
    record(by, AuditAction.CREATED, helper, detail="Door helper added to an event")
    return helper


def remove_door_helper(helper: EventDoorHelper, *, by) -> None:
    """They stop seeing this event's door list at once. The role stays (it shows nothing without
    an event); an organiser can take it away on the person's page."""
    record(by, AuditAction.UPDATED, helper, detail="Door helper removed from an event")
    db.session.delete(helper)
    db.session.flush()


# --- people who registered (professionals, councillors, other audiences) --------------------------


def check_in_registration(registration, *, by, now: datetime | None = None, tapped: bool = False) -> CheckInResult:
    """A professional or councillor with a place. Same rules as a young person: on the day, not
    once closed, only with a place (not waiting, not cancelled), one time however many taps."""
    from cpevents.registrations.models import RegistrationStatus

    now = now or utcnow()
    _check_open(registration.event, now)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DoorError(NOT_ON_LIST)
    result = CheckInResult()
    if _claim(registration, by, now, tapped):
        result.checked_in.append(registration.name)
        record(by, AuditAction.UPDATED, registration, detail="Checked in at the door")
    else:
        result.already.append((registration.name, _since(registration)))
    return result


def check_out_registration(registration, *, by, now: datetime | None = None, tapped: bool = False) -> bool:
    _check_open(registration.event, now or utcnow())
    done = _release(registration, now if tapped else None)
    if done:
        record(by, AuditAction.UPDATED, registration, detail="Check-in undone at the door")
    return done
