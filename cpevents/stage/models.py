"""The one thing the stage keeps: each printing of a sealed presenter's sheet (the only version
that names a winner), so the running order page can say who printed it and when.

The running order itself is AwardCategory.position (see docs/issue18-stage.md): one order of the
awards for the event, used by every page that lists them. The row names no young person (the
winner is looked up when the sheet is printed, never stored here), so merging or erasing a young
person's record has nothing to do here; the audit entry written with it names the winner's record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model


class SealedPrint(PublicId, Model):
    """One sealed presenter's sheet printed (page or PDF): which award, who, when."""

    __tablename__ = "sealed_sheet_prints"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("award_categories.id"), index=True)
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    as_pdf: Mapped[bool] = mapped_column(default=False)

    printed_by = relationship("User")

    def __repr__(self) -> str:
        return f"<SealedPrint {self.id}>"
