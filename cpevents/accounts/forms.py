"""Account forms. Messages follow the GOV.UK error message patterns."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import ValidationError

from cpevents.accounts.passwords import password_problem
from cpevents.core.enums import INVITE_ROLES, Role
from cpevents.core.forms import (
    Checkboxes,
    EmailAddress,
    Form,
    Password,
    Radios,
    Submit,
    Text,
    max_length,
    required,
)

EMAIL_REQUIRED = "Enter your email address"


class NewPassword:
    """Length and common-password rules, with the person's own name and email in view."""

    def __call__(self, form, field):
        name = getattr(getattr(form, "name", None), "data", "") or getattr(form, "_person_name", "")
        email = getattr(getattr(form, "email", None), "data", "") or getattr(form, "_person_email", "")
        problem = password_problem(field.data or "", name=name or "", email=email or "")
        if problem:
            raise ValidationError(problem)


class SignInForm(Form):
    email = Text("Email address", required(EMAIL_REQUIRED), max_length(254, "Email address"))
    password = Password("Password", required("Enter your password"), max_length(256, "Password"))
    submit = Submit("Sign in")


class CodeForm(Form):
    code = Text("Code from your authenticator app", required("Enter the 6-digit code from your authenticator app"), max_length(20, "Code"))
    submit = Submit("Continue")

    def validate_code(self, field):
        digits = "".join(ch for ch in field.data if ch in "0123456789")  # "¹".isdigit() is true
        if len(digits) != 6 or len(field.data.replace(" ", "")) != 6:
            raise ValidationError("The code must be 6 numbers, like 123456")


class RecoveryCodeForm(Form):
    code = Text("Recovery code", required("Enter one of your recovery codes"), max_length(20, "Recovery code"))
    submit = Submit("Continue")


class RegisterForm(Form):
    name = Text("Full name", required("Enter your full name"), max_length(120, "Full name"))
    email = Text(
        "Work email address",
        required("Enter your work email address"),
        max_length(254, "Email address"),
        EmailAddress(),
        description="We will send a link to this address to check it is yours",
    )
    organisation = Text(
        "Organisation",
        required("Enter the name of your organisation"),
        max_length(160, "Organisation"),
        description="For example, the council, a school, a fostering agency or a health trust",
    )
    job_title = Text("Job title", required("Enter your job title"), max_length(160, "Job title"), description="For example, social worker, personal adviser or foster carer")
    purpose = Radios(
        "What do you want to do?",
        [
            ("nominate", "Nominate young people for awards and record their achievements"),
            ("champion", "Nominate young people, and apply to be a Corporate Parenting Champion"),
        ],
        required("Select what you want to do"),
    )
    password = Password("Create a password", required("Enter a password"), NewPassword(), max_length(256, "Password"), description="Use 12 characters or more. Three random words together is a good way to make a strong password you can remember.")
    submit = Submit("Create account")


class ForgotPasswordForm(Form):
    email = Text("Email address", required(EMAIL_REQUIRED), max_length(254, "Email address"), EmailAddress())
    submit = Submit("Send me a link")


class SetPasswordForm(Form):
    password = Password("New password", required("Enter a new password"), NewPassword(), max_length(256, "Password"), description="Use 12 characters or more. Three random words together is a good way to make a strong password you can remember.")
    confirm = Password("Type the new password again", required("Type the new password again"), max_length(256, "Password"))
    submit = Submit("Save password")

    def validate_confirm(self, field):
        if self.password.data and field.data != self.password.data:
            raise ValidationError("The passwords do not match. Type the same password twice")


class ChangePasswordForm(SetPasswordForm):
    current = Password("Current password", required("Enter your current password"), max_length(256, "Password"))


class SetUpTwoFactorForm(CodeForm):
    secret = HiddenField()
    submit = Submit("Turn on")


class InviteForm(Form):
    name = Text("Full name", required("Enter their full name"), max_length(120, "Full name"))
    email = Text("Email address", required("Enter their email address"), max_length(254, "Email address"), EmailAddress())
    roles = Checkboxes(
        "Roles",
        [(r.value, r.label) for r in INVITE_ROLES],
        required("Select at least one role"),
        description="Select all that apply",
    )
    submit = Submit("Send invitation")


class RolesForm(Form):
    roles = Checkboxes("Roles", [(r.value, r.label) for r in Role], required("Select at least one role"), description="Select all that apply")
    submit = Submit("Save roles")


class PeopleSearchForm(Form):
    class Meta:
        csrf = False

    q = Text("Search by name, email or organisation", max_length(100, "Search"))
    role = Radios("Role", [("", "Any role")] + [(r.value, r.label) for r in Role], default="")
    status = Radios(
        "Show",
        [("", "Everyone"), ("pending", "Waiting for approval"), ("new", "Registered in the last 30 days"), ("unconfirmed", "Email not confirmed"), ("deactivated", "Deactivated"), ("wants_champion", "Asked to be a champion")],
        default="",
    )



class DomainForm(Form):
    domain = Text(
        "Email domain",
        required("Enter the email domain, for example council.gov.uk"),
        max_length(253, "The email domain"),
        description="The part of the email address after the @, for example council.gov.uk. Only addresses exactly on this domain are approved.",
    )
    description = Text("Whose domain is it?", required("Say whose domain it is, for example Our council's staff"), max_length(120, "Whose domain it is"))
    submit = Submit("Add domain")

    def validate_domain(self, field):
        import re

        value = (field.data or "").strip().lower().lstrip("@").rstrip(".")
        if not re.fullmatch(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", value):
            raise ValidationError("Enter a domain like council.gov.uk: letters, numbers, dots and hyphens, no @ and no spaces")
        if value in PUBLIC_EMAIL_DOMAINS:
            raise ValidationError(f"{value} is a public email service anyone can sign up to, so it cannot be trusted")


# Free email services: anyone can have an address there, so none can be a trusted domain.
PUBLIC_EMAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com", "live.co.uk", "msn.com",
    "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "protonmail.com", "proton.me", "gmx.com", "mail.com",
    "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "ymail.com",
})
