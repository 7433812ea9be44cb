"""Demo nominees: one told by email, one waiting for the nominator, one contact-restricted waiting
for an organiser, one who said no thanks; one told nominee who chose their name and how to say it,
one who heard they were shortlisted and one who heard "not this time" (issue 16, part A: the demo
panel's shortlist is not released, so these two decisions are set as a release would). Idempotent. Runs after judging's demo, whose accepted
files have already been told (or are waiting) through the `file_accepted` signal."""

from __future__ import annotations

from sqlalchemy import func, select

from cpevents.accounts.models import User
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.judging.models import DecisionKind, JudgingDecision
from cpevents.judging.services import DEFAULT_NOT_SHORTLISTED_MESSAGE
from cpevents.nominations.models import FileStatus, NominationFile, YesNo
from cpevents.nominees import services
from cpevents.nominees.models import Decision, NomineeNotice, NoticeState
from cpevents.young_people.models import NameShown


def _with_state(state: NoticeState) -> list[NomineeNotice]:
    return list(db.session.execute(select(NomineeNotice).where(NomineeNotice.state == state).order_by(NomineeNotice.id)).scalars())


def seed_nominees(organiser) -> dict:
    told = [n for n in _with_state(NoticeState.TOLD) if n.file.young_person.email]
    if not _with_state(NoticeState.WAITING_FOR_NOMINATOR) and len(told) > 1:
        notice = told.pop()
        notice.state, notice.told_at = NoticeState.WAITING_FOR_NOMINATOR, None
        for nomination in notice.file.live_nominations[:1]:
            nomination.young_person_knows = YesNo.NO
            nomination.not_known_reason = "I would like to tell them myself, at our next visit (demo)"
    if not _with_state(NoticeState.WAITING_FOR_ORGANISER) and len(told) > 1:
        notice = told.pop()
        notice.file.young_person.contact_restriction = True
        notice.file.young_person.contact_restriction_note = "Check with their social worker before any contact (demo note)"
        notice.state, notice.told_at = NoticeState.WAITING_FOR_ORGANISER, None
    if not _with_state(NoticeState.DECLINED):
        file = db.session.execute(
            select(NominationFile).outerjoin(NomineeNotice, NomineeNotice.file_id == NominationFile.id)
            .where(NominationFile.status == FileStatus.TO_REVIEW, NomineeNotice.id.is_(None)).order_by(NominationFile.id.desc())
        ).scalars().first()
        if file is not None and file.live_nominations:
            db.session.add(NomineeNotice(file_id=file.id, file=file, state=NoticeState.TOLD))
            db.session.flush()
            services.say_no_thanks(file)
    db.session.flush()
    _name_and_decisions(told)
    db.session.flush()
    link = services.issue_link(told[0].file) if told else None
    keepsakes = seed_keepsakes(organiser)
    counts = dict(db.session.execute(select(NomineeNotice.state, func.count()).group_by(NomineeNotice.state)).tuples().all())
    decisions = dict(db.session.execute(select(NomineeNotice.decision, func.count()).where(NomineeNotice.decision.is_not(None))
                                        .group_by(NomineeNotice.decision)).tuples().all())
    return {"nominee_link": link, "nominee_states": {state.value: counts.get(state, 0) for state in NoticeState},
            "nominee_decisions": {d.value: decisions.get(d, 0) for d in Decision}, **keepsakes}


def _name_and_decisions(told: list[NomineeNotice]) -> None:
    """The first told nominee (whose link the demo prints) chose a name and how to say it; two
    others heard the panel's decision, by email as a release would send it."""
    if not told:
        return
    first = told[0]
    if not first.file.young_person.name_pronunciation:
        person = first.file.young_person
        services.choose_name(first.file, name=person.first_or_preferred, shown=NameShown.FIRST_NAME, pronunciation="Say it as it looks, stress on the first part (demo)")
    if db.session.execute(select(NomineeNotice.id).where(NomineeNotice.decision.is_not(None))).first() is not None:
        return
    chosen = set(db.session.execute(select(JudgingDecision.file_id).where(JudgingDecision.kind == DecisionKind.SHORTLIST, JudgingDecision.chosen.is_(True))).scalars())
    now = utcnow()
    shortlisted = next((n for n in told[1:] if n.file_id in chosen), None)
    not_this_time = next((n for n in told[1:] if n.file_id not in chosen), None)
    for notice, decision in ((shortlisted, Decision.SHORTLISTED), (not_this_time, Decision.NOT_THIS_TIME)):
        if notice is None:
            continue
        notice.decision, notice.decided_at, notice.decision_sent_at = decision, now, now
        if decision == Decision.NOT_THIS_TIME:
            notice.decision_message = DEFAULT_NOT_SHORTLISTED_MESSAGE
            notice.personal_line = "Your nominator said your cooking club made their week (demo)."


KEEPSAKE_EVENT = "PROUD Awards, last month (demo)"
# (first name, surname, award, winner?, what the panel read, their own words)
KEEPSAKE_NOMINEES = [
    ("Jade", "Okafor", "Achievement in education", True, "Jade went back to college after two years away and passed every module this year.",
     "I did it for my little brother, so he knows he can too."),
    ("Sam", "Whitlow", "Helping others", False, "Sam volunteers every Saturday at the community garden and taught younger children to grow food.", ""),
]


def seed_keepsakes(organiser) -> dict:
    """Issue 16, part B: a PROUD Awards evening last month whose results are published, with a winner
    and a nominee who did not win, each told and holding a working personal link (not printed: the
    hash only is kept), so their keepsake page and certificate exist. Idempotent."""
    from datetime import UTC, datetime, time, timedelta

    from cpevents.core.time import LONDON, utcnow
    from cpevents.events.models import Event, EventKind
    from cpevents.events.services import create_event
    from cpevents.judging.models import DecisionKind, JudgingDecision, PanelText
    from cpevents.judging.services import create_panel
    from cpevents.nominations.models import Nomination, NominationStatus
    from cpevents.young_people.models import CareStatus, WorkerRelationship
    from cpevents.young_people.services import create_young_person

    if db.session.execute(select(Event.id).where(Event.name == KEEPSAKE_EVENT)).first():
        return {"keepsake_event": KEEPSAKE_EVENT}
    today = utcnow().astimezone(LONDON).date()
    starts = datetime.combine(today - timedelta(days=30), time(18, 30), tzinfo=LONDON).astimezone(UTC)
    event = create_event(kind=EventKind.PROUD_AWARDS, name=KEEPSAKE_EVENT, starts_at=starts, venue="County Hall, Main Chamber", capacity=120,
                         description="Last month's awards evening: results published.", min_age=11, max_age=25, by=organiser)
    event.nominations_open_at, event.nominations_close_at = starts - timedelta(days=120), starts - timedelta(days=60)
    panel = create_panel(event, by=organiser)
    categories = {c.name: c for c in event.categories}
    nominator = db.session.execute(select(User).where(User.email == "nominator@demo.example.org")).scalar_one_or_none() or organiser
    for first, last, award, won, panel_text, own_words in KEEPSAKE_NOMINEES:
        person = create_young_person({"first_name": first, "last_name": last, "date_of_birth": today.replace(year=today.year - 17),
                                      "care_status": CareStatus.IN_CARE, "district": "Riverside"}, by=organiser)
        person.email = f"{first.lower()}.{last.lower()}@young.example.org"
        file = NominationFile(event_id=event.id, young_person_id=person.id, status=FileStatus.ACCEPTED, category_id=categories[award].id)
        db.session.add(file)
        db.session.flush()
        nomination = Nomination(event_id=event.id, nominator_id=nominator.id, category_id=file.category_id, status=NominationStatus.SENT,
                                first_name=first, last_name=last, date_of_birth=person.date_of_birth, care_status=CareStatus.IN_CARE,
                                district="Riverside", relationship_type=WorkerRelationship.SOCIAL_WORKER, worked_with_recently=True,
                                young_person_id=person.id, file_id=file.id, achievement=panel_text, young_person_knows=YesNo.YES,
                                public_concern=YesNo.NO, submitted_at=starts - timedelta(days=80))
        db.session.add(nomination)
        db.session.flush()
        db.session.add(PanelText(nomination_id=nomination.id, text=panel_text, updated_at=starts - timedelta(days=50)))
        db.session.add(NomineeNotice(file_id=file.id, file=file, state=NoticeState.TOLD, accepted_at=starts - timedelta(days=55),
                                     told_at=starts - timedelta(days=55), own_words=own_words,
                                     panel_version_approved_at=starts - timedelta(days=45), panel_version_approved_by_id=organiser.id,
                                     decision=Decision.SHORTLISTED, decided_at=starts - timedelta(days=14), decision_sent_at=starts - timedelta(days=14)))
        for kind, chosen in ((DecisionKind.SHORTLIST, True), (DecisionKind.WINNER, won)):
            db.session.add(JudgingDecision(panel_id=panel.id, file_id=file.id, kind=kind, chosen=chosen, reason="The panel's choice (demo)",
                                           by_id=organiser.id, at=starts - timedelta(days=20)))
        db.session.flush()
        services.issue_link(file)  # a working link; the token is not kept or printed
    panel.shortlist_released_at, panel.results_published_at = starts - timedelta(days=14), starts + timedelta(hours=2)
    db.session.flush()
    return {"keepsake_event": KEEPSAKE_EVENT}
