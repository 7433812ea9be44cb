"""Checking in at the door: one tap for a young person and their guests, twice changes nothing,
in and out one by one, late guests, and every refusal in plain words with nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cpevents.audit.models import AuditEntry
from cpevents.core.time import utcnow
from cpevents.door import services
from cpevents.door.services import DoorError
from cpevents.extensions import db
from cpevents.invitations.models import AgeGroup, GuestApproval, InvitationStatus
from tests.door.helpers import coming, door_event, door_helper


@pytest.fixture
def tonight(app):
    with app.test_request_context():
        yield door_event()


def test_one_tap_checks_in_the_young_person_and_all_their_guests(tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Amara", last_name="Osei")
    helper = door_helper(event)
    result = services.check_in(invitation, by=helper)
    db.session.commit()
    assert result.checked_in == ["Amara O", "Sam Carer", "Lily"]
    assert result.message() == "Checked in: Amara O, Sam Carer and Lily."
    db.session.refresh(invitation)
    assert invitation.checked_in_at is not None and invitation.checked_in_by_id == helper.id
    assert all(g.checked_in_at is not None and g.checked_in_by_id == helper.id for g in invitation.guests)
    entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.subject_id == invitation.id, AuditEntry.subject_type == "invitations")
                               .order_by(AuditEntry.id.desc())).scalars().first()
    assert entry.detail == "Checked in at the door" and entry.actor_id == helper.id


def test_checking_in_twice_says_when_and_changes_nothing(tonight):
    event, organiser = tonight
    invitation = coming(event, organiser)
    helper = door_helper(event)
    first_time = utcnow().replace(hour=18, minute=42, second=0, microsecond=0)
    services.check_in(invitation, by=helper, now=first_time)
    db.session.commit()
    again = services.check_in(invitation, by=door_helper(event), now=first_time + timedelta(minutes=5))
    db.session.commit()
    assert not again.changed
    db.session.refresh(invitation)
    assert invitation.checked_in_at == first_time and invitation.checked_in_by_id == helper.id
    assert again.message() == f"Already checked in at {services.time_of(first_time)}."


def test_each_person_can_be_checked_in_and_out_on_their_own(tonight):
    event, organiser = tonight
    invitation = coming(event, organiser)
    helper = door_helper(event)
    result = services.check_in(invitation, by=helper, with_guests=False)
    assert result.checked_in == [services.door_name(invitation.young_person)]
    assert all(g.checked_in_at is None for g in invitation.guests)
    guest = invitation.guests[1]
    assert services.check_in_guest(guest, by=helper).checked_in == ["Lily"]
    assert services.check_in_guest(guest, by=helper).already[0][0] == "Lily"
    assert services.check_out_guest(guest, by=helper) is True
    assert services.check_out_guest(guest, by=helper) is False
    assert services.check_out(invitation, by=helper) is True
    db.session.commit()
    db.session.refresh(invitation)
    assert invitation.checked_in_at is None and guest.checked_in_at is None


def test_a_late_guest_is_added_at_the_door_and_checked_in(tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, guests=())
    helper = door_helper(event)
    guest = services.add_late_guest(invitation, name="  Auntie Jo ", age_group=AgeGroup.ADULT, by=helper)
    db.session.commit()
    assert guest.name == "Auntie Jo" and guest.added_at_door and guest.added_by_id == helper.id and guest.added_at is not None
    assert guest.checked_in_at is not None and guest.approval == GuestApproval.CONFIRMED
    assert invitation.guests == [guest]


def test_a_door_helper_cannot_add_a_guest_for_a_young_person_with_a_contact_restriction(tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, guests=(), contact_restriction=True)
    with pytest.raises(DoorError, match="Speak to an organiser"):
        services.add_late_guest(invitation, name="Someone", age_group=AgeGroup.ADULT, by=door_helper(event))
    assert services.add_late_guest(invitation, name="Foster carer", age_group=AgeGroup.ADULT, by=organiser).added_at_door


def test_guests_waiting_for_approval_are_left_for_an_organiser(tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, approval=GuestApproval.TO_APPROVE, contact_restriction=True)
    result = services.check_in(invitation, by=door_helper(event))
    assert result.checked_in == [services.door_name(invitation.young_person)]
    assert "need an organiser's approval" in result.message()
    with pytest.raises(DoorError, match="approval"):
        services.check_in_guest(invitation.guests[0], by=organiser)


@pytest.mark.parametrize("status", [InvitationStatus.NOT_COMING, InvitationStatus.WAITING, InvitationStatus.NOT_REPLIED, InvitationStatus.OFFERED])
def test_someone_not_coming_is_refused_and_nothing_changes(tonight, status):
    event, organiser = tonight
    invitation = coming(event, organiser, status=status)
    with pytest.raises(DoorError, match="Not on the list: speak to an organiser"):
        services.check_in(invitation, by=organiser)
    with pytest.raises(DoorError, match="Not on the list"):
        services.add_late_guest(invitation, name="X", age_group=AgeGroup.CHILD, by=organiser)
    assert invitation.checked_in_at is None


def test_nobody_checks_in_on_another_day(app):
    with app.test_request_context():
        event, organiser = door_event(days_from_today=1)
        invitation = coming(event, organiser)
        with pytest.raises(DoorError, match="The door list opens on the day of the event"):
            services.check_in(invitation, by=organiser)
        past, organiser = door_event(days_from_today=-1)
        with pytest.raises(DoorError, match="opens on the day"):
            services.check_in(coming(past, organiser), by=organiser)


def test_a_closed_event_is_read_only(tonight):
    event, organiser = tonight
    invitation = coming(event, organiser)
    services.check_in(invitation, by=organiser)
    event.closed_at = utcnow()
    db.session.commit()
    for attempt in (lambda: services.check_in(invitation, by=organiser), lambda: services.check_out(invitation, by=organiser),
                    lambda: services.check_out_guest(invitation.guests[0], by=organiser),
                    lambda: services.add_late_guest(invitation, name="Late", age_group=AgeGroup.ADULT, by=organiser)):
        with pytest.raises(DoorError, match="This event is closed; attendance is final"):
            attempt()
    db.session.refresh(invitation)
    assert invitation.checked_in_at is not None


def test_door_helpers_are_added_by_email_and_removed(app, smtp_sink):
    from cpevents.accounts.models import user_by_email
    from cpevents.core.enums import Role
    from cpevents.door.models import EventDoorHelper, is_door_helper_for
    from tests.factories import make_user

    with app.test_request_context():
        event, organiser = door_event(days_from_today=20)
        new = services.add_door_helper(event, name="Val Volunteer", email="Val.Volunteer@example.org", by=organiser)
        existing_user = make_user(Role.NOMINATOR)
        existing = services.add_door_helper(event, name="ignored", email=existing_user.email, by=organiser)
        with pytest.raises(DoorError, match="already helps"):
            services.add_door_helper(event, name="x", email=existing_user.email, by=organiser)
        db.session.commit()
    user = user_by_email("val.volunteer@example.org")
    assert user.roles == {Role.DOOR_HELPER} and new.user_id == user.id
    assert existing_user.roles == {Role.NOMINATOR, Role.DOOR_HELPER}
    assert smtp_sink.wait_for(existing_user.email)[0]["subject"] == "You are helping at the door"
    assert smtp_sink.wait_for("val.volunteer@example.org")
    services.remove_door_helper(existing, by=organiser)
    db.session.commit()
    assert not is_door_helper_for(existing_user, event)
    assert db.session.execute(db.select(db.func.count(EventDoorHelper.id)).where(EventDoorHelper.event_id == event.id)).scalar_one() == 1


def test_counts_young_people_and_guests_apart(tonight):
    from cpevents.door.queries import counts

    event, organiser = tonight
    first = coming(event, organiser)
    coming(event, organiser, guests=(("One", AgeGroup.ADULT),))
    coming(event, organiser, status=InvitationStatus.NOT_COMING)
    refused = coming(event, organiser, guests=(("No", AgeGroup.ADULT),), approval=GuestApproval.CANNOT_COME)
    services.check_in(first, by=organiser)
    services.check_in(refused, by=organiser)
    db.session.commit()
    c = counts(event)
    assert (c.young_people_arrived, c.young_people_expected, c.guests_arrived, c.guests_expected) == (2, 3, 2, 3)


def test_feedback_goes_to_those_checked_in_even_without_a_reply(tonight):
    from cpevents.feedback.queries import feedback_recipients

    event, organiser = tonight
    replied = coming(event, organiser)
    walked_in = coming(event, organiser, status=InvitationStatus.NOT_REPLIED)
    walked_in.replied_at = None
    nobody = coming(event, organiser, status=InvitationStatus.NOT_REPLIED)
    nobody.replied_at = None
    walked_in.checked_in_at = utcnow()
    db.session.commit()
    assert {i.id for i in feedback_recipients(event)} == {replied.id, walked_in.id}
