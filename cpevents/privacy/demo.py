"""Demo data for the retention schedule: a PROUD Awards evening two years ago whose personal data
is due for purge, so `flask privacy purge --dry-run` shows something for every rule right after
`flask seed-demo`. seed-demo never purges it; run `flask privacy purge` to see it go.

Idempotent: nothing is added once the past event exists (even after a purge has emptied it)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from cpevents.accounts.models import User
from cpevents.core.checks import known
from cpevents.core.enums import Role
from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import db

PAST_EVENT = "PROUD Awards, two years ago (demo)"


def seed_past_event(organiser: User) -> dict:
    from cpevents.achievements.models import Achievement, AchievementArea
    from cpevents.champions.models import Champion, ChampionService, ChampionStatus
    from cpevents.events.models import Event, EventKind
    from cpevents.events.services import create_event
    from cpevents.invitations import services as invitation_services
    from cpevents.invitations.models import (
        AgeGroup,
        Guest,
        GuestApproval,
        InvitationStatus,
        NameRead,
        ReplyHow,
    )
    from cpevents.mail.models import MessageStatus
    from cpevents.mail.services import queue_email
    from cpevents.nominations.models import FileStatus, Nomination, NominationFile, NominationStatus
    from cpevents.registrations.models import AudienceKind, EventAudience, Registration
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    if db.session.execute(select(Event.id).where(Event.name == PAST_EVENT)).first():
        return {"past_event": PAST_EVENT}
    today = utcnow().astimezone(LONDON).date()
    starts = datetime.combine(today - timedelta(days=760), time(18, 30), tzinfo=LONDON).astimezone(UTC)
    event = create_event(kind=EventKind.PROUD_AWARDS, name=PAST_EVENT, starts_at=starts, venue="County Hall, Main Chamber", capacity=150,
                         description="Last-but-one year's awards evening.", min_age=11, max_age=25, by=organiser)
    event.closed_at, event.closed_by_id = starts + timedelta(days=1), organiser.id
    invitation_services.settings_for(event)

    # A young person who came with two guests, and told us what they needed.
    person = create_young_person({"first_name": "Reece", "last_name": "Hallam", "date_of_birth": today.replace(year=today.year - 19),
                                  "care_status": CareStatus.CARE_LEAVER}, by=organiser)
    invitation = known(invitation_services.invite(event, person, by=organiser), "a new demo event has nobody on its list yet")
    invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, starts - timedelta(days=20), ReplyHow.LINK
    invitation.dietary, invitation.access, invitation.access_other = "vegetarian", "other", "Somewhere quiet to sit before the awards"
    invitation.photo_consent, invitation.name_read = True, NameRead.FULL_NAME
    invitation.photos_ok = True
    invitation.checked_in_at = starts + timedelta(minutes=10)
    invitation.guests.append(Guest(name="Marion Hallam", age_group=AgeGroup.ADULT, position=1, approval=GuestApproval.CONFIRMED,
                                   checked_in_at=starts + timedelta(minutes=10)))
    invitation.guests.append(Guest(name="Tia Hallam", age_group=AgeGroup.CHILD, position=2, approval=GuestApproval.CONFIRMED))

    # A professional who registered for a place.
    audience = EventAudience(event_id=event.id, name="Professionals", kind=AudienceKind.PROFESSIONALS)
    db.session.add(audience)
    db.session.flush()
    db.session.add(Registration(event_id=event.id, audience_id=audience.id, name="Gwen Porter", organisation="Hillside Academy", role="Designated teacher",
                                email="gwen.porter@school.example.org", email_key="gwen.porter@school.example.org", created_at=starts - timedelta(days=30),
                                checked_in_at=starts + timedelta(minutes=5)))

    # A nomination, with what the nominator wrote.
    nominator = db.session.execute(select(User).where(User.email == "nominator@demo.example.org")).scalar_one_or_none() or organiser
    file = NominationFile(event_id=event.id, young_person_id=person.id, status=FileStatus.ACCEPTED)
    db.session.add(file)
    db.session.flush()
    db.session.add(Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, first_name="Reece", last_name="Hallam",
                              date_of_birth=person.date_of_birth, care_status=CareStatus.CARE_LEAVER, young_person_id=person.id, file_id=file.id,
                              achievement="Reece passed his driving theory test and started an apprenticeship with the county's highways team.",
                              background="Reece moved placement three times in his last year of school.", submitted_at=starts - timedelta(days=90)))

    # Achievements of someone who has turned 26.
    older = create_young_person({"first_name": "Kerry", "last_name": "Ashdown", "date_of_birth": today.replace(year=today.year - 27) - timedelta(days=3),
                                 "care_status": CareStatus.CARE_LEAVER}, by=organiser)
    db.session.add(Achievement(young_person_id=older.id, recorded_by_id=organiser.id, achieved_on=today - timedelta(days=800), area=AchievementArea.INDEPENDENCE,
                               description="Kerry moved into her own flat and budgets every week.", celebrated_with="Her personal adviser"))

    # An account closed more than two years ago.
    old = db.session.execute(select(User).where(User.email == "former.worker@demo.example.org")).scalar_one_or_none()
    if old is None:
        old = User(email="former.worker@demo.example.org", name="Frances Former", organisation="Children's social care", job_title="Social worker",
                   is_demo=True, email_verified_at=starts - timedelta(days=400), approved_at=starts - timedelta(days=400))
        old.set_roles({Role.NOMINATOR})
        db.session.add(old)
    old.deactivated_at = starts - timedelta(days=10)

    # A Corporate Parenting Champion application declined two years ago.
    service = db.session.execute(select(ChampionService).order_by(ChampionService.id)).scalars().first()
    if service is None:
        service = ChampionService(name="Libraries")
        db.session.add(service)
        db.session.flush()
    db.session.add(Champion(name="Dale Turnbull", email="dale.turnbull@example.org", job_title="Officer", service_id=service.id,
                            pledge_words="I will talk about corporate parenting at team meetings.", status=ChampionStatus.DECLINED,
                            submitted_at=starts - timedelta(days=10), decided_at=starts - timedelta(days=5), decline_reason="Not a council or partner employee"))

    # An email sent before that evening.
    message = queue_email("demo/invitation", to="reece.hallam@young.example.org", subject="An invitation for you", first_name="Reece")
    message.status, message.attempts, message.sent_at, message.created_at = MessageStatus.SENT, 1, starts - timedelta(days=40), starts - timedelta(days=40)
    db.session.flush()
    return {"past_event": PAST_EVENT}
