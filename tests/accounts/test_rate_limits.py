"""Sign-in is limited per client address and per account.

An office behind one shared address must not be locked out by one person (or by many people
signing in at 9 o'clock), so the address limit is high; guessing one account's password is
limited per account whichever addresses the tries come from. The account is keyed by an HMAC of
the email typed, never the address itself.
"""

import pytest

from cpevents.config import Config, ProductionConfig
from cpevents.core.enums import Role
from cpevents.extensions import limiter
from tests.factories import PASSWORD, csrf_from, make_user


def _post(client, token, email, address, password="wrong password entirely"):
    return client.post("/sign-in", data={"csrf_token": token, "email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def _token(client, address="127.0.0.1"):
    return csrf_from(client.get("/sign-in", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))


def test_default_limits_are_higher_per_address_than_per_account():
    assert Config.RATELIMIT_SIGN_IN == "30 per minute;300 per hour"
    assert Config.RATELIMIT_SIGN_IN_ACCOUNT == "10 per minute;60 per hour"


def test_many_people_behind_one_address_are_not_stopped_at_eleven(client):
    token = _token(client, "10.1.1.1")
    statuses = [_post(client, token, f"colleague{i}@council.example.org", "10.1.1.1").status_code for i in range(15)]
    assert statuses == [400] * 15  # wrong passwords, none refused for too many tries
    someone = make_user(Role.NOMINATOR)
    assert _post(client, token, someone.email, "10.1.1.1", password=PASSWORD).status_code == 302


def test_one_account_tried_from_many_addresses_is_stopped_after_ten(client):
    user = make_user(Role.NOMINATOR)
    token = _token(client)
    statuses = [_post(client, token, user.email if i % 2 else user.email.upper(), f"10.2.0.{i}").status_code for i in range(12)]
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]
    # A different account from the same addresses is not affected.
    assert _post(client, token, "someone.else@example.org", "10.2.0.11").status_code == 400


def test_one_address_is_still_limited(client):
    token = _token(client, "10.3.3.3")
    statuses = [_post(client, token, f"nobody{i}@example.org", "10.3.3.3").status_code for i in range(31)]
    assert statuses[:30] == [400] * 30 and statuses[30] == 429


def test_code_pages_are_limited_per_account_too(client, app, monkeypatch):
    """Six wrong codes lock the account anyway; with a lower limit, the limit is seen first."""
    monkeypatch.setitem(app.config, "RATELIMIT_SIGN_IN_ACCOUNT", "3 per minute")
    user = make_user(Role.ORGANISER, totp=True)
    _post(client, _token(client), user.email, "10.4.0.1", password=PASSWORD)
    token = csrf_from(client.get("/sign-in/code").get_data(as_text=True))
    statuses = [client.post("/sign-in/recovery-code", data={"csrf_token": token, "code": "aaaaa-bbbbb"}, environ_base={"REMOTE_ADDR": f"10.4.1.{i}"}).status_code
                for i in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_the_limiter_never_keeps_an_email_address_as_a_key(client):
    token = _token(client)
    _post(client, token, "Private.Person@Example.org", "10.5.0.1")
    keys = " ".join(str(k) for k in limiter.storage.storage).lower()  # the in-memory store in tests
    assert "account:" in keys
    assert "private.person" not in keys and "example.org" not in keys


@pytest.mark.parametrize("storage", ["", "memory://", "memcached://127.0.0.1:11211"])
def test_production_refuses_to_start_with_limits_in_each_worker_memory(database_url, storage):
    from cpevents import create_app
    from tests.core.test_config import GOOD

    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI must be a shared store in production") as error:
        create_app(ProductionConfig, {**GOOD, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": storage})
    assert "\n" not in str(error.value)


def test_production_starts_with_limits_in_redis(database_url):
    from cpevents import create_app
    from tests.core.test_config import GOOD

    app = create_app(ProductionConfig, {**GOOD, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"})
    assert app.config["ENV_NAME"] == "production"
