from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField
from wtforms.validators import ValidationError

from cpevents.core.forms import (
    Checkboxes,
    EmailAddress,
    Form,
    PlainText,
    Radios,
    Submit,
    Text,
    TextArea,
    max_length,
    required,
)
from cpevents.judging.models import SCALE_MAX, SCALE_MIN, ConflictType


class WholeNumber:
    def __init__(self, low: int, high: int, what: str):
        self.low, self.high, self.what = low, high, what

    def __call__(self, form, field):
        value = (field.data or "").strip()
        if not (value.isascii() and value.isdigit()) or not self.low <= int(value) <= self.high:
            raise ValidationError(f"{self.what} must be a whole number from {self.low} to {self.high}")


class PanelForm(Form):
    min_scores = Text("Fewest scores a file needs", required("Enter the fewest scores a file needs"), WholeNumber(1, 20, "The fewest scores"), max_length(2, "The fewest scores"), default="2")
    submit = Submit("Save")


class JudgeForm(Form):
    name = Text("Full name", required("Enter their full name"), max_length(120, "The name"))
    email = Text("Email address", required("Enter their email address"), EmailAddress(), max_length(254, "The email address"))
    young_judge = BooleanField("This is a young judge (care-experienced)", widget=GovCheckboxInput())
    blind = BooleanField("Show them the redacted file (blind judging)", widget=GovCheckboxInput())
    submit = Submit("Add to the panel")


class JudgeViewForm(Form):
    young_judge = BooleanField("Young judge (care-experienced)", widget=GovCheckboxInput())
    blind = BooleanField("Blind judging: show the redacted file", widget=GovCheckboxInput())
    submit = Submit("Save")


class CriterionForm(Form):
    name = Text("Name", required("Enter the name of the criterion"), max_length(120, "The name"))
    description = TextArea("What each score means", required("Say what the scores mean"), max_length(1000, "The description"))
    weight = Text("Weight", required("Enter the weight"), WholeNumber(1, 10, "The weight"), max_length(2, "The weight"))
    submit = Submit("Save criterion")


ASSIGN_METHODS = [
    ("spread", "Spread evenly, so each file gets at least the number of judges below"),
    ("all", "Every judge reads every file"),
    ("category", "Every file in one award goes to the judges you choose"),
]


class AssignForm(Form):
    method = Radios("How should files be shared out?", ASSIGN_METHODS, required("Select how to share out the files"))
    per_file = Text("Judges per file (for spreading evenly)", max_length(3, "Judges per file"), default="3")
    category = Radios("Award (for sharing by award)", [], validate_choice=False)
    judges = Checkboxes("Judges (for sharing by award)", [])
    submit = Submit("Assign files")

    def validate_per_file(self, field):
        if self.method.data == "spread":
            WholeNumber(1, 20, "Judges per file")(self, field)

    def validate_category(self, field):
        if self.method.data == "category" and field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Select the award")

    def validate_judges(self, field):
        if self.method.data == "category" and not field.data:
            raise ValidationError("Select at least one judge")


CONFLICT_CHOICES = [(c.value, c.label) for c in ConflictType]


class ConflictForm(Form):
    conflict = Radios("Do you have a conflict of interest?", CONFLICT_CHOICES, required("Select whether you have a conflict of interest"))
    note = TextArea("Tell us more (needed for 'Other conflict')", max_length(500, "The details"))
    submit = Submit("Continue")

    def validate_note(self, field):
        if self.conflict.data == ConflictType.OTHER.value and not (field.data or "").strip():
            raise ValidationError("Say what the conflict is")


class RecordConflictForm(Form):
    file = Radios("Young person", [], required("Select the young person"))
    judge = Radios("Judge", [], required("Select the judge"))
    conflict = Radios("Kind of conflict", [c for c in CONFLICT_CHOICES if c[0] != "none"], required("Select the kind of conflict"))
    note = TextArea("Details (optional)", max_length(500, "The details"))
    submit = Submit("Record conflict")


SCORE_CHOICES = [(str(n), str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]


def score_form(criteria, data=None):
    """A form with one 1-to-5 question per criterion (named by the criterion's public id)."""

    class ScoreForm(Form):
        comment = TextArea("Comment for the panel (optional)", max_length(2000, "The comment"))
        save = Submit("Save and come back later")
        submit = Submit("Submit scores")

    for c in criteria:
        setattr(ScoreForm, f"c_{c.public_id.replace('-', '')}", Radios(f"{c.name} (weight {c.weight})", SCORE_CHOICES, validate_choice=False))
    if data is not None:
        return ScoreForm(formdata=None, data=data)
    return ScoreForm()


def criterion_field_name(criterion) -> str:
    return f"c_{criterion.public_id.replace('-', '')}"


class PanelTextForm(Form):
    text = TextArea("Panel version", required("Enter the text the panel will read"), max_length(10000, "The text"))
    checked = BooleanField("I have taken out anything that could identify them", widget=GovCheckboxInput())
    submit = Submit("Save panel version")

    def validate_checked(self, field):
        if not field.data:
            raise ValidationError("Confirm you have taken out anything that could identify them")


DECISION_CHOICES = [("yes", "Yes"), ("no", "No")]


class ShortlistForm(Form):
    chosen = Radios("Shortlist this young person?", DECISION_CHOICES, required("Select yes or no"))
    reason = TextArea("Reason", required("Enter the reason for this decision"), max_length(1000, "The reason"))
    submit = Submit("Record shortlist decision")


class WinnerForm(Form):
    chosen = Radios("Is this young person a winner of their award?", DECISION_CHOICES, required("Select yes or no"))
    reason = TextArea("Reason", required("Enter the reason for this decision"), max_length(1000, "The reason"))
    submit = Submit("Record winner decision")


class ReleaseForm(Form):
    not_shortlisted_message = TextArea(
        "What young people who were not shortlisted will read",
        required("Write what young people who were not shortlisted will read"),
        max_length(1000, "The message"),
        PlainText("The message must be plain words, without < or >"),
    )
    submit = Submit("Release the results and email the nominators")
