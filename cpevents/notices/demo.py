"""Demo data for change notices (called from cpevents.demo.seed_demo): "Summer picnic (demo)",
six weeks away, with five young people coming (one with a contact restriction, so the page shows
the message they get instead), cancelled by the organiser, who has not yet decided whether to
tell anyone. The event page shows the banner; the change notice page shows who it reaches and
the message. Nothing is sent until someone presses the button.

Idempotent: the event is made once, found by its name afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from cpevents.core.checks import known
from cpevents.core.time import LONDON, utcnow
from cpevents.events.models import Event, EventKind
from cpevents.events.services import cancel_event, create_event
from cpevents.extensions import db
from cpevents.invitations import services as invitation_services
from cpevents.invitations.models import InvitationStatus, ReplyHow
from cpevents.young_people.models import YoungPerson

EVENT = "Summer picnic (demo)"


def seed_cancelled_event(organiser) -> dict:
    event = db.session.execute(select(Event).where(Event.name == EVENT)).scalar_one_or_none()
    if event is None:
        event = _make(organiser)
        cancel_event(event, by=organiser)
        db.session.flush()
    return {"cancelled_event": event.public_id}


def _make(organiser) -> Event:
    day = utcnow().astimezone(LONDON).date() + timedelta(days=42)
    starts = datetime.combine(day, time(12, 0), tzinfo=LONDON).astimezone(UTC)
    event = create_event(kind=EventKind.OTHER, name=EVENT, starts_at=starts, venue="Victoria Park, bandstand", capacity=60,
                         description="A picnic in the park for young people and their families.", min_age=11, max_age=25, by=organiser)
    invitation_services.settings_for(event)
    people = db.session.execute(
        select(YoungPerson).where(YoungPerson.created_by_id == organiser.id, YoungPerson.merged_into_id.is_(None), YoungPerson.email != "")
        .order_by(YoungPerson.id)
    ).scalars().all()
    plain = [p for p in people if not p.contact_restriction][:4]
    restricted = [p for p in people if p.contact_restriction][:1]
    for person in plain + restricted:
        invitation = known(invitation_services.invite(event, person, by=organiser), "a new demo event has nobody on its list yet")
        invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, utcnow() - timedelta(days=3), ReplyHow.LINK
    db.session.flush()
    return event


MESSAGE_SUBJECT = "About the celebration tea"
MESSAGE_TEXT = ("Thank you for saying you are coming. There will be sandwiches, cakes and drinks, and a quiet room if you need a break.\n\n"
                "If your plans change, please use your link to tell us, so someone else can have your place.")


def seed_sent_message(organiser) -> dict:
    """Messages to the people coming: one message already sent to "coming" for the Celebration tea
    (its young person with a contact restriction was sent the fixed message instead). Made once."""
    from cpevents.door.demo import EVENT as TEA
    from cpevents.notices import messages
    from cpevents.notices.models import EventMessage, MessageGroup

    event = db.session.execute(select(Event).where(Event.name == TEA)).scalar_one_or_none()
    if event is None:
        return {}
    sent = db.session.execute(select(EventMessage).where(EventMessage.event_id == event.id)).scalars().first()
    if sent is None:
        sent = messages.send_message(event, messages.recipients(event, MessageGroup.COMING), MESSAGE_SUBJECT, MESSAGE_TEXT, by=organiser)
        sent.sent_at = utcnow() - timedelta(hours=2)
        db.session.flush()
    return {"sent_message": sent.public_id}
