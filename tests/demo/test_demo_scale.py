"""`flask seed-demo --scale N` (issue 19): N large councils' volume on top of the demo, quickly,
with every row one the app could have written, and the demo accounts still working on top."""

from __future__ import annotations

import json

import pyotp
import pytest
from sqlalchemy import func, select

from cpevents.accounts.models import User
from cpevents.audit.models import AuditEntry
from cpevents.demo_scale import SCALE_DOMAIN, scale_counts
from cpevents.events.models import Event, EventKind
from cpevents.extensions import db
from cpevents.invitations.models import Invitation, InvitationLink, InvitationStatus
from cpevents.mail.models import MessageStatus, OutboxMessage
from cpevents.young_people.models import YoungPerson
from tests.factories import post_form

SCALE = 0.01


def _seed(app, *args: str):
    return app.test_cli_runner().invoke(args=["seed-demo", *args])


def _count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _sign_in_organiser(app, data: dict):
    account = next(a for a in data["accounts"] if a["email"] == "organiser@demo.example.org")
    client = app.test_client()
    response = post_form(client, "/sign-in", {"email": account["email"], "password": account["password"]})
    assert response.headers["Location"] == "/sign-in/code"
    response = post_form(client, "/sign-in/code", {"code": pyotp.TOTP(account["totp_secret"]).now()})
    assert response.headers["Location"] == "/home"
    return client


def test_scale_adds_a_volume_in_proportion_and_the_demo_organiser_pages_still_render(app):
    result = _seed(app, "--json", "--scale", str(SCALE))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    added, expected = data["scale"]["added"], scale_counts(SCALE)
    for table in ("young_people", "achievements", "outbox_messages", "audit_entries"):
        assert added[table] == expected[table], table
    assert added["users"] == expected["accounts"]
    assert 0.8 * expected["nominations"] <= added["nominations"] <= expected["nominations"]
    assert added["invitations"] >= expected["invitations"]
    scale_accounts = select(User.id).where(User.email.like(f"%@{SCALE_DOMAIN}"))
    assert _count(YoungPerson, YoungPerson.created_by_id.in_(scale_accounts)) == expected["young_people"]
    assert _count(AuditEntry) >= expected["audit_entries"]
    # Ten years of events: a PROUD Awards and a Care Leavers' Week each year, all closed but one.
    scale_events = db.session.execute(select(Event).where(Event.name.like("% 20%"), Event.name.not_like("%(demo)%"))).scalars().all()
    assert sum(e.kind == EventKind.PROUD_AWARDS for e in scale_events) == 10
    assert sum(e.kind == EventKind.CARE_LEAVERS_WEEK for e in scale_events) == 10
    # Replies of every status; nothing left for a worker to send; no personal link anyone holds.
    statuses = set(db.session.execute(select(Invitation.status).distinct()).scalars())
    assert statuses == set(InvitationStatus)
    assert _count(OutboxMessage, OutboxMessage.to_address.like(f"%{SCALE_DOMAIN}"), OutboxMessage.status == MessageStatus.QUEUED) == 0
    assert _count(InvitationLink) >= 1
    upcoming = db.session.execute(select(Event).where(Event.public_id == data["scale"]["guest_list_event"])).scalar_one()
    coming = _count(Invitation, Invitation.event_id == upcoming.id, Invitation.status == InvitationStatus.COMING)
    assert coming == min(600, expected["invitations"]) and upcoming.capacity is not None and upcoming.capacity >= coming
    assert _count(User, User.email.like(f"%@{SCALE_DOMAIN}"), User.is_demo.is_(True)) == 0

    client = _sign_in_organiser(app, data)
    proud = db.session.execute(select(Event).where(Event.kind == EventKind.PROUD_AWARDS, Event.name.not_like("%(demo)%"))
                               .order_by(Event.starts_at.desc())).scalars().first()
    big = data["scale"]["guest_list_event"]
    person = db.session.execute(select(YoungPerson).order_by(YoungPerson.id.desc())).scalars().first()
    pages = ["/organiser", "/events", f"/events/{big}", f"/events/{big}/invitations", f"/events/{proud.public_id}/nominations",
             f"/events/{proud.public_id}/judging/ranking", "/young-people", f"/young-people/{person.public_id}", "/reports/objective", "/emails"]
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_scale_is_added_once_and_a_second_run_is_refused_before_anything_changes(app):
    assert _seed(app, "--scale", str(SCALE)).exit_code == 0
    people = _count(YoungPerson)
    again = _seed(app, "--scale", str(SCALE))
    assert again.exit_code != 0 and "already loaded" in again.output
    assert _count(YoungPerson) == people


@pytest.mark.parametrize("scale", ["0", "-1", "101", "lots"])
def test_scale_out_of_range_is_refused_with_a_clear_message(app, scale):
    result = _seed(app, "--scale", scale)
    assert result.exit_code != 0
    assert "--scale" in result.output or "'--scale'" in result.output
    assert _count(User, User.email.like(f"%@{SCALE_DOMAIN}")) == 0


def test_scale_is_refused_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = _seed(app, "--scale", str(SCALE))
    assert result.exit_code != 0 and "never loaded in production" in result.output
    assert _count(User, User.email.like(f"%@{SCALE_DOMAIN}")) == 0


def test_daily_jobs_run_over_the_scale_data(app):
    """Ten years of data, as if the retention purge had never run: the purge finds plenty due and
    deals with all of it, and the reminders job reads the upcoming event without error."""
    assert _seed(app, "--scale", str(SCALE)).exit_code == 0
    runner = app.test_cli_runner()
    first = runner.invoke(args=["privacy", "purge"])
    assert first.exit_code == 0, first.output
    assert int(first.output.strip().splitlines()[-1].removeprefix("Total: ").rstrip(".")) > 0
    second = runner.invoke(args=["privacy", "purge"])
    assert second.exit_code == 0 and second.output.strip().endswith("Total: 0."), second.output
    remind = runner.invoke(args=["invitations", "remind"])
    assert remind.exit_code == 0, remind.output
