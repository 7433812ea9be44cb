"""cpevents.core.views.form_page: the form page skeleton most views share."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from cpevents.core import views
from cpevents.core.views import Done, form_page


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(validators=[DataRequired()])


class Refused(Exception):
    pass


@pytest.fixture
def rendered(monkeypatch):
    seen = []

    def fake_render(template, **context):
        seen.append((template, context))
        return "page"

    monkeypatch.setattr(views, "render_template", fake_render)
    return seen


@pytest.fixture
def commits(monkeypatch):
    count = []
    monkeypatch.setattr(views.db.session, "commit", lambda: count.append(1))
    return count


def _never():
    raise AssertionError("on_valid must not be called")


def test_get_shows_the_form_with_its_context(app, rendered, commits):
    with app.test_request_context("/x"):
        form = NameForm()
        assert form_page(form, "t.html", _never, thing=1) == "page"
    assert rendered == [("t.html", {"form": form, "thing": 1})]
    assert not commits


def test_a_post_that_does_not_validate_is_shown_again_with_400(app, rendered, commits):
    with app.test_request_context("/x", method="POST", data={"name": ""}):
        assert form_page(NameForm(), "t.html", _never) == ("page", 400)
    assert not commits


def test_a_valid_post_commits_flashes_and_redirects(app, rendered, commits):
    with app.test_request_context("/x", method="POST", data={"name": "Sam"}):
        form = NameForm()
        response = form_page(form, "t.html", lambda: Done("/next", f"Saved {form.name.data}."))
        assert response.status_code == 302 and response.location == "/next"
        assert get_flashed_messages(with_categories=True) == [("success", "Saved Sam.")]
    assert commits == [1] and not rendered


def test_no_flash_for_an_empty_message(app, rendered, commits):
    with app.test_request_context("/x", method="POST", data={"name": "Sam"}):
        response = form_page(NameForm(), "t.html", lambda: Done("/next"))
        assert response.status_code == 302
        assert get_flashed_messages() == []


def test_a_refusal_goes_on_the_field_and_nothing_is_committed(app, rendered, commits):
    def refuse():
        raise Refused("Not that name")

    with app.test_request_context("/x", method="POST", data={"name": "Sam"}):
        form = NameForm()
        assert form_page(form, "t.html", refuse, fails=(Refused,), error_field="name") == ("page", 400)
        assert form.name.errors == ["Not that name"]
    assert not commits


def test_other_exceptions_are_not_caught(app, rendered, commits):
    def broken():
        raise KeyError("x")

    with app.test_request_context("/x", method="POST", data={"name": "Sam"}), pytest.raises(KeyError):
        form_page(NameForm(), "t.html", broken, fails=(Refused,), error_field="name")
    assert not commits
