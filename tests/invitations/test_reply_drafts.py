"""A young person's reply in progress waits on the server, not in the session cookie (which is
signed, not encrypted: whoever holds it can read it). The cookie carries only the draft's id;
the draft goes when the reply is sent, and one left for 2 days is not used and is deleted daily."""

from __future__ import annotations

import base64
from datetime import timedelta

from sqlalchemy import func, select, update

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations.models import InvitationStatus, ReplyDraft
from tests.factories import session_cookie_contents
from tests.invitations.helpers import invited, make_event, open_link, post

SECRET_GUEST = "Zebediah Quarterman"
SECRET_NEED = "Allergic to sesame"


def _drafts() -> int:
    return db.session.execute(select(func.count()).select_from(ReplyDraft)).scalar_one()


def _answer_up_to_check(client):
    assert post(client, "/invitation/can-you-come", {"attending": "yes"}).status_code == 302
    assert post(client, "/invitation/guests", {"guest_count": "1", "guest1_name": SECRET_GUEST, "guest1_age": "adult"}).status_code == 302
    assert post(client, "/invitation/your-needs", {"dietary": ["other"], "dietary_other": SECRET_NEED, "travel_help": "no",
                                                  "name_read": "first_name"}).status_code == 302


def test_guests_and_needs_in_progress_are_not_in_the_cookie(app, client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    _answer_up_to_check(client)
    cookie = session_cookie_contents(app, client)
    raw = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert cookie and SECRET_GUEST not in cookie and SECRET_NEED not in cookie and "Allergic" not in cookie
    payload = raw.lstrip(".").split(".")[0]
    assert "Zebediah" not in base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("latin-1")
    # The answers are on the server, and the check page still shows them.
    assert _drafts() == 1
    check = client.get("/invitation/check-your-answers").get_data(as_text=True)
    assert SECRET_GUEST in check and SECRET_NEED in check
    # Sending the reply deletes the draft.
    assert post(client, "/invitation/check-your-answers", {}).status_code == 302
    assert _drafts() == 0
    db.session.expire_all()
    assert invitation.status == InvitationStatus.COMING and [g.name for g in invitation.guests] == [SECRET_GUEST]
    cookie = session_cookie_contents(app, client)
    assert SECRET_GUEST not in cookie and "draft" not in cookie


def test_another_browser_with_the_same_link_does_not_see_the_draft(app, client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    _answer_up_to_check(client)
    other = app.test_client()
    open_link(other, invitation)
    assert other.get("/invitation/check-your-answers").headers["Location"].endswith("/invitation/can-you-come")
    assert SECRET_GUEST not in other.get("/invitation/guests").get_data(as_text=True)


def test_a_draft_left_for_two_days_is_not_used_and_the_daily_job_deletes_it(app, client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    _answer_up_to_check(client)
    db.session.execute(update(ReplyDraft).values(updated_at=utcnow() - timedelta(days=2, minutes=1)))
    db.session.commit()
    # Not used: the reply starts again.
    assert client.get("/invitation/check-your-answers").headers["Location"].endswith("/invitation/can-you-come")
    assert SECRET_GUEST not in client.get("/invitation/guests").get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["invitations", "remind"])
    assert result.exit_code == 0 and "Replies started and left, deleted: 1." in result.output, result.output
    assert _drafts() == 0


def test_a_fresh_draft_survives_the_daily_job(app, client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    _answer_up_to_check(client)
    app.test_cli_runner().invoke(args=["invitations", "remind"])
    assert _drafts() == 1


def test_removing_the_invitation_removes_its_draft(client):
    from cpevents.invitations import services

    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    _answer_up_to_check(client)
    services.remove_invitation(invitation, by=organiser)
    db.session.commit()
    assert _drafts() == 0
