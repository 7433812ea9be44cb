"""The young person's side: the feedback link, the questions, answering once, bad input."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.feedback import services
from cpevents.feedback.models import FeedbackLink, FeedbackResponse
from tests.feedback.helpers import answer, closed_event, feedback_link
from tests.invitations.helpers import error_text

PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
GOOD = {"proud": "5", "future": "4", "supported": "3", "views": "skip", "improve": "More food please"}


def _private(response):
    for name, value in PRIVATE.items():
        assert response.headers.get(name) == value, name


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_email_link_opens_a_token_free_page_and_the_answers_are_saved_once(client, smtp_sink):
    event, organiser, replied, _ = closed_event(replied=1)
    person = replied[0].young_person
    emails = smtp_sink.wait_for(person.email)
    item = emails[0]
    assert item["subject"] == services.SUBJECT_FEEDBACK == "Tell us what you think"
    body = smtp_sink.text(item)
    assert "care" not in item["subject"].lower() and event.name in body and person.first_or_preferred in body
    path = smtp_sink.link(item)
    token = path.rsplit("/", 1)[1]
    assert path.startswith("/f/") and len(token) >= 43
    assert token not in db.session.execute(select(FeedbackLink.token_hash)).scalars().all()

    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/feedback")
    _private(response)
    page = client.get("/feedback")
    _private(page)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and token not in html
    for words in ("I feel proud of my achievements", "I feel good about my future", "I feel supported and cared for",
                  "I feel able to share my views and feelings", "Not at all", "A little", "Somewhat", "Mostly", "Completely",
                  "Prefer not to say", "What should we do differently next time?"):
        assert words in html, words
    assert _count(FeedbackResponse) == 0  # opening the link wrote nothing

    response = answer(client, **GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/feedback/thank-you")
    thanks = client.get("/feedback/thank-you")
    _private(thanks)
    assert "Thank you" in thanks.get_data(as_text=True)
    saved = db.session.execute(select(FeedbackResponse)).scalar_one()
    assert (saved.event_id, saved.proud, saved.future, saved.supported, saved.views, saved.improve) == (event.id, 5, 4, 3, None, "More food please")
    assert saved.submitted_on == utcnow().date() or abs((saved.submitted_on - utcnow().date()).days) <= 1

    # Answering again, with the same link or another one: thanks, we have them; nothing changes.
    again = client.get("/feedback")
    assert "already have your answers" in again.get_data(as_text=True)
    other = feedback_link(replied[0])
    client.get(other)
    response = client.post("/feedback", data={"csrf_token": _csrf(client), "proud": "1"})
    assert "already have your answers" in response.get_data(as_text=True)
    assert _count(FeedbackResponse) == 1
    assert db.session.execute(select(FeedbackResponse.proud)).scalar_one() == 5


def _csrf(client):
    # Any page with a form gives the session's CSRF token: use the sign-in page.
    from tests.factories import csrf_from

    return csrf_from(client.get("/sign-in").get_data(as_text=True))


def test_two_answers_at_once_save_one(app):
    event, organiser, replied, _ = closed_event(replied=1)
    with app.test_request_context():
        services.issue_link(replied[0])
    db.session.commit()
    links = db.session.execute(select(FeedbackLink).where(FeedbackLink.invitation_id == replied[0].id)).scalars().all()
    assert len(links) == 2
    assert services.record_answers(links[0], services.Answers(proud=5))
    assert not services.record_answers(links[1], services.Answers(proud=1))
    db.session.commit()
    assert _count(FeedbackResponse) == 1


def test_unknown_expired_and_malformed_links_all_get_the_same_page(client, app):
    event, organiser, replied, _ = closed_event(replied=1)
    expired_path = feedback_link(replied[0])
    for link in db.session.execute(select(FeedbackLink)).scalars():
        link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    bodies = set()
    for path in (expired_path, "/f/guessed-token-123", "/f/" + "A" * 43, "/f/%00", "/f/" + "x" * 500):
        response = client.get(path)
        assert response.status_code == 404, path
        _private(response)
        bodies.add(response.get_data(as_text=True))
    assert len(bodies) == 1 and "This link does not work" in bodies.pop()
    assert client.get("/feedback").status_code == 404
    assert client.get("/feedback/thank-you").status_code == 404


def test_a_link_that_expires_while_open_stops_working(client):
    event, organiser, replied, _ = closed_event(replied=1)
    client.get(feedback_link(replied[0]))
    assert client.get("/feedback").status_code == 200
    for link in db.session.execute(select(FeedbackLink)).scalars():
        link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/feedback").status_code == 404


def test_links_work_for_sixty_days():
    now = utcnow()
    assert FeedbackLink.expiry_from(now) == now + timedelta(days=60)


def test_feedback_links_are_rate_limited(client):
    statuses = [client.get(f"/f/guess{i}").status_code for i in range(25)]
    assert statuses[:20] == [404] * 20 and 429 in statuses[20:]


def test_bad_answers_get_errors_beside_the_field_and_typed_text_is_kept(client):
    event, organiser, replied, _ = closed_event(replied=1)
    client.get(feedback_link(replied[0]))
    long_text = "I would like " + "much more music " * 70
    response = answer(client, proud="7", future="4", improve=long_text)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    errors = error_text(response)
    assert "Choose one of the answers for this statement" in errors
    assert "1,000 characters or fewer" in errors
    assert "There is a problem" in html
    assert "much more music" in html  # what they typed is still there
    assert re.search(r'name="future"[^>]*value="4"[^>]*checked|value="4"[^>]*name="future"[^>]*checked|id="future-4"[^>]*checked', html.replace("\n", " ")), "choice kept"
    # Nothing chosen and nothing typed: asked to choose something (prefer not to say counts).
    response = answer(client)
    assert response.status_code == 400 and "at least one statement" in error_text(response)
    assert _count(FeedbackResponse) == 0
    # Skipping everything on purpose is fine.
    response = answer(client, proud="skip", future="skip", supported="skip", views="skip")
    assert response.status_code == 302
    saved = db.session.execute(select(FeedbackResponse)).scalar_one()
    assert (saved.proud, saved.future, saved.supported, saved.views, saved.improve) == (None, None, None, None, "")


def test_exactly_one_thousand_characters_is_accepted(client):
    event, organiser, replied, _ = closed_event(replied=1)
    client.get(feedback_link(replied[0]))
    response = answer(client, improve="x" * 1000)
    assert response.status_code == 302
    assert len(db.session.execute(select(FeedbackResponse.improve)).scalar_one()) == 1000
