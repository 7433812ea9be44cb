"""The nomination journey: page by page with a draft saved at every step, eligibility in plain
words, check your answers, send, change or withdraw until the window closes, then nothing saves."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.events.models import Event, EventKind
from cpevents.events.services import create_event, set_window
from cpevents.extensions import db
from cpevents.nominations.models import Nomination, NominationStatus
from cpevents.young_people.models import CareStatus, YoungPerson
from cpevents.young_people.services import create_young_person
from tests.factories import csrf_from, make_user, post_form, sign_in


def open_event(**fields) -> Event:
    event = create_event(kind=EventKind.PROUD_AWARDS, name=fields.pop("name", "PROUD Awards 2030"),
                         starts_at=utcnow() + timedelta(days=120), venue="County Hall", capacity=180, description="",
                         min_age=11, max_age=25, by=None)
    set_window(event, utcnow() - timedelta(days=1), utcnow() + timedelta(days=30))
    db.session.commit()
    return event


ANSWERS = {
    "young-person": {"first_name": "Kai", "last_name": "Mensah", "date_of_birth": ["14", "2", "2010"], "care_status": "in_care", "district": "Riverside"},
    "you": {"relationship_type": "social_worker", "worked_with_recently": "yes"},
    "achievement": {"achievement": "Kai started a coding club at school and now teaches eight younger pupils every week."},
    "background": {"background": "Kai moved placement in the spring."},
    "safety": {"young_person_knows": "yes", "public_concern": "no", "contact_restriction_details": ""},
}


@pytest.fixture
def nominator_client(client):
    nominator = make_user(Role.NOMINATOR, name="Nadia Worker")
    sign_in(client, nominator)
    client.nominator = nominator
    return client


def _start(client, event) -> Nomination:
    page = client.get("/nominate")
    assert event.name in page.get_data(as_text=True)
    response = client.post(f"/nominate/{event.public_id}", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    nomination = db.session.execute(select(Nomination).order_by(Nomination.id.desc())).scalars().first()
    assert response.headers["Location"] == f"/nominations/{nomination.public_id}/young-person"
    return nomination


def _answer_all(client, nomination, event, category_index=0):
    base = f"/nominations/{nomination.public_id}"
    for slug in ("young-person", "you"):
        assert post_form(client, f"{base}/{slug}", ANSWERS[slug]).status_code == 302
    assert post_form(client, f"{base}/category", {"category": event.categories[category_index].public_id}).status_code == 302
    for slug in ("achievement", "background", "safety"):
        assert post_form(client, f"{base}/{slug}", ANSWERS[slug]).status_code == 302


def test_nominator_completes_and_sends_a_nomination(nominator_client, smtp_sink):
    event = open_event()
    nomination = _start(nominator_client, event)
    base = f"/nominations/{nomination.public_id}"
    response = post_form(nominator_client, f"{base}/young-person", ANSWERS["young-person"])
    assert response.headers["Location"] == f"{base}/you"  # saved, on to the next page
    db.session.expire_all()
    draft = db.session.get(Nomination, nomination.id)
    assert draft.status == NominationStatus.DRAFT and draft.first_name == "Kai" and draft.date_of_birth == date(2010, 2, 14)
    assert 'value="Kai"' in nominator_client.get(f"{base}/young-person").get_data(as_text=True)  # the draft comes back
    _answer_all(nominator_client, nomination, event)
    check = nominator_client.get(f"{base}/check").get_data(as_text=True)
    assert "Check your answers" in check and "Achievement in education" in check and "Send nomination" in check
    sent = nominator_client.post(f"{base}/check", data={"csrf_token": csrf_from(check)})
    assert sent.headers["Location"] == f"{base}/sent"
    assert "What happens next" in nominator_client.get(f"{base}/sent").get_data(as_text=True)
    email = smtp_sink.wait_for(nominator_client.nominator.email)[0]
    assert email["subject"] == "Thank you for your nomination"
    home = nominator_client.get("/nominator").get_data(as_text=True)
    assert "Kai" in home and "Sent" in home and "Mensah" not in home


def test_achievement_is_limited_to_500_words(nominator_client):
    event = open_event()
    nomination = _start(nominator_client, event)
    response = post_form(nominator_client, f"/nominations/{nomination.public_id}/achievement", {"achievement": "word " * 501})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "500 words or fewer. It is 501 words now" in html
    assert "word word" in html  # what was typed is kept
    empty = post_form(nominator_client, f"/nominations/{nomination.public_id}/achievement", {"achievement": "  "})
    assert "Tell us what they have achieved" in empty.get_data(as_text=True)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"date_of_birth": ["31", "4", "2010"]}, "Date of birth must be a real date"),
        ({"date_of_birth": ["1", "1", "2099"]}, "Date of birth must be in the past"),
        ({"first_name": ""}, "Enter the young person’s first name"),
        ({"care_status": ""}, "Select whether they are in care or a care leaver"),
        ({"last_name": "x" * 81}, "Last name must be 80 characters or fewer"),
    ],
)
def test_young_person_page_explains_bad_input(nominator_client, change, message):
    nomination = _start(nominator_client, open_event())
    response = post_form(nominator_client, f"/nominations/{nomination.public_id}/young-person", {**ANSWERS["young-person"], **change})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert 'value="Riverside"' in response.get_data(as_text=True)


def test_ineligible_choice_is_explained_and_not_saved(nominator_client):
    event = open_event()
    nomination = _start(nominator_client, event)
    base = f"/nominations/{nomination.public_id}"
    post_form(nominator_client, f"{base}/young-person", {**ANSWERS["young-person"], "date_of_birth": ["1", "1", "2021"]})
    post_form(nominator_client, f"{base}/you", ANSWERS["you"])
    response = post_form(nominator_client, f"{base}/category", {"category": event.categories[0].public_id})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "is for young people aged 11 to 25" in html
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).category_id is None
    leaver = next(c for c in event.categories if c.name == "Care leaver of the year")
    post_form(nominator_client, f"{base}/young-person", ANSWERS["young-person"])
    response = post_form(nominator_client, f"{base}/category", {"category": leaver.public_id})
    assert "Care leaver of the year is for care leavers." in response.get_data(as_text=True)


def test_safety_answers_need_their_reasons(nominator_client):
    nomination = _start(nominator_client, open_event())
    response = post_form(nominator_client, f"/nominations/{nomination.public_id}/safety", {"young_person_knows": "no", "public_concern": "yes"})
    html = response.get_data(as_text=True)
    assert "Tell us why the young person does not know" in html and "Tell us the reason they should not be celebrated" in html
    post_form(nominator_client, f"/nominations/{nomination.public_id}/safety", {"young_person_knows": "yes", "public_concern": "yes", "public_concern_details": "Press attention"})
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).safety_flag


def test_cannot_send_until_every_question_is_answered(nominator_client):
    nomination = _start(nominator_client, open_event())
    page = nominator_client.get(f"/nominations/{nomination.public_id}/check").get_data(as_text=True)
    assert "You still need to answer" in page and "Send nomination" not in page
    nominator_client.post(f"/nominations/{nomination.public_id}/check", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status == NominationStatus.DRAFT


def test_change_and_withdraw_until_the_window_closes_then_nothing_saves(nominator_client):
    event = open_event()
    nomination = _start(nominator_client, event)
    _answer_all(nominator_client, nomination, event)
    base = f"/nominations/{nomination.public_id}"
    page = nominator_client.get(f"{base}/check").get_data(as_text=True)
    nominator_client.post(f"{base}/check", data={"csrf_token": csrf_from(page)})
    # change after sending: back to check your answers
    changed = post_form(nominator_client, f"{base}/achievement", {"achievement": "Kai now runs two coding clubs."})
    assert changed.headers["Location"] == f"{base}/check"
    # the window closes
    db.session.execute(update(Event).where(Event.id == event.id).values(nominations_close_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    closed = post_form(nominator_client, f"{base}/achievement", {"achievement": "Too late"}, get_path="/account")
    assert "are closed" in closed.get_data(as_text=True) and "Nothing you entered" in closed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).achievement == "Kai now runs two coding clubs."
    assert "are closed" in nominator_client.get(f"{base}/withdraw").get_data(as_text=True)


def test_withdraw(nominator_client):
    event = open_event()
    nomination = _start(nominator_client, event)
    response = post_form(nominator_client, f"/nominations/{nomination.public_id}/withdraw", {})
    assert response.status_code == 400 and "Select yes to withdraw" in response.get_data(as_text=True)
    post_form(nominator_client, f"/nominations/{nomination.public_id}/withdraw", {"confirm": "yes"})
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status == NominationStatus.WITHDRAWN
    assert nominator_client.get(f"/nominations/{nomination.public_id}/check").status_code == 404


def test_sent_nomination_is_matched_to_an_existing_record(nominator_client):
    organiser = make_user(Role.ORGANISER)
    person = create_young_person({"first_name": "Kai", "last_name": "Mensah", "date_of_birth": date(2010, 2, 14), "care_status": CareStatus.IN_CARE}, by=organiser)
    db.session.commit()
    event = open_event()
    nomination = _start(nominator_client, event)
    _answer_all(nominator_client, nomination, event)
    page = nominator_client.get(f"/nominations/{nomination.public_id}/check").get_data(as_text=True)
    nominator_client.post(f"/nominations/{nomination.public_id}/check", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).young_person_id == person.id
    person = db.session.get(YoungPerson, person.id)
    # Matching puts the nomination in the file; it never makes the nominator the young person's worker.
    assert nominator_client.nominator.id not in {link.user_id for link in person.worker_links}


def test_no_open_window_means_no_start_button(nominator_client):
    event = open_event()
    db.session.execute(update(Event).where(Event.id == event.id).values(nominations_open_at=utcnow() + timedelta(days=2)))
    db.session.commit()
    page = nominator_client.get("/nominate").get_data(as_text=True)
    assert "Nominations are not open at the moment" in page
    response = post_form(nominator_client, f"/nominate/{event.public_id}", {}, get_path="/account")
    assert "are closed" in response.get_data(as_text=True)
    assert db.session.execute(select(Nomination)).first() is None


def test_another_nominators_background_is_never_shown(app, nominator_client):
    event = open_event()
    nomination = _start(nominator_client, event)
    _answer_all(nominator_client, nomination, event)
    other = app.test_client()
    sign_in(other, make_user(Role.NOMINATOR))
    assert "Kai" not in other.get("/nominator").get_data(as_text=True)
    assert other.get(f"/nominations/{nomination.public_id}/background").status_code == 404
