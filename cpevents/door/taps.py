"""Taps sent from a phone: the door list works offline (cpevents/static/js/door-offline.js keeps
taps in IndexedDB while there is no signal) and sends them here when the signal comes back.

Each tap carries its own id (a UUID made on the phone) and the time it was made. The id goes in
`door_taps` under a unique constraint first, so a tap sent twice (a retry after a lost answer, two
tabs) is recorded once; the second time is answered "already sent". A check-in tap keeps the
EARLIEST time (see `services._claim(earliest=True)`): two helpers who both checked the same person
in offline record one check-in, at the first helper's time. An undo tap undoes only a check-in
recorded at or before the undo was tapped.

The rules are the door's rules (cpevents.door.models.can_check_in, the services' checks), with the
tap's own time as "now": a tap made before the event's day, or after it, is refused. Refusals come
back per tap, in the same plain words as the buttons' messages. Services never commit: the view
commits after each tap.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from cpevents.core.time import LONDON, utcnow
from cpevents.door import services
from cpevents.door.models import DoorTap
from cpevents.extensions import db
from cpevents.invitations.models import AgeGroup, Guest, Invitation

MAX_TAPS = 500  # in one request; a phone sends what it holds in batches of this many
CLOCK_AHEAD = timedelta(minutes=10)  # a phone's clock a little ahead is taken as "now"

KINDS = {
    "check_in": "Check in a young person and their guests",
    "check_in_young_person": "Check in a young person only",
    "check_out": "Undo a young person's check-in",
    "check_in_guest": "Check in a guest",
    "check_out_guest": "Undo a guest's check-in",
    "check_in_registration": "Check in someone who registered",
    "check_out_registration": "Undo the check-in of someone who registered",
    "late_guest": "Add a late guest",
}

ALREADY_SENT = "Already sent: recorded once."


class BadTaps(ValueError):
    """The request is not a list of taps this endpoint understands (a 400, in plain words)."""


@dataclass(frozen=True)
class Tap:
    id: str
    kind: str
    target: str
    at: datetime
    name: str = ""
    age_group: str = ""


@dataclass
class Outcome:
    id: str
    status: str  # "recorded", "already" (sent before, or nothing to change) or "refused"
    message: str

    def as_json(self) -> dict:
        return {"id": self.id, "status": self.status, "message": self.message}


def _uuid(value, what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise BadTaps(f"{what} is not a valid id") from None


def parse(payload) -> list[Tap]:
    """{"taps": [{"id", "kind", "target", "at" (milliseconds since 1970, the phone's clock),
    "name" and "age_group" for a late guest}]}. Anything else is a BadTaps."""
    if not isinstance(payload, dict) or not isinstance(payload.get("taps"), list):
        raise BadTaps('Send {"taps": [...]}, a list of taps')
    raw = payload["taps"]
    if len(raw) > MAX_TAPS:
        raise BadTaps(f"Send at most {MAX_TAPS} taps at once")
    taps = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise BadTaps(f"Tap {n} is not a tap")
        kind = item.get("kind")
        if kind not in KINDS:
            raise BadTaps(f"Tap {n} is of an unknown kind")
        at = item.get("at")
        if isinstance(at, bool) or not isinstance(at, int | float):
            raise BadTaps(f"Tap {n} has no time")
        try:
            when = datetime.fromtimestamp(at / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            raise BadTaps(f"Tap {n} has a time that is not a date") from None
        name = item.get("name", "")
        age_group = item.get("age_group", "")
        if not isinstance(name, str) or not isinstance(age_group, str):
            raise BadTaps(f"Tap {n} has a name or age that is not text")
        taps.append(Tap(id=_uuid(item.get("id"), f"Tap {n}'s id"), kind=kind, target=_uuid(item.get("target"), f"Tap {n}'s person"),
                        at=when, name=" ".join(name.split()), age_group=age_group))
    return taps


def forget_old_taps(now: datetime | None = None) -> int:
    """Taps are kept only while the door is open: those made before today (UK time) are deleted,
    so `door_taps` holds at most a day of rows. Returns how many went."""
    today = (now or utcnow()).astimezone(LONDON).replace(hour=0, minute=0, second=0, microsecond=0)
    result = db.session.execute(delete(DoorTap).where(DoorTap.tapped_at < today.astimezone(UTC)))
    return int(getattr(result, "rowcount", 0) or 0)


def already_sent(tap: Tap) -> bool:
    return db.session.execute(select(DoorTap.id).where(DoorTap.tap_id == tap.id)).first() is not None


def _target(event, tap: Tap):
    """The invitation, guest or registration a tap is for; refused when it is not on this event's list."""
    from cpevents.registrations.models import Registration

    row: Registration | Guest | Invitation | None
    if tap.kind.endswith("_registration"):
        row = db.session.execute(select(Registration).where(Registration.public_id == tap.target)).scalar_one_or_none()
        event_id = row.event_id if row else None
    elif tap.kind.endswith("_guest") and tap.kind != "late_guest":
        guest = db.session.execute(select(Guest).where(Guest.public_id == tap.target)).scalar_one_or_none()
        row, event_id = guest, guest.invitation.event_id if guest else None
    else:
        row = db.session.execute(select(Invitation).where(Invitation.public_id == tap.target)).scalar_one_or_none()
        event_id = row.event_id if row else None
    if row is None:
        raise services.DoorError(services.NOT_ON_LIST)
    if event_id != event.id:
        raise services.DoorError(services.OTHER_EVENT)
    return row


def _when(tap: Tap, now: datetime) -> datetime:
    if tap.at > now + CLOCK_AHEAD:
        raise services.DoorError("This tap's time is in the future: check the phone's date and time, then tap again")
    return min(tap.at, now)


def record_tap(event, tap: Tap, *, by, now: datetime | None = None) -> Outcome:
    """Record one tap, or raise DoorError (nothing changed: the view rolls back) or IntegrityError
    (the same tap id recorded by another request meanwhile: the view rolls back and answers
    "already sent")."""
    now = now or utcnow()
    when = _when(tap, now)
    row = _target(event, tap)
    db.session.add(DoorTap(tap_id=tap.id, event_id=event.id, user_id=getattr(by, "id", None), kind=tap.kind, target=tap.target,
                           tapped_at=when, received_at=now, outcome="recorded"))
    db.session.flush()  # the unique tap id: a second request with the same tap stops here
    message, changed = _apply(row, tap, by, when)
    if not changed:
        db.session.execute(update(DoorTap).where(DoorTap.tap_id == tap.id).values(outcome="already").execution_options(synchronize_session=False))
    return Outcome(tap.id, "recorded" if changed else "already", message)


def _apply(row, tap: Tap, by, when: datetime) -> tuple[str, bool]:
    kind = tap.kind
    if kind in ("check_in", "check_in_young_person"):
        result = services.check_in(row, by=by, now=when, with_guests=kind == "check_in", tapped=True)
        return result.message(), result.changed
    if kind == "check_in_guest":
        result = services.check_in_guest(row, by=by, now=when, tapped=True)
        return result.message(), result.changed
    if kind == "check_in_registration":
        result = services.check_in_registration(row, by=by, now=when, tapped=True)
        return result.message(), result.changed
    if kind == "check_out":
        name = services.door_name(row.young_person)
        done = services.check_out(row, by=by, now=when, tapped=True)
        return (f"{name} is no longer checked in." if done else f"{name} was not checked in: nothing changed."), done
    if kind == "check_out_guest":
        done = services.check_out_guest(row, by=by, now=when, tapped=True)
        return (f"{row.name} is no longer checked in." if done else f"{row.name} was not checked in: nothing changed."), done
    if kind == "check_out_registration":
        done = services.check_out_registration(row, by=by, now=when, tapped=True)
        return (f"{row.name} is no longer checked in." if done else f"{row.name} was not checked in: nothing changed."), done
    # late_guest
    if not tap.name:
        raise services.DoorError("Enter the guest's name")
    if len(tap.name) > 120:
        raise services.DoorError("The guest's name must be 120 characters or fewer")
    try:
        age_group = AgeGroup(tap.age_group)
    except ValueError:
        raise services.DoorError("Say whether the guest is an adult or a child") from None
    guest = services.add_late_guest(row, name=tap.name, age_group=age_group, by=by, now=when)
    return f"{guest.name} added as {services.door_name(row.young_person)}'s guest and checked in.", True

