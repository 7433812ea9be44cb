"""The door pages: who may open them, on which day, what they show (and never show), one tap,
the QR code page, late guests, the printable list, and the organisers' pages."""

from __future__ import annotations

import re

import pytest

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations.models import InvitationStatus, NameRead
from tests.door.helpers import coming, door_event, door_helper
from tests.factories import csrf_from, make_user, post_form, queries_for, sign_in

SECRET_NOTE = "Birth father must not know the venue; lives at 12 Elm Road"


@pytest.fixture
def tonight():
    return door_event()


def _post(client, path, data=None, page=None):
    token = csrf_from(client.get(page or "/account").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})})


def _flash(client, response) -> str:
    assert response.status_code == 302, response.status_code
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    match = re.search(r'govuk-notification-banner__heading">\s*(.*?)\s*</', page, re.S) or re.search(r'govuk-notification-banner__content">\s*<p[^>]*>\s*(.*?)\s*</p>', page, re.S)
    return match.group(1) if match else page


def test_a_helper_sees_their_event_on_the_day_and_checks_in_with_one_tap(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Amara", last_name="Osei")
    helper = door_helper(event)
    sign_in(client, helper)
    home = client.get("/door-helper").get_data(as_text=True)
    assert f"/door/events/{event.public_id}" in home
    page = client.get(f"/door/events/{event.public_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Amara O" in html and "Osei" not in html
    assert "Check in Amara O and 2 guests" in html
    assert "0 of 1" in html and "0 of 2" in html
    response = _post(client, f"/door/invitations/{invitation.public_id}/check-in", page=f"/door/events/{event.public_id}")
    assert response.headers["Location"].endswith(f"#p-{invitation.public_id}")
    assert "Checked in: Amara O, Sam Carer and Lily." in _flash(client, response)
    html = client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    assert "1 of 1" in html and "2 of 2" in html
    response = _post(client, f"/door/invitations/{invitation.public_id}/check-in")
    assert "Already checked in at" in _flash(client, response)


def test_the_helper_home_says_when_a_future_door_list_opens(client):
    event, _ = door_event(days_from_today=3)
    helper = door_helper(event)
    sign_in(client, helper)
    html = client.get("/door-helper").get_data(as_text=True)
    assert f"the door list opens on {event.event_date:%A %-d %B %Y}" in html
    assert f"/door/events/{event.public_id}" not in html
    page = client.get(f"/door/events/{event.public_id}")
    assert page.status_code == 403 and "The door list opens on the day of the event" in page.get_data(as_text=True)


def test_markers_are_shown_and_restricted_details_never_are(client, tonight):
    event, organiser = tonight
    restricted = coming(event, organiser, first_name="Jordan", last_name="Blake", contact_restriction=True, contact_restriction_note=SECRET_NOTE,
                        do_not_publish=True)
    restricted.photo_consent, restricted.name_read, restricted.access = False, NameRead.NO_NAME, "wheelchair,quiet_space"
    restricted.door_note = "Arrives with her carer by taxi"
    restricted.dietary = "nut_allergy"
    other = coming(event, organiser, first_name="Priya")
    other.photo_consent, other.name_read = True, NameRead.FULL_NAME
    db.session.commit()
    helper = door_helper(event)
    sign_in(client, helper)
    pages = [f"/door/events/{event.public_id}", f"/door/events/{event.public_id}/print", f"/door/{restricted.door_code}",
             f"/door/events/{event.public_id}?q=jor"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert "Speak to an organiser" in html, path
        assert "No photos" in html and "Name read out: no name" in html, path
        assert "Wheelchair space" in html and "A quiet space to take a break" in html, path
        assert "Arrives with her carer by taxi" in html, path
        for secret in (SECRET_NOTE, "Elm Road", "Blake", "Contact restriction", "contact restriction", "Do not publish", "Nut allergy", "Town Hall"):
            assert secret not in html, (path, secret)
    html = client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    assert "Name read out: full name" in html
    # The late guest link is replaced by "speak to an organiser" for the restricted young person.
    assert f"/door/invitations/{restricted.public_id}/late-guest" not in html
    assert f"/door/invitations/{other.public_id}/late-guest" in html


def test_search_by_first_name_works_without_javascript(client, tonight):
    event, organiser = tonight
    coming(event, organiser, first_name="Amara")
    coming(event, organiser, first_name="Ben", preferred_name="Amos")
    coming(event, organiser, first_name="Chloe")
    sign_in(client, door_helper(event))
    html = client.get(f"/door/events/{event.public_id}?q=AM").get_data(as_text=True)
    assert "Amara" in html and "Amos" in html and "Chloe" not in html
    html = client.get(f"/door/events/{event.public_id}?q=zz%25_").get_data(as_text=True)
    assert "Nobody on the list has a first name starting" in html


def test_someone_not_coming_is_not_on_the_list_and_cannot_be_checked_in(client, tonight):
    event, organiser = tonight
    no = coming(event, organiser, first_name="Nadia", status=InvitationStatus.NOT_COMING)
    sign_in(client, door_helper(event))
    assert "Nadia" not in client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    response = _post(client, f"/door/invitations/{no.public_id}/check-in")
    assert "Not on the list: speak to an organiser." in _flash(client, response)
    db.session.refresh(no)
    assert no.checked_in_at is None


def test_the_door_code_opens_the_check_in_page(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Kofi", last_name="Mensah")
    code = f"/door/{invitation.door_code}"
    response = client.get(code)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    sign_in(client, door_helper(event))
    html = client.get(code).get_data(as_text=True)
    assert "Kofi M" in html and "Check in Kofi M and 2 guests" in html
    response = _post(client, f"/door/invitations/{invitation.public_id}/check-in", {"back": "code"}, page=code)
    assert response.headers["Location"].endswith(code)
    assert "Checked in: Kofi M" in _flash(client, response)


def test_the_door_code_refuses_in_plain_words_and_changes_nothing(client, app, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser)
    other_event, _ = door_event()
    future, _ = door_event(days_from_today=2)
    future_invitation = coming(future, organiser)
    not_coming = coming(event, organiser, status=InvitationStatus.NOT_COMING)
    helper = door_helper(other_event)
    from cpevents.door.models import EventDoorHelper

    db.session.add(EventDoorHelper(event_id=future.id, user_id=helper.id))
    db.session.commit()
    sign_in(client, helper)
    page = client.get(f"/door/{invitation.door_code}")
    assert page.status_code == 403 and "This code is for another event" in page.get_data(as_text=True)
    page = client.get(f"/door/{future_invitation.door_code}")
    assert page.status_code == 403 and "The door list opens on the day of the event" in page.get_data(as_text=True)
    page = client.get("/door/00000000-0000-4000-8000-000000000000")
    assert page.status_code == 404 and "This code is not on any door list" in page.get_data(as_text=True)
    assert client.get("/door/not-a-code").status_code == 404
    organiser_client = app.test_client()
    sign_in(organiser_client, organiser)
    html = organiser_client.get(f"/door/{not_coming.door_code}").get_data(as_text=True)
    assert "This invitation is no longer valid: speak to an organiser" in html
    # Removed from the list: the invitation is deleted, so its code is unknown.
    from cpevents.invitations.services import remove_invitation

    code = invitation.door_code
    with app.test_request_context():
        remove_invitation(invitation, by=organiser)
    db.session.commit()
    assert organiser_client.get(f"/door/{code}").status_code == 404


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.JUDGE, Role.BOARD, Role.CHAMPION])
def test_other_roles_get_403_everywhere_at_the_door(client, tonight, role):
    event, organiser = tonight
    invitation = coming(event, organiser)
    sign_in(client, make_user(role, totp=role == Role.BOARD))
    for path in (f"/door/events/{event.public_id}", f"/door/events/{event.public_id}/print", f"/door/{invitation.door_code}",
                 f"/door/invitations/{invitation.public_id}/late-guest", f"/events/{event.public_id}/door-helpers",
                 f"/invitations/{invitation.public_id}/door-note"):
        assert client.get(path).status_code == 403, path
    for path in (f"/door/invitations/{invitation.public_id}/check-in", f"/door/guests/{invitation.guests[0].public_id}/check-in"):
        assert _post(client, path).status_code == 403
    db.session.refresh(invitation)
    assert invitation.checked_in_at is None


def test_a_helper_of_another_event_gets_403_and_changes_nothing(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser)
    other, _ = door_event()
    sign_in(client, door_helper(other))
    for path in (f"/door/events/{event.public_id}", f"/door/events/{event.public_id}/print", f"/door/invitations/{invitation.public_id}/late-guest",
                 f"/events/{event.public_id}/door-helpers", f"/invitations/{invitation.public_id}/door-note"):
        assert client.get(path).status_code == 403, path
    for path in (f"/door/invitations/{invitation.public_id}/check-in", f"/door/invitations/{invitation.public_id}/check-out",
                 f"/door/guests/{invitation.guests[0].public_id}/check-in", f"/door/invitations/{invitation.public_id}/late-guest"):
        assert _post(client, path, {"name": "x", "age_group": "adult"}).status_code == 403, path
    db.session.refresh(invitation)
    assert invitation.checked_in_at is None and len(invitation.guests) == 2


def test_a_removed_helper_loses_the_door_list_at_once(client, app, tonight):
    event, organiser = tonight
    helper = door_helper(event)
    sign_in(client, helper)
    assert client.get(f"/door/events/{event.public_id}").status_code == 200
    organiser_client = app.test_client()
    sign_in(organiser_client, organiser)
    from cpevents.door.queries import helpers_for

    row = helpers_for(event)[0]
    response = _post(organiser_client, f"/door-helpers/{row.public_id}/remove", page=f"/events/{event.public_id}/door-helpers")
    assert response.status_code == 302
    assert client.get(f"/door/events/{event.public_id}").status_code == 403


def test_organisers_read_any_door_list_any_day_but_check_in_only_on_the_day(client):
    event, organiser = door_event(days_from_today=5)
    invitation = coming(event, organiser, first_name="Esi")
    sign_in(client, organiser)
    html = client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    assert "Esi" in html and "Check-in opens on the day of the event" in html and "Check in Esi" not in html
    assert client.get(f"/door/events/{event.public_id}/print").status_code == 200
    response = _post(client, f"/door/invitations/{invitation.public_id}/check-in")
    assert "The door list opens on the day of the event." in _flash(client, response)
    db.session.refresh(invitation)
    assert invitation.checked_in_at is None


def test_a_closed_event_is_read_only_at_the_door(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Femi")
    event.closed_at = utcnow()
    db.session.commit()
    sign_in(client, door_helper(event))
    html = client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    assert "This event is closed; attendance is final" in html and "Check in Femi" not in html
    response = _post(client, f"/door/invitations/{invitation.public_id}/check-in")
    assert "This event is closed; attendance is final." in _flash(client, response)


def test_a_late_guest_form_keeps_what_was_typed_and_adds_the_guest(client, app, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Gabe", guests=())
    helper = door_helper(event, name="Dee Door")
    sign_in(client, helper)
    path = f"/door/invitations/{invitation.public_id}/late-guest"
    response = post_form(client, path, {"name": "Nan Rose"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Select adult or child" in html and 'value="Nan Rose"' in html
    response = post_form(client, path, {"name": "", "age_group": "adult"})
    assert response.status_code == 400 and "Enter the guest&#39;s name" in response.get_data(as_text=True)
    response = post_form(client, path, {"name": "Nan Rose", "age_group": "adult"})
    assert "Nan Rose added as Gabe M" in _flash(client, response)
    db.session.refresh(invitation)
    guest = invitation.guests[0]
    assert guest.added_at_door and guest.added_by_id == helper.id and guest.checked_in_at is not None
    assert "Added at the door" in client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    organiser_client = app.test_client()
    sign_in(organiser_client, organiser)
    assert "added at the door by Dee Door" in organiser_client.get(f"/invitations/{invitation.public_id}").get_data(as_text=True)


def test_each_guest_can_be_checked_in_and_out_alone(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Hana")
    sign_in(client, door_helper(event))
    guest = invitation.guests[0]
    assert "Checked in: Sam Carer." in _flash(client, _post(client, f"/door/guests/{guest.public_id}/check-in"))
    assert "Already checked in at" in _flash(client, _post(client, f"/door/guests/{guest.public_id}/check-in"))
    assert "Sam Carer is no longer checked in." in _flash(client, _post(client, f"/door/guests/{guest.public_id}/check-out"))
    assert "Checked in: Hana M." in _flash(client, _post(client, f"/door/invitations/{invitation.public_id}/check-in", {"who": "young_person"}))
    db.session.refresh(invitation)
    assert invitation.checked_in_at is not None and all(g.checked_in_at is None for g in invitation.guests)
    assert "Hana M is no longer checked in." in _flash(client, _post(client, f"/door/invitations/{invitation.public_id}/check-out"))


def test_posts_without_a_csrf_token_are_refused(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser)
    sign_in(client, door_helper(event))
    assert client.post(f"/door/invitations/{invitation.public_id}/check-in").status_code == 400
    db.session.refresh(invitation)
    assert invitation.checked_in_at is None


def test_the_door_list_runs_the_same_number_of_queries_for_more_people(client, tonight):
    event, organiser = tonight
    sign_in(client, door_helper(event))
    for _ in range(3):
        coming(event, organiser)
    few = queries_for(client, f"/door/events/{event.public_id}")
    for _ in range(12):
        coming(event, organiser, do_not_publish=True)
    assert queries_for(client, f"/door/events/{event.public_id}") == few


def test_print_page_has_a_print_stylesheet_and_a_tick_column(client, tonight):
    event, organiser = tonight
    coming(event, organiser, first_name="Iris")
    sign_in(client, organiser)
    html = client.get(f"/door/events/{event.public_id}/print").get_data(as_text=True)
    assert "css/door-print.css" in html and ">Here<" in html and "Iris M" in html
    css = client.get("/static/css/door-print.css").get_data(as_text=True)
    assert "@media print" in css


def test_organisers_add_door_helpers_with_errors_beside_the_field(client, tonight, smtp_sink):
    event, organiser = tonight
    sign_in(client, organiser)
    path = f"/events/{event.public_id}/door-helpers"
    response = post_form(client, path, {"name": "Val Volunteer", "email": "not an email"})
    assert response.status_code == 400 and 'value="Val Volunteer"' in response.get_data(as_text=True)
    assert "govuk-error-message" in response.get_data(as_text=True)
    response = post_form(client, path, {"name": "Val Volunteer", "email": "val@example.org"})
    assert response.status_code == 302
    assert "Val Volunteer" in client.get(path).get_data(as_text=True)
    response = post_form(client, path, {"name": "Val Volunteer", "email": "val@example.org"})
    assert response.status_code == 400 and "already helps at the door" in response.get_data(as_text=True)
    assert "Door helpers (1)" in client.get(f"/events/{event.public_id}").get_data(as_text=True)


def test_organisers_write_a_door_note(client, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser)
    sign_in(client, organiser)
    path = f"/invitations/{invitation.public_id}/door-note"
    response = post_form(client, path, {"note": "x" * 141})
    assert response.status_code == 400 and "140 characters or fewer" in response.get_data(as_text=True)
    response = post_form(client, path, {"note": "Needs the lift key"})
    assert response.status_code == 302
    assert "Needs the lift key" in client.get(f"/invitations/{invitation.public_id}").get_data(as_text=True)
    assert "Note: Needs the lift key" in client.get(f"/door/events/{event.public_id}").get_data(as_text=True)


def test_a_revoked_invitations_old_door_code_no_longer_works_and_the_new_one_does(client, app, tonight):
    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Ruby", last_name="Adeyemi")
    old = invitation.door_code
    from cpevents.invitations.services import revoke_and_resend

    with app.test_request_context():
        revoke_and_resend(invitation, by=organiser)
    db.session.commit()
    assert invitation.door_code != old
    sign_in(client, door_helper(event))
    page = client.get(f"/door/{old}")
    assert page.status_code == 404 and "replaced by a new one" in page.get_data(as_text=True)
    assert "Ruby A" in client.get(f"/door/{invitation.door_code}").get_data(as_text=True)
    db.session.refresh(invitation)
    assert invitation.checked_in_at is None


def test_a_search_with_a_nul_byte_is_just_a_search(client, tonight):
    """Found by the no-5xx property test on PostgreSQL, which refuses NUL in text."""
    event, organiser = tonight
    coming(event, organiser, first_name="Amara")
    sign_in(client, door_helper(event))
    response = client.get(f"/door/events/{event.public_id}?q=Am%00")
    assert response.status_code == 200 and "Amara" in response.get_data(as_text=True)
