"""Demo running order for `flask seed-demo` (called from cpevents.demo after seed_door): the
"Celebration tea (demo)" gets three awards, a nomination file for six of the young people
coming (one of them the door demo's young person with a contact restriction, so a sheet shows
its mark), a panel whose shortlist is released and a winner chosen per award. Results are NOT published, so the winners stay secret
everywhere but the organisers' running order and the sealed sheets.

Written directly as rows, as the judging demo does, so no email is queued. Idempotent: an event
that already has a panel is left as it is.
"""

from __future__ import annotations

from sqlalchemy import select

from cpevents.core.time import utcnow
from cpevents.events.models import Event
from cpevents.events.services import add_category
from cpevents.extensions import db
from cpevents.invitations.models import Invitation, InvitationStatus
from cpevents.judging.models import DecisionKind, JudgingDecision, PanelText
from cpevents.judging.services import create_panel, panel_for
from cpevents.nominations.models import (
    DecisionAction,
    FileDecision,
    FileStatus,
    Nomination,
    NominationStatus,
    YesNo,
)
from cpevents.nominations.review import match_nomination
from cpevents.young_people.models import WorkerRelationship, YoungPerson

AWARDS = [
    ("Starting college", "Young people who started a college course this term."),
    ("First job", "Young people who started their first job or apprenticeship."),
    ("Going the extra mile", "Young people who helped others this year."),
]
# Panel versions (the words a presenter reads): no school, placement or surname in them.
TEXTS = [
    "{name} enrolled on a catering course and has not missed a single day. Their tutor says they lift the whole group.",
    "{name} started an apprenticeship at a garage and already trains the new starters on safety checks.",
    "{name} organised a bake sale for the children's hospital and raised over two hundred pounds.",
    "{name} moved to a new area and chose to start college straight away, finding their own way there every morning.",
    "{name} works weekends at a café and saved for their first bike, which they ride to work.",
    "{name} volunteers at a youth club every Tuesday and helped younger children settle in.",
]


def seed_stage(organiser, event_name: str) -> dict:
    event = db.session.execute(select(Event).where(Event.name == event_name)).scalar_one_or_none()
    if event is None:
        return {}
    if panel_for(event) is not None:
        return {"stage_event": event.public_id}
    categories = [c for c in event.categories] or [add_category(event, name=n, description=d) for n, d in AWARDS]
    coming = db.session.execute(
        select(Invitation, YoungPerson).join(YoungPerson, Invitation.young_person_id == YoungPerson.id)
        .where(Invitation.event_id == event.id, Invitation.status == InvitationStatus.COMING).order_by(Invitation.id)
    ).all()
    # Five young people with no safety flags, and the one with a contact restriction (or marked do
    # not publish) the door demo has coming, so a sheet shows its mark.
    plain = [p for _i, p in coming if not (p.do_not_publish or p.contact_restriction)][:5]
    flagged = [p for _i, p in coming if p.do_not_publish or p.contact_restriction][:1]
    people = plain + flagged
    if not people:
        return {"stage_event": event.public_id}
    panel = create_panel(event, by=organiser)
    now = utcnow()
    for index, person in enumerate(people):
        category = categories[index % len(categories)]
        nomination = Nomination(
            event_id=event.id, nominator_id=organiser.id, category_id=category.id, status=NominationStatus.SENT,
            first_name=person.first_name, last_name=person.last_name, date_of_birth=person.date_of_birth, care_status=person.care_status,
            district=person.district, relationship_type=WorkerRelationship.OTHER, worked_with_recently=True,
            achievement=TEXTS[index % len(TEXTS)].format(name=person.first_or_preferred), young_person_knows=YesNo.YES,
            public_concern=YesNo.NO, submitted_at=now,
        )
        db.session.add(nomination)
        db.session.flush()
        file = match_nomination(nomination, person, by=organiser, reason="Nomination for the celebration tea (demo)")
        file.category_id, file.status = category.id, FileStatus.ACCEPTED
        db.session.add(FileDecision(file=file, action=DecisionAction.ACCEPTED, reason="Checked against the rules (demo)", by_id=organiser.id, at=now))
        db.session.add(PanelText(nomination_id=nomination.id, text=nomination.achievement, updated_by_id=organiser.id, updated_at=now))
        db.session.add(JudgingDecision(panel_id=panel.id, file_id=file.id, kind=DecisionKind.SHORTLIST, chosen=True,
                                       reason="Panel agreed (demo)", by_id=organiser.id, at=now))
        if index < len(categories):  # the first young person in each award wins it
            db.session.add(JudgingDecision(panel_id=panel.id, file_id=file.id, kind=DecisionKind.WINNER, chosen=True,
                                           reason="Panel's choice (demo)", by_id=organiser.id, at=now))
    panel.shortlist_released_at = now
    db.session.flush()
    return {"stage_event": event.public_id}
