"""What the nominee pages read."""

from __future__ import annotations

from sqlalchemy import select

from cpevents.extensions import db
from cpevents.nominations.models import NominationFile
from cpevents.nominees.models import NomineeNotice, NoticeState


def letters_to_hand() -> list[NominationFile]:
    """Files whose young person has no email: a letter to hand over through their worker."""
    return list(db.session.execute(
        select(NominationFile).join(NomineeNotice, NomineeNotice.file_id == NominationFile.id).where(NomineeNotice.state == NoticeState.LETTER_TO_HAND)
        .order_by(NominationFile.id)
    ).scalars())


def waiting_for_nominator() -> set[int]:
    """The files waiting for their nominator to say they told the young person (at most a
    fortnight's worth: a few ids)."""
    return set(db.session.execute(select(NomineeNotice.file_id).where(NomineeNotice.state == NoticeState.WAITING_FOR_NOMINATOR)).scalars())
