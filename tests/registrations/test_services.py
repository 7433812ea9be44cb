"""Registering for an audience: places, waiting lists, cancelling, duplicates and when it is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.mail.models import OutboxMessage
from cpevents.registrations import services
from cpevents.registrations.models import RegistrationStatus
from cpevents.registrations.services import RegistrationError, cancel_registration, register
from tests.registrations.helpers import audiences, details, make_event


@pytest.fixture(autouse=True)
def _request(ctx):
    yield


def test_care_leavers_week_event_starts_with_professionals_and_councillors():
    event, _ = make_event(professionals=None, councillors=None)
    assert [(a.name, a.capacity, a.registration_open) for a in audiences(event)] == [("Professionals", None, True), ("Councillors", None, True)]


def test_each_audience_has_its_own_places_and_waiting_list():
    event, _ = make_event(professionals=2, councillors=1)
    professionals, councillors = audiences(event)
    results = [register(event, professionals, details()).registration.status for _ in range(3)]
    assert results == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
    # Councillors are not affected by professionals filling up.
    assert register(event, councillors, details()).registration.status == RegistrationStatus.CONFIRMED
    assert register(event, councillors, details()).registration.status == RegistrationStatus.WAITING


def test_young_peoples_places_are_not_used_by_registrations():
    event, _ = make_event(professionals=None)
    event.capacity = 1
    professionals, _ = audiences(event)
    for _ in range(3):
        assert register(event, professionals, details()).registration.status == RegistrationStatus.CONFIRMED


def test_cancelling_gives_the_place_to_the_first_on_that_audiences_waiting_list():
    event, _ = make_event(professionals=1, councillors=1)
    professionals, councillors = audiences(event)
    first = register(event, professionals, details()).registration
    waiting_first = register(event, professionals, details()).registration
    waiting_second = register(event, professionals, details()).registration
    other_waiting = (register(event, councillors, details()), register(event, councillors, details()))[1].registration
    db.session.commit()
    promoted = cancel_registration(first)
    db.session.commit()
    assert promoted == [waiting_first]
    assert first.status == RegistrationStatus.CANCELLED and first.cancelled_at is not None
    assert waiting_first.status == RegistrationStatus.CONFIRMED and waiting_first.waiting_since is None
    assert waiting_second.status == RegistrationStatus.WAITING
    assert other_waiting.status == RegistrationStatus.WAITING
    subjects = [m.subject for m in db.session.execute(db.select(OutboxMessage).where(OutboxMessage.to_address == waiting_first.email)).scalars()]
    assert services.SUBJECT_PLACE in subjects


def test_cancelling_from_the_waiting_list_gives_nobody_a_place():
    event, _ = make_event(professionals=1)
    professionals, _ = audiences(event)
    register(event, professionals, details())
    waiting = register(event, professionals, details()).registration
    later = register(event, professionals, details()).registration
    assert cancel_registration(waiting) == []
    assert later.status == RegistrationStatus.WAITING


def test_cancelling_twice_changes_nothing():
    event, _ = make_event()
    registration = register(event, audiences(event)[0], details()).registration
    cancel_registration(registration)
    when = registration.cancelled_at
    assert cancel_registration(registration) == []
    assert registration.cancelled_at == when


def test_more_places_go_to_the_waiting_list_straight_away():
    event, organiser = make_event(professionals=1)
    professionals, _ = audiences(event)
    register(event, professionals, details())
    waiting = [register(event, professionals, details()).registration for _ in range(3)]
    promoted = services.update_audience(professionals, name="Professionals", kind=professionals.kind, capacity=3, registration_open=True)
    assert promoted == waiting[:2]
    assert [r.status for r in waiting] == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]


def test_fewer_places_never_take_a_place_away():
    event, _ = make_event(professionals=3)
    professionals, _ = audiences(event)
    confirmed = [register(event, professionals, details()).registration for _ in range(3)]
    services.update_audience(professionals, name="Professionals", kind=professionals.kind, capacity=1, registration_open=True)
    assert all(r.status == RegistrationStatus.CONFIRMED for r in confirmed)
    assert register(event, professionals, details()).registration.status == RegistrationStatus.WAITING


def test_one_registration_per_email_address_per_event():
    event, _ = make_event()
    professionals, councillors = audiences(event)
    first = register(event, professionals, details(email="Jo@Example.org"))
    assert not first.duplicate
    again = register(event, councillors, details(email="jo@example.ORG", name="Someone else"))
    assert again.duplicate and again.registration is first.registration
    assert first.registration.name != "Someone else" and first.registration.audience_id == professionals.id
    db.session.flush()
    count = db.session.execute(db.select(db.func.count()).select_from(type(first.registration)).where(type(first.registration).event_id == event.id)).scalar_one()
    assert count == 1
    messages = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.to_address == "Jo@Example.org").order_by(OutboxMessage.id)).scalars().all()
    assert [m.subject for m in messages] == [services.SUBJECT_REGISTERED, services.SUBJECT_AGAIN]


def test_the_same_address_may_register_again_after_cancelling():
    event, _ = make_event()
    professionals, _ = audiences(event)
    first = register(event, professionals, details(email="sam@example.org")).registration
    cancel_registration(first)
    second = register(event, professionals, details(email="sam@example.org"))
    assert not second.duplicate and second.registration is not first


def test_the_same_address_may_register_for_two_events():
    first_event, _ = make_event()
    second_event, _ = make_event()
    assert not register(first_event, audiences(first_event)[0], details(email="a@example.org")).duplicate
    assert not register(second_event, audiences(second_event)[0], details(email="a@example.org")).duplicate


def test_refused_when_the_event_is_closed():
    event, _ = make_event()
    event.closed_at = utcnow()
    with pytest.raises(RegistrationError, match="closed"):
        register(event, audiences(event)[0], details())
    assert _count(event) == 0


def test_refused_when_the_event_has_started():
    event, _ = make_event()
    event.starts_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(RegistrationError, match="already started"):
        register(event, audiences(event)[0], details())
    assert _count(event) == 0


def test_refused_when_the_audience_is_closed():
    event, _ = make_event()
    professionals, councillors = audiences(event)
    councillors.registration_open = False
    with pytest.raises(RegistrationError, match="Registration is closed for Councillors"):
        register(event, councillors, details())
    assert _count(event) == 0
    assert register(event, professionals, details()).registration.status == RegistrationStatus.CONFIRMED


def test_an_audience_of_another_event_is_refused():
    event, _ = make_event()
    other, _ = make_event()
    with pytest.raises(RegistrationError):
        register(event, audiences(other)[0], details())


def test_no_place_is_given_from_the_waiting_list_after_the_event_started():
    event, _ = make_event(professionals=1)
    professionals, _ = audiences(event)
    first = register(event, professionals, details()).registration
    waiting = register(event, professionals, details()).registration
    event.starts_at = utcnow() - timedelta(minutes=5)
    cancel_registration(first)
    assert waiting.status == RegistrationStatus.WAITING


def test_audience_names_are_unique_within_an_event():
    event, _ = make_event()
    with pytest.raises(RegistrationError, match="already has an audience called"):
        services.add_audience(event, name="councillors", kind=services.AudienceKind.OTHER, capacity=None, registration_open=True)
    partners = services.add_audience(event, name="Partner agencies", kind=services.AudienceKind.OTHER, capacity=10, registration_open=True)
    assert partners.position == 2


def test_cancel_links_are_stored_as_hashes_and_sending_details_again_adds_one():
    from cpevents.registrations.models import RegistrationCancelLink

    event, _ = make_event()
    registration = register(event, audiences(event)[0], details(email="kim@example.org")).registration
    db.session.flush()

    def hashes():
        return db.session.execute(db.select(RegistrationCancelLink.token_hash).where(RegistrationCancelLink.registration_id == registration.id)).scalars().all()

    first = hashes()
    assert len(first) == 1 and len(first[0]) == 64
    register(event, audiences(event)[0], details(email="kim@example.org"))
    db.session.flush()
    assert len(hashes()) == 2 and first[0] in hashes()
    cancel_registration(registration)
    assert hashes() == []


def _count(event) -> int:
    from cpevents.registrations.models import Registration

    return db.session.execute(db.select(db.func.count()).select_from(Registration).where(Registration.event_id == event.id)).scalar_one()
