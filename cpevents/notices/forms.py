"""The organiser's change notice: the message is theirs to change before it goes."""

from __future__ import annotations

from wtforms.validators import ValidationError

from cpevents.core.forms import (
    ConfirmForm,
    Form,
    Radios,
    Submit,
    Text,
    TextArea,
    button_form,
    max_length,
    required,
)
from cpevents.notices.messages import SUBJECT_LIMIT, TEXT_LIMIT, html_problem, subject_problem
from cpevents.notices.services import MESSAGE_LIMIT


class ChangeNoticeForm(Form):
    message = TextArea("The message", required("Enter the message to send"), max_length(MESSAGE_LIMIT, "The message"))
    submit = Submit("Send the message")


DontTellForm: type[ConfirmForm] = button_form("Do not tell anyone")


class MessageForm(Form):
    """An organiser's message to one group of one event's people. The group's choices are the
    event's (set by the view); the page shows each group with how many it reaches."""

    group = Radios("Who is it for?", [], required("Choose who the message is for"), validate_choice=True)
    subject = Text("Subject", required("Enter a subject"), max_length(SUBJECT_LIMIT, "The subject"))
    text = TextArea("Message", required("Enter the message"), max_length(TEXT_LIMIT, "The message"))
    submit = Submit("Preview the message")

    def validate_subject(self, field) -> None:
        if "\n" in (field.data or "") or "\r" in (field.data or ""):
            raise ValidationError("The subject must be one line")
        if problem := html_problem(field.data) or subject_problem(field.data):
            raise ValidationError(problem)

    def validate_text(self, field) -> None:
        if problem := html_problem(field.data):
            raise ValidationError(problem)
