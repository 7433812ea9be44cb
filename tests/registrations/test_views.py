"""The public registration page, the cancel link and the organisers' pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.registrations import services
from cpevents.registrations.models import Registration, RegistrationStatus
from cpevents.registrations.services import register
from tests.factories import csrf_from, make_user, post_form, sign_in
from tests.registrations.helpers import CREDIT, THEME, audiences, details, form_data, make_event


def _page(event) -> str:
    return f"/events/{event.public_id}/register"


def test_public_page_shows_the_event_theme_description_and_planning_credit(client):
    event, _ = make_event()
    page = client.get(_page(event))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert event.name.replace("'", "&#39;") in html
    assert THEME in html
    assert "An afternoon of music, food and conversation." in html
    assert CREDIT.replace("'", "&#39;") in html
    assert "(UK time)" in html
    # Only audiences open to registration are offered.
    assert "Professionals" in html and "Councillors" in html


def test_closed_audience_is_not_offered(client):
    event, _ = make_event()
    audiences(event)[1].registration_open = False
    db.session.commit()
    html = client.get(_page(event)).get_data(as_text=True)
    assert 'value="' + audiences(event)[1].public_id + '"' not in html
    assert 'value="' + audiences(event)[0].public_id + '"' in html


def test_registering_confirms_and_shows_what_happens_next(client, smtp_sink):
    event, _ = make_event()
    councillors = audiences(event)[1]
    data = form_data(councillors, email="cllr.ada@example.org", dietary_needs="Vegetarian")
    response = post_form(client, _page(event), data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/events/{event.public_id}/register/done")
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your email" in done and "cllr.ada@example.org" in done
    registration = db.session.execute(db.select(Registration).where(Registration.email == "cllr.ada@example.org")).scalar_one()
    assert registration.audience_id == councillors.id and registration.status == RegistrationStatus.CONFIRMED
    assert registration.dietary_needs == "Vegetarian"
    email = smtp_sink.wait_for("cllr.ada@example.org")[-1]
    assert email["subject"] == services.SUBJECT_REGISTERED and "You have a place" in smtp_sink.text(email)


def test_a_full_audience_puts_people_on_its_waiting_list_and_the_email_says_so(client, smtp_sink):
    event, _ = make_event(councillors=1)
    councillors = audiences(event)[1]
    register(event, councillors, details())
    db.session.commit()
    response = post_form(client, _page(event), form_data(councillors, email="late@example.org"))
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your email" in done and "late@example.org" in done
    assert "you are on the waiting list" in smtp_sink.text(smtp_sink.wait_for("late@example.org")[-1])


def test_errors_are_beside_each_field_and_what_was_typed_is_kept(client):
    event, _ = make_event()
    councillors = audiences(event)[1]
    response = post_form(client, _page(event), form_data(councillors, email="", name="Cllr Ada Lovelace", organisation="", access_needs="Hearing loop"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html and "Enter your email address" in html
    assert 'id="organisation-error"' in html
    assert 'value="Cllr Ada Lovelace"' in html and 'value="Hearing loop"' in html
    assert re.search(r'value="' + councillors.public_id + r'"\s+checked', html) or re.search(r'checked[^>]*value="' + councillors.public_id, html)
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one() == 0


def test_a_badly_formed_email_address_is_explained(client):
    event, _ = make_event()
    html = post_form(client, _page(event), form_data(audiences(event)[0], email="not an address")).get_data(as_text=True)
    assert "Enter an email address in the correct format" in html


def test_no_audience_chosen_or_a_made_up_one(client):
    event, _ = make_event()
    for value in ("", "00000000-0000-0000-0000-000000000000"):
        response = post_form(client, _page(event), form_data(audiences(event)[0], audience=value))
        assert response.status_code == 400
        assert "Select which of these you are" in response.get_data(as_text=True)


def _done_page(client, event, data) -> str:
    response = post_form(client, _page(event), data)
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_page_after_registering_reads_the_same_for_an_address_already_registered(app, smtp_sink):
    """A stranger who types someone's address learns nothing from the page: it is the page a new
    registration gets, word for word. The owner is told by email instead."""
    event, _ = make_event()
    professionals, councillors = audiences(event)
    register(event, professionals, details(email="owner@example.org", name="Olive Owner"))
    db.session.commit()
    stranger, newcomer = app.test_client(), app.test_client()
    already = _done_page(stranger, event, form_data(councillors, email="owner@example.org", name="A Stranger"))
    new = _done_page(newcomer, event, form_data(councillors, email="newcomer@example.org", name="A Newcomer"))
    assert already.replace("owner@example.org", "ADDRESS") == new.replace("newcomer@example.org", "ADDRESS")
    assert "Check your email" in already and "Olive Owner" not in already and "Professionals" not in already
    with stranger.session_transaction() as session:
        assert "duplicate" not in str(dict(session)) and "registration" not in session.get("registered", {})
    assert db.session.execute(db.select(db.func.count()).select_from(Registration).where(Registration.event_id == event.id)).scalar_one() == 2
    owner = db.session.execute(db.select(Registration).where(Registration.email == "owner@example.org")).scalar_one()
    assert (owner.name, owner.audience_id) == ("Olive Owner", professionals.id)  # their details stand
    sent = smtp_sink.wait_for("owner@example.org", count=2)
    assert sent[-1]["subject"] == services.SUBJECT_AGAIN
    text = smtp_sink.text(sent[-1])
    assert "Someone tried to register" in text and "nothing has changed" in text and "still works" in text


def test_typing_a_registered_address_again_does_not_stop_the_owners_cancel_link(app, smtp_sink):
    event, _ = make_event()
    professionals, _ = audiences(event)
    registration = register(event, professionals, details(email="owner@example.org")).registration
    db.session.commit()
    first_link = _cancel_path(smtp_sink, "owner@example.org")
    stranger = app.test_client()
    for _ in range(2):
        _done_page(stranger, event, form_data(professionals, email="OWNER@example.org"))
    sent = smtp_sink.wait_for("owner@example.org", count=3)
    added = [re.search(r"https?://\S+(/registrations/cancel/\S+)", smtp_sink.text(m)).group(1) for m in sent[1:]]
    assert len({first_link, *added}) == 3
    owner = app.test_client()
    for path in (first_link, *added):
        assert owner.get(path).status_code == 200, path  # every link we sent still works
    assert post_form(owner, first_link, {}).status_code == 200
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.CANCELLED
    for path in (first_link, *added):
        assert owner.get(path).status_code == 404  # cancelled: none of them works any more


@pytest.mark.parametrize("why", ["closed", "started", "audience"])
def test_registration_refused_with_a_clear_message(client, why):
    event, _ = make_event()
    councillors = audiences(event)[1]
    token = csrf_from(client.get(_page(event)).get_data(as_text=True))
    if why == "closed":
        event.closed_at = utcnow()
    elif why == "started":
        event.starts_at = utcnow() - timedelta(minutes=1)
    else:
        councillors.registration_open = False
    db.session.commit()
    response = client.post(_page(event), data={"csrf_token": token, **form_data(councillors)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    expected = {"closed": "finished and is closed", "started": "already started", "audience": "Registration is closed for Councillors"}[why]
    assert expected in html
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one() == 0


def test_registration_page_for_an_event_with_no_audiences_says_it_is_not_open(client):
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event

    event = create_event(kind=EventKind.PROUD_AWARDS, name="Awards", starts_at=utcnow() + timedelta(days=9), venue="", capacity=None, description="", min_age=11, max_age=25, by=None)
    db.session.commit()
    page = client.get(_page(event))
    assert page.status_code == 200 and "Registration is not open" in page.get_data(as_text=True)
    assert client.get(f"/events/{event.public_id}/calendar.ics").status_code == 404


def test_unknown_event_is_404(client):
    assert client.get("/events/00000000-0000-0000-0000-000000000000/register").status_code == 404


def test_done_page_without_registering_goes_back_to_the_form(client):
    event, _ = make_event()
    response = client.get(f"/events/{event.public_id}/register/done")
    assert response.status_code == 302 and response.headers["Location"].endswith(_page(event))


# --- the cancel link ------------------------------------------------------------------------------


def _cancel_path(smtp_sink, email: str) -> str:
    text = smtp_sink.text(smtp_sink.wait_for(email)[-1])
    return re.search(r"https?://\S+(/registrations/cancel/\S+)", text).group(1)


def test_cancel_link_get_changes_nothing_and_post_cancels_and_promotes(client, smtp_sink):
    event, _ = make_event(professionals=1)
    professionals = audiences(event)[0]
    first = register(event, professionals, details(email="first@example.org")).registration
    waiting = register(event, professionals, details(email="waiting@example.org")).registration
    db.session.commit()
    path = _cancel_path(smtp_sink, "first@example.org")
    assert len(path.rsplit("/", 1)[1]) >= 22  # at least 128 bits
    page = client.get(path)
    assert page.status_code == 200 and "Cancel your registration" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    db.session.refresh(first)
    assert first.status == RegistrationStatus.CONFIRMED
    response = post_form(client, path, {})
    assert response.status_code == 200 and "Your registration is cancelled" in response.get_data(as_text=True)
    db.session.refresh(first)
    db.session.refresh(waiting)
    assert first.status == RegistrationStatus.CANCELLED and first.cancelled_by_id is None
    assert waiting.status == RegistrationStatus.CONFIRMED
    place = smtp_sink.wait_for("waiting@example.org", count=2)[-1]
    assert place["subject"] == services.SUBJECT_PLACE
    # The link has done its job.
    assert client.get(path).status_code == 404


def test_a_bad_cancel_token_is_404(client):
    for token in ("nonsense", "x" * 43, "y" * 300):
        response = client.get(f"/registrations/cancel/{token}")
        assert response.status_code == 404 and "This link does not work" in response.get_data(as_text=True)


def test_cancel_link_after_the_event_started_changes_nothing(client, smtp_sink):
    event, _ = make_event()
    registration = register(event, audiences(event)[0], details(email="late@example.org")).registration
    db.session.commit()
    path = _cancel_path(smtp_sink, "late@example.org")
    event.starts_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(path)
    assert "This event has started" in page.get_data(as_text=True)
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token}).status_code == 400
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.CONFIRMED


def test_calendar_file_for_the_event(client):
    event, _ = make_event()
    response = client.get(f"/events/{event.public_id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and "The Forum" in body


# --- organisers ------------------------------------------------------------------------------------


def _organiser(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))


def test_organiser_sees_counts_per_audience_on_the_event_page_and_the_list(client):
    event, _ = make_event(councillors=1)
    professionals, councillors = audiences(event)
    register(event, professionals, details(name="Priya Adviser"))
    register(event, councillors, details(name="Cllr One"))
    register(event, councillors, details(name="Cllr Two"))
    db.session.commit()
    _organiser(client)
    show = client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert "1 of 40" in show and "1 of 15" not in show and "1 of 1" in show
    assert THEME in show
    listing = client.get(f"/events/{event.public_id}/registrations").get_data(as_text=True)
    assert "Priya Adviser" in listing and "Cllr Two" in listing and "On the waiting list" in listing


def test_organiser_adds_an_audience_and_changes_its_places(client):
    event, _ = make_event()
    _organiser(client)
    response = post_form(client, f"/events/{event.public_id}/audiences/new", {"name": "Partner agencies", "kind": "other", "capacity": "20", "registration": "open"})
    assert response.status_code == 302
    partners = audiences(event)[2]
    assert (partners.name, partners.capacity, partners.registration_open) == ("Partner agencies", 20, True)
    path = f"/events/{event.public_id}/audiences/{partners.public_id}/edit"
    response = post_form(client, path, {"name": "Partner agencies", "kind": "other", "capacity": "", "registration": "closed"})
    assert response.status_code == 302
    db.session.refresh(partners)
    assert partners.capacity is None and not partners.registration_open
    bad = post_form(client, path, {"name": "Councillors", "kind": "other", "capacity": "ten", "registration": "open"})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "Places must be a whole number" in html


def test_organiser_cancels_a_registration_and_the_waiting_list_moves_up(client, smtp_sink):
    event, _ = make_event(professionals=1)
    professionals = audiences(event)[0]
    first = register(event, professionals, details(email="one@example.org")).registration
    waiting = register(event, professionals, details(email="two@example.org")).registration
    db.session.commit()
    _organiser(client)
    path = f"/registrations/{first.public_id}/cancel"
    assert client.get(path).status_code == 200
    db.session.refresh(first)
    assert first.status == RegistrationStatus.CONFIRMED
    response = post_form(client, path, {})
    assert response.status_code == 302
    db.session.refresh(first)
    db.session.refresh(waiting)
    assert first.status == RegistrationStatus.CANCELLED and first.cancelled_by_id is not None
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert "cancelled your registration" in smtp_sink.text(smtp_sink.wait_for("one@example.org", count=2)[-1])


def test_csv_export_is_safe_for_spreadsheets(client):
    event, _ = make_event()
    register(event, audiences(event)[0], details(name="=HYPERLINK(1)", organisation="Org"))
    db.session.commit()
    _organiser(client)
    response = client.get(f"/events/{event.public_id}/registrations.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffAudience,Status,Name")
    assert "'=HYPERLINK(1)" in body and "Has a place" in body


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.JUDGE, Role.BOARD, Role.CHAMPION, Role.DOOR_HELPER])
def test_organiser_pages_are_403_for_other_roles(client, role):
    event, _ = make_event()
    professionals = audiences(event)[0]
    registration = register(event, professionals, details()).registration
    db.session.commit()
    sign_in(client, make_user(role, totp=role == Role.BOARD))
    for path in (f"/events/{event.public_id}/registrations", f"/events/{event.public_id}/registrations.csv", f"/events/{event.public_id}/audiences/new",
                 f"/events/{event.public_id}/audiences/{professionals.public_id}/edit", f"/registrations/{registration.public_id}/cancel"):
        assert client.get(path).status_code == 403, path
    token = csrf_from(client.get("/account").get_data(as_text=True))
    assert client.post(f"/registrations/{registration.public_id}/cancel", data={"csrf_token": token}).status_code == 403
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.CONFIRMED


def test_registration_without_csrf_is_refused(client):
    event, _ = make_event()
    response = client.post(_page(event), data=form_data(audiences(event)[0]))
    assert response.status_code == 400
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one() == 0


def test_the_public_form_is_rate_limited(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER_ADDRESS", "5 per minute")
    event, _ = make_event()
    token = csrf_from(client.get(_page(event)).get_data(as_text=True))
    statuses = [client.post(_page(event), data={"csrf_token": token, **form_data(audiences(event)[0], email="")}).status_code for _ in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429


def test_registrations_list_queries_do_not_grow_with_rows(client):
    from tests.factories import queries_for

    event, _ = make_event()
    professionals, councillors = audiences(event)
    register(event, professionals, details())
    db.session.commit()
    _organiser(client)
    path = f"/events/{event.public_id}/registrations"
    few = queries_for(client, path)
    for n in range(20):
        register(event, professionals if n % 2 else councillors, details())
    db.session.commit()
    assert queries_for(client, path) == few
