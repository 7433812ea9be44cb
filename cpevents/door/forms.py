"""Forms for the door and for organisers giving out door helpers and door notes."""

from __future__ import annotations

from wtforms.validators import StopValidation

from cpevents.core.forms import (
    EmailAddress,
    Form,
    Radios,
    Submit,
    Text,
    TextArea,
    max_length,
    required,
)
from cpevents.invitations.models import AgeGroup

NOTE_LENGTH = 140


def _one_of(values, message):
    def check(form, field):
        if field.data not in values:
            field.errors[:] = []
            raise StopValidation(message)

    return check


class DoorHelperForm(Form):
    name = Text("Full name", required("Enter their full name"), max_length(120, "The name"))
    email = Text("Email address", required("Enter their email address"), EmailAddress(), max_length(254, "The email address"))
    submit = Submit("Add door helper")


class DoorNoteForm(Form):
    note = TextArea("Door note (optional)", max_length(NOTE_LENGTH, "The door note"),
                    description="Door helpers see this beside the name, on the day. "
                                "Never write anything private here: for anything sensitive, door helpers already see “Speak to an organiser”.")
    submit = Submit("Save door note")


AGE_CHOICES = [(a.value, "Adult" if a == AgeGroup.ADULT else "Child (under 18)") for a in AgeGroup]


class LateGuestForm(Form):
    name = Text("Guest's name", required("Enter the guest's name"), max_length(120, "The guest's name"))
    age_group = Radios("Adult or child?", AGE_CHOICES, _one_of({a.value for a in AgeGroup}, "Select adult or child"), validate_choice=False)
    submit = Submit("Add and check in")
