"""Shared form pieces: GOV.UK widgets on WTForms fields, and plain-English validators."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from email_validator import EmailNotValidError, validate_email
from flask import render_template
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from markupsafe import Markup
from wtforms import (
    DateField,
    Field,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, StopValidation, ValidationError

from cpevents.core.checks import known
from cpevents.core.phones import normalise_uk_mobile

T = TypeVar("T")


if TYPE_CHECKING:  # the GOV.UK widget this is mixed into, ahead of it
    from govuk_frontend_wtf.gov_form_base import GovFormBase as _Widget
else:
    _Widget = object


@lru_cache(maxsize=1024)
def _render_blank(template: str, params_json: str) -> Markup:
    return Markup(render_template(template, params=json.loads(params_json)))  # noqa: S704 - autoescaped template output


class _CachedRender(_Widget):
    """The GOV.UK macros are pure functions of their params, and rendering them is most of
    the cost of a form page. A field with nothing typed in it (every form on GET) renders
    the same every time, so it is cached; anything holding what a person typed is not."""

    value_is_typed = True  # a submit button's value is its label, not something typed

    def render(self, params):
        typed_inside = any(isinstance(item, dict) and item.get("conditional") for item in params.get("items") or [])
        if (self.value_is_typed and params.get("value")) or params.get("errorMessage") or typed_inside:
            return super().render(params)
        try:
            key = json.dumps(params, sort_keys=True)
        except TypeError:
            return super().render(params)
        return _render_blank(self.template, key)


# A one-line box says its limit in its hint when people write a phrase in it (200 characters
# or more: a venue, other access needs). Names, email addresses, passwords, codes and searches do
# not: their limits are far beyond any real answer, and a hint nobody needs is one more thing to read.
SAY_LIMIT_FROM = 200


def length_limit(field) -> int | None:
    """The most characters the field takes (its Length(max=...) validator), if it has one."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max is not None and v.max >= 0]
    return min(limits) if limits else None


def limit_text(limit: int) -> str:
    return f"You can enter up to {limit:,} characters"


def _says_limit(field) -> bool:
    limit = length_limit(field)
    return bool(limit and limit >= SAY_LIMIT_FROM and not any(isinstance(v, EmailAddress) for v in field.validators))


class TextInput(_CachedRender, GovTextInput):
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        limit = length_limit(field)
        if limit and _says_limit(field):
            hint = dict(params.get("hint") or {})
            said = limit_text(limit)
            if hint.get("html"):
                hint["html"] = Markup(f"{hint['html']} {said}.")  # noqa: S704 - the hint is HTML already; `said` is our own words and digits
            else:
                hint["text"] = f"{hint.get('text') or ''} {said}.".strip()
            params["hint"] = hint
        return params


class CharacterCount(_CachedRender, GovCharacterCount):
    """GOV.UK's character count for every text area: the limit is said under the box (and
    counted down as people type, when JavaScript runs), taken from the field's Length."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        limit = length_limit(field)
        if limit and not params.get("maxwords") and not params.get("maxlength"):
            params["maxlength"] = limit
            params.setdefault("textareaDescriptionText", limit_text(limit))
        return params


class PasswordInput(_CachedRender, GovPasswordInput):
    pass


class RadioInput(_CachedRender, GovRadioInput):
    pass


class CheckboxesInput(_CachedRender, GovCheckboxesInput):
    pass


class SubmitInput(_CachedRender, GovSubmitInput):
    value_is_typed = False


class Form(FlaskForm):
    """Base form. Every text value loses control characters (nobody types them, and
    PostgreSQL refuses NUL) and surrounding spaces."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            cls = unbound_field.field_class
            # Passwords are taken exactly as typed (they are hashed, never stored or searched).
            if issubclass(cls, StringField) and not issubclass(cls, PasswordField) and _clean not in filters:
                unbound_field.kwargs["filters"] = [_clean, *filters]
            return unbound_field.bind(form=form, **options)


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_CONTROL[0x7F] = None


def _clean(value):
    if not isinstance(value, str):
        return value
    return value.translate(_CONTROL).strip()


def Text(label: str, *validators, **kwargs) -> StringField:  # noqa: N802 - reads like a field
    return StringField(label, validators=list(validators), widget=TextInput(), **kwargs)


def TextArea(label: str, *validators, **kwargs) -> TextAreaField:  # noqa: N802
    return TextAreaField(label, validators=list(validators), widget=CharacterCount(), **kwargs)


def Password(label: str, *validators, **kwargs) -> PasswordField:  # noqa: N802
    return PasswordField(label, validators=list(validators), widget=PasswordInput(), **kwargs)


def Radios(label: str, choices, *validators, **kwargs) -> RadioField:  # noqa: N802
    return RadioField(label, choices=choices, validators=list(validators), widget=RadioInput(), **kwargs)


def Checkboxes(label: str, choices, *validators, **kwargs) -> SelectMultipleField:  # noqa: N802
    return SelectMultipleField(label, choices=choices, validators=list(validators), widget=CheckboxesInput(), **kwargs)


def Submit(label: str) -> SubmitField:  # noqa: N802
    return SubmitField(label, widget=SubmitInput())


class ConfirmForm(Form):
    """A form that is only a button ("are you sure?"): used so that opening a link never changes
    anything. For a button that says something else, use `button_form`."""

    submit = Submit("Confirm")


def button_form(label: str) -> type[ConfirmForm]:
    """A form that is only a button saying `label` ("Send the invitations")."""
    return type("ConfirmForm", (ConfirmForm,), {"submit": Submit(label), "__doc__": f"Only a button: {label}."})


class Required:
    """The answer is needed. Spaces alone are not an answer (unlike WTForms' InputRequired,
    which looks at the raw input before our filters strip it)."""

    field_flags = {"required": True}

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        data = field.data
        if data is None or data == [] or (isinstance(data, str) and not data.strip()):
            if field.process_errors:
                raise StopValidation()  # keep the more specific message, like "must be a whole number"
            field.errors[:] = []
            raise StopValidation(self.message)


def answer(value: T | None) -> T:
    """The answer to a required question, read after the form has validated. WTForms types
    every field's data as optional; `required()` (or a required date) has made sure it is there."""
    return known(value, "read a required answer after validate_on_submit()")


def add_error(field: Field, message: str) -> None:
    """Show a message against a field after validation (a service refused the answer).
    WTForms types `errors` as a sequence; after validation it is the field's list."""
    errors = field.errors
    if not isinstance(errors, list):
        raise TypeError(f"{field.name}: add errors after validate_on_submit()")
    errors.append(message)


def required(message: str) -> Required:
    return Required(message)


def max_length(n: int, what: str) -> Length:
    return Length(max=n, message=f"{what} must be {n:,} characters or fewer")


class DateInput(GovDateInput):
    """GOV.UK day / month / year inputs. Robust to any number of posted values."""

    def map_gov_params(self, field, **kwargs):
        raw = list(field.raw_data or [])
        if field.raw_data is not None:
            field.raw_data = (raw + ["", "", ""])[:3]
        params = super().map_gov_params(field, **kwargs)
        # The field's id is a box's (for the error summary link); the group needs its own,
        # or the "Day" label would point at the group and the Day box would have no name.
        params["id"] = field.name
        missing = getattr(field, "missing_parts", None)
        if field.errors and missing:
            # Only the boxes that need fixing are marked, as the GOV.UK pattern asks.
            for item, part in zip(params["items"], ("day", "month", "year"), strict=True):
                width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
                item["classes"] = f"{width} govuk-input--error" if part in missing else width
        return params


class DateParts(DateField):
    """A date typed as three numbers, with GOV.UK's error messages. The field's id is the day
    input's id, so the error summary links to the first box."""

    widget = DateInput()

    def __init__(self, label, what: str, *validators, required_message: str = "", past_only: bool = False, **kwargs):
        super().__init__(label, validators=list(validators), **kwargs)
        self.what = what
        self.past_only = past_only
        self.required_message = required_message
        self.id = f"{self.name}-day"
        self.missing_parts: list[str] = []

    def pre_validate(self, form):
        # InputRequired only looks at the first box, so "day missing" would read as "no date".
        if self.required_message and not any(self.raw_data or []):
            raise StopValidation(self.required_message)

    def process_formdata(self, valuelist):
        parts = [str(v).strip() for v in (list(valuelist or []) + ["", "", ""])[:3]]
        self.raw_data = parts
        self.data = None
        day, month, year = parts
        if not any(parts):
            return  # required() reports it
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            self.missing_parts = missing
            self.id = f"{self.name}-{missing[0]}"  # the error summary links to the first empty box
            raise ValueError(f"{self.what} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValueError(f"{self.what} must be a real date, like 27 3 2007")
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{self.what} must be a real date, like 27 3 2007") from None
        if self.past_only and self.data >= date.today():
            self.data = None
            raise ValueError(f"{self.what} must be in the past")


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


class UKMobile:
    """A UK mobile number (07… or +447…). The field keeps what was typed; the form's values()
    stores it normalised with cpevents.core.phones.normalise_uk_mobile."""

    def __init__(self, message: str = "Enter a UK mobile number, like 07700 900123 or +44 7700 900123"):
        self.message = message

    def __call__(self, form, field):
        if field.data and normalise_uk_mobile(field.data) is None:
            raise ValidationError(self.message)


class PlainText:
    """Words only: no HTML or markup (a name read on stage, a message a young person reads).
    Templates escape everything anyway; this says so next to the field instead of showing "<b>"."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if isinstance(field.data, str) and any(ch in field.data for ch in "<>"):
            raise ValidationError(self.message)
