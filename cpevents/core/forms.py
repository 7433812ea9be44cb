"""Shared form pieces: GOV.UK widgets on WTForms fields, and plain-English validators."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError


class Form(FlaskForm):
    """Base form. Strips surrounding spaces from every text value."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class in (StringField,) and _strip not in filters:
                unbound_field.kwargs["filters"] = [_strip, *filters]
            return unbound_field.bind(form=form, **options)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def Text(label: str, *validators, **kwargs) -> StringField:  # noqa: N802 - reads like a field
    return StringField(label, validators=list(validators), widget=GovTextInput(), **kwargs)


def Password(label: str, *validators, **kwargs) -> PasswordField:  # noqa: N802
    return PasswordField(label, validators=list(validators), widget=GovPasswordInput(), **kwargs)


def Radios(label: str, choices, *validators, **kwargs) -> RadioField:  # noqa: N802
    return RadioField(label, choices=choices, validators=list(validators), widget=GovRadioInput(), **kwargs)


def Checkboxes(label: str, choices, *validators, **kwargs) -> SelectMultipleField:  # noqa: N802
    return SelectMultipleField(label, choices=choices, validators=list(validators), widget=GovCheckboxesInput(), **kwargs)


def Submit(label: str) -> SubmitField:  # noqa: N802
    return SubmitField(label, widget=GovSubmitInput())


def required(message: str) -> InputRequired:
    return InputRequired(message=message)


def max_length(n: int, what: str) -> Length:
    return Length(max=n, message=f"{what} must be {n} characters or fewer")


class EmailAddress:
    """A real-looking email address (syntax only; no DNS look-up)."""

    def __init__(self, message: str = "Enter an email address in the correct format, like name@example.org"):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            result = validate_email(field.data, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(self.message) from None
        field.data = result.normalized
