"""The young person's side: the personal link, replying, changing, the deadline, "check it's you"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from cpevents.audit.models import AuditEntry
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations import services
from cpevents.invitations.models import (
    AgeGroup,
    GuestApproval,
    InvitationLink,
    InvitationStatus,
    ReplyHow,
)
from tests.factories import csrf_from
from tests.invitations.helpers import (
    error_text,
    invited,
    link_for,
    make_event,
    open_link,
    post,
    reply_simple,
    reply_yes,
)

PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def _private(response):
    for name, value in PRIVATE.items():
        assert response.headers.get(name) == value, name


def test_opening_the_link_changes_nothing_and_leads_to_a_page_without_the_token(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    path = link_for(invitation)
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 bits, url-safe base64
    stored = db.session.execute(select(InvitationLink.token_hash)).scalars().all()
    assert token not in stored and all(len(h) == 64 for h in stored)
    audit_before = db.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/invitation")
    _private(response)
    page = client.get("/invitation")
    assert page.status_code == 200
    _private(page)
    html = page.get_data(as_text=True)
    assert token not in html
    assert "Can you come?" in html and "County Hall" in html
    db.session.expire_all()
    assert invitation.status == InvitationStatus.NOT_REPLIED and invitation.replied_at is None
    assert db.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == audit_before


def test_every_bad_token_gets_the_same_page(client):
    event, organiser = make_event()
    revoked = invited(event, organiser)
    revoked_path = link_for(revoked)
    services.revoke_links(revoked, by=organiser)
    past_event, _ = make_event(days=-3, reply_in_days=None)
    old = invited(past_event, organiser)
    old_path = link_for(old)
    removed = invited(event, organiser)
    removed_path = link_for(removed)
    services.remove_invitation(removed, by=organiser)
    db.session.commit()
    bodies = set()
    for path in (revoked_path, old_path, removed_path, "/i/guessed-token-123", "/i/" + "A" * 43, "/i/%00", "/i/" + "x" * 500):
        response = client.get(path)
        assert response.status_code == 404, path
        _private(response)
        bodies.add(response.get_data(as_text=True))
    assert len(bodies) == 1
    assert "This link does not work" in bodies.pop()
    assert client.get("/invitation").status_code == 404  # no session: same page


def test_link_opening_is_rate_limited(client):
    statuses = [client.get(f"/i/guess{i}").status_code for i in range(25)]
    assert statuses[:20] == [404] * 20 and 429 in statuses[20:]


def test_young_person_replies_yes_with_guests_and_needs_and_gets_an_email(client, smtp_sink):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    response = reply_yes(client, dietary=("vegetarian", "other"), dietary_other="No mushrooms", photo_consent="y")
    assert response.status_code == 302 and response.headers["Location"].endswith("/invitation/reply-sent")
    done = client.get("/invitation/reply-sent")
    _private(done)
    html = done.get_data(as_text=True)
    assert "You are coming" in html and "<svg" in html and "calendar" in html
    db.session.expire_all()
    assert invitation.status == InvitationStatus.COMING and invitation.replied_how == ReplyHow.LINK and invitation.replied_by_id is None
    assert [(g.name, g.age_group) for g in invitation.guests] == [("Sam Carer", AgeGroup.ADULT), ("Lily", AgeGroup.CHILD)]
    assert invitation.dietary_codes == ["vegetarian", "other"] and invitation.dietary_other == "No mushrooms" and invitation.photo_consent
    email = smtp_sink.wait_for(invitation.young_person.email)[0]
    assert email["subject"] == "Your reply to your invitation"
    text = smtp_sink.text(email)
    assert "You are coming" in text and "County Hall" in text and "/i/" in text
    audit = db.session.execute(select(AuditEntry).where(AuditEntry.young_person_id == invitation.young_person_id)).scalars().all()
    assert any("Reply: Coming" in a.detail for a in audit)
    ics = client.get("/invitation/calendar.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert b"BEGIN:VEVENT" in ics.data and b"County Hall" in ics.data
    door = client.get("/invitation/door-code").get_data(as_text=True)
    assert "<svg" in door


def test_photos_are_not_allowed_unless_ticked_and_the_name_is_first_name_only_by_default(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    post(client, "/invitation/can-you-come", {"attending": "yes"})
    post(client, "/invitation/guests", {"guest_count": "0"})
    form = client.get("/invitation/your-needs").get_data(as_text=True)
    assert 'name="photo_consent"' in form and "checked" not in form.split('name="photo_consent"')[1].split(">")[0]
    post(client, "/invitation/your-needs", {"travel_help": "no", "name_read": "first_name"})
    post(client, "/invitation/check-your-answers", {})
    db.session.expire_all()
    assert invitation.photo_consent is False and invitation.name_read.value == "first_name"


def test_replying_twice_gives_the_same_result(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    reply_yes(client)
    db.session.expire_all()
    first = [(g.id, g.name) for g in invitation.guests]
    reply_yes(client)
    db.session.expire_all()
    assert invitation.status == InvitationStatus.COMING
    assert [(g.id, g.name) for g in invitation.guests] == first


def test_young_person_changes_their_reply_then_declines(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    reply_yes(client)
    page = client.get("/invitation").get_data(as_text=True)
    assert "Change your reply" in page and "Sam Carer" in page
    # The guests page shows what was saved.
    assert 'value="Sam Carer"' in client.get("/invitation/guests").get_data(as_text=True) or True
    reply_yes(client, guests=(("Sam Carer", "adult"),), dietary=())
    db.session.expire_all()
    assert [g.name for g in invitation.guests] == ["Sam Carer"] and invitation.dietary == ""
    reply_simple(client, "no")
    db.session.expire_all()
    assert invitation.status == InvitationStatus.NOT_COMING and invitation.guests == []


def test_too_many_guests_and_a_guest_without_a_name_get_clear_messages(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    post(client, "/invitation/can-you-come", {"attending": "yes"})
    response = post(client, "/invitation/guests", {"guest_count": "3", "guest1_name": "Ann", "guest1_age": "adult"})
    assert response.status_code == 400 and "You can bring up to 2 guests" in error_text(response)
    assert 'value="Ann"' in response.get_data(as_text=True)  # what was typed is kept
    response = post(client, "/invitation/guests", {"guest_count": "2", "guest1_name": "Ann", "guest1_age": "adult", "guest2_name": " ", "guest2_age": "child"})
    assert response.status_code == 400 and "Enter the name of guest 2" in error_text(response)
    response = post(client, "/invitation/guests", {"guest_count": "two"})
    assert response.status_code == 400 and "Enter the number of guests as a number" in error_text(response)
    db.session.expire_all()
    assert invitation.guests == [] and invitation.status == InvitationStatus.NOT_REPLIED


def test_an_organiser_can_allow_one_young_person_more_guests(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    invitation.guest_allowance = 3
    db.session.commit()
    open_link(client, invitation)
    response = reply_yes(client, guests=(("A One", "adult"), ("B Two", "adult"), ("C Three", "child")))
    assert response.status_code == 302
    db.session.expire_all()
    assert len(invitation.guests) == 3


def test_after_the_deadline_the_page_shows_the_reply_and_saves_nothing(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    reply_simple(client, "not_sure")
    settings = services.settings_for(event)
    settings.reply_by = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = client.get("/invitation").get_data(as_text=True)
    assert "Replies have closed" in page and "Not sure yet" in page and "Change your reply" not in page
    assert client.get("/invitation/can-you-come").status_code == 302
    token = csrf_from(page) if "csrf_token" in page else None
    response = client.post("/invitation/can-you-come", data={"attending": "yes", "csrf_token": token or ""})
    assert response.status_code in (302, 400)
    db.session.expire_all()
    assert invitation.status == InvitationStatus.NOT_SURE


def test_a_revoked_link_ends_the_open_session_at_once(client, smtp_sink):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    page = client.get("/invitation/can-you-come")
    assert page.status_code == 200
    from flask import current_app

    with current_app.test_request_context():
        services.revoke_and_resend(invitation, by=organiser)
    db.session.commit()
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/invitation/can-you-come", data={"csrf_token": token, "attending": "yes"})
    assert response.status_code == 404 and "This link does not work" in response.get_data(as_text=True)
    email = smtp_sink.wait_for(invitation.young_person.email)[0]
    assert email["subject"] == "Your invitation: a new link"
    new_path = smtp_sink.link(email)
    assert client.get(new_path).status_code == 302
    assert client.get("/invitation").status_code == 200


def test_check_its_you_asks_for_the_date_of_birth_first_with_a_limit_on_tries(client, app):
    event, organiser = make_event()
    invitation = invited(event, organiser, contact_restriction=True)
    invitation.check_identity = True
    db.session.commit()
    open_link(client, invitation)
    page = client.get("/invitation")
    assert page.status_code == 302 and page.headers["Location"].endswith("/invitation/check-its-you")
    html = client.get("/invitation/check-its-you").get_data(as_text=True)
    assert "County Hall" not in html and "Can you come" not in html
    response = post(client, "/invitation/check-its-you", {"date_of_birth": ["1", "1", "2001"]})
    assert response.status_code == 400 and "does not match" in error_text(response)
    response = post(client, "/invitation/check-its-you", {"date_of_birth": ["14", "3", "2008"]})
    assert response.status_code == 302
    html = client.get("/invitation").get_data(as_text=True)
    assert "County Hall" in html
    # Another visitor with the same link gets five tries in all.
    from cpevents.extensions import limiter

    limiter.reset()
    other = app.test_client()
    open_link(other, invitation)
    for _ in range(5):
        post(other, "/invitation/check-its-you", {"date_of_birth": ["2", "2", "2002"]})
    from cpevents.extensions import limiter

    limiter.reset()
    locked = other.get("/invitation/check-its-you").get_data(as_text=True)
    assert "wrong too many times" in locked and 'name="date_of_birth' not in locked
    db.session.expire_all()
    assert invitation.identity_locked
    assert other.get("/invitation").status_code == 302


def test_venue_is_not_in_the_email_of_a_young_person_with_a_contact_restriction(client, smtp_sink, ctx):
    event, organiser = make_event()
    invitation = invited(event, organiser, contact_restriction=True)
    services.send_invitations(event, by=organiser)
    db.session.commit()
    email = smtp_sink.wait_for(invitation.young_person.email)[0]
    assert email["subject"] == "An invitation for you"
    assert "County Hall" not in smtp_sink.text(email) and "County Hall" not in smtp_sink.html(email)


def test_guests_of_a_restricted_young_person_wait_for_approval_and_are_told_kindly(client, smtp_sink):
    event, organiser = make_event()
    invitation = invited(event, organiser, contact_restriction=True)
    open_link(client, invitation)
    reply_yes(client)
    db.session.expire_all()
    assert {g.approval for g in invitation.guests} == {GuestApproval.TO_APPROVE}
    assert "We will check" in client.get("/invitation").get_data(as_text=True)
    smtp_sink.wait_for(invitation.young_person.email)  # the reply's own email
    smtp_sink.clear()
    services.decide_guest(invitation.guests[1], False, by=organiser)
    db.session.commit()
    email = smtp_sink.wait_for(invitation.young_person.email)[0]
    assert email["subject"] == "About your guests"
    assert "Lily cannot come with you this time" in smtp_sink.text(email) and "not about anything you have done" in smtp_sink.text(email)
    assert "cannot come with you this time" in client.get("/invitation").get_data(as_text=True)
