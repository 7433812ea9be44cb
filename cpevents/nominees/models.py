"""What the service has told a nominee, and their personal link.

One `NomineeNotice` per nomination file (made when the file is first accepted for judging) says
whether the young person has been told, is waiting (for the nominator to tell them in person,
or for an organiser because of a contact restriction), or said "no thanks". `NomineeLink` is
their personal link, stored as a SHA-256 hash only, like `InvitationLink`: one current link per
file (a new one revokes the old).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, enum_column
from cpevents.core.models import UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model

# Without word from the nominator, the young person is told this long after acceptance.
TELL_IN_PERSON_WAIT = timedelta(days=14)
OWN_WORDS_MAX = 500
# The young person's chosen name fits YoungPerson.preferred_name; the hint fits name_pronunciation.
CHOSEN_NAME_MAX = 80
PRONUNCIATION_MAX = 60
PERSONAL_LINE_MAX = 300
NOT_SHORTLISTED_MESSAGE_MAX = 1000


class NoticeState(LabelledEnum):
    WAITING_FOR_NOMINATOR = "waiting_for_nominator", "Waiting for the nominator to tell them in person"
    WAITING_FOR_ORGANISER = "waiting_for_organiser", "Contact restriction: waiting for an organiser"
    LETTER_TO_HAND = "letter_to_hand", "No email: letter to hand over through their worker"
    TOLD = "told", "Told they were nominated"
    DECLINED = "declined", "Said no thanks"


class Decision(LabelledEnum):
    """What the young person is told when the shortlist is released. Winners are never here:
    they stay secret until the results are published."""

    SHORTLISTED = "shortlisted", "Shortlisted"
    NOT_THIS_TIME = "not_this_time", "Not shortlisted this time"


class NomineeNotice(Model):
    __tablename__ = "nominee_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("nomination_files.id"), unique=True)
    state: Mapped[NoticeState] = mapped_column(enum_column(NoticeState, "nominee_notice_state"))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An organiser approved the panel version of what was written for the young person to read.
    # A panel text changed after this is hidden from them again until approved again.
    panel_version_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    panel_version_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A few words of their own for the panel (at most OWN_WORDS_MAX characters), shown to judges.
    own_words: Mapped[str] = mapped_column(Text, default="")
    # The shortlist decision as the young person reads it (set when the shortlist is released),
    # the event's plain-words message copied at that moment for those not shortlisted, and an
    # organiser's optional personal line for this young person. decision_sent_at: when it was
    # emailed (never for a contact restriction without an organiser, never after "no thanks").
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision, "nominee_decision"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_message: Mapped[str] = mapped_column(Text, default="")
    personal_line: Mapped[str] = mapped_column(Text, default="")
    decision_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    file = relationship("NominationFile")

    @property
    def told(self) -> bool:
        return self.state in (NoticeState.TOLD, NoticeState.LETTER_TO_HAND)


class NomineeLink(Model):
    __tablename__ = "nominee_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("nomination_files.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    file = relationship("NominationFile")
