"""Small achievements: recorded by a worker for a young person their work links them to."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, Role, enum_column
from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model


class AchievementArea(LabelledEnum):
    EDUCATION = "education"
    HEALTH = "health"
    INDEPENDENCE = "independence"
    HOBBIES = "hobbies"
    RELATIONSHIPS = "relationships"
    HELPING_OTHERS = "helping_others"
    WORK = "work"

    @property
    def label(self) -> str:
        return AREA_LABELS[self]


AREA_LABELS = {
    AchievementArea.EDUCATION: "Education",
    AchievementArea.HEALTH: "Health and wellbeing",
    AchievementArea.INDEPENDENCE: "Independence",
    AchievementArea.HOBBIES: "Hobbies and sport",
    AchievementArea.RELATIONSHIPS: "Relationships",
    AchievementArea.HELPING_OTHERS: "Helping others",
    AchievementArea.WORK: "Work and training",
}


class Achievement(PublicId, Model):
    __tablename__ = "achievements"
    # Covers the objective report's queries (a date range, grouped by area, young people counted).
    __table_args__ = (Index("ix_achievements_achieved_on_area", "achieved_on", "area", "young_person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    achieved_on: Mapped[date] = mapped_column(Date)
    area: Mapped[AchievementArea] = mapped_column(enum_column(AchievementArea, "achievement_area"))
    description: Mapped[str] = mapped_column(Text)
    celebrated_with: Mapped[str] = mapped_column(String(200))
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nominations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    young_person = relationship("YoungPerson")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    nomination = relationship("Nomination")

    def is_linked_worker(self, user) -> bool:
        return self.young_person.has_current_worker(user)

    def can_view(self, user) -> bool:
        """Organisers, whoever recorded it, and the young person's current workers."""
        if not user.is_authenticated or not user.is_active or not user.is_approved:
            return False
        if user.has_role(Role.ORGANISER):
            return True
        return self.recorded_by_id == user.id or self.is_linked_worker(user)

    def __repr__(self) -> str:
        return f"<Achievement {self.id}>"
