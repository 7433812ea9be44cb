"""Factories for invitation tests: plain functions, as in tests/factories.py."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import current_app

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.events.models import EventKind
from cpevents.events.services import create_event
from cpevents.extensions import db
from cpevents.invitations import services
from cpevents.young_people.models import CareStatus
from cpevents.young_people.services import create_young_person
from tests.factories import csrf_from, make_user

_n = iter(range(1, 10_000_000))


def make_event(capacity: int | None = 180, days: int = 60, reply_in_days: int | None = 30, **settings):
    organiser = make_user(Role.ORGANISER, totp=True)
    event = create_event(kind=EventKind.PROUD_AWARDS, name=f"Awards {next(_n)}", starts_at=utcnow() + timedelta(days=days), venue="County Hall, Main Chamber",
                         capacity=capacity, description="", min_age=11, max_age=25, by=organiser)
    s = services.settings_for(event)
    s.reply_by = utcnow() + timedelta(days=reply_in_days) if reply_in_days is not None else None
    for name, value in settings.items():
        setattr(s, name, value)
    db.session.commit()
    return event, organiser


def make_person(organiser, email: str | None = "", **fields):
    n = next(_n)
    data = {"first_name": fields.pop("first_name", f"Kai{n}"), "last_name": fields.pop("last_name", "Mensah"), "date_of_birth": fields.pop("date_of_birth", date(2008, 3, 14)),
            "care_status": CareStatus.IN_CARE}
    person = create_young_person(data, by=organiser)
    person.email = f"young{n}@example.org" if email == "" else (email or "")
    for name, value in fields.items():
        setattr(person, name, value)
    db.session.commit()
    return person


def invited(event, organiser, **person_fields):
    person = make_person(organiser, **person_fields)
    invitation = services.invite(event, person, by=organiser)
    db.session.commit()
    return invitation


def link_for(invitation) -> str:
    """A working personal link's path, as the email would carry it."""
    with current_app.test_request_context():
        url = services.issue_link(invitation)
    db.session.commit()
    return "/i/" + url.rsplit("/i/", 1)[1]


def open_link(client, invitation):
    response = client.get(link_for(invitation))
    assert response.status_code == 302 and response.headers["Location"].endswith("/invitation"), response.status_code
    return response


def post(client, path: str, data: dict, get_path: str | None = None):
    page = client.get(get_path or path)
    token = csrf_from(page.get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def reply_yes(client, guests=(("Sam Carer", "adult"), ("Lily", "child")), dietary=("vegetarian",), **needs):
    response = post(client, "/invitation/can-you-come", {"attending": "yes"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    data = {"guest_count": str(len(guests))}
    for i, (name, age) in enumerate(guests, start=1):
        data[f"guest{i}_name"], data[f"guest{i}_age"] = name, age
    response = post(client, "/invitation/guests", data)
    assert response.status_code == 302, error_text(response)
    data = {"dietary": list(dietary), "travel_help": "no", "name_read": "first_name", **needs}
    response = post(client, "/invitation/your-needs", data)
    assert response.status_code == 302, error_text(response)
    return post(client, "/invitation/check-your-answers", {})


def reply_simple(client, attending: str):
    response = post(client, "/invitation/can-you-come", {"attending": attending})
    assert response.status_code == 302
    return post(client, "/invitation/check-your-answers", {})


def error_text(response) -> str:
    html = response.get_data(as_text=True)
    return " | ".join(re.findall(r'govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>\s*([^<]+)', html)) or html[:2000]
