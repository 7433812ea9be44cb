"""Achievement forms."""

from __future__ import annotations

from wtforms.validators import ValidationError

from cpevents.achievements.models import AREA_LABELS
from cpevents.core.forms import (
    DateParts,
    Form,
    Radios,
    Submit,
    Text,
    TextArea,
    max_length,
    required,
)
from cpevents.core.time import utcnow


class AchievementForm(Form):
    achieved_on = DateParts("When did it happen?", "The date", required_message="Enter the date it happened",
                            description="For example, 27 3 2026")
    area = Radios("What kind of achievement is it?", [(a.value, label) for a, label in AREA_LABELS.items()],
                  required("Select what kind of achievement it is"))
    description = TextArea(
        "What happened?",
        required("Describe what happened"),
        max_length(1000, "What happened"),
        description="In plain words, as you would say it to them. This is printed on their certificate.",
    )
    celebrated_with = Text(
        "Who celebrated it with them?",
        required("Enter who celebrated it with them"),
        max_length(200, "Who celebrated it"),
        description="For example, their foster carer and their social worker",
    )
    submit = Submit("Save achievement")

    def validate_achieved_on(self, field):
        if field.data and field.data > utcnow().date():
            raise ValidationError("The date cannot be in the future")
        if field.data and field.data.year < 2000:
            raise ValidationError("The date must be after 2000")
