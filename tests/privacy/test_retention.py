"""The retention schedule: one list, periods from configuration, shown to organisers and in the
privacy notice from the same source."""

from __future__ import annotations

from cpevents.core.enums import Role
from cpevents.privacy.retention import RULES, SCHEDULE, retention_schedule
from tests.factories import make_user, sign_in

DEFAULTS = {
    "RETENTION_INVITATION_DETAILS_DAYS": 92,
    "RETENTION_REGISTRATIONS_DAYS": 183,
    "RETENTION_NOMINATION_TEXT_DAYS": 730,
    "RETENTION_ACHIEVEMENTS_UNTIL_AGE": 26,
    "RETENTION_DEACTIVATED_ACCOUNTS_DAYS": 730,
    "RETENTION_OUTBOX_BODIES_DAYS": 90,
}


def test_the_schedule_has_the_agreed_defaults_under_the_agreed_setting_names(app):
    by_setting = {rule.config_name: rule for rule in SCHEDULE if rule.config_name}
    for name, default in DEFAULTS.items():
        assert app.config[name] == default
        assert by_setting[name].default == default and by_setting[name].limit == default
    assert RULES["invitation_details"].period_words == "92 days after the event"
    assert RULES["achievements"].period_words == "Until the young person turns 26"
    assert not RULES["feedback"].purged and RULES["feedback"].period_words == "Kept"
    assert retention_schedule() is SCHEDULE
    for rule in SCHEDULE:
        assert rule.what and rule.happens and rule.why, rule.key


def test_a_setting_changes_the_period(app, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_BODIES_DAYS", 30)
    assert RULES["outbox_bodies"].period_words == "30 days after sending"


def test_organisers_see_the_schedule_and_the_home_page_links_to_it(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    html = client.get("/organiser/retention").get_data(as_text=True)
    assert "What we keep and for how long" in html
    for rule in SCHEDULE:
        assert rule.why.replace("'", "&#39;")[:40] in html, rule.key
    assert "92 days after the event" in html and "Until the young person turns 26" in html
    assert 'href="/organiser/retention"' in client.get("/organiser").get_data(as_text=True)


def test_nobody_else_sees_the_schedule_page(app):
    for role in (Role.NOMINATOR, Role.JUDGE, Role.CHAMPION, Role.BOARD, Role.DOOR_HELPER):
        client = app.test_client()
        sign_in(client, make_user(role, totp=role == Role.BOARD))
        assert client.get("/organiser/retention").status_code == 403, role
    assert app.test_client().get("/organiser/retention").status_code in (302, 404)  # a stranger: sign in first


def test_the_privacy_notice_shows_the_same_table_from_the_same_settings(client, app, monkeypatch):
    html = client.get("/privacy").get_data(as_text=True)
    assert "What we keep and for how long" in html and "183 days after the event" in html
    assert "one year after the event" not in html  # the old hard-coded promise is gone
    monkeypatch.setitem(app.config, "RETENTION_REGISTRATIONS_DAYS", 200)
    assert "200 days after the event" in client.get("/privacy").get_data(as_text=True)
