"""The feedback questions (one page), and the organisers' confirmations."""

from __future__ import annotations

from wtforms.validators import Length, ValidationError

from cpevents.core.forms import Form, Radios, Submit, TextArea, button_form, max_length, required
from cpevents.feedback.models import MAX_ACTION_TEXT, MAX_TEXT, STATEMENTS, Scale
from cpevents.feedback.services import Answers

SKIP = "skip"
CHOICES = [(str(s.value), s.label) for s in Scale] + [(SKIP, "Prefer not to say")]
VALUES = {value for value, _ in CHOICES}


def _on_the_scale(form, field):
    if field.data not in (None, "", "None") and field.data not in VALUES:
        raise ValidationError("Choose one of the answers for this statement, or “Prefer not to say”")


def _statement(text: str):
    # Optional: a young person is never made to answer. Leaving it empty is the same as "prefer not to say".
    return Radios(text, CHOICES, _on_the_scale, validate_choice=False)


class FeedbackForm(Form):
    proud = _statement(STATEMENTS[0][1])
    future = _statement(STATEMENTS[1][1])
    supported = _statement(STATEMENTS[2][1])
    views = _statement(STATEMENTS[3][1])
    improve = TextArea("What should we do differently next time? (optional)",
                       Length(max=MAX_TEXT, message=f"Your answer must be {MAX_TEXT:,} characters or fewer. It has %(length)d now"),
                       description="Anything at all: the place, the food, the awards, how we asked you.")
    submit = Submit("Send my answers")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and not any(self[key].data for key, _ in STATEMENTS) and not self.improve.data:
            # Never forced to answer, but an empty page sent by accident would use up the link.
            self.proud.errors.append("Choose an answer for at least one statement. You can choose “Prefer not to say”")
            return False
        return ok

    def answers(self) -> Answers:
        values = {}
        for key, _ in STATEMENTS:
            data = self[key].data or ""
            values[key] = int(data) if data and data.isascii() and data.isdigit() else None
        return Answers(**values, improve=self.improve.data or "")


class FeedbackActionForm(Form):
    """"You said, we did": one text, each point on its own line."""

    text = TextArea("What did you change because of the feedback?",
                    required("Write at least one thing you changed because of the feedback"),
                    max_length(MAX_ACTION_TEXT, "What you changed"),
                    description="Write each change on its own line, like “You said the music was too loud, so we have a quiet room”. "
                                "Do not name anyone or quote words that would show who said them.")
    submit = Submit("Continue")


SendActionForm = button_form("Send it")
