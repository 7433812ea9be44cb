"""Attendance on the objective report: from check-in at the door, per event held in the period,
young people and guests against who was coming, each registered audience against who had a
place; small numbers as "fewer than 5"; no names; the XLSX Evidence says the same."""

from __future__ import annotations

import io
from datetime import timedelta

from flask import current_app
from openpyxl import load_workbook

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.door.services import check_in, check_in_registration
from cpevents.events.models import EventKind
from cpevents.extensions import db
from cpevents.registrations.models import AudienceKind
from cpevents.registrations.services import Details, add_audience, register
from cpevents.reports.queries import Period, objective_report
from tests.door.helpers import coming, door_event
from tests.factories import make_user, sign_in


def _held_today(kind: EventKind):
    """An event today at 6pm (so the door is open), moved into the past after check-in."""
    event, organiser = door_event()
    event.kind = kind
    db.session.commit()
    return event, organiser


def test_attendance_counts_who_was_checked_in_at_the_door(client):
    event, organiser = _held_today(EventKind.CARE_LEAVERS_WEEK)
    invitations = [coming(event, organiser, first_name=f"Young{i}", last_name="Secretsurname") for i in range(6)]
    councillors = add_audience(event, name="Councillors", kind=AudienceKind.COUNCILLORS, capacity=None, registration_open=True)
    professionals = add_audience(event, name="Professionals", kind=AudienceKind.PROFESSIONALS, capacity=None, registration_open=True)
    db.session.commit()
    with current_app.test_request_context():
        people = [register(event, professionals, Details(name=f"Pro {i}", email=f"pro{i}@example.org"), now=event.starts_at - timedelta(days=3)).registration
                  for i in range(7)]
        register(event, councillors, Details(name="Cllr Only", email="cllr@example.org"), now=event.starts_at - timedelta(days=3))
    db.session.commit()
    helper = make_user(Role.ORGANISER)
    for invitation in invitations[:5]:
        check_in(invitation, by=helper)  # 5 young people and their 10 guests
    for registration in people[:6]:
        check_in_registration(registration, by=helper)
    # The event is over: move it into the past so it counts as held.
    event.starts_at = utcnow() - timedelta(hours=1)
    event.closed_at = utcnow()
    db.session.commit()

    report = objective_report(Period.current())
    [row] = report.attendance_of(EventKind.CARE_LEAVERS_WEEK)
    assert (row.young_people, row.young_people_expected, row.guests, row.guests_expected) == (5, 6, 10, 12)
    assert row.audiences == (("Councillors", 0, 1), ("Professionals", 6, 7)) and row.final

    sign_in(client, make_user(Role.BOARD, totp=True))
    html = client.get("/reports/objective").get_data(as_text=True)
    assert "Who came to Care Leavers’ Week, by audience" in html
    assert f"{event.name}: professionals" in html and f"{event.name}: councillors" in html
    assert "Secretsurname" not in html and "Pro 1" not in html and "Cllr Only" not in html
    assert "fewer than 5" in html  # the one councillor with a place
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(client.get("/reports/objective.xlsx").data)).active.iter_rows()]
    evidence = rows[2][2]
    assert f"{event.name} (Care Leavers' Week): 5 of 6 young people coming, with 10 guests; councillors 0 of fewer than 5; professionals 6 of 7" in evidence


def test_an_event_with_nobody_checked_in_says_not_recorded_not_zero(client):
    event, organiser = _held_today(EventKind.PROUD_AWARDS)
    coming(event, organiser)
    event.starts_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    [row] = objective_report(Period.current()).attendance_of(EventKind.PROUD_AWARDS)
    assert not row.recorded and not row.final
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    html = client.get("/reports/objective").get_data(as_text=True)
    assert "Not recorded at the door" in html and "(not closed yet: may change)" in html


def test_an_event_that_has_not_started_is_not_in_the_attendance():
    event, organiser = door_event(days_from_today=5)
    coming(event, organiser)
    assert all(a.name != event.name for a in objective_report(Period.current()).attendance)
