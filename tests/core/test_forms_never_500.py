"""Random input to every form of the foundation never produces a server error."""

from datetime import UTC

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpevents.core.enums import Role
from cpevents.extensions import limiter
from tests.factories import csrf_from, make_user, sign_in

# Any text at all, including control characters, huge strings and odd unicode.
values = st.one_of(st.text(max_size=400), st.sampled_from(["", " ", "\x00", "a@b", "x" * 5000, "organiser", "judge", "1e309", "%00", "<script>"]))

PUBLIC_FORMS = {
    "/sign-in": ["email", "password"],
    "/register": ["name", "email", "organisation", "job_title", "purpose", "password"],
    "/forgot-password": ["email"],
    "/champions/apply": ["name", "email", "job_title", "service", "pledges", "pledge_words"],
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
        if field in ("roles", "pledges"):
            payload[field] = [value, data.draw(values)]
        elif field in ("date_of_birth", "date", "opens", "closes", "achieved_on", "done_on"):
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
    from datetime import timedelta

    from cpevents.accounts.models import TokenPurpose
    from cpevents.accounts.services import issue_token
    from cpevents.extensions import db

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
    from datetime import datetime

    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.extensions import db

    _fuzz(organiser_client, "/events/new", ["kind", "name", "date", "start_time", "venue", "capacity", "description", "theme", "planning_credit", "min_age", "max_age"], data)
    event = create_event(kind=EventKind.PROUD_AWARDS, name="Fuzz", starts_at=datetime(2030, 3, 1, 18, tzinfo=UTC), venue="",
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


@SETTINGS
@given(data=st.data())
def test_champion_and_achievement_forms_never_500(app, organiser_client, data):
    from datetime import date

    from cpevents.champions.models import PledgeKind
    from cpevents.champions.queries import active_services
    from cpevents.champions.services import apply_signed_in, approve_champion
    from cpevents.extensions import db
    from cpevents.young_people.models import CareStatus, WorkerRelationship
    from cpevents.young_people.services import create_young_person, link_worker

    organiser = make_user(Role.ORGANISER)
    champion_user = make_user(Role.NOMINATOR)
    with app.test_request_context():
        champion = apply_signed_in(champion_user, job_title="Officer", service=active_services()[0], pledges=[PledgeKind.MENTOR], pledge_words="x")
        pending = apply_signed_in(make_user(Role.NOMINATOR), job_title="Officer", service=active_services()[1], pledges=[PledgeKind.OTHER], pledge_words="y")
        approve_champion(champion, by=organiser)
    person = create_young_person({"first_name": "Kai", "last_name": "Mensah", "date_of_birth": date(2010, 2, 14), "care_status": CareStatus.IN_CARE}, by=organiser)
    link_worker(person, champion_user.email, WorkerRelationship.OTHER, by=organiser)
    db.session.commit()
    page = f"/champions/applications/{pending.public_id}"
    _fuzz(organiser_client, f"{page}/decline", ["reason"], data, get_path=page)
    _fuzz(organiser_client, "/champions/services", ["name"], data)
    client = app.test_client()
    sign_in(client, champion_user)
    _fuzz(client, f"/your-young-people/{person.public_id}/achievements/new", ["achieved_on", "area", "description", "celebrated_with"], data)
    _fuzz(client, f"/champion/pledges/{champion.pledges[0].public_id}/record", ["done_on", "what"], data)
    _fuzz(client, "/champions/apply", ["job_title", "service", "pledges", "pledge_words"], data)
    query = data.draw(st.text(max_size=40)).replace("&", "").replace("#", "")
    assert client.get(f"/champions?service={query}").status_code < 500
    assert organiser_client.get(f"/reports/objective?year={query}").status_code < 500
    assert client.get(f"/achievements?page={query}").status_code < 500


@SETTINGS
@given(data=st.data())
def test_judging_forms_never_500(app, organiser_client, data):
    from cpevents.extensions import db
    from cpevents.judging.models import Assignment
    from tests.judging.helpers import setup_panel

    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=2)
    assignment = Assignment(panel_id=panel.id, file_id=files[0].id, judge_id=judges[0].id)
    db.session.add(assignment)
    db.session.commit()
    base = f"/events/{event.public_id}/judging"
    _fuzz(organiser_client, base, ["min_scores"], data)
    _fuzz(organiser_client, f"{base}/judges/new", ["name", "email", "young_judge", "blind"], data)
    _fuzz(organiser_client, f"/judging/judges/{judges[1].public_id}", ["young_judge", "blind"], data)
    _fuzz(organiser_client, f"{base}/criteria/new", ["name", "description", "weight"], data)
    _fuzz(organiser_client, f"/judging/criteria/{panel.criteria[0].public_id}", ["name", "description", "weight"], data)
    _fuzz(organiser_client, f"{base}/assign", ["method", "per_file", "category", "judges"], data, get_path=base)
    _fuzz(organiser_client, f"{base}/conflicts", ["file", "judge", "conflict", "note"], data)
    decide_page = f"/judging/files/{files[0].public_id}"
    _fuzz(organiser_client, f"{decide_page}/shortlist", ["shortlist-chosen", "shortlist-reason"], data, get_path=decide_page)
    _fuzz(organiser_client, f"{decide_page}/winner", ["winner-chosen", "winner-reason"], data, get_path=decide_page)
    _fuzz(organiser_client, f"/judging/nominations/{files[0].live_nominations[0].public_id}/panel-text", ["text", "checked"], data)
    judge = app.test_client()
    sign_in(judge, judges[0].user)
    _fuzz(judge, f"/judging/{assignment.public_id}/conflict", ["conflict", "note"], data)
    db.session.refresh(assignment)
    if assignment.conflict is None:  # the fuzzed answer was refused: answer "no conflict" to reach the scores
        from cpevents.judging.models import ConflictType

        assignment.conflict = ConflictType.NONE
        db.session.commit()
    fields = [f"c_{c.public_id.replace('-', '')}" for c in panel.criteria] + ["comment", data.draw(st.sampled_from(["save", "submit"]))]
    if not assignment.conflicted:
        _fuzz(judge, f"/judging/{assignment.public_id}", fields, data)


@SETTINGS
@given(data=st.data())
def test_invitation_forms_never_500(organiser_client, app, data):
    """Issue 7: the organisers' invitation forms, a reply recorded for someone, and every page of
    the young person's reply behind the personal link."""
    from cpevents.extensions import db
    from cpevents.invitations.models import InvitationStatus
    from tests.invitations.helpers import invited, link_for, make_event

    event, organiser = make_event(capacity=3)
    invitation = invited(event, organiser, contact_restriction=True)
    base = f"/events/{event.public_id}/invitations"
    _fuzz(organiser_client, f"{base}/settings", ["guest_allowance", "reply_by", "asks", "offer_hours"], data)
    _fuzz(organiser_client, f"{base}/add", ["person"], data, get_path=base)
    _fuzz(organiser_client, f"/invitations/{invitation.public_id}/allowance", ["allowance"], data, get_path=f"/invitations/{invitation.public_id}")
    reply_fields = ["attending", "guest_count", "guest1_name", "guest1_age", "guest2_name", "guest2_age", "dietary", "dietary_other", "access",
                    "access_other", "travel_help", "travel_details", "photo_consent", "name_read"]
    _fuzz(organiser_client, f"/invitations/{invitation.public_id}/reply", reply_fields, data)
    assert organiser_client.get(f"{base}?q={data.draw(values)[:100]}&show={data.draw(values)[:50]}").status_code < 500
    # The young person's pages.
    other = invited(event, organiser)
    other.check_identity = data.draw(st.booleans())
    db.session.commit()
    young = app.test_client()
    young.get(link_for(other))
    if other.check_identity:
        _fuzz(young, "/invitation/check-its-you", ["date_of_birth"], data)
    db.session.refresh(other)
    if other.check_identity and not other.identity_locked:
        young.get(link_for(other))
        young.post("/invitation/check-its-you", data={"csrf_token": csrf_from(young.get("/invitation/check-its-you").get_data(as_text=True)),
                                                       "date_of_birth": ["14", "3", "2008"]})
    limiter.reset()
    if young.get("/invitation").status_code == 200:
        _fuzz(young, "/invitation/can-you-come", ["attending"], data)
        young.post("/invitation/can-you-come", data={"csrf_token": csrf_from(young.get("/invitation/can-you-come").get_data(as_text=True)), "attending": "yes"})
        _fuzz(young, "/invitation/guests", ["guest_count", "guest1_name", "guest1_age", "guest2_name", "guest2_age"], data)
        _fuzz(young, "/invitation/your-needs", reply_fields[6:], data)
        page = young.get("/invitation/check-your-answers")
        assert page.status_code < 500
        if page.status_code == 200:
            _fuzz(young, "/invitation/check-your-answers", [], data)
    assert InvitationStatus(db.session.get(type(other), other.id).status)


@SETTINGS
@given(data=st.data())
def test_feedback_forms_never_500(organiser_client, app, data):
    """Issue 8: closing an event, printing feedback letters, and the young person's questions."""
    from cpevents.extensions import db
    from cpevents.feedback.models import FeedbackResponse
    from tests.feedback.helpers import closed_event, feedback_link, past_event

    event, _, _, _ = past_event(replied=1, no_email=1)
    _fuzz(organiser_client, f"/events/{event.public_id}/close", ["submit"], data)
    closed, _, replied, _ = closed_event(replied=1, no_email=1)
    _fuzz(organiser_client, f"/events/{closed.public_id}/feedback/letters", ["submit"], data)
    young = app.test_client()
    young.get(feedback_link(replied[0]))
    limiter.reset()
    before = db.session.execute(db.select(db.func.count(FeedbackResponse.id))).scalar_one()
    fields = ["proud", "future", "supported", "views", "improve"]
    payload_values = st.one_of(values, st.sampled_from(["1", "2", "3", "4", "5", "skip", "0", "6", "-1", "5.0"]))
    page = young.get("/feedback")
    token = csrf_from(page.get_data(as_text=True))
    response = young.post("/feedback", data={"csrf_token": token, **{f: data.draw(payload_values) for f in fields}})
    assert response.status_code < 500
    after = db.session.execute(db.select(db.func.count(FeedbackResponse.id))).scalar_one()
    assert after - before <= 1
    assert young.get("/feedback").status_code < 500


@SETTINGS
@given(data=st.data())
def test_registration_forms_never_500(organiser_client, app, data):
    """Issue 8: the public registration page, the personal cancel link, and the organisers'
    audience and cancel forms."""
    from cpevents.extensions import db
    from cpevents.registrations.services import register
    from tests.registrations.helpers import audiences, details, make_event

    event, _ = make_event(professionals=1)
    professionals, councillors = audiences(event)
    with app.test_request_context():
        registration = register(event, professionals, details()).registration
        db.session.commit()
    public_client = app.test_client()
    audience_values = st.one_of(values, st.sampled_from([professionals.public_id, councillors.public_id]))
    limiter.reset()
    page = public_client.get(f"/events/{event.public_id}/register")
    token = csrf_from(page.get_data(as_text=True))
    payload = {"csrf_token": token, "audience": data.draw(audience_values)}
    for field in ("name", "organisation", "role", "email", "access_needs", "dietary_needs"):
        payload[field] = data.draw(values)
    response = public_client.post(f"/events/{event.public_id}/register", data=payload)
    assert response.status_code < 500, payload
    assert public_client.get(f"/events/{event.public_id}/register/done").status_code < 500
    limiter.reset()
    token_text = data.draw(values).replace("/", "").replace("?", "").replace("#", "")[:200] or "x"
    assert public_client.get(f"/registrations/cancel/{token_text}").status_code < 500
    base = f"/events/{event.public_id}/audiences"
    _fuzz(organiser_client, f"{base}/new", ["name", "kind", "capacity", "registration"], data)
    _fuzz(organiser_client, f"{base}/{councillors.public_id}/edit", ["name", "kind", "capacity", "registration"], data)
    _fuzz(organiser_client, f"/registrations/{registration.public_id}/cancel", ["submit"], data)


@SETTINGS
@given(data=st.data())
def test_door_forms_never_500(organiser_client, app, data):
    """Issue 8, check-in at the door: door helpers, door notes, late guests, the check-in buttons
    (with any extra fields) and the door list's search."""
    from cpevents.extensions import db
    from tests.door.helpers import coming, door_event, door_helper

    event, organiser = door_event()
    invitation = coming(event, organiser)
    _fuzz(organiser_client, f"/events/{event.public_id}/door-helpers", ["name", "email"], data)
    _fuzz(organiser_client, f"/invitations/{invitation.public_id}/door-note", ["note"], data)
    helper = app.test_client()
    sign_in(helper, door_helper(event))
    page = f"/door/events/{event.public_id}"
    _fuzz(helper, f"/door/invitations/{invitation.public_id}/late-guest", ["name", "age_group", "back"], data)
    _fuzz(helper, f"/door/invitations/{invitation.public_id}/check-in", ["who", "back"], data, get_path=page)
    _fuzz(helper, f"/door/guests/{invitation.guests[0].public_id}/check-out", ["back"], data, get_path=page)
    _fuzz(helper, f"/door/invitations/{invitation.public_id}/check-out", ["back"], data, get_path=page)
    query = data.draw(st.text(max_size=80)).replace("&", "").replace("#", "")
    assert helper.get(f"{page}?q={query}").status_code < 500
    db.session.refresh(invitation)
    assert helper.get(f"/door/{invitation.door_code}").status_code < 500
    # Someone who registered (a councillor), checked in and out with any extra fields.
    from datetime import timedelta

    from flask import current_app

    from cpevents.registrations.models import AudienceKind
    from cpevents.registrations.services import Details, add_audience, register

    audience = add_audience(event, name="Councillors", kind=AudienceKind.COUNCILLORS, capacity=None, registration_open=True)
    with current_app.test_request_context():
        registration = register(event, audience, Details(name="Cllr Fuzz", email=f"fuzz{invitation.id}@example.org"),
                                now=event.starts_at - timedelta(days=1)).registration
    db.session.commit()
    _fuzz(helper, f"/door/registrations/{registration.public_id}/check-in", ["back"], data, get_path=page)
    _fuzz(helper, f"/door/registrations/{registration.public_id}/check-out", ["back"], data, get_path=page)
