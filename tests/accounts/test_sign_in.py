"""Signing in: same answer for every failure, lockout, second factor, sessions that really end."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from cpevents.accounts import services
from cpevents.accounts.models import FailedSignIn, RecoveryCode, User, UserSession
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from tests.factories import PASSWORD, csrf_from, make_user, next_code, post_form, sign_in


def _fail(client, email, password="wrong password entirely"):
    return post_form(client, "/sign-in", {"email": email, "password": password})


def _error_text(response):
    html = response.get_data(as_text=True)
    return html.split('class="govuk-error-message">', 1)[1].split("</p>", 1)[0]


def test_unknown_email_and_wrong_password_get_the_same_answer(client):
    user = make_user(Role.NOMINATOR)
    wrong_password = _fail(client, user.email)
    unknown = _fail(client, "nobody@example.org")
    assert wrong_password.status_code == unknown.status_code == 400
    assert _error_text(wrong_password) == _error_text(unknown)
    assert "not right" in _error_text(unknown)


def test_unknown_email_costs_a_full_password_check(client, monkeypatch):
    """Equal timing: an argon2 verification runs whether or not the account exists."""
    calls = []
    real = services.verify_password

    def spy(hash_, password):
        calls.append(hash_)
        return real(hash_, password)

    monkeypatch.setattr(services, "verify_password", spy)
    _fail(client, "nobody@example.org")
    assert len(calls) == 1


def test_password_is_stored_as_argon2id(client):
    user = make_user(Role.NOMINATOR)
    assert user.password_hash.startswith("$argon2id$")


def test_lockout_after_six_failures_with_email_to_owner(client, smtp_sink):
    user = make_user(Role.NOMINATOR)
    for _ in range(6):
        assert _fail(client, user.email).status_code == 400
    locked = _fail(client, user.email, PASSWORD)  # the right password no longer works
    assert locked.status_code == 400
    assert _error_text(locked) == _error_text(_fail(client, "nobody@example.org"))
    emails = smtp_sink.wait_for(user.email)
    assert len(emails) == 1 and emails[0]["subject"] == "Someone has tried to sign in to your account"
    # after 15 minutes the account opens again
    db.session.execute(update(FailedSignIn).where(FailedSignIn.user_id == user.id).values(at=utcnow() - timedelta(minutes=16)))
    db.session.commit()
    assert sign_in(client, user).headers["Location"] == "/home"


def test_successful_sign_in_clears_failures(client):
    user = make_user(Role.NOMINATOR)
    for _ in range(5):
        _fail(client, user.email)
    sign_in(client, user)
    assert db.session.execute(select(FailedSignIn).where(FailedSignIn.user_id == user.id)).first() is None


def test_unverified_account_is_asked_to_confirm_email(client, smtp_sink):
    user = make_user(Role.NOMINATOR, verified=False)
    response = post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/confirm-your-email"
    assert client.get("/home").status_code == 302  # not signed in
    page = client.get("/confirm-your-email")
    assert "Confirm your email address first" in page.get_data(as_text=True)
    client.post("/confirm-your-email", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert smtp_sink.wait_for(user.email)[0]["subject"] == "Confirm your email address"


def test_deactivated_account_cannot_sign_in(client):
    user = make_user(Role.NOMINATOR, active=False)
    assert _fail(client, user.email, PASSWORD).status_code == 400


def test_second_factor_required_for_organiser_without_one(client):
    user = make_user(Role.ORGANISER)
    response = post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/sign-in/set-up-authenticator"
    assert client.get("/organiser").status_code == 302  # not signed in until the factor is set up
    page = client.get("/sign-in/set-up-authenticator")
    html = page.get_data(as_text=True)
    assert "data:image/svg+xml" in html  # QR code
    secret = html.split('id="setup-key">', 1)[1].split("<", 1)[0].replace(" ", "")
    bad = client.post("/sign-in/set-up-authenticator", data={"csrf_token": csrf_from(html), "code": "000000"})
    assert bad.status_code == 400 and "The code is not right" in bad.get_data(as_text=True)
    import pyotp

    good = client.post("/sign-in/set-up-authenticator", data={"csrf_token": csrf_from(html), "code": pyotp.TOTP(secret).now()})
    assert good.headers["Location"] == "/account/recovery-codes"
    codes_page = client.get("/account/recovery-codes").get_data(as_text=True)
    assert codes_page.count("<li>") >= 10
    assert client.get("/organiser").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).has_second_factor


def test_board_member_also_needs_a_second_factor(client):
    user = make_user(Role.BOARD)
    response = post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/sign-in/set-up-authenticator"


def test_nominator_is_offered_but_not_forced_a_second_factor(client):
    user = make_user(Role.NOMINATOR)
    assert sign_in(client, user).headers["Location"] == "/home"
    assert "Set up an authenticator app" in client.get("/account").get_data(as_text=True)


def test_wrong_code_is_refused_and_counts_towards_lockout(client):
    user = make_user(Role.ORGANISER, totp=True)
    post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    response = post_form(client, "/sign-in/code", {"code": "123456" if next_code(user) != "123456" else "654321"})
    assert response.status_code == 400
    assert db.session.execute(select(FailedSignIn).where(FailedSignIn.user_id == user.id)).first() is not None


def test_code_must_be_six_digits(client):
    user = make_user(Role.ORGANISER, totp=True)
    post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    response = post_form(client, "/sign-in/code", {"code": "12ab"})
    assert response.status_code == 400 and "must be 6 numbers" in response.get_data(as_text=True)


def test_a_code_cannot_be_used_twice(client, app):
    user = make_user(Role.ORGANISER, totp=True)
    code = next_code(user)
    sign_in(client, user)
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/account").get_data(as_text=True))})
    post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    replay = post_form(client, "/sign-in/code", {"code": code})
    assert replay.status_code == 400


def test_recovery_code_works_once(client):
    user = make_user(Role.ORGANISER, totp=True)
    codes = services.new_recovery_codes(user)
    db.session.commit()
    post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    response = post_form(client, "/sign-in/recovery-code", {"code": codes[0].upper()})
    assert response.headers["Location"] == "/home"
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/account").get_data(as_text=True))})
    post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    again = post_form(client, "/sign-in/recovery-code", {"code": codes[0]})
    assert again.status_code == 400
    assert db.session.execute(select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_not(None))).scalars().all()


def test_session_rotates_on_sign_in(client):
    user = make_user(Role.NOMINATOR)
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        first = session["_user_id"]
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/account").get_data(as_text=True))})
    sign_in(client, user)
    with client.session_transaction() as session:
        assert session["_user_id"] != first


def test_sign_out_really_ends_the_session(client, app):
    user = make_user(Role.NOMINATOR)
    sign_in(client, user)
    stolen = client.get_cookie("cpevents_session").value
    response = client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/account").get_data(as_text=True))})
    assert response.headers["Location"] == "/signed-out"
    other = app.test_client()
    other.set_cookie("cpevents_session", stolen)
    assert other.get("/nominator").status_code == 302  # the copied cookie no longer works


def test_session_ends_after_30_minutes_idle(client):
    user = make_user(Role.NOMINATOR)
    sign_in(client, user)
    assert client.get("/nominator").status_code == 200
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    assert client.get("/nominator").status_code == 302


def test_deactivation_ends_all_sessions(client):
    user = make_user(Role.NOMINATOR)
    sign_in(client, user)
    organiser = make_user(Role.ORGANISER)
    services.deactivate_user(db.session.get(User, user.id), by=organiser)
    db.session.commit()
    assert client.get("/nominator").status_code == 302


def test_cookie_holds_no_user_id(client):
    user = make_user(Role.NOMINATOR)
    sign_in(client, user)
    with client.session_transaction() as session:
        assert session["_user_id"] != str(user.id) and len(session["_user_id"]) > 30


@pytest.mark.parametrize("data", [{}, {"email": "", "password": ""}, {"email": "x" * 300, "password": "y"}, {"email": "a\x00@example.org", "password": "\x00"}])
def test_sign_in_bad_input_is_400_with_message(client, data):
    response = post_form(client, "/sign-in", data)
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)


def test_search_with_control_characters_is_not_an_error(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    assert client.get("/people?q=%00abc").status_code == 200


def test_passwords_hash_at_the_configured_cost_and_older_costs_still_verify(client, app):
    """Tests hash at TestConfig's cheap argon2 cost; a hash made at the production cost (argon2
    keeps the parameters in the hash) still signs in, and is made again at the configured cost."""
    from argon2 import PasswordHasher, extract_parameters

    from cpevents.config import Config

    user = make_user(Role.NOMINATOR)
    made = extract_parameters(user.password_hash)
    assert (made.time_cost, made.memory_cost, made.parallelism) == (
        app.config["PASSWORD_HASH_TIME_COST"], app.config["PASSWORD_HASH_MEMORY_COST"], app.config["PASSWORD_HASH_PARALLELISM"])

    production = PasswordHasher(time_cost=Config.PASSWORD_HASH_TIME_COST, memory_cost=Config.PASSWORD_HASH_MEMORY_COST,
                                parallelism=Config.PASSWORD_HASH_PARALLELISM)
    user.password_hash = production.hash(PASSWORD)
    db.session.commit()
    sign_in(client, user)
    db.session.refresh(user)
    assert extract_parameters(user.password_hash) == made
