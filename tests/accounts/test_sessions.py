"""Which sessions end when a person changes how they sign in.

Changing the password (signed in) keeps this session and ends every other; resetting it with an
emailed link (not signed in) ends them all. Turning the second factor on and making new recovery
codes end every other session too; turning the second factor off does not.
"""

import re

import pyotp

from cpevents.accounts import services
from cpevents.core.enums import Role
from cpevents.extensions import db
from tests.factories import PASSWORD, csrf_from, make_user, next_code, post_form, sign_in

NEW_PASSWORD = "violet harbour compass kettle"


def _signed_in_twice(app, user):
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, user)
    if user.has_second_factor:  # the same code is never accepted twice: the next one (30 s of drift is allowed)
        post_form(elsewhere, "/sign-in", {"email": user.email, "password": PASSWORD})
        assert post_form(elsewhere, "/sign-in/code", {"code": next_code(user, 1)}).status_code == 302
    else:
        sign_in(elsewhere, user)
    assert here.get("/account").status_code == 200 and elsewhere.get("/account").status_code == 200
    return here, elsewhere


def _still_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_changing_the_password_keeps_this_session_and_ends_the_others(app):
    user = make_user(Role.NOMINATOR)
    here, elsewhere = _signed_in_twice(app, user)
    response = post_form(here, "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _still_signed_in(here)
    assert not _still_signed_in(elsewhere)


def test_a_wrong_current_password_ends_nothing(app):
    user = make_user(Role.NOMINATOR)
    here, elsewhere = _signed_in_twice(app, user)
    response = post_form(here, "/account/password", {"current": "not the password at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert _still_signed_in(here) and _still_signed_in(elsewhere)


def test_resetting_the_password_ends_every_session(app, smtp_sink):
    user = make_user(Role.NOMINATOR)
    here, elsewhere = _signed_in_twice(app, user)
    visitor = app.test_client()
    post_form(visitor, "/forgot-password", {"email": user.email})
    link = smtp_sink.link(smtp_sink.wait_for(user.email)[-1])
    response = post_form(visitor, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert not _still_signed_in(here) and not _still_signed_in(elsewhere)


def test_turning_on_the_second_factor_ends_the_other_sessions(app):
    user = make_user(Role.NOMINATOR)
    here, elsewhere = _signed_in_twice(app, user)
    html = here.get("/account/two-factor").get_data(as_text=True)
    secret = html.split('id="setup-key">', 1)[1].split("<", 1)[0].replace(" ", "")
    response = here.post("/account/two-factor", data={"csrf_token": csrf_from(html), "code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/account/recovery-codes"
    assert _still_signed_in(here)
    assert not _still_signed_in(elsewhere)


def test_setting_up_the_second_factor_while_signing_in_ends_every_earlier_session(app):
    """An organiser without a second factor (say one signed in before the role was added) sets one
    up while signing in: sessions opened with the password alone end."""
    user = make_user(Role.NOMINATOR)
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    user.set_roles({Role.ORGANISER})
    db.session.commit()
    here = app.test_client()
    post_form(here, "/sign-in", {"email": user.email, "password": PASSWORD})
    html = here.get("/sign-in/set-up-authenticator").get_data(as_text=True)
    secret = html.split('id="setup-key">', 1)[1].split("<", 1)[0].replace(" ", "")
    here.post("/sign-in/set-up-authenticator", data={"csrf_token": csrf_from(html), "code": pyotp.TOTP(secret).now()})
    assert _still_signed_in(here)
    assert not _still_signed_in(elsewhere)


def test_new_recovery_codes_end_the_other_sessions(app):
    user = make_user(Role.ORGANISER, totp=True)
    here, elsewhere = _signed_in_twice(app, user)
    response = post_form(here, "/account/recovery-codes", {}, get_path="/account")
    assert response.headers["Location"] == "/account/recovery-codes"
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", here.get("/account/recovery-codes").get_data(as_text=True))
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert _still_signed_in(here)
    assert not _still_signed_in(elsewhere)


def test_turning_off_the_second_factor_ends_no_session(app):
    user = make_user(Role.NOMINATOR, totp=True)
    here, elsewhere = _signed_in_twice(app, user)
    response = post_form(here, "/account/two-factor/turn-off", {}, get_path="/account")
    assert response.status_code == 302
    db.session.refresh(user)
    assert not user.has_second_factor
    assert _still_signed_in(here) and _still_signed_in(elsewhere)
