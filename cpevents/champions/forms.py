"""Champion forms."""

from __future__ import annotations

from wtforms.validators import ValidationError

from cpevents.champions.models import PLEDGE_LABELS, PledgeKind
from cpevents.core.forms import (
    Checkboxes,
    DateParts,
    EmailAddress,
    Form,
    Radios,
    Submit,
    Text,
    TextArea,
    max_length,
    required,
)


class ApplyForm(Form):
    """The champion application. Name and email are asked only of people who are not signed in."""

    name = Text("Full name", required("Enter your full name"), max_length(120, "Full name"))
    email = Text(
        "Work email address",
        required("Enter your work email address"),
        max_length(254, "Email address"),
        EmailAddress(),
        description="We will send a link to this address to check it is yours",
    )
    job_title = Text("Job title", required("Enter your job title"), max_length(160, "Job title"),
                     description="For example, library service manager, councillor or school business manager")
    service = Radios("Which service do you work in?", [], required("Select the service you work in"))
    pledges = Checkboxes(
        "What will you do as a champion?",
        [(k.value, label) for k, label in PLEDGE_LABELS.items()],
        required("Select at least one thing you will do"),
        description="Select all that apply",
    )
    pledge_words = TextArea(
        "Your pledge in your own words",
        required("Tell us in your own words what you will do"),
        max_length(1000, "Your pledge"),
        description="For example, which team will offer work experience, or which event you will help at",
    )
    submit = Submit("Send application")

    def __init__(self, *args, services=(), signed_in=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.service.choices = [(s.public_id, s.name) for s in services]
        if signed_in:
            del self.name
            del self.email

    def validate_pledges(self, field):
        valid = {k.value for k in PledgeKind}
        if any(value not in valid for value in field.data or []):
            raise ValidationError("Select only from the list")

    def pledge_kinds(self) -> list[PledgeKind]:
        return [PledgeKind(v) for v in self.pledges.data or []]


class DeclineForm(Form):
    reason = TextArea(
        "Why are you declining?",
        required("Enter the reason, so we can tell them why"),
        max_length(1000, "The reason"),
        description="We send this to them by email, so write it for them to read",
    )
    submit = Submit("Decline and email them")


class ServiceForm(Form):
    name = Text("Name of the service", required("Enter the name of the service"), max_length(120, "The name"),
                description="For example, Highways, or Partner agency")
    submit = Submit("Add service")


class PledgeActionForm(Form):
    done_on = DateParts("When did you do it?", "The date", required_message="Enter the date you did it",
                        description="For example, 27 3 2026")
    what = TextArea("What did you do?", required("Describe what you did"), max_length(1000, "What you did"),
                    description="Do not include young people's names")
    submit = Submit("Save")

    def validate_done_on(self, field):
        from cpevents.core.time import utcnow

        if field.data and field.data > utcnow().date():
            raise ValidationError("The date must be today or in the past")
