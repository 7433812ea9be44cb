"""Random input to every form of the foundation never produces a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpevents.core.enums import Role
from cpevents.extensions import limiter
from tests.conftest import csrf_from, make_user, sign_in

# Any text at all, including control characters, huge strings and odd unicode.
values = st.one_of(st.text(max_size=400), st.sampled_from(["", " ", "\x00", "a@b", "x" * 5000, "organiser", "judge", "1e309", "%00", "<script>"]))

PUBLIC_FORMS = {
    "/sign-in": ["email", "password"],
    "/register": ["name", "email", "organisation", "job_title", "purpose", "password"],
    "/forgot-password": ["email"],
}
ORGANISER_FORMS = {
    "/people/invite": ["name", "email", "roles"],
    "/account/password": ["current", "password", "confirm"],
}
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _fuzz(client, path, fields, data, get_path=None):
    limiter.reset()
    page = client.get(get_path or path)
    token = csrf_from(page.get_data(as_text=True))
    payload = {"csrf_token": token}
    for field in fields:
        value = data.draw(values)
        if field == "roles":
            payload[field] = [value, data.draw(values)]
        elif field in ("date_of_birth", "date", "opens", "closes"):
            payload[field] = data.draw(st.lists(values, max_size=4))
        else:
            payload[field] = value
    response = client.post(path, data=payload)
    assert response.status_code < 500, (path, payload, response.status_code)


@pytest.mark.parametrize("path", list(PUBLIC_FORMS))
@SETTINGS
@given(data=st.data())
def test_public_forms_never_500(client, path, data):
    _fuzz(client, path, PUBLIC_FORMS[path], data)


@pytest.fixture
def organiser_client(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    return client


@SETTINGS
@given(data=st.data())
def test_signed_in_forms_never_500(organiser_client, data):
    person = make_user(Role.NOMINATOR)
    forms = {**ORGANISER_FORMS, f"/people/{person.public_id}/roles": ["roles"]}
    for path, fields in forms.items():
        get_path = f"/people/{person.public_id}" if path.endswith("/roles") else None
        _fuzz(organiser_client, path, fields, data, get_path=get_path)
    assert organiser_client.get("/organiser").status_code == 200  # still signed in


@SETTINGS
@given(data=st.data())
def test_personal_link_and_second_factor_forms_never_500(client, data):
    from cpevents.accounts.models import TokenPurpose
    from cpevents.accounts.services import issue_token
    from cpevents.extensions import db
    from datetime import timedelta

    user = make_user(Role.NOMINATOR)
    token = issue_token(user, TokenPurpose.RESET_PASSWORD, timedelta(minutes=60))
    db.session.commit()
    _fuzz(client, f"/reset-password/{token}", ["password", "confirm"], data)
    organiser = make_user(Role.ORGANISER, totp=True)
    limiter.reset()
    page = client.get("/sign-in")
    client.post("/sign-in", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "email": organiser.email, "password": "correct horse battery staple"})
    _fuzz(client, "/sign-in/code", ["code"], data)
    _fuzz(client, "/sign-in/recovery-code", ["code"], data, get_path="/sign-in/recovery-code")


@SETTINGS
@given(data=st.data())
def test_young_person_forms_never_500(organiser_client, data):
    _fuzz(organiser_client, "/young-people/new", ["first_name", "last_name", "preferred_name", "date_of_birth", "care_status", "district", "email", "name_shown", "do_not_publish", "contact_restriction", "contact_restriction_note"], data)
    assert organiser_client.get("/young-people?q=" + data.draw(st.text(max_size=50)).replace("&", "")).status_code < 500


@SETTINGS
@given(data=st.data())
def test_event_forms_never_500(organiser_client, data):
    from datetime import datetime, timezone

    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.extensions import db

    _fuzz(organiser_client, "/events/new", ["kind", "name", "date", "start_time", "venue", "capacity", "description", "min_age", "max_age"], data)
    event = create_event(kind=EventKind.PROUD_AWARDS, name="Fuzz", starts_at=datetime(2030, 3, 1, 18, tzinfo=timezone.utc), venue="",
                         capacity=None, description="", min_age=11, max_age=25, by=None)
    db.session.commit()
    _fuzz(organiser_client, f"/events/{event.public_id}/nomination-window", ["opens", "closes"], data)
    _fuzz(organiser_client, f"/events/{event.public_id}/categories/new", ["name", "description", "min_age", "max_age", "care_status_rule"], data)
    _fuzz(organiser_client, f"/events/{event.public_id}/edit", ["kind", "name", "date", "start_time", "min_age", "max_age"], data)


NOMINATION_STEPS = {
    "young-person": ["first_name", "last_name", "date_of_birth", "care_status", "district"],
    "you": ["relationship_type", "worked_with_recently"],
    "category": ["category"],
    "achievement": ["achievement"],
    "background": ["background"],
    "safety": ["young_person_knows", "not_known_reason", "public_concern", "public_concern_details", "contact_restriction_details"],
}


@SETTINGS
@given(data=st.data())
def test_nomination_forms_never_500(app, data):
    from cpevents.extensions import db
    from cpevents.nominations.services import start_nomination
    from tests.nominations.test_journey import open_event

    nominator = make_user(Role.NOMINATOR)
    event = open_event()
    nomination = start_nomination(event, by=nominator)
    db.session.commit()
    client = app.test_client()  # a new browser for each example
    sign_in(client, nominator)
    for slug, fields in NOMINATION_STEPS.items():
        _fuzz(client, f"/nominations/{nomination.public_id}/{slug}", fields, data)
    _fuzz(client, f"/nominations/{nomination.public_id}/check", [], data)
    _fuzz(client, f"/nominations/{nomination.public_id}/withdraw", ["confirm"], data)


@SETTINGS
@given(data=st.data())
def test_review_forms_never_500(organiser_client, data):
    from datetime import date

    from cpevents.extensions import db
    from cpevents.nominations.review import match_nomination
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person
    from tests.nominations.test_journey import open_event
    from tests.nominations.test_review import sent_nomination

    event = open_event()
    organiser = make_user(Role.ORGANISER)
    person = create_young_person({"first_name": "Kai", "last_name": "Mensah", "date_of_birth": date(2010, 2, 14), "care_status": CareStatus.IN_CARE}, by=organiser)
    file = match_nomination(sent_nomination(event), person, by=organiser)
    unmatched = sent_nomination(event, first_name="Other")
    db.session.commit()
    page = f"/nomination-files/{file.public_id}"
    for action, fields in {"accept": ["accept-reason"], "not-eligible": ["ineligible-reason"], "safety-reviewed": ["safety-reason"], "award": ["award-category", "award-reason"]}.items():
        _fuzz(organiser_client, f"{page}/{action}", fields, data, get_path=page)
    _fuzz(organiser_client, f"/nominations/{unmatched.public_id}/match", ["person"], data)
    query = data.draw(st.text(max_size=40)).replace("&", "").replace("#", "")
    assert organiser_client.get(f"/events/{event.public_id}/nominations?q={query}&status={query}&flagged=y").status_code < 500
