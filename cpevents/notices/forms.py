"""The organiser's change notice: the message is theirs to change before it goes."""

from __future__ import annotations

from cpevents.core.forms import (
    ConfirmForm,
    Form,
    Submit,
    TextArea,
    button_form,
    max_length,
    required,
)
from cpevents.notices.services import MESSAGE_LIMIT


class ChangeNoticeForm(Form):
    message = TextArea("The message", required("Enter the message to send"), max_length(MESSAGE_LIMIT, "The message"))
    submit = Submit("Send the message")


DontTellForm: type[ConfirmForm] = button_form("Do not tell anyone")
