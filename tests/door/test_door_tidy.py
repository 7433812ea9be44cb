"""Issue 20 at the door: a late guest added by mistake can be removed; a tap keeps the search;
the list shows those still expected apart from those who have arrived."""

from __future__ import annotations

import re

from sqlalchemy import select

from cpevents.audit.models import AuditEntry
from cpevents.extensions import db
from cpevents.invitations.models import AgeGroup, Guest
from tests.door.helpers import coming, door_event, door_helper
from tests.factories import csrf_from, sign_in


def _post(client, path, data=None):
    token = csrf_from(client.get("/account").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})})


def _late_guest(client, invitation, name="Wrong Name"):
    response = _post(client, f"/door/invitations/{invitation.public_id}/late-guest", {"name": name, "age_group": AgeGroup.ADULT.value})
    assert response.status_code == 302
    return db.session.execute(select(Guest).where(Guest.invitation_id == invitation.id, Guest.name == name)).scalar_one()


def test_a_helper_removes_a_late_guest_added_by_mistake_and_the_audit_trail_says_so(client):
    event, organiser = door_event()
    invitation = coming(event, organiser, first_name="Amara", guests=())
    helper = door_helper(event)
    sign_in(client, helper)
    guest = _late_guest(client, invitation)
    html = client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    remove = f"/door/guests/{guest.public_id}/remove"
    assert remove in html
    page = client.get(remove)
    assert page.status_code == 200 and "Remove Wrong Name from Amara" in page.get_data(as_text=True)
    response = _post(client, remove)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#p-{invitation.public_id}")
    assert db.session.execute(select(Guest).where(Guest.invitation_id == invitation.id)).first() is None
    details = db.session.execute(select(AuditEntry.detail).where(AuditEntry.subject_type == "invitations", AuditEntry.subject_id == invitation.id)).scalars().all()
    assert "Guest added at the door removed" in details
    html = client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    assert remove not in html and "Wrong Name removed from Amara" in html


def test_an_invited_guest_cannot_be_removed_at_the_door(client):
    event, organiser = door_event()
    invitation = coming(event, organiser)
    sign_in(client, door_helper(event))
    invited = invitation.guests[0]
    assert f"/door/guests/{invited.public_id}/remove" not in client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    _post(client, f"/door/guests/{invited.public_id}/remove")
    db.session.refresh(invitation)
    assert len(invitation.guests) == 2


def test_a_late_guest_cannot_be_removed_once_the_event_is_closed_or_by_a_helper_of_another_event(client, app):
    event, organiser = door_event()
    invitation = coming(event, organiser, guests=())
    sign_in(client, door_helper(event))
    guest = _late_guest(client, invitation)
    stranger = app.test_client()
    other, _ = door_event()
    sign_in(stranger, door_helper(other))
    assert stranger.get(f"/door/guests/{guest.public_id}/remove").status_code == 403
    assert _post(stranger, f"/door/guests/{guest.public_id}/remove").status_code == 403
    event.closed_at = event.starts_at
    db.session.commit()
    _post(client, f"/door/guests/{guest.public_id}/remove")
    assert db.session.get(Guest, guest.id) is not None


def test_checking_someone_in_returns_to_the_same_search(client):
    event, organiser = door_event()
    invitation = coming(event, organiser, first_name="Amara")
    sign_in(client, door_helper(event))
    page = client.get(f"/door/events/{event.public_id}?q=Am").get_data(as_text=True)
    assert 'name="q" value="Am"' in page  # every button carries the search
    response = _post(client, f"/door/invitations/{invitation.public_id}/check-in", {"q": "Am"})
    assert response.headers["Location"].endswith(f"/door/events/{event.public_id}?q=Am#p-{invitation.public_id}")
    response = _post(client, f"/door/guests/{invitation.guests[0].public_id}/check-out", {"q": "Am"})
    assert "?q=Am#" in response.headers["Location"]


def test_the_list_shows_who_has_arrived_apart_from_who_is_expected(client):
    event, organiser = door_event()
    here = coming(event, organiser, first_name="Amara", guests=())
    coming(event, organiser, first_name="Priya", guests=())
    sign_in(client, door_helper(event))
    _post(client, f"/door/invitations/{here.public_id}/check-in")
    html = client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    expected = re.search(r'id="expected".*?</section>', html, re.S).group(0)
    arrived = re.search(r'id="arrived".*?</section>', html, re.S).group(0)
    assert "Not here yet (1)" in expected and "Priya" in expected and "Amara" not in expected
    assert "Arrived (1)" in arrived and "Amara" in arrived and "Priya" not in arrived
