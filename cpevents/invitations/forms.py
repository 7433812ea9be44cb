"""Forms for invitations: organisers' settings and actions, and the reply (one question a page for
young people; one page for workers and organisers)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from cpevents.core.forms import (
    Checkboxes,
    DateParts,
    Form,
    Radios,
    Submit,
    Text,
    button_form,
    max_length,
    required,
)
from cpevents.core.time import LONDON
from cpevents.events.forms import Number
from cpevents.invitations.models import (
    ACCESS,
    DIETARY,
    MAX_GUESTS,
    AgeGroup,
    ConsentKind,
    InvitationStatus,
    NameRead,
)
from cpevents.invitations.services import Reply

ASKS = [
    ("ask_dietary", "Food and drink needs"),
    ("ask_access", "Access needs"),
    ("ask_travel", "Help with travel"),
    ("ask_photos", "Whether photos may be taken"),
    ("ask_name_read", "How their name is read out on stage"),
]



# Where photos and a story may be used after the event (issue 16): each its own tick.
USE_AFTER = [("website", "On the council website"), ("social", "On the council's social media"),
             ("press", "In newspapers and other press"), ("annual_report", "In the annual report")]
USE_AFTER_COLUMNS = {"website": "use_website", "social": "use_social", "press": "use_press", "annual_report": "use_annual_report"}

class SettingsForm(Form):
    guest_allowance = Number(
        "Guests each young person may bring", "Guests must be a whole number, like 2", required("Enter how many guests each young person may bring"),
        NumberRange(min=0, max=MAX_GUESTS, message=f"Guests must be between 0 and {MAX_GUESTS}"), default=2,
    )
    reply_by = DateParts("Reply by", "The date to reply by", description="The last day to reply. For example, 20 2 2027. Leave it empty for no deadline before the event.")
    asks = Checkboxes("What to ask", ASKS, validate_choice=False)
    offer_hours = Number(
        "Hours to accept a place from the waiting list", "Hours must be a whole number, like 72", required("Enter how many hours a freed place is held"),
        NumberRange(min=1, max=336, message="Hours must be between 1 and 336 (two weeks)"), default=72,
    )
    submit = Submit("Save")

    def reply_by_utc(self) -> datetime | None:
        if self.reply_by.data is None:
            return None
        end = datetime.combine(self.reply_by.data + timedelta(days=1), time(0, 0), tzinfo=LONDON)
        return end.astimezone(UTC)

    def validate_asks(self, field):
        allowed = {value for value, _ in ASKS}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError("Select from the list")


class FilterForm(Form):
    class Meta:
        csrf = False

    q = Text("Name or district", max_length(80, "The search"))
    show = SelectField("Show", choices=[], widget=GovSelect(), validate_choice=True)


class FindForm(Form):
    class Meta:
        csrf = False

    q = Text("Young person's name", max_length(80, "The name"))


class AddForm(Form):
    person = HiddenField()


class AllowanceForm(Form):
    allowance = Number("Guests this young person may bring", "Guests must be a whole number, like 3", Optional(),
                       NumberRange(min=0, max=MAX_GUESTS, message=f"Guests must be between 0 and {MAX_GUESTS}"),
                       description="Leave it empty to use the event's allowance.")
    submit = Submit("Save allowance")


# --- the reply ----------------------------------------------------------------------------------------

ATTENDING = [("yes", "Yes, I can come"), ("no", "No, I cannot come"), ("not_sure", "I'm not sure yet")]
ATTENDING_STATUS = {"yes": InvitationStatus.COMING, "no": InvitationStatus.NOT_COMING, "not_sure": InvitationStatus.NOT_SURE}


def _attending_choice(form, field):
    if field.data not in ATTENDING_STATUS:
        raise ValidationError("Select yes, no or not sure yet")


class AttendForm(Form):
    attending = Radios("Can you come?", ATTENDING, required("Select yes, no or not sure yet"), _attending_choice, validate_choice=False)
    submit = Submit("Continue")


class IdentityForm(Form):
    date_of_birth = DateParts("Your date of birth", "Your date of birth", required_message="Enter your date of birth", description="For example, 27 3 2007")
    submit = Submit("Continue")


class _GuestFields(Form):
    """Guest rows: how many, then a name and an age group for each, up to the allowance."""

    allowance = 0

    def validate_guest_count(self, field):
        if field.data is not None and field.data > self.allowance:
            raise ValidationError(f"You can bring up to {self.allowance} guest{'s' if self.allowance != 1 else ''}")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        count = self.guest_count.data if not self.guest_count.errors else 0
        for i in range(1, min(count or 0, self.allowance) + 1):
            name, age = self[f"guest{i}_name"], self[f"guest{i}_age"]
            if not (name.data or "").strip():
                name.errors.append(f"Enter the name of guest {i}")
                ok = False
            if age.data not in {a.value for a in AgeGroup}:
                age.errors = [f"Select whether guest {i} is an adult or a child"]
                ok = False
            ok = _check_needs(self[f"guest{i}_dietary"], self[f"guest{i}_dietary_other"], self[f"guest{i}_access"], self[f"guest{i}_access_other"],
                              f"guest {i}'s") and ok
        return ok

    def guests(self) -> list[tuple[str, AgeGroup]]:
        count = min(self.guest_count.data or 0, self.allowance)
        return [(self[f"guest{i}_name"].data.strip(), AgeGroup(self[f"guest{i}_age"].data)) for i in range(1, count + 1)]

    def guest_needs(self) -> list[dict]:
        """Each guest's own food, drink and access needs, in the order of guests()."""
        count = min(self.guest_count.data or 0, self.allowance)
        out = []
        for i in range(1, count + 1):
            dietary, access = list(self[f"guest{i}_dietary"].data or []), list(self[f"guest{i}_access"].data or [])
            out.append({"dietary": dietary, "dietary_other": (self[f"guest{i}_dietary_other"].data or "") if "other" in dietary else "",
                        "access": access, "access_other": (self[f"guest{i}_access_other"].data or "") if "other" in access else "",
                        "photo_consent": bool(self[f"guest{i}_photos"].data)})
        return out

    def fill_guests(self, guests) -> None:
        """From Guest rows, or from a reply in progress: [name, age] or [name, age, needs]."""
        self.guest_count.data = len(guests)
        for i, guest in enumerate(guests[: self.allowance], start=1):
            self[f"guest{i}_name"].data = guest.name if hasattr(guest, "name") else guest[0]
            age = guest.age_group if hasattr(guest, "age_group") else guest[1]
            self[f"guest{i}_age"].data = getattr(age, "value", age)
            if hasattr(guest, "dietary_codes"):
                needs = {"dietary": guest.dietary_codes, "dietary_other": guest.dietary_other, "access": guest.access_codes, "access_other": guest.access_other}
            else:
                needs = guest[2] if len(guest) > 2 and isinstance(guest[2], dict) else {}
            self[f"guest{i}_dietary"].data = list(needs.get("dietary", []))
            self[f"guest{i}_dietary_other"].data = needs.get("dietary_other", "")
            self[f"guest{i}_access"].data = list(needs.get("access", []))
            self[f"guest{i}_access_other"].data = needs.get("access_other", "")
            self[f"guest{i}_photos"].data = guest.photo_consent if hasattr(guest, "photo_consent") else bool(needs.get("photo_consent"))


def _check_needs(dietary, dietary_other, access, access_other, whose: str) -> bool:
    """Codes from the lists only; "Something else" needs its words. Errors go beside the field."""
    ok = True
    for field, choices in ((dietary, DIETARY), (access, ACCESS)):
        if any(v not in dict(choices) for v in field.data or []):
            field.errors = ["Select from the list"]
            ok = False
    if "other" in (dietary.data or []) and not dietary_other.data:
        dietary_other.errors = [f"Tell us {whose} other food and drink needs"]
        ok = False
    if "other" in (access.data or []) and not access_other.data:
        access_other.errors = [f"Tell us {whose} other access needs"]
        ok = False
    return ok


def _with_guest_fields(base: type, allowance: int, who: str = "you") -> type:
    attrs = {
        "allowance": allowance,
        "guest_count": Number(
            f"How many guests will come with {who}?", "Enter the number of guests as a number, like 2", required("Enter how many guests will come (0 if none)"),
            NumberRange(min=0, message="The number of guests cannot be less than 0"), description=f"Up to {allowance}.",
        ),
    }
    for i in range(1, allowance + 1):
        attrs[f"guest{i}_name"] = Text(f"Guest {i}: name", max_length(120, f"Guest {i}'s name"))
        attrs[f"guest{i}_age"] = Radios(f"Guest {i}: adult or child?", [(a.value, a.label) for a in AgeGroup], validate_choice=False)
        attrs[f"guest{i}_dietary"] = Checkboxes(f"Guest {i}: food and drink needs", DIETARY, description="Select all that apply, or none.", validate_choice=False)
        attrs[f"guest{i}_dietary_other"] = Text(f"Guest {i}: other food and drink needs", max_length(300, f"Guest {i}'s other food and drink needs"))
        attrs[f"guest{i}_access"] = Checkboxes(f"Guest {i}: access needs", ACCESS, description="Select all that apply, or none.", validate_choice=False)
        attrs[f"guest{i}_access_other"] = Text(f"Guest {i}: other access needs", max_length(300, f"Guest {i}'s other access needs"))
        # Issue 16: an adult guest answers for themselves; a child's answer comes through the young person or worker.
        attrs[f"guest{i}_photos"] = BooleanField(f"Guest {i} is happy for photos of them to be taken", widget=GovCheckboxInput())
    return type(base.__name__, (base,), attrs)


class GuestsBase(_GuestFields):
    submit = Submit("Continue")


def guests_form(allowance: int, **kwargs) -> GuestsBase:
    return _with_guest_fields(GuestsBase, allowance)(**kwargs)


class Needs:
    """The young person's own needs (each guest's are asked with the guest), and the group's travel."""

    dietary = Checkboxes("Food and drink needs", DIETARY, description="Select all that apply, or none.", validate_choice=False)
    dietary_other = Text("What other food and drink needs?", max_length(300, "Other food and drink needs"))
    access = Checkboxes("Access needs", ACCESS, description="Select all that apply, or none.", validate_choice=False)
    access_other = Text("What other access needs?", max_length(300, "Other access needs"))
    # One checkbox, not yes/no radios: its "What help?" box is revealed GOV.UK's way, and a radio
    # with a revealed box carries aria-expanded, which ARIA does not allow on a radio (axe fails it).
    travel_help = Checkboxes("Help with travel to the event", [("yes", "I need help with travel")], validate_choice=False)
    travel_details = Text("What help with travel do you need?", max_length(300, "Travel help"))
    photo_consent = BooleanField("Photos of me may be taken at the event", widget=GovCheckboxInput())
    name_read = Radios("How should your name be read out on stage?", [(n.value, n.label) for n in NameRead], default=NameRead.FIRST_NAME.value, validate_choice=False)
    # Issue 16: photos and story used afterwards, each place its own tick, none ticked until chosen.
    use_after = Checkboxes("Photos and story used after the event", USE_AFTER, validate_choice=False)

    def validate_use_after(self, field):
        if any(v not in dict(USE_AFTER) for v in field.data or []):
            raise ValidationError("Select from the list")

    def leave_unchosen(self, invitation) -> None:
        """Before a first reply nothing is chosen for them: no answer is pre-selected."""
        if invitation.replied_at is None:
            self.name_read.data = None

    def validate_dietary(self, field):
        if any(v not in dict(DIETARY) for v in field.data or []):
            raise ValidationError("Select from the list")

    def validate_access(self, field):
        if any(v not in dict(ACCESS) for v in field.data or []):
            raise ValidationError("Select from the list")

    def validate_dietary_other(self, field):
        if "other" in (self.dietary.data or []) and not field.data:
            raise ValidationError("Tell us your other food and drink needs")

    def validate_access_other(self, field):
        if "other" in (self.access.data or []) and not field.data:
            raise ValidationError("Tell us your other access needs")

    @property
    def wants_travel_help(self) -> bool:
        return "yes" in (self.travel_help.data or [])

    def validate_travel_help(self, field):
        if any(v not in ("yes", "no") for v in field.data or []):  # "no": what the yes/no question used to send
            raise ValidationError("Select from the list")

    def validate_travel_details(self, field):
        if self.wants_travel_help and not field.data:
            raise ValidationError("Tell us what help with travel is needed, for example a taxi from home")

    def validate_name_read(self, field):
        if field.data not in {n.value for n in NameRead}:
            raise ValidationError("Select how your name should be read out")

    def fill_needs(self, invitation) -> None:
        self.dietary.data = invitation.dietary_codes
        self.dietary_other.data = invitation.dietary_other
        self.access.data = invitation.access_codes
        self.access_other.data = invitation.access_other
        self.travel_help.data = ["yes"] if invitation.travel_help else []
        self.travel_details.data = invitation.travel_details
        self.photo_consent.data = invitation.photo_consent
        self.name_read.data = invitation.name_read.value
        self.use_after.data = [code for code, column in USE_AFTER_COLUMNS.items() if getattr(invitation, column)]

    def needs(self) -> dict:
        return {
            "dietary": list(self.dietary.data or []),
            "dietary_other": (self.dietary_other.data or "") if "other" in (self.dietary.data or []) else "",
            "access": list(self.access.data or []),
            "access_other": (self.access_other.data or "") if "other" in (self.access.data or []) else "",
            "travel_help": self.wants_travel_help,
            "travel_details": (self.travel_details.data or "") if self.wants_travel_help else "",
            "photo_consent": bool(self.photo_consent.data),
            "name_read": self.name_read.data or NameRead.FIRST_NAME.value,
            "use_after": [v for v in self.use_after.data or [] if v in USE_AFTER_COLUMNS],
        }


class NeedsForm(Needs, Form):
    submit = Submit("Continue")


SendForm = button_form("Send the invitations")
CheckForm = button_form("Send my reply")
AcceptForm = button_form("Accept the place")


class OnBehalfBase(Needs, _GuestFields):
    """One page for a worker or an organiser recording a reply given by phone or on paper."""

    attending = Radios("Can they come?", ATTENDING, required("Select yes, no or not sure yet"), validate_choice=False)
    submit = Submit("Save the reply")

    def validate(self, extra_validators=None):
        if self.attending.data == "yes":
            return super().validate(extra_validators)
        # Only "can they come" matters for no or not sure: keep what else was typed, unchecked.
        ok = self.attending.validate(self, [_attending_choice])
        if "csrf_token" in self._fields:
            ok = self.csrf_token.validate(self) and ok
        return ok

    def validate_attending(self, field):
        _attending_choice(self, field)

    def reply(self) -> Reply:
        status = ATTENDING_STATUS[self.attending.data]
        if status != InvitationStatus.COMING:
            return Reply(attending=status)
        return reply_from(status, self.guests(), self.needs(), self.guest_needs())


def on_behalf_form(allowance: int, **kwargs) -> OnBehalfBase:
    return _with_guest_fields(OnBehalfBase, allowance, who="them")(**kwargs)


def reply_from(status: InvitationStatus, guests, needs: dict, guest_needs: list[dict] | None = None) -> Reply:
    return Reply(
        attending=status,
        guests=[(name, AgeGroup(age) if not isinstance(age, AgeGroup) else age) for name, age in guests],
        guest_needs=[dict(n) for n in (guest_needs or [])],
        dietary=list(needs.get("dietary", [])),
        dietary_other=needs.get("dietary_other", ""),
        access=list(needs.get("access", [])),
        access_other=needs.get("access_other", ""),
        travel_help=bool(needs.get("travel_help")),
        travel_details=needs.get("travel_details", ""),
        photo_consent=bool(needs.get("photo_consent")),
        name_read=NameRead(needs.get("name_read") or NameRead.FIRST_NAME.value),
        **{column: code in (needs.get("use_after") or []) for code, column in USE_AFTER_COLUMNS.items()},
    )


class ChoicesForm(Form):
    """"Your choices" (issue 16): every consent on one page, each changeable at once. The guests'
    photo answers are ticks with the guests' public ids as values (set by the view)."""

    photo_consent = BooleanField("Photos of me may be taken at the event", widget=GovCheckboxInput())
    use_after = Checkboxes("Photos and story used after the event", USE_AFTER, validate_choice=False)
    name_read = Radios("How should your name be read out on stage?", [(n.value, n.label) for n in NameRead], validate_choice=False)
    guest_photos = Checkboxes("Photos of your guests", [], validate_choice=False)
    submit = Submit("Save my choices")

    def validate_use_after(self, field):
        if any(v not in dict(USE_AFTER) for v in field.data or []):
            raise ValidationError("Select from the list")

    def validate_name_read(self, field):
        if field.data not in {n.value for n in NameRead}:
            raise ValidationError("Select how your name should be read out")

    def validate_guest_photos(self, field):
        if any(v not in dict(field.choices or []) for v in field.data or []):
            raise ValidationError("Select from the list")

    def fill(self, invitation) -> None:
        self.photo_consent.data = invitation.photo_consent
        self.use_after.data = [code for code, column in USE_AFTER_COLUMNS.items() if getattr(invitation, column)]
        self.name_read.data = invitation.name_read.value
        self.guest_photos.data = [str(g.public_id) for g in invitation.guests if g.photo_consent]

    def answers(self) -> dict:
        answers = {ConsentKind.PHOTOS: bool(self.photo_consent.data), ConsentKind.NAME_READ: NameRead(self.name_read.data)}
        for code, kind in USE_AFTER_KINDS.items():
            answers[kind] = code in (self.use_after.data or [])
        return answers


USE_AFTER_KINDS = {"website": ConsentKind.USE_WEBSITE, "social": ConsentKind.USE_SOCIAL, "press": ConsentKind.USE_PRESS,
                   "annual_report": ConsentKind.USE_ANNUAL_REPORT}


class StaffChoicesForm(ChoicesForm):
    """The same choices, recorded by an organiser (given on the phone) or a linked worker; and the
    worker's or carer's agreement photo consents need for some young people."""

    needs_agreement = BooleanField("Needs a worker's or carer's agreement before photos", widget=GovCheckboxInput())
    agreed = BooleanField("A worker or carer has agreed to these photo choices", widget=GovCheckboxInput())
    submit = Submit("Save the choices")

    def fill(self, invitation) -> None:
        super().fill(invitation)
        self.needs_agreement.data = invitation.needs_agreement
        self.agreed.data = invitation.agreed_at is not None
