"""Organisers invite, search, change roles and deactivate. Nobody is ever deleted."""

import json

import pytest
from sqlalchemy import func, select

from cpevents.accounts.models import User, user_by_email
from cpevents.core.enums import Role
from cpevents.extensions import db
from tests.factories import csrf_from, make_user, post_form, queries_for, sign_in


def _organiser(client):
    organiser = make_user(Role.ORGANISER, totp=True, name="Olu Organiser")
    sign_in(client, organiser)
    return organiser


def test_organiser_invites_a_judge_who_sets_a_password(client, app, smtp_sink):
    _organiser(client)
    response = post_form(client, "/people/invite", {"name": "Jo Judge", "email": "jo@example.org", "roles": ["judge"]})
    judge = user_by_email("jo@example.org")
    assert response.headers["Location"] == f"/people/{judge.public_id}"
    assert judge.roles == {Role.JUDGE} and judge.password_hash is None
    email = smtp_sink.wait_for("jo@example.org")[0]
    assert email["subject"] == "You have been invited to an account"
    assert "Olu Organiser has invited you" in smtp_sink.text(email)
    link = smtp_sink.link(email)
    judge_client = app.test_client()
    page = judge_client.get(link)
    assert "Set your password" in page.get_data(as_text=True)
    judge_client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True)), "password": "orchard violin pebble", "confirm": "orchard violin pebble"})
    db.session.expire_all()
    judge = db.session.get(User, judge.id)
    assert judge.is_verified
    assert sign_in(judge_client, judge, "orchard violin pebble").headers["Location"] == "/home"
    assert judge_client.get("/judge").status_code == 200


def test_invite_errors_keep_what_was_typed(client):
    _organiser(client)
    make_user(Role.NOMINATOR, email="exists@example.org")
    response = post_form(client, "/people/invite", {"name": "Someone New", "email": "exists@example.org", "roles": ["judge"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "already an account" in html and 'value="Someone New"' in html
    empty = post_form(client, "/people/invite", {})
    assert empty.status_code == 400 and "Select at least one role" in empty.get_data(as_text=True)


def test_organiser_changes_roles(client):
    _organiser(client)
    person = make_user(Role.NOMINATOR)
    path = f"/people/{person.public_id}/roles"
    response = post_form(client, path, {"roles": ["nominator", "champion"]}, get_path=f"/people/{person.public_id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, person.id).roles == {Role.NOMINATOR, Role.CHAMPION}
    none = post_form(client, path, {}, get_path=f"/people/{person.public_id}")
    assert none.status_code == 400 and "Select at least one role" in none.get_data(as_text=True)


def test_organiser_cannot_remove_own_organiser_role_or_deactivate_self(client):
    organiser = _organiser(client)
    path = f"/people/{organiser.public_id}"
    response = post_form(client, path + "/roles", {"roles": ["judge"]}, get_path=path)
    assert response.status_code == 400 and "cannot remove your own organiser role" in response.get_data(as_text=True)
    post_form(client, path + "/deactivate", {}, get_path=path)
    db.session.expire_all()
    assert db.session.get(User, organiser.id).is_active


def test_deactivate_and_reactivate_keep_the_person(client):
    _organiser(client)
    person = make_user(Role.NOMINATOR)
    path = f"/people/{person.public_id}"
    post_form(client, path + "/deactivate", {}, get_path=path)
    db.session.expire_all()
    assert not db.session.get(User, person.id).is_active
    post_form(client, path + "/reactivate", {}, get_path=path)
    db.session.expire_all()
    assert db.session.get(User, person.id).is_active
    assert db.session.execute(select(func.count()).select_from(User).where(User.id == person.id)).scalar_one() == 1


# Routes that delete something that is not a person: a nominator's own draft, never sent.
DELETES_NO_ONE = {"nominations.delete"}


def test_no_route_deletes_people(app):
    for rule in app.url_map.iter_rules():
        assert "DELETE" not in rule.methods
        assert "delete" not in rule.rule or rule.endpoint in DELETES_NO_ONE, rule.rule


def test_search_and_filters(client):
    _organiser(client)
    make_user(Role.JUDGE, name="Zara Quinn", email="zq@example.org")
    make_user(Role.NOMINATOR, name="Ada Lovelace", wants_champion=True)
    html = client.get("/people?q=quinn").get_data(as_text=True)
    assert "Zara Quinn" in html and "Ada Lovelace" not in html
    html = client.get("/people?role=judge").get_data(as_text=True)
    assert "Zara Quinn" in html and "Ada Lovelace" not in html
    html = client.get("/people?status=wants_champion").get_data(as_text=True)
    assert "Ada Lovelace" in html and "Zara Quinn" not in html
    assert client.get("/people?role=emperor").status_code == 400


def test_organiser_home_lists_new_registrations(client):
    _organiser(client)
    make_user(Role.NOMINATOR, name="Recent Registrant")
    assert "Recent Registrant" in client.get("/organiser").get_data(as_text=True)


def test_people_page_query_count_does_not_grow_with_rows(client):
    _organiser(client)
    counts = []
    for batch in (3, 30):
        for _ in range(batch):
            make_user(Role.NOMINATOR)
        counts.append(queries_for(client, "/people"))
    assert counts[0] == counts[1], counts


def test_cli_create_organiser_sends_set_password_email(app, smtp_sink):
    result = app.test_cli_runner().invoke(args=["users", "create-organiser", "first@example.org", "--name", "First Organiser"])
    assert result.exit_code == 0, result.output
    user = user_by_email("first@example.org")
    assert user.roles == {Role.ORGANISER}
    assert smtp_sink.wait_for("first@example.org")[0]["subject"] == "You have been invited to an account"


def test_cli_create_organiser_rejects_bad_email(app):
    result = app.test_cli_runner().invoke(args=["users", "create-organiser", "not-an-email"])
    assert result.exit_code != 0


def test_seed_demo_is_idempotent_and_prints_json(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--json"])
    second = runner.invoke(args=["seed-demo", "--json"])
    assert first.exit_code == second.exit_code == 0, first.output
    data = json.loads(second.output)
    roles = {r for account in data["accounts"] for r in account["roles"]}
    assert roles == {r.value for r in Role}
    assert sum(a["young_judge"] for a in data["accounts"]) == 1
    assert all({"email", "password", "roles", "totp_secret"} <= set(a) for a in data["accounts"])
    assert db.session.execute(select(func.count()).select_from(User).where(User.is_demo, User.password_hash.is_not(None))).scalar_one() == len(data["accounts"])
    assert 110 <= data["nominations"] <= 140


def test_demo_code_only_for_demo_accounts(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    ok = runner.invoke(args=["users", "demo-code", "organiser@demo.example.org"])
    assert ok.exit_code == 0 and ok.output.strip().isdigit() and len(ok.output.strip()) == 6
    real = make_user(Role.ORGANISER, totp=True)
    refused = runner.invoke(args=["users", "demo-code", real.email])
    assert refused.exit_code != 0 and "not a demo account" in refused.output


def test_demo_accounts_can_all_sign_in(app, client):
    import pyotp

    data = json.loads(app.test_cli_runner().invoke(args=["seed-demo", "--json"]).output)
    for account in data["accounts"]:
        c = app.test_client()
        response = post_form(c, "/sign-in", {"email": account["email"], "password": account["password"]})
        if account["totp_secret"]:
            assert response.headers["Location"] == "/sign-in/code"
            response = post_form(c, "/sign-in/code", {"code": pyotp.TOTP(account["totp_secret"]).now()})
        assert response.headers["Location"] == "/home", account["email"]
        home = c.get("/home")
        assert c.get(home.headers["Location"]).status_code == 200


def test_seed_demo_refuses_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "never loaded in production" in result.output


@pytest.mark.parametrize("env_name", ["production", "staging", ""])
def test_demo_commands_work_only_in_development_and_test(app, monkeypatch, env_name):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])  # as the test environment: allowed
    monkeypatch.setitem(app.config, "ENV_NAME", env_name)
    seeded = runner.invoke(args=["seed-demo"])
    assert seeded.exit_code != 0 and "only for CPEVENTS_ENV=development or test" in seeded.output
    code = runner.invoke(args=["users", "demo-code", "organiser@demo.example.org"])
    assert code.exit_code != 0 and "only for CPEVENTS_ENV=development or test" in code.output
    assert not code.output.strip().isdigit()


def test_demo_commands_refuse_when_the_server_says_production(app, monkeypatch):
    """An app built from the test settings inside a production environment still refuses."""
    monkeypatch.setenv("CPEVENTS_ENV", "production")
    result = app.test_cli_runner().invoke(args=["users", "demo-code", "organiser@demo.example.org"])
    assert result.exit_code != 0 and "never in production" in result.output


def test_long_lists_are_paged_and_keep_their_filters(client):
    _organiser(client)
    for i in range(51):
        make_user(Role.JUDGE, name=f"Paged Judge {i}")
    first = client.get("/people?role=judge").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'href="/people?role=judge&amp;page=2"' in first
    second = client.get("/people?role=judge&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and 'rel="prev"' in second and 'rel="next"' not in second
    assert "Page 1 of 2" in client.get("/people?role=judge&page=nonsense").get_data(as_text=True)
