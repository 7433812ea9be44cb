from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField
from wtforms.validators import Optional, ValidationError

from cpevents.core.forms import (
    DateParts,
    EmailAddress,
    Form,
    Radios,
    Submit,
    Text,
    TextArea,
    UKMobile,
    max_length,
    required,
)
from cpevents.core.phones import normalise_uk_mobile
from cpevents.young_people.models import CareStatus, NameShown, WorkerRelationship


class YoungPersonForm(Form):
    first_name = Text("First name", required("Enter their first name"), max_length(80, "First name"))
    last_name = Text("Last name", required("Enter their last name"), max_length(80, "Last name"))
    preferred_name = Text("Preferred name (optional)", max_length(80, "Preferred name"), description="If they like to be called something else")
    date_of_birth = DateParts("Date of birth", "Date of birth", required_message="Enter their date of birth", past_only=True, description="For example, 27 3 2007")
    care_status = Radios("Care status", [(c.value, c.label) for c in CareStatus], required("Select whether they are in care or a care leaver"))
    district = Text("District (optional)", max_length(80, "District"))
    email = Text("Email address (optional)", Optional(), max_length(254, "Email address"), EmailAddress(), description="Many young people are reached through their worker instead")
    # Texts through GOV.UK Notify (issue 17): the view removes both fields when texts are not set up.
    mobile = Text("Mobile number (optional)", max_length(20, "Mobile number"), UKMobile(),
                  description="A UK mobile number, like 07700 900123. We only text it if they agree below")
    mobile_agreed = BooleanField("They agree to get text messages about invitations and feedback on this number", widget=GovCheckboxInput())
    name_shown = Radios(
        "How their name is shown outside the participation team",
        [(n.value, n.label) for n in NameShown],
        required("Select how their name is shown"),
        default=NameShown.FIRST_NAME.value,
    )
    do_not_publish = BooleanField("Do not publish: never show this young person on stage, in photos or in any list beyond organisers", widget=GovCheckboxInput())
    contact_restriction = BooleanField("Contact restriction: some people must not be told where this young person will be", widget=GovCheckboxInput())
    contact_restriction_note = TextArea("Who or what (organisers only)", max_length(500, "The note"), description="A short note, for example ‘birth father must not know about events’")
    submit = Submit("Save")

    def validate_contact_restriction_note(self, field):
        if self.contact_restriction.data and not field.data:
            raise ValidationError("Say who or what the contact restriction is about")

    def validate_date_of_birth(self, field):
        if field.data and field.data.year < 1990:
            raise ValidationError("Date of birth must be after 1990: this service is for young people up to about 25")

    def validate_mobile_agreed(self, field):
        if field.data and "mobile" in self and not (self.mobile.data or "").strip():
            raise ValidationError("Enter their mobile number, or untick this box")

    def without_texts(self) -> YoungPersonForm:
        """No mobile fields: texts are not set up (cpevents.mail.texts.texts_enabled)."""
        del self.mobile
        del self.mobile_agreed
        return self

    def values(self) -> dict:
        texts = {"mobile": normalise_uk_mobile(self.mobile.data) or "", "mobile_agreed": bool(self.mobile_agreed.data)} if "mobile" in self else {}
        return texts | {
            "first_name": self.first_name.data,
            "last_name": self.last_name.data,
            "preferred_name": self.preferred_name.data or "",
            "date_of_birth": self.date_of_birth.data,
            "care_status": CareStatus(self.care_status.data),
            "district": self.district.data or "",
            "email": (self.email.data or "").lower(),
            "name_shown": NameShown(self.name_shown.data),
            "do_not_publish": bool(self.do_not_publish.data),
            "contact_restriction": bool(self.contact_restriction.data),
            "contact_restriction_note": self.contact_restriction_note.data or "",
        }


class LinkWorkerForm(Form):
    email = Text("Worker's email address", required("Enter the worker's email address"), max_length(254, "Email address"), EmailAddress())
    relationship = Radios("Their relationship to the young person", [(r.value, r.label) for r in WorkerRelationship], required("Select their relationship"))
    submit = Submit("Link worker")


class SearchForm(Form):
    class Meta:
        csrf = False

    q = Text("Search by name or district", max_length(100, "Search"))
    care_status = Radios("Care status", [("", "Any")] + [(c.value, c.label) for c in CareStatus], default="")
    flag = Radios("Safety flags", [("", "Any"), ("do_not_publish", "Do not publish"), ("contact_restriction", "Contact restriction")], default="")


class MergeForm(Form):
    keep = Radios("Which record do you want to keep?", [], required("Select the record to keep"))
    submit = Submit("Merge records")
