"""Events, award categories, nomination windows (Europe/London) and eligibility rules."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.events.models import (
    AwardCategory,
    CareStatusRule,
    Event,
    EventKind,
    WindowState,
    check_eligibility,
)
from cpevents.events.services import create_event
from cpevents.extensions import db
from tests.factories import make_user, post_form, sign_in

EVENT_FORM = {
    "kind": "proud_awards",
    "name": "PROUD Awards 2027",
    "date": ["19", "3", "2027"],
    "start_time": "6:30pm",
    "venue": "County Hall",
    "capacity": "180",
    "description": "An evening to celebrate.",
    "min_age": "11",
    "max_age": "25",
}


@pytest.fixture
def organiser_client(client):
    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)
    client.organiser = organiser
    return client


def _event(organiser, **fields):
    values = {"kind": EventKind.PROUD_AWARDS, "name": "PROUD Awards 2027", "starts_at": datetime(2027, 3, 19, 18, 30, tzinfo=UTC),
              "venue": "", "capacity": None, "description": "", "min_age": 11, "max_age": 25, **fields}
    event = create_event(**values, by=organiser)
    db.session.commit()
    return event


def test_organiser_creates_a_proud_event_with_the_usual_categories(organiser_client):
    response = post_form(organiser_client, "/events/new", EVENT_FORM)
    event = db.session.execute(select(Event)).scalar_one()
    assert response.headers["Location"] == f"/events/{event.public_id}"
    # 6:30pm on 19 March 2027 in London is 18:30 UTC (GMT); stored in UTC
    assert event.starts_at == datetime(2027, 3, 19, 18, 30, tzinfo=UTC)
    names = [c.name for c in event.categories]
    assert names[:2] == ["Achievement in education", "Overcoming challenges"] and "Care leaver of the year" in names
    page = organiser_client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert "19 March 2027 at 6:30pm" in page and "Sport and fitness" in page


def test_summer_time_is_handled(organiser_client):
    post_form(organiser_client, "/events/new", {**EVENT_FORM, "date": ["20", "6", "2027"], "start_time": "18:30", "kind": "other", "name": "Summer"})
    event = db.session.execute(select(Event)).scalar_one()
    assert event.starts_at == datetime(2027, 6, 20, 17, 30, tzinfo=UTC)  # BST is UTC+1
    assert event.categories == []  # only PROUD events get the usual categories


@pytest.mark.parametrize(
    "change,message",
    [
        ({"kind": ""}, "Select what kind of event it is"),
        ({"name": ""}, "Enter the event name"),
        ({"date": ["30", "2", "2027"]}, "The event date must be a real date"),
        ({"date": ["", "", ""]}, "Enter the date of the event"),
        ({"date": ["1", "1", "1066"]}, "a year between 2000 and 2100"),
        ({"start_time": "25:00"}, "Enter a real time"),
        ({"start_time": "teatime"}, "Enter a real time"),
        ({"capacity": "lots"}, "Places must be a whole number"),
        ({"capacity": "0"}, "Places must be between 1 and 100,000"),
        ({"min_age": "20", "max_age": "12"}, "Oldest age must be the same as or more than the youngest age"),
        ({"name": "x" * 161}, "Event name must be 160 characters or fewer"),
    ],
)
def test_event_form_explains_bad_input_and_keeps_it(organiser_client, change, message):
    response = post_form(organiser_client, "/events/new", {**EVENT_FORM, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert 'value="County Hall"' in html
    assert db.session.execute(select(Event)).first() is None


def test_nomination_window_in_uk_time(organiser_client):
    event = _event(organiser_client.organiser)
    path = f"/events/{event.public_id}/nomination-window"
    bad = post_form(organiser_client, path, {"opens": ["1", "2", "2027"], "closes": ["1", "1", "2027"]})
    assert bad.status_code == 400 and "closing date must be the same as or after" in bad.get_data(as_text=True)
    late = post_form(organiser_client, path, {"opens": ["1", "2", "2027"], "closes": ["20", "3", "2027"]})
    assert late.status_code == 400 and "must close before the event" in late.get_data(as_text=True)
    ok = post_form(organiser_client, path, {"opens": ["1", "2", "2027"], "closes": ["28", "2", "2027"]})
    assert ok.status_code == 302
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.nominations_open_at == datetime(2027, 2, 1, 0, 0, tzinfo=UTC)
    assert event.nominations_close_at == datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
    assert event.nominations_last_day == date(2027, 2, 28)
    assert event.window_state(datetime(2027, 1, 31, 23, 59, tzinfo=UTC)) == WindowState.NOT_YET
    assert event.window_state(datetime(2027, 2, 28, 23, 59, 59, tzinfo=UTC)) == WindowState.OPEN
    assert event.window_state(datetime(2027, 3, 1, 0, 0, tzinfo=UTC)) == WindowState.CLOSED
    page = organiser_client.get(f"/events/{event.public_id}/nomination-window").get_data(as_text=True)
    assert 'value="28"' in page  # the form shows the saved last day back


def test_organiser_adds_and_changes_a_category(organiser_client):
    event = _event(organiser_client.organiser)
    path = f"/events/{event.public_id}/categories/new"
    bad = post_form(organiser_client, path, {"name": "Young carers", "description": "", "min_age": "18", "max_age": "16", "care_status_rule": "either"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Say in plain words what the category is for" in html and "Oldest age must be" in html
    assert 'value="Young carers"' in html
    ok = post_form(organiser_client, path, {"name": "Young carers", "description": "Caring for someone at home.", "min_age": "", "max_age": "18", "care_status_rule": "in_care"})
    assert ok.status_code == 302
    category = db.session.execute(select(AwardCategory).where(AwardCategory.name == "Young carers")).scalar_one()
    assert category.age_range == (11, 18) and category.position == len(event.categories) - 1
    edit = f"/events/{event.public_id}/categories/{category.public_id}/edit"
    assert 'value="Young carers"' in organiser_client.get(edit).get_data(as_text=True)
    post_form(organiser_client, edit, {"name": "Young carers award", "description": "Caring for someone.", "care_status_rule": "either"})
    db.session.expire_all()
    assert db.session.get(AwardCategory, category.id).name == "Young carers award"


def test_category_of_another_event_is_404(organiser_client):
    first, second = _event(organiser_client.organiser), _event(organiser_client.organiser, name="Other")
    path = f"/events/{first.public_id}/categories/{second.categories[0].public_id}/edit"
    assert organiser_client.get(path).status_code == 404


def test_eligibility_in_plain_words(app):
    organiser = make_user(Role.ORGANISER)
    event = _event(organiser)  # 19 March 2027
    education = event.categories[0]
    leaver = next(c for c in event.categories if c.care_status_rule == CareStatusRule.CARE_LEAVER)
    ok = check_eligibility(education, date_of_birth=date(2010, 3, 19), care_status="in_care", worked_with_recently=True)
    assert ok.eligible and ok.reasons == ()
    too_young = check_eligibility(education, date_of_birth=date(2016, 3, 20), care_status="in_care", worked_with_recently=True)
    assert not too_young.eligible and "aged 11 to 25 on 19 March 2027. They will be 10 then." in too_young.reasons[0]
    # 25 on the day is still eligible; 26 is not
    assert check_eligibility(education, date_of_birth=date(2001, 3, 20), care_status="care_leaver", worked_with_recently=True).eligible
    assert not check_eligibility(education, date_of_birth=date(2001, 3, 19), care_status="care_leaver", worked_with_recently=True).eligible
    wrong_status = check_eligibility(leaver, date_of_birth=date(2005, 1, 1), care_status="in_care", worked_with_recently=True)
    assert wrong_status.reasons == ("Care leaver of the year is for care leavers.",)
    not_worked = check_eligibility(education, date_of_birth=date(2010, 1, 1), care_status="in_care", worked_with_recently=False)
    assert "worked with them in the last 12 months" in not_worked.reasons[0]


def test_demo_has_an_open_proud_event(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    event = db.session.execute(select(Event).where(Event.name == "PROUD Awards (demo)")).scalar_one()
    assert event.nominations_open() and len(event.categories) == 7


def test_specific_number_message_wins_over_required(organiser_client):
    response = post_form(organiser_client, "/events/new", {**EVENT_FORM, "min_age": "eleven"})
    html = response.get_data(as_text=True)
    assert "Youngest age must be a whole number, like 11" in html and "Enter the youngest age" not in html
    spaces = post_form(organiser_client, "/events/new", {**EVENT_FORM, "name": "   "})
    assert "Enter the event name" in spaces.get_data(as_text=True)
