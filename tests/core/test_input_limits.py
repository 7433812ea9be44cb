"""Bad input (issue 13, item 7): every text box has a limit, matching its database column, and
says it; over-long input gets an error beside the box and keeps what was typed."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import SimpleNamespace

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField

import cpevents
from cpevents.core.enums import Role
from cpevents.core.forms import SAY_LIMIT_FROM, EmailAddress, length_limit
from cpevents.extensions import db
from cpevents.nominations.models import Nomination
from tests.factories import make_user, post_form, sign_in
from tests.nominations.test_journey import _start, open_event


def _forms_modules():
    for info in pkgutil.walk_packages(cpevents.__path__, "cpevents."):
        if info.name.rsplit(".", 1)[-1].endswith("forms"):
            yield importlib.import_module(info.name)


def every_form():
    """An instance of every form in the app: each FlaskForm subclass in every forms module, and
    the forms built by a function (guests up to the allowance, a judge's scores)."""
    from cpevents.invitations.forms import guests_form, on_behalf_form
    from cpevents.invitations.models import MAX_GUESTS
    from cpevents.judging.forms import score_form

    found = []
    for module in _forms_modules():
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and issubclass(cls, FlaskForm) and cls.__module__ == module.__name__:
                found.append((f"{module.__name__}.{name}", cls(formdata=None)))
    criterion = SimpleNamespace(public_id="0b3c2f5e-0000-4000-8000-000000000001", name="Effort", weight=1)
    found += [
        ("invitations guests_form", guests_form(MAX_GUESTS, formdata=None)),
        ("invitations on_behalf_form", on_behalf_form(MAX_GUESTS, formdata=None)),
        ("judging score_form", score_form([criterion], data={})),
    ]
    assert len(found) > 50, "the walk found too few forms: did a forms module move?"
    return found


def text_fields(form):
    """Fields a person types into. Hidden fields carry values the page put there, each checked
    against what it must be (a record's id, the second-factor secret)."""
    return [f for f in form if isinstance(f, StringField) and not isinstance(f, (HiddenField, CSRFTokenField))]


def test_every_text_field_has_a_maximum_length(ctx):
    missing = [f"{where}.{field.name}" for where, form in every_form() for field in text_fields(form) if length_limit(field) is None]
    assert not missing, f"text fields with no Length(max=...): {missing}"


def test_text_areas_and_boxes_for_a_phrase_say_their_limit(ctx):
    silent = []
    for where, form in every_form():
        for field in text_fields(form):
            limit = length_limit(field)
            says = f"You can enter up to {limit:,} characters" in str(field())
            if isinstance(field, TextAreaField) and field.name != "achievement" and not says:
                silent.append(f"{where}.{field.name}")  # the achievement says its 500 words instead
            a_phrase = limit >= SAY_LIMIT_FROM and not isinstance(field, PasswordField) and not any(isinstance(v, EmailAddress) for v in field.validators)
            if not isinstance(field, TextAreaField) and a_phrase and not says:
                silent.append(f"{where}.{field.name}")
    assert not silent, f"fields that do not say their limit: {silent}"


def test_names_and_email_boxes_do_not_carry_a_limit_hint(ctx):
    from cpevents.accounts.forms import RegisterForm
    from cpevents.invitations.forms import NeedsForm

    form = RegisterForm(formdata=None)
    assert "You can enter up to" not in str(form.name()) + str(form.email())
    assert "You can enter up to 300 characters." in str(NeedsForm(formdata=None).access_other())


@pytest.fixture
def nominator_client(client):
    sign_in(client, make_user(Role.NOMINATOR, name="Nadia Worker"))
    return client


def test_a_400000_character_achievement_is_refused_beside_the_field_and_kept(nominator_client):
    event = open_event()
    nomination = _start(nominator_client, event)
    typed = "Brilliant" + "a" * 399_991
    response = post_form(nominator_client, f"/nominations/{nomination.public_id}/achievement", {"achievement": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    message = "What they achieved must be 10,000 characters or fewer"
    assert 'class="govuk-error-message"' in html and message in html.split('id="achievement-error"', 1)[1][:300]  # beside the box
    assert typed in html  # what was typed is still in the box
    db.session.expire_all()
    assert db.session.execute(select(Nomination.achievement).where(Nomination.id == nomination.id)).scalar_one() == ""
