"""Taps made on a phone without signal and sent later (issue 18): /door/events/<id>/taps records
each tap once by its id, keeps the earliest check-in time, refuses in plain words per tap (or the
whole request, for the wrong person, day or a closed event), answers bad JSON with a 400 and a
message, never a 500, and wants the CSRF token in a header. Also: the service worker, the manifest
and the header the worker files the page by, and the sign-out that clears the phone."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.door.models import DoorTap
from cpevents.door.taps import forget_old_taps
from cpevents.extensions import db
from cpevents.invitations.models import Guest, InvitationStatus
from tests.door.helpers import coming, door_event, door_helper
from tests.door.test_registered_at_door import _event_with_councillors, _registered
from tests.factories import csrf_from, make_user, sign_in


@pytest.fixture
def tonight():
    return door_event()


def _ms(when) -> int:
    return int(when.timestamp() * 1000)


def _tap(kind: str, target, at=None, **extra) -> dict:
    return {"id": str(uuid.uuid4()), "kind": kind, "target": str(target), "at": _ms(at or utcnow() - timedelta(minutes=5)), **extra}


def _send(client, event, *taps, token: str | None = "page", body=None):
    headers = {}
    if token == "page":
        token = csrf_from(client.get(f"/door/events/{event.public_id}").get_data(as_text=True))
    if token:
        headers["X-CSRFToken"] = token
    if body is None:
        return client.post(f"/door/events/{event.public_id}/taps", json={"taps": list(taps)}, headers=headers)
    return client.post(f"/door/events/{event.public_id}/taps", data=body, headers={**headers, "Content-Type": "application/json"})


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def _fresh(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def test_a_tap_sent_twice_is_recorded_once(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Amara", last_name="Osei")
    sign_in(client, door_helper(event))
    tap = _tap("check_in", invitation.public_id)
    [first] = _results(_send(client, event, tap))
    assert first == {"id": tap["id"], "status": "recorded", "message": "Checked in: Amara O, Sam Carer and Lily."}
    [again] = _results(_send(client, event, tap))
    assert again["status"] == "already" and again["message"] == "Already sent: recorded once."
    assert db.session.execute(select(func.count(DoorTap.id)).where(DoorTap.tap_id == tap["id"])).scalar_one() == 1
    invitation = _fresh(invitation)
    assert invitation.checked_in_at is not None and all(g.checked_in_at for g in invitation.guests)
    audits = db.session.execute(select(AuditEntry).where(AuditEntry.subject_type == "invitations", AuditEntry.subject_id == invitation.id,
                                                         AuditEntry.detail == "Checked in at the door")).scalars().all()
    assert len(audits) == 1
    # The same tap twice in one request: once.
    other = coming(event, organiser, first_name="Bea", guests=())
    tap = _tap("check_in", other.public_id)
    assert [r["status"] for r in _results(_send(client, event, tap, tap))] == ["recorded", "already"]


def test_two_helpers_offline_taps_for_one_person_record_one_check_in_at_the_earliest_time(app, client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Amara", guests=(("Mum", "adult"),))
    now = utcnow()
    early, late = now - timedelta(minutes=30), now - timedelta(minutes=10)
    sign_in(client, door_helper(event))
    other = app.test_client()
    sign_in(other, door_helper(event))
    # The later tap arrives first; the earlier one (the other helper's phone) later: it wins.
    assert _results(_send(client, event, _tap("check_in", invitation.public_id, at=late)))[0]["status"] == "recorded"
    assert _fresh(invitation).checked_in_at == late.replace(microsecond=late.microsecond // 1000 * 1000)
    [result] = _results(_send(other, event, _tap("check_in", invitation.public_id, at=early)))
    assert result["status"] == "recorded"
    invitation = _fresh(invitation)
    assert abs((invitation.checked_in_at - early).total_seconds()) < 0.01
    assert abs((invitation.guests[0].checked_in_at - early).total_seconds()) < 0.01
    # A later tap again changes nothing, and says since when.
    [result] = _results(_send(client, event, _tap("check_in", invitation.public_id, at=late + timedelta(minutes=5))))
    assert result["status"] == "already" and result["message"].startswith("Already checked in at")
    assert abs((_fresh(invitation).checked_in_at - early).total_seconds()) < 0.01


def test_guests_registrations_undo_and_a_late_guest(client):
    event, organiser, councillors = _event_with_councillors()
    invitation = coming(event, organiser, first_name="Amara")
    cllr = _registered(event, councillors, "Cllr Jo Bloggs")
    sign_in(client, door_helper(event))
    guest = invitation.guests[0]
    at = utcnow() - timedelta(minutes=20)
    late_guest = _tap("late_guest", invitation.public_id, at=at, name="  Auntie   Jo ", age_group="adult")
    results = _results(_send(client, event, _tap("check_in_guest", guest.public_id, at=at), _tap("check_in_registration", cllr.public_id, at=at),
                             _tap("check_in_young_person", invitation.public_id, at=at), late_guest))
    assert [r["status"] for r in results] == ["recorded"] * 4
    assert results[3]["message"].startswith("Auntie Jo added as Amara") and results[3]["message"].endswith("'s guest and checked in.")
    invitation = _fresh(invitation)
    assert invitation.checked_in_at and invitation.guests[0].checked_in_at and not invitation.guests[1].checked_in_at
    added = [g for g in invitation.guests if g.added_at_door]
    assert [g.name for g in added] == ["Auntie Jo"] and abs((added[0].checked_in_at - at).total_seconds()) < 0.01
    assert _fresh(cllr).checked_in_at is not None
    # The late guest's tap sent again adds nobody.
    assert _results(_send(client, event, late_guest))[0]["status"] == "already"
    assert db.session.execute(select(func.count(Guest.id)).where(Guest.invitation_id == invitation.id)).scalar_one() == 3
    # An undo tapped before the check-in was recorded undoes nothing; one tapped after does.
    [before] = _results(_send(client, event, _tap("check_out_registration", cllr.public_id, at=at - timedelta(minutes=5))))
    assert before["status"] == "already" and _fresh(cllr).checked_in_at is not None
    after = _results(_send(client, event, _tap("check_out_registration", cllr.public_id), _tap("check_out_guest", guest.public_id),
                           _tap("check_out", invitation.public_id)))
    assert [r["status"] for r in after] == ["recorded"] * 3 and _fresh(cllr).checked_in_at is None
    assert _fresh(invitation).checked_in_at is None and _fresh(guest).checked_in_at is None


def test_taps_are_refused_per_tap_in_plain_words(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Amara")
    restricted = coming(event, organiser, first_name="Quin", contact_restriction=True)
    elsewhere, _ = door_event()
    stranger = coming(elsewhere, organiser, first_name="Zed")
    waiting = coming(event, organiser, first_name="Wren", status=InvitationStatus.NOT_COMING)
    sign_in(client, door_helper(event))
    results = _results(_send(
        client, event,
        _tap("check_in", stranger.public_id),
        _tap("check_in", uuid.uuid4()),
        _tap("check_in", waiting.public_id),
        _tap("check_in", invitation.public_id, at=utcnow() - timedelta(days=1)),
        _tap("check_in", invitation.public_id, at=utcnow() + timedelta(hours=2)),
        _tap("late_guest", restricted.public_id, name="Dad", age_group="adult"),
        _tap("late_guest", invitation.public_id, name=" ", age_group="adult"),
        _tap("late_guest", invitation.public_id, name="Dad", age_group="robot"),
        _tap("check_in", invitation.public_id),
    ))
    assert [r["status"] for r in results] == ["refused"] * 8 + ["recorded"]
    messages = [r["message"] for r in results]
    assert messages[0] == "This code is for another event."
    assert messages[1] == messages[2] == "Not on the list: speak to an organiser."
    assert messages[3] == "The door list opens on the day of the event."
    assert "in the future" in messages[4]
    assert messages[5] == "Speak to an organiser before adding a guest for this young person."
    assert messages[6] == "Enter the guest's name." and messages[7] == "Say whether the guest is an adult or a child."
    assert _fresh(stranger).checked_in_at is None
    # Refused taps are not kept: the same tap, once it can be recorded, is.
    assert db.session.execute(select(func.count(DoorTap.id))).scalar_one() == 1


@pytest.mark.parametrize("who", ["nominator", "other_helper", "tomorrow", "closed"])
def test_the_wrong_person_day_or_a_closed_event_is_refused_as_a_whole(app, client, who):
    event, organiser = door_event(days_from_today=1 if who == "tomorrow" else 0)
    invitation = coming(event, organiser, first_name="Amara")
    if who == "nominator":
        sign_in(client, make_user(Role.NOMINATOR))
        token = csrf_from(client.get("/account").get_data(as_text=True))
    else:
        if who == "other_helper":
            other_event, _ = door_event()
            sign_in(client, door_helper(other_event))
        else:
            sign_in(client, door_helper(event))
        token = csrf_from(client.get("/account").get_data(as_text=True))
        if who == "closed":
            event.closed_at = utcnow()
            db.session.commit()
    response = _send(client, event, _tap("check_in", invitation.public_id), token=token)
    assert response.status_code == 403
    if who != "nominator":
        message = response.get_json()["error"]
        assert message == {
            "other_helper": "You are not helping at the door of this event. Ask an organiser if you should be.",
            "tomorrow": f"The door list opens on the day of the event: {event.event_date:%A %-d %B %Y}.",
            "closed": "This event is closed; attendance is final.",
        }[who]
    assert _fresh(invitation).checked_in_at is None


def test_signed_out_is_sent_to_sign_in(client, tonight):
    event, _ = tonight
    response = client.post(f"/door/events/{event.public_id}/taps", json={"taps": []})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("body, message", [
    ("not json at all", 'Send {"taps": [...]}, a list of taps.'),
    ("[1, 2]", 'Send {"taps": [...]}, a list of taps.'),
    ('{"taps": "all of them"}', 'Send {"taps": [...]}, a list of taps.'),
    ('{"taps": [7]}', "Tap 1 is not a tap."),
    ('{"taps": [{"id": "x", "kind": "check_in", "target": "00000000-0000-0000-0000-000000000000", "at": 1}]}', "Tap 1's id is not a valid id."),
    ('{"taps": [{"id": "00000000-0000-0000-0000-000000000000", "kind": "dance", "target": "x", "at": 1}]}', "Tap 1 is of an unknown kind."),
    ('{"taps": [{"id": "00000000-0000-0000-0000-000000000000", "kind": "check_in", "target": "x", "at": 1}]}', "Tap 1's person is not a valid id."),
    ('{"taps": [{"id": "00000000-0000-0000-0000-000000000000", "kind": "check_in", "target": "00000000-0000-0000-0000-000000000000"}]}',
     "Tap 1 has no time."),
    ('{"taps": [{"id": "00000000-0000-0000-0000-000000000000", "kind": "check_in", "target": "00000000-0000-0000-0000-000000000000", "at": 1e30}]}',
     "Tap 1 has a time that is not a date."),
    ('{"taps": [{"id": "00000000-0000-0000-0000-000000000000", "kind": "late_guest", "target": "00000000-0000-0000-0000-000000000000", "at": 1, "name": 5}]}',
     "Tap 1 has a name or age that is not text."),
])
def test_bad_json_is_a_400_with_a_message_never_a_500(client, tonight, body, message):
    event, _ = tonight
    sign_in(client, door_helper(event))
    response = _send(client, event, body=body)
    assert response.status_code == 400
    assert response.get_json() == {"error": message}


def test_too_many_taps_at_once_is_a_400(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Amara")
    sign_in(client, door_helper(event))
    response = _send(client, event, *[_tap("check_in", invitation.public_id) for _ in range(501)])
    assert response.status_code == 400 and "at most 500" in response.get_json()["error"]


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_the_csrf_token_is_needed_in_the_header(client, tonight, token):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Amara")
    sign_in(client, door_helper(event))
    response = _send(client, event, _tap("check_in", invitation.public_id), token=token)
    assert response.status_code == 400
    assert "open the door list again while online" in response.get_json()["error"]
    assert _fresh(invitation).checked_in_at is None


def test_taps_of_past_days_are_forgotten(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Amara")
    sign_in(client, door_helper(event))
    _results(_send(client, event, _tap("check_in", invitation.public_id)))
    old = DoorTap(tap_id=str(uuid.uuid4()), event_id=event.id, kind="check_in", target=invitation.public_id,
                  tapped_at=utcnow() - timedelta(days=2), outcome="recorded")
    db.session.add(old)
    db.session.commit()
    assert forget_old_taps() == 1
    db.session.commit()
    assert db.session.execute(select(func.count(DoorTap.id))).scalar_one() == 1


def test_the_door_list_installs_and_its_service_worker_covers_only_the_door_pages(client, tonight):
    event, organiser = tonight
    sign_in(client, door_helper(event))
    page = client.get(f"/door/events/{event.public_id}")
    html = page.get_data(as_text=True)
    assert page.headers["X-Door-Event-Date"] == event.event_date.isoformat()
    assert '<link rel="manifest" href="/door/manifest.webmanifest">' in html
    assert 'id="door-offline"' in html and 'data-can-check-in="yes"' in html and "/static/js/door-offline.js" in html
    worker = client.get("/door/sw.js")
    assert worker.status_code == 200 and worker.headers["Content-Type"].startswith("text/javascript")
    assert worker.headers["Service-Worker-Allowed"] == "/door/"
    assert "importScripts" in worker.get_data(as_text=True)
    manifest = client.get("/door/manifest.webmanifest")
    assert manifest.headers["Content-Type"] == "application/manifest+json"
    assert manifest.get_json()["start_url"] == "/door/" and manifest.get_json()["scope"] == "/door/"
    assert client.get("/door/").headers["Location"].endswith("/door-helper")
    # The CSP already lets the worker and the manifest come from this site; scripts stay 'self' only.
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_signing_out_clears_what_the_phone_kept(client, tonight):
    event, _ = tonight
    sign_in(client, door_helper(event))
    token = csrf_from(client.get("/account").get_data(as_text=True))
    response = client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
