"""An event's public winners page (issue 16): whether an organiser has published it.

Nothing about a young person is stored here. Who is shown is worked out on every request from
the judging decisions, the invitation's consents and the young person's record
(`cpevents/public/winners.py`), so a withdrawn consent, "do not publish", an erasure or
unpublishing follows at once. Publishing and unpublishing are audited on the event.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.models import UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model


class WinnersPage(Model):
    __tablename__ = "winners_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    # Set while the page is published; None when never published or unpublished.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unpublished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unpublished_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event = relationship("Event")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<WinnersPage {self.id}>"
