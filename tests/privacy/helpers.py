"""Factories for retention tests: a past event with everything the schedule covers, written
directly (the pages that create them are tested elsewhere), with names unique to each call so a
search of every table can tell whether they survived a purge."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from cpevents.achievements.models import Achievement, AchievementArea
from cpevents.champions.models import (
    Champion,
    ChampionPledge,
    ChampionService,
    ChampionStatus,
    PledgeAction,
    PledgeKind,
)
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.events.models import EventKind
from cpevents.events.services import create_event
from cpevents.extensions import db
from cpevents.feedback.models import FeedbackResponse
from cpevents.invitations import services as invitation_services
from cpevents.invitations.models import (
    AgeGroup,
    Guest,
    GuestApproval,
    InvitationStatus,
    NameRead,
    ReplyDraft,
    ReplyHow,
)
from cpevents.mail.models import MessageStatus, OutboxMessage
from cpevents.nominations.models import (
    DecisionAction,
    FileDecision,
    FileStatus,
    Nomination,
    NominationFile,
    NominationStatus,
)
from cpevents.registrations.models import AudienceKind, EventAudience, Registration
from tests.factories import make_user
from tests.invitations.helpers import make_person

_n = iter(range(1, 10_000_000))


def past_event(days_ago: float, organiser=None, kind=EventKind.PROUD_AWARDS):
    organiser = organiser or make_user(Role.ORGANISER, totp=True)
    event = create_event(kind=kind, name=f"Past awards {next(_n)}", starts_at=utcnow() - timedelta(days=days_ago), venue="Town Hall",
                         capacity=200, description="", min_age=11, max_age=25, by=organiser)
    invitation_services.settings_for(event)
    db.session.commit()
    return event, organiser


def invitation_with_details(event, organiser, tag: str, checked_in: bool = True):
    """A young person who came, with two guests, needs, consents and a reply left half-finished."""
    person = make_person(organiser, first_name=f"Yp{tag}", last_name="Purgetest")
    invitation = invitation_services.invite(event, person, by=organiser)
    invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, event.starts_at - timedelta(days=20), ReplyHow.LINK
    invitation.dietary, invitation.dietary_other = "vegan,other", f"Needs{tag} no sesame"
    invitation.access, invitation.access_other = "quiet_space,other", f"Access{tag} a ramp please"
    invitation.travel_help, invitation.travel_details = True, f"Travel{tag} taxi from Elm Road"
    invitation.photo_consent, invitation.name_read = True, NameRead.FULL_NAME
    invitation.door_note = f"Door{tag} note"
    if checked_in:
        invitation.checked_in_at = event.starts_at + timedelta(minutes=5)
    invitation.guests.append(Guest(name=f"Guestone{tag} Carer", age_group=AgeGroup.ADULT, position=1, approval=GuestApproval.CONFIRMED,
                                   dietary="other", dietary_other=f"Guestneeds{tag} no nuts",
                                   checked_in_at=event.starts_at + timedelta(minutes=6) if checked_in else None))
    invitation.guests.append(Guest(name=f"Guesttwo{tag}", age_group=AgeGroup.CHILD, position=2, approval=GuestApproval.CONFIRMED))
    db.session.flush()
    db.session.add(ReplyDraft(id=f"draft{tag}{next(_n)}", invitation_id=invitation.id, data={"guest": f"Draftguest{tag}"}, updated_at=utcnow()))
    db.session.commit()
    return invitation


def registration(event, tag: str, checked_in: bool = True):
    audience = db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id)).scalar_one_or_none()
    if audience is None:
        audience = EventAudience(event_id=event.id, name="Professionals", kind=AudienceKind.PROFESSIONALS)
        db.session.add(audience)
        db.session.flush()
    email = f"registrant{tag}@example.org"
    row = Registration(event_id=event.id, audience_id=audience.id, name=f"Registrant{tag} Person", organisation=f"Org{tag}", role="Teacher",
                       email=email, email_key=email, access_needs=f"Regaccess{tag}", dietary_needs=f"Regdiet{tag}",
                       created_at=event.starts_at - timedelta(days=30), checked_in_at=event.starts_at + timedelta(minutes=3) if checked_in else None)
    db.session.add(row)
    db.session.commit()
    return row


def nomination(event, organiser, tag: str, person=None):
    nominator = make_user(Role.NOMINATOR)
    person = person or make_person(organiser, first_name=f"Nominee{tag}", last_name="Purgetest")
    file = NominationFile(event_id=event.id, young_person_id=person.id, status=FileStatus.ACCEPTED, not_eligible_reason="")
    db.session.add(file)
    db.session.flush()
    row = Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, first_name=f"Nominee{tag}", last_name="Purgetest",
                     date_of_birth=person.date_of_birth, district="North", young_person_id=person.id, file_id=file.id,
                     achievement=f"Nomtext{tag} passed every exam", background=f"Nombackground{tag}",
                     contact_restriction_details=f"Nomrestriction{tag}", submitted_at=event.starts_at - timedelta(days=60))
    db.session.add(row)
    db.session.add(FileDecision(file_id=file.id, action=DecisionAction.ACCEPTED, reason=f"Filereason{tag} moved to a new school", by_id=organiser.id))
    db.session.commit()
    return row


def achievement(organiser, tag: str, date_of_birth: date, achieved_on: date | None = None):
    person = make_person(organiser, first_name=f"Achiever{tag}", last_name="Purgetest", date_of_birth=date_of_birth)
    row = Achievement(young_person_id=person.id, recorded_by_id=organiser.id, achieved_on=achieved_on or utcnow().date() - timedelta(days=30),
                      area=AchievementArea.EDUCATION,
                      description=f"Achtext{tag} learned to cook", celebrated_with=f"Achwith{tag}")
    db.session.add(row)
    db.session.commit()
    return row


def closed_account(days_ago: float, tag: str):
    user = make_user(Role.NOMINATOR, name=f"Closed{tag} Worker", email=f"closed{tag}@example.org")
    user.deactivated_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return user


def sent_email(days_ago: float, tag: str, status=MessageStatus.SENT):
    when = utcnow() - timedelta(days=days_ago)
    message = OutboxMessage(template="test/plain", to_address=f"mailto{tag}@example.org", subject="A message from the team",
                            text_body=f"Mailbody{tag} hello", html_body=f"<p>Mailbody{tag} hello</p>", status=status,
                            sent_at=when if status == MessageStatus.SENT else None, created_at=when)
    db.session.add(message)
    db.session.commit()
    return message


def declined_champion(days_ago: float, tag: str):
    service = db.session.execute(select(ChampionService).where(ChampionService.name == "Retention test service")).scalar_one_or_none()
    if service is None:
        service = ChampionService(name="Retention test service")
        db.session.add(service)
        db.session.flush()
    when = utcnow() - timedelta(days=days_ago)
    champion = Champion(name=f"Champ{tag} Person", email=f"champ{tag}@example.org", job_title="Officer", service_id=service.id,
                        pledge_words=f"Pledge{tag} words", status=ChampionStatus.DECLINED, submitted_at=when - timedelta(days=5),
                        decided_at=when, decline_reason=f"Declined{tag} reason")
    db.session.add(champion)
    db.session.flush()
    pledge = ChampionPledge(champion_id=champion.id, kind=list(PledgeKind)[0])
    db.session.add(pledge)
    db.session.flush()
    db.session.add(PledgeAction(pledge_id=pledge.id, done_on=when.date(), what=f"Pledgeaction{tag}"))
    db.session.commit()
    return champion


def feedback(event, proud: int = 5):
    db.session.add(FeedbackResponse(event_id=event.id, proud=proud, future=4, supported=3, views=None, improve="", submitted_on=event.starts_at.date()))
    db.session.commit()
