"""What the nominee pages read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cpevents.extensions import db
from cpevents.nominations.models import NominationFile
from cpevents.nominees.models import NomineeNotice, NoticeState


def letters_to_hand() -> list[NominationFile]:
    """Files whose young person has no email: a letter to hand over through their worker."""
    return list(db.session.execute(
        select(NominationFile).join(NomineeNotice, NomineeNotice.file_id == NominationFile.id).where(NomineeNotice.state == NoticeState.LETTER_TO_HAND)
        .options(joinedload(NominationFile.young_person), joinedload(NominationFile.event))  # the page names both: one query
        .order_by(NominationFile.id)
    ).scalars())


def notices_by_file(files: list[NominationFile]) -> dict[int, NomineeNotice]:
    """The notices of these files, in one query (the letters page says which letters carry a decision)."""
    ids = [f.id for f in files]
    if not ids:
        return {}
    return {n.file_id: n for n in db.session.execute(select(NomineeNotice).where(NomineeNotice.file_id.in_(ids))).scalars()}


def waiting_for_nominator() -> set[int]:
    """The files waiting for their nominator to say they told the young person (at most a
    fortnight's worth: a few ids)."""
    return set(db.session.execute(select(NomineeNotice.file_id).where(NomineeNotice.state == NoticeState.WAITING_FOR_NOMINATOR)).scalars())


def declined_young_person_ids(event_id: int, young_person_ids: list[int] | None = None) -> set[int]:
    """Young people who said "no thanks" to a nomination for this event: never invited to it. One query."""
    statement = (select(NominationFile.young_person_id).join(NomineeNotice, NomineeNotice.file_id == NominationFile.id)
                 .where(NominationFile.event_id == event_id, NomineeNotice.state == NoticeState.DECLINED))
    if young_person_ids is not None:
        statement = statement.where(NominationFile.young_person_id.in_(young_person_ids or [0]))
    return set(db.session.execute(statement).scalars())
