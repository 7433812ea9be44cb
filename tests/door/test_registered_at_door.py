"""People who registered (professionals, councillors) at the door: on the same door list as the
young people, one button each, counted per audience, on the printed list, same rules."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from cpevents.audit.models import AuditEntry
from cpevents.extensions import db
from cpevents.registrations.models import AudienceKind, Registration, RegistrationStatus
from cpevents.registrations.services import Details, add_audience, register
from tests.door.helpers import coming, door_event, door_helper
from tests.door.test_views import _flash, _post
from tests.factories import sign_in


def _registered(event, audience, name, **fields) -> Registration:
    with current_app.test_request_context():
        registration = register(event, audience, Details(name=name, email=f"{name.split()[-1].lower()}@example.org", **fields),
                                now=event.starts_at - timedelta(days=2)).registration
    db.session.commit()
    return registration


def _event_with_councillors(places: int | None = None):
    event, organiser = door_event()
    councillors = add_audience(event, name="Councillors", kind=AudienceKind.COUNCILLORS, capacity=places, registration_open=True)
    db.session.commit()
    return event, organiser, councillors


def test_a_helper_checks_in_a_councillor_once_and_the_audience_is_counted(client):
    event, organiser, councillors = _event_with_councillors()
    coming(event, organiser, first_name="Amara")
    cllr = _registered(event, councillors, "Cllr Jo Bloggs", organisation="County Council", access_needs="Step-free route")
    sign_in(client, door_helper(event))
    page = f"/door/events/{event.public_id}"
    html = client.get(page).get_data(as_text=True)
    assert "Registered: Councillors" in html and "Cllr Jo Bloggs" in html and "County Council" in html
    assert "Access: Step-free route" in html
    assert "jo@example.org" not in html and "bloggs@example.org" not in html  # no email addresses at the door
    assert "0 of 1" in html
    response = _post(client, f"/door/registrations/{cllr.public_id}/check-in", page=page)
    assert response.headers["Location"].endswith(f"#r-{cllr.public_id}")
    assert "Checked in: Cllr Jo Bloggs." in _flash(client, response)
    db.session.expire_all()
    first = db.session.get(Registration, cllr.id).checked_in_at
    assert first is not None
    response = _post(client, f"/door/registrations/{cllr.public_id}/check-in", page=page)
    assert "Already checked in at" in _flash(client, response)
    db.session.expire_all()
    assert db.session.get(Registration, cllr.id).checked_in_at == first
    entries = db.session.execute(select(AuditEntry).where(AuditEntry.subject_type == "registrations", AuditEntry.subject_id == cllr.id)).scalars().all()
    assert [e.detail for e in entries].count("Checked in at the door") == 1
    # Undo, then the search finds them by any word of the name.
    response = _post(client, f"/door/registrations/{cllr.public_id}/check-out", page=page)
    assert "no longer checked in" in _flash(client, response)
    found = client.get(page + "?q=jo").get_data(as_text=True)
    assert "Cllr Jo Bloggs" in found and "Amara" not in found


def test_someone_on_the_waiting_list_is_not_on_the_door_list_and_cannot_be_checked_in(client):
    event, _, councillors = _event_with_councillors(places=1)
    _registered(event, councillors, "Cllr Ann First")
    waiting = _registered(event, councillors, "Cllr Ben Second")
    assert waiting.status == RegistrationStatus.WAITING
    sign_in(client, door_helper(event))
    page = f"/door/events/{event.public_id}"
    html = client.get(page).get_data(as_text=True)
    assert "Cllr Ann First" in html and "Cllr Ben Second" not in html
    response = _post(client, f"/door/registrations/{waiting.public_id}/check-in", page=page)
    assert "Not on the list: speak to an organiser." in _flash(client, response)
    db.session.expire_all()
    assert db.session.get(Registration, waiting.id).checked_in_at is None


def test_a_helper_of_another_event_or_on_another_day_changes_nothing(client):
    event, _, councillors = _event_with_councillors()
    cllr = _registered(event, councillors, "Cllr Jo Bloggs")
    other, _ = door_event()
    sign_in(client, door_helper(other))
    assert _post(client, f"/door/registrations/{cllr.public_id}/check-in").status_code == 403
    later, organiser = door_event(days_from_today=3)
    audience = add_audience(later, name="Professionals", kind=AudienceKind.PROFESSIONALS, capacity=None, registration_open=True)
    db.session.commit()
    pro = _registered(later, audience, "Pat Adviser")
    organiser_client = client.application.test_client()
    sign_in(organiser_client, organiser)
    response = _post(organiser_client, f"/door/registrations/{pro.public_id}/check-in")
    assert "The door list opens on the day of the event." in _flash(organiser_client, response)
    db.session.expire_all()
    assert db.session.get(Registration, cllr.id).checked_in_at is None and db.session.get(Registration, pro.id).checked_in_at is None


def test_the_printed_list_has_the_registered_people_with_the_same_markers(client):
    event, organiser, councillors = _event_with_councillors()
    _registered(event, councillors, "Cllr Jo Bloggs", organisation="County Council", access_needs="Hearing loop")
    sign_in(client, organiser)
    html = client.get(f"/door/events/{event.public_id}/print").get_data(as_text=True)
    assert "Registered: Councillors" in html and "Cllr Jo Bloggs" in html and "Access: Hearing loop" in html
    assert "councillors: 1" in html
