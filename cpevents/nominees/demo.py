"""Demo nominees: one told by email, one waiting for the nominator, one contact-restricted waiting
for an organiser, one who said no thanks. Idempotent. Runs after judging's demo, whose accepted
files have already been told (or are waiting) through the `file_accepted` signal."""

from __future__ import annotations

from sqlalchemy import func, select

from cpevents.extensions import db
from cpevents.nominations.models import FileStatus, NominationFile, YesNo
from cpevents.nominees import services
from cpevents.nominees.models import NomineeNotice, NoticeState


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
    link = services.issue_link(told[0].file) if told else None
    counts = dict(db.session.execute(select(NomineeNotice.state, func.count()).group_by(NomineeNotice.state)).tuples().all())
    return {"nominee_link": link, "nominee_states": {state.value: counts.get(state, 0) for state in NoticeState}}
