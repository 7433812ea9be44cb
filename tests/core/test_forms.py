"""cpevents/core/forms.py: the one "are you sure" form, and forms that are only a button."""

from __future__ import annotations

from cpevents.core.forms import ConfirmForm, button_form


def test_confirm_form_is_only_a_button(app):
    with app.test_request_context(method="POST"):
        form = ConfirmForm()
        assert [f.name for f in form if f.name != "csrf_token"] == ["submit"]
        assert form.submit.label.text == "Confirm"


def test_button_form_says_its_label(app):
    send = button_form("Send the invitations")
    with app.test_request_context(method="POST"):
        form = send()
        assert isinstance(form, ConfirmForm) and form.submit.label.text == "Send the invitations"
        assert ">\n  Send the invitations\n</button>" in str(form.submit())
