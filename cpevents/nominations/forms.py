"""One form per page of the nomination journey. Each saves into the draft."""

from __future__ import annotations

import re

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import TextAreaField
from wtforms.validators import ValidationError

from cpevents.core.forms import (
    DateParts,
    Form,
    Radios,
    Submit,
    Text,
    TextArea,
    button_form,
    max_length,
    required,
)
from cpevents.young_people.models import CareStatus, WorkerRelationship

ACHIEVEMENT_WORDS = 500
ACHIEVEMENT_CHARACTERS = 10_000  # a backstop under the word limit: the panel's version takes as many
YES_NO = [("yes", "Yes"), ("no", "No")]


def word_count(text: str) -> int:
    return len(re.findall(r"\S+", text or ""))


class YoungPersonStep(Form):
    first_name = Text("First name", required("Enter the young person’s first name"), max_length(80, "First name"))
    last_name = Text("Last name", required("Enter the young person’s last name"), max_length(80, "Last name"))
    date_of_birth = DateParts("Date of birth", "Date of birth", required_message="Enter their date of birth", past_only=True, description="For example, 27 3 2009")
    care_status = Radios("Are they in care or a care leaver?", [(c.value, c.label) for c in CareStatus], required("Select whether they are in care or a care leaver"))
    district = Text("District where they live (optional)", max_length(80, "District"))
    submit = Submit("Save and continue")

    def validate_date_of_birth(self, field):
        if field.data and field.data.year < 1990:
            raise ValidationError("Date of birth must be after 1990: the awards are for young people up to about 25")


class YouStep(Form):
    relationship_type = Radios("How do you know them?", [(r.value, r.label) for r in WorkerRelationship], required("Select how you know them"))
    worked_with_recently = Radios("Have you worked with them in the last 12 months?", YES_NO, required("Select yes if you have worked with them in the last 12 months"))
    submit = Submit("Save and continue")


class CategoryStep(Form):
    category = Radios("Which award are you nominating them for?", [], required("Select an award"))
    submit = Submit("Save and continue")


class AchievementStep(Form):
    achievement = TextAreaField(
        "What have they achieved?",
        validators=[required("Tell us what they have achieved"), max_length(ACHIEVEMENT_CHARACTERS, "What they achieved")],
        widget=GovCharacterCount(),
        description="The panel reads this. Say what they did, what it took, and the difference it made. Do not include their surname, school or where they live.",
    )
    submit = Submit("Save and continue")

    def validate_achievement(self, field):
        if word_count(field.data) > ACHIEVEMENT_WORDS:
            raise ValidationError(f"What they achieved must be {ACHIEVEMENT_WORDS} words or fewer. It is {word_count(field.data)} words now")


class BackgroundStep(Form):
    background = TextArea(
        "Background for the organisers (optional)",
        max_length(3000, "The background"),
        description="Only the participation team reads this, never the judges: for example, anything that helps them plan the evening with the young person.",
    )
    submit = Submit("Save and continue")


class SafetyStep(Form):
    young_person_knows = Radios("Does the young person know you are nominating them?", YES_NO, required("Select yes if the young person knows about this nomination"))
    not_known_reason = TextArea("Why not?", max_length(1000, "The reason"))
    public_concern = Radios(
        "Is there any reason they should not be celebrated in public or photographed?",
        YES_NO,
        required("Select yes if there is a reason they should not be celebrated in public or photographed"),
    )
    public_concern_details = TextArea("Tell us what the reason is", max_length(1000, "The reason"))
    contact_restriction_details = TextArea(
        "Are there any contact restrictions the organisers should know about? (optional)",
        max_length(1000, "The contact restrictions"),
        description="For example, someone who must not know where the young person will be",
    )
    submit = Submit("Save and continue")

    def validate_not_known_reason(self, field):
        if self.young_person_knows.data == "no" and not field.data:
            raise ValidationError("Tell us why the young person does not know")

    def validate_public_concern_details(self, field):
        if self.public_concern.data == "yes" and not field.data:
            raise ValidationError("Tell us the reason they should not be celebrated in public or photographed")


SubmitForm = button_form("Send nomination")


class WithdrawForm(Form):
    confirm = Radios("Are you sure you want to withdraw this nomination?", YES_NO, required("Select yes to withdraw the nomination"))
    submit = Submit("Continue")


DeleteDraftForm = button_form("Yes, delete this draft")
