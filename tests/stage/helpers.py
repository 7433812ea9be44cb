"""Factories for the stage tests: an awards night with two awards, a panel, and young people
nominated, shortlisted (or not), coming (or not), and winners."""

from __future__ import annotations

from dataclasses import dataclass, field

from cpevents.core.time import utcnow
from cpevents.events.services import add_category
from cpevents.extensions import db
from cpevents.invitations.models import InvitationStatus, NameRead
from cpevents.judging.models import DecisionKind, JudgingDecision, PanelText
from cpevents.judging.services import create_panel
from cpevents.nominations.models import FileStatus, Nomination, NominationStatus, YesNo
from cpevents.nominations.review import match_nomination
from cpevents.young_people.models import CareStatus, WorkerRelationship
from tests.door.helpers import coming, door_event


@dataclass
class Night:
    event: object
    organiser: object
    panel: object
    awards: list = field(default_factory=list)


def awards_night(awards=("Starting college", "First job")) -> Night:
    event, organiser = door_event(days_from_today=7)
    night = Night(event=event, organiser=organiser, panel=create_panel(event, by=organiser))
    night.awards = [add_category(event, name=name, description=f"For {name.lower()}.") for name in awards]
    db.session.commit()
    return night


def nominee(night: Night, award, *, shortlisted: bool = True, winner: bool = False, status=InvitationStatus.COMING,
            name_read=NameRead.FIRST_NAME, photos: bool = True, panel_text: str | None = "{name} never gave up.", guests=(),
            original: str = "{name} at Hillside School never gave up.", **person_fields):
    """A young person invited (replied `status`), with a file in `award` accepted for judging."""
    invitation = coming(night.event, night.organiser, guests=guests, status=status, **person_fields)
    invitation.name_read, invitation.photos_ok, invitation.photo_consent = name_read, photos, photos
    person = invitation.young_person
    now = utcnow()
    nomination = Nomination(event_id=night.event.id, nominator_id=night.organiser.id, category_id=award.id, status=NominationStatus.SENT,
                            first_name=person.first_name, last_name=person.last_name, date_of_birth=person.date_of_birth,
                            care_status=CareStatus.IN_CARE, relationship_type=WorkerRelationship.CARER, young_person_knows=YesNo.YES,
                            public_concern=YesNo.NO, achievement=original.format(name=person.first_name), submitted_at=now)
    db.session.add(nomination)
    db.session.flush()
    file = match_nomination(nomination, person, by=night.organiser)
    file.category_id, file.status = award.id, FileStatus.ACCEPTED
    if panel_text is not None:
        db.session.add(PanelText(nomination_id=nomination.id, text=panel_text.format(name=person.first_or_preferred), updated_by_id=night.organiser.id))
    db.session.add(JudgingDecision(panel_id=night.panel.id, file_id=file.id, kind=DecisionKind.SHORTLIST, chosen=shortlisted, reason="t", at=now))
    if winner:
        db.session.add(JudgingDecision(panel_id=night.panel.id, file_id=file.id, kind=DecisionKind.WINNER, chosen=True, reason="t", at=now))
    db.session.commit()
    return invitation
