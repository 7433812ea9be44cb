"""The public registration form and the organisers' audience form."""

from __future__ import annotations

from collections.abc import Sequence

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField
from wtforms.validators import NumberRange, Optional, ValidationError

from cpevents.core.forms import (
    EmailAddress,
    Form,
    Radios,
    Submit,
    Text,
    UKMobile,
    answer,
    button_form,
    max_length,
    required,
)
from cpevents.core.phones import normalise_uk_mobile
from cpevents.events.forms import Number
from cpevents.registrations.models import SHORT, AudienceKind, EventAudience
from cpevents.registrations.services import Details


class RegisterForm(Form):
    name = Text("Full name", required("Enter your full name"), max_length(120, "Your name"))
    organisation = Text("Organisation", required("Enter the organisation you work for, or the council you represent"), max_length(160, "Organisation"),
                        description="For example, Leaving care team, or the name of your council")
    role = Text("Role or job title", required("Enter your role or job title"), max_length(160, "Role or job title"),
                description="For example, Personal adviser or County councillor")
    email = Text("Email address", required("Enter your email address"), max_length(320, "Email address"), EmailAddress(),
                 description="We will send your confirmation here")
    # Texts through GOV.UK Notify (issue 17): the view removes both fields when texts are not set up.
    mobile = Text("Mobile number (optional)", max_length(20, "Mobile number"), UKMobile(),
                  description="A UK mobile number, like 07700 900123, if you would like texts about this event")
    mobile_agreed = BooleanField("Text me about this event, for example if it changes", widget=GovCheckboxInput())
    audience = Radios("Which of these are you?", [], required("Select which of these you are"), validate_choice=False)
    access_needs = Text("Access needs (optional)", max_length(SHORT, "Access needs"),
                        description="For example, step-free access, a hearing loop or a British Sign Language interpreter")
    dietary_needs = Text("Food and drink needs (optional)", max_length(SHORT, "Food and drink needs"),
                         description="For example, vegetarian, halal or a nut allergy")
    submit = Submit("Register")

    def __init__(self, *args, audiences: Sequence[EventAudience] = (), closed: Sequence[EventAudience] = (), **kwargs):
        """`audiences` are offered; `closed` ones are known, so that someone who chose one just
        before it closed is told so in plain words (by the service), not "select one"."""
        super().__init__(*args, **kwargs)
        self.audiences = list(audiences) + list(closed)
        self.audience.choices = [(a.public_id, a.name) for a in audiences]

    def without_texts(self) -> RegisterForm:
        del self.mobile
        del self.mobile_agreed
        return self

    def validate_mobile_agreed(self, field):
        if field.data and "mobile" in self and not (self.mobile.data or "").strip():
            raise ValidationError("Enter your mobile number, or untick this box")

    def validate_audience(self, field):
        if field.data and self.chosen() is None:
            raise ValidationError("Select which of these you are")

    def chosen(self) -> EventAudience | None:
        return next((a for a in self.audiences if a.public_id == self.audience.data), None)

    def details(self) -> Details:
        texts = "mobile" in self
        return Details(name=answer(self.name.data), email=answer(self.email.data), organisation=self.organisation.data or "", role=self.role.data or "",
                       access_needs=self.access_needs.data or "", dietary_needs=self.dietary_needs.data or "",
                       mobile=(normalise_uk_mobile(self.mobile.data) or "") if texts else "", mobile_agreed=texts and bool(self.mobile_agreed.data))


OPEN_CHOICES = [("open", "Open: people can register"), ("closed", "Closed: nobody can register")]


class AudienceForm(Form):
    name = Text("Audience name", required("Enter the audience name"), max_length(80, "Audience name"), description="For example, Partner agencies")
    kind = Radios("What kind of audience is it?", [(k.value, k.label) for k in AudienceKind], required("Select what kind of audience it is"),
                  default=AudienceKind.OTHER.value)
    capacity = Number("Places (optional)", "Places must be a whole number, like 40", Optional(),
                      NumberRange(min=1, max=100000, message="Places must be between 1 and 100,000"),
                      description="Leave empty for no limit. More places go to the waiting list straight away")
    registration = Radios("Registration", OPEN_CHOICES, required("Select whether registration is open"), default="open")
    submit = Submit("Save audience")

    def fields(self) -> dict:
        return {"name": self.name.data, "kind": AudienceKind(self.kind.data), "capacity": self.capacity.data, "registration_open": self.registration.data == "open"}


CancelForm = button_form("Cancel my registration")
OrganiserCancelForm = button_form("Cancel this registration")
