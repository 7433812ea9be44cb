"""Only organisers close events and read feedback; the board sees totals, never what anyone wrote."""

from __future__ import annotations

import pytest

from cpevents.core.enums import Role
from tests.factories import csrf_from, make_user, sign_in
from tests.feedback.helpers import closed_event, past_event


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.JUDGE, Role.CHAMPION, Role.BOARD, Role.DOOR_HELPER])
def test_other_roles_cannot_close_events_or_read_feedback(client, role):
    event, organiser, _, _ = past_event(replied=1)
    closed, _, _, _ = closed_event(replied=1)
    sign_in(client, make_user(role, totp=role in {Role.BOARD}))
    token = csrf_from(client.get("/account").get_data(as_text=True))
    for path in (f"/events/{event.public_id}/close", f"/events/{closed.public_id}/feedback", f"/events/{closed.public_id}/feedback/letters"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/events/{event.public_id}/close", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/events/{closed.public_id}/feedback/letters", data={"csrf_token": token}).status_code == 403
    assert not event.is_closed


def test_unknown_event_is_404_for_organisers(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    assert client.get("/events/00000000-0000-0000-0000-000000000000/feedback").status_code == 404
    assert client.get("/events/1/close").status_code == 404


def test_printed_letters_carry_a_working_link_and_a_qr_code(client, app):
    event, organiser, replied, _ = closed_event(replied=1, no_email=2)
    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}/feedback").get_data(as_text=True)
    assert "2 young people have no email address" in page
    start = client.get(f"/events/{event.public_id}/feedback/letters")
    response = client.post(f"/events/{event.public_id}/feedback/letters", data={"csrf_token": csrf_from(start.get_data(as_text=True))})
    assert response.status_code == 200 and response.headers["Referrer-Policy"] == "no-referrer"
    html = response.get_data(as_text=True)
    assert html.count('<article class="letter">') == 2 and "<svg" in html and "QR code for your feedback link" in html
    import re

    path = "/f/" + re.search(r"/f/([A-Za-z0-9_\-]+)", html).group(1)
    young = app.test_client()
    assert young.get(path).status_code == 302 and young.get("/feedback").status_code == 200
