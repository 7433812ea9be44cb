"""Demo nominees: one told by email, one waiting for the nominator, one contact-restricted waiting
for an organiser, one who said no thanks; one told nominee who chose their name and how to say it,
one who heard they were shortlisted and one who heard "not this time" (issue 16, part A: the demo
panel's shortlist is not released, so these two decisions are set as a release would). Idempotent. Runs after judging's demo, whose accepted
files have already been told (or are waiting) through the `file_accepted` signal."""

from __future__ import annotations

from sqlalchemy import func, select

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
    counts = dict(db.session.execute(select(NomineeNotice.state, func.count()).group_by(NomineeNotice.state)).tuples().all())
    decisions = dict(db.session.execute(select(NomineeNotice.decision, func.count()).where(NomineeNotice.decision.is_not(None))
                                        .group_by(NomineeNotice.decision)).tuples().all())
    return {"nominee_link": link, "nominee_states": {state.value: counts.get(state, 0) for state in NoticeState},
            "nominee_decisions": {d.value: decisions.get(d, 0) for d in Decision}}


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
