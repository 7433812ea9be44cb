"""What people receive, read from the SMTP sink: neutral subjects, the event's details, a calendar
link and a personal cancel link; and the calendar file itself."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from icalendar import Calendar

from cpevents.core.time import LONDON
from cpevents.extensions import db
from cpevents.registrations import services
from cpevents.registrations.services import cancel_registration, register
from tests.registrations.helpers import THEME, audiences, details, make_event


def _register(app, event, audience, **fields):
    with app.test_request_context():
        outcome = register(event, audience, details(**fields))
        db.session.commit()
    return outcome.registration


def test_confirmation_email_has_the_details_a_calendar_link_and_a_cancel_link(app, client, smtp_sink):
    event, _ = make_event()
    _register(app, event, audiences(event)[1], email="cllr.green@example.org", name="Cllr Green")
    message = smtp_sink.wait_for("cllr.green@example.org")[0]
    assert message["subject"] == "Your registration"
    text = smtp_sink.text(message)
    assert "Hello Cllr Green" in text and "You have a place" in text
    assert event.name in text and THEME in text and "The Forum, Market Street" in text and "Registered as: Councillors" in text
    assert "Registered as: Councillors\r\n\r\nAdd it to your calendar" in text  # once sent as "CouncillorsAdd it"
    assert event.starts_at.astimezone(LONDON).strftime("%A %-d %B %Y") in text
    calendar = re.search(r"https?://\S+/calendar\.ics", text).group(0)
    assert client.get(urlsplit(calendar).path).status_code == 200
    cancel = re.search(r"https?://\S+/registrations/cancel/(\S+)", text)
    assert cancel and len(cancel.group(1)) >= 22
    assert cancel.group(1) not in (event.public_id,)
    html = smtp_sink.html(message)
    assert "Add it to your calendar" in html and "cancel your registration" in html


def test_waiting_list_email_says_so(app, smtp_sink):
    event, _ = make_event(councillors=1)
    _register(app, event, audiences(event)[1])
    _register(app, event, audiences(event)[1], email="second@example.org")
    text = smtp_sink.text(smtp_sink.wait_for("second@example.org")[0])
    assert "you are on the waiting list" in text


def test_the_first_on_the_waiting_list_is_emailed_when_a_place_frees_up(app, smtp_sink):
    event, _ = make_event(professionals=1)
    first = _register(app, event, audiences(event)[0], email="a@example.org")
    _register(app, event, audiences(event)[0], email="b@example.org")
    with app.test_request_context():
        cancel_registration(first)
        db.session.commit()
    cancelled = smtp_sink.wait_for("a@example.org", count=2)[-1]
    assert cancelled["subject"] == services.SUBJECT_CANCELLED
    place = smtp_sink.wait_for("b@example.org", count=2)[-1]
    assert place["subject"] == "Your registration: a place for you"
    assert "it is yours" in smtp_sink.text(place)
    assert "/registrations/cancel/" in smtp_sink.text(place)


def test_subjects_are_neutral():
    for subject in (services.SUBJECT_REGISTERED, services.SUBJECT_AGAIN, services.SUBJECT_PLACE, services.SUBJECT_CANCELLED):
        assert "care" not in subject.lower()


def test_calendar_file_content(client):
    event, _ = make_event()
    body = client.get(f"/events/{event.public_id}/calendar.ics").get_data()
    cal = Calendar.from_ical(body)
    item = next(c for c in cal.walk("VEVENT"))
    assert str(item["summary"]) == event.name
    assert item.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert item.decoded("dtend") > item.decoded("dtstart")
    assert str(item["location"]) == "The Forum, Market Street"
    assert THEME in str(item["description"]) and "Aisha, Ben and Kai" in str(item["description"])
    assert str(item["uid"]).startswith(f"event-{event.public_id}")
