"""When an event's date, time or venue changes, or it is cancelled, the organiser chooses whether
to tell everyone with a place, sees the message, and it goes as one batch. Read from the SMTP sink."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from cpevents.core.enums import Role
from cpevents.core.time import LONDON, utcnow
from cpevents.events.models import ChangeDecision, EventChange
from cpevents.extensions import db
from cpevents.invitations import services as invitation_services
from cpevents.invitations.models import AgeGroup, InvitationStatus
from cpevents.mail import queries as mail_queries
from cpevents.mail.models import OutboxMessage
from cpevents.registrations.models import Registration, RegistrationStatus
from cpevents.registrations.services import registration_refusal
from tests.door.helpers import coming, door_helper
from tests.factories import make_user, post_form, sign_in
from tests.registrations.helpers import audiences
from tests.registrations.helpers import make_event as _make_event

NEW_VENUE = "The Riverside Centre, Quay Street"
OLD_VENUE = "The Forum, Market Street"


def make_event_with_audiences(**kwargs):
    """A Care Leavers' Week event starting on the minute, as the event form saves it."""
    event, organiser = _make_event(**kwargs)
    event.starts_at = event.starts_at.replace(second=0, microsecond=0)
    db.session.commit()
    return event, organiser


@pytest.fixture
def organiser_client(client):
    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)
    client.organiser = organiser
    return client


def _edit_form(event, **changes) -> dict:
    local = event.starts_at.astimezone(LONDON)
    data = {"kind": event.kind.value, "name": event.name, "date": [str(local.day), str(local.month), str(local.year)],
            "start_time": local.strftime("%H:%M"), "venue": event.venue, "capacity": str(event.capacity or ""),
            "description": event.description, "theme": event.theme, "planning_credit": event.planning_credit,
            "min_age": str(event.min_age), "max_age": str(event.max_age)}
    data.update(changes)
    return data


def _register(event, audience, name: str, email: str, status=RegistrationStatus.CONFIRMED) -> Registration:
    registration = Registration(event_id=event.id, audience_id=audience.id, name=name, email=email, email_key=email.lower(), status=status,
                                waiting_since=utcnow() if status == RegistrationStatus.WAITING else None)
    db.session.add(registration)
    db.session.commit()
    return registration


def _change_venue(client, event, venue=NEW_VENUE):
    response = post_form(client, f"/events/{event.public_id}/edit", _edit_form(event, venue=venue))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()  # the request saved it in its own session
    change = db.session.execute(select(EventChange).where(EventChange.event_id == event.id).order_by(EventChange.id.desc())).scalars().first()
    assert change is not None
    assert response.headers["Location"] == f"/events/{event.public_id}/changes/{change.public_id}"
    return change


def _send(client, event, change, message: str | None = None):
    path = f"/events/{event.public_id}/changes/{change.public_id}"
    page = client.get(path).get_data(as_text=True)
    if message is None:
        import html
        import re

        message = html.unescape(re.search(r'<textarea[^>]*name="message"[^>]*>(.*?)</textarea>', page, re.S).group(1)).strip()
    response = post_form(client, path, {"message": message})
    db.session.expire_all()
    return response


def _calendar(item) -> Calendar:
    parts = [p for p in item["message"].iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "expected one calendar file"
    return Calendar.from_ical(parts[0].get_content())


def _outbox_count() -> int:
    return db.session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()


# --- the safeguarding rule first ------------------------------------------------------------------


def test_young_person_whose_venue_is_hidden_is_never_sent_the_venue(organiser_client, smtp_sink):
    event, _ = make_event_with_audiences()
    hidden = coming(event, organiser_client.organiser, contact_restriction=True, email="hidden@example.org")
    coming(event, organiser_client.organiser, email="open@example.org")
    change = _change_venue(organiser_client, event)
    page = organiser_client.get(f"/events/{event.public_id}/changes/{change.public_id}").get_data(as_text=True)
    assert "must not be told where the event is" in page and "speak to your worker" in page

    # The organiser's words name the venue; the hidden young person must get none of them.
    response = _send(organiser_client, event, change, f"We have moved to {NEW_VENUE} from {OLD_VENUE}. See you there!")
    assert response.status_code == 302
    item = smtp_sink.wait_for("hidden@example.org")[0]
    text, html = smtp_sink.text(item), smtp_sink.html(item)
    for words in (NEW_VENUE, OLD_VENUE, "Riverside", "Market Street", "See you there"):
        assert words not in text and words not in html
    assert "has changed" in text and "speak to your worker" in text
    calendar = _calendar(item)
    component = next(iter(calendar.walk("VEVENT")))
    assert "LOCATION" not in component
    assert str(component["UID"]) == f"{hidden.door_code}@cpevents"
    # ... while a young person without a restriction is told the new venue.
    other = smtp_sink.wait_for("open@example.org")[0]
    assert NEW_VENUE in smtp_sink.text(other)
    assert str(next(iter(_calendar(other).walk("VEVENT")))["LOCATION"]) == NEW_VENUE


# --- asking first -------------------------------------------------------------------------------


def test_changing_the_venue_sends_nothing_until_the_organiser_says_yes(organiser_client, smtp_sink):
    event, _ = make_event_with_audiences()
    coming(event, organiser_client.organiser, email="yp@example.org")
    before = _outbox_count()
    change = _change_venue(organiser_client, event)
    assert _outbox_count() == before  # saved, nobody told yet
    assert event.venue == NEW_VENUE and event.sequence == 1 and change.decision is None
    page = organiser_client.get(f"/events/{event.public_id}/changes/{change.public_id}").get_data(as_text=True)
    assert "Tell people about the change?" in page
    assert f"The venue was {OLD_VENUE}. It is now {NEW_VENUE}." in page  # the default message: old and new
    assert "A change to an event you are part of" in page  # the neutral subject, shown
    assert "Was: " + OLD_VENUE in page and "&lt;span" not in page
    show = organiser_client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert "nobody has been told yet" in show
    smtp_sink.deliver()
    assert smtp_sink.to("yp@example.org") == []


def test_saving_without_changing_date_time_or_venue_asks_nothing(organiser_client):
    event, _ = make_event_with_audiences()
    response = post_form(organiser_client, f"/events/{event.public_id}/edit", _edit_form(event, description="New words"))
    db.session.expire_all()
    assert response.headers["Location"] == f"/events/{event.public_id}"
    assert db.session.execute(select(func.count()).select_from(EventChange)).scalar_one() == 0
    assert event.sequence == 0


def test_organiser_can_choose_not_to_tell_and_it_is_recorded(organiser_client, smtp_sink):
    event, _ = make_event_with_audiences()
    coming(event, organiser_client.organiser, email="yp2@example.org")
    change = _change_venue(organiser_client, event)
    before = _outbox_count()
    path = f"/events/{event.public_id}/changes/{change.public_id}"
    response = post_form(organiser_client, f"{path}/do-not-tell", {}, get_path=path)
    db.session.expire_all()
    assert response.status_code == 302
    assert change.decision == ChangeDecision.NOT_TOLD and change.decided_by_id == organiser_client.organiser.id
    assert _outbox_count() == before
    show = organiser_client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert "chose not to tell anyone" in show
    # Sending afterwards is refused: the decision stands.
    token_page = organiser_client.get(path)
    assert token_page.status_code == 200 and "chose not to tell anyone" in token_page.get_data(as_text=True)
    assert _outbox_count() == before


def test_an_empty_message_is_refused_beside_the_field(organiser_client):
    event, _ = make_event_with_audiences()
    change = _change_venue(organiser_client, event)
    response = _send(organiser_client, event, change, "   ")
    assert response.status_code == 400
    assert "Enter the message to send" in response.get_data(as_text=True)
    assert change.decision is None


# --- every group -------------------------------------------------------------------------------


def test_each_group_with_a_place_is_told_once_in_one_batch(organiser_client, smtp_sink):
    event, organiser = make_event_with_audiences()
    professionals, councillors = audiences(event)
    with_guests = coming(event, organiser, email="coming@example.org", guests=(("Sam Carer", AgeGroup.ADULT),))
    coming(event, organiser, email="offered@example.org", guests=(), status=InvitationStatus.OFFERED)
    coming(event, organiser, email="waiting@example.org", guests=(), status=InvitationStatus.WAITING)
    coming(event, organiser, email="notcoming@example.org", guests=(), status=InvitationStatus.NOT_COMING)
    coming(event, organiser, email=None, guests=())  # no email address: counted, not emailed
    _register(event, professionals, "Pat Adviser", "pat@example.org")
    _register(event, councillors, "Cllr Green", "green@example.org")
    _register(event, councillors, "Cllr Waiting", "cllrwait@example.org", status=RegistrationStatus.WAITING)
    _register(event, councillors, "Cllr Gone", "gone@example.org", status=RegistrationStatus.CANCELLED)
    door_helper(event, email="door@example.org", name="Dee Helper")

    response = post_form(organiser_client, f"/events/{event.public_id}/edit", _edit_form(event, start_time="19:30"))
    db.session.expire_all()
    change = db.session.execute(select(EventChange).where(EventChange.event_id == event.id)).scalar_one()
    assert response.headers["Location"].endswith(change.public_id)
    page = organiser_client.get(f"/events/{event.public_id}/changes/{change.public_id}").get_data(as_text=True)
    assert "7 emails in all" in page and "1 young person has no email address" in page
    assert "Registered as councillors: 2" in page and "Door helpers: 1" in page

    response = _send(organiser_client, event, change)
    assert response.status_code == 302
    assert change.decision == ChangeDecision.TOLD and change.emailed == 7 and change.batch_id is not None
    batch_ids = set(db.session.execute(select(OutboxMessage.batch_id).where(OutboxMessage.template.like("notices/%"))).scalars())
    assert batch_ids == {change.batch_id}

    old_when = change.old_starts_at.astimezone(LONDON).strftime("%-I:%M%p").lower()
    new_when = change.new_starts_at.astimezone(LONDON).strftime("%-I:%M%p").lower()
    guest_text = smtp_sink.text(smtp_sink.wait_for("coming@example.org")[0])
    assert old_when in guest_text and new_when in guest_text
    assert "If guests are coming with you, please tell them" in guest_text
    assert "/i/" in guest_text  # their personal link, to change the reply
    assert "still on the waiting list" in smtp_sink.text(smtp_sink.wait_for("waiting@example.org")[0])
    assert smtp_sink.wait_for("offered@example.org")
    registered = smtp_sink.text(smtp_sink.wait_for("green@example.org")[0])
    assert "Hello Cllr Green" in registered and "/registrations/cancel/" in registered
    assert "still on the waiting list for councillors" in smtp_sink.text(smtp_sink.wait_for("cllrwait@example.org")[0])
    assert smtp_sink.wait_for("pat@example.org")
    assert "help at the door" in smtp_sink.text(smtp_sink.wait_for("door@example.org")[0])
    for item in smtp_sink.messages:
        assert item["subject"] == "A change to an event you are part of"  # neutral: no event name
    smtp_sink.deliver()
    assert smtp_sink.to("notcoming@example.org") == [] and smtp_sink.to("gone@example.org") == []
    assert with_guests.status == InvitationStatus.COMING


# --- calendars -----------------------------------------------------------------------------------


def test_calendar_files_keep_the_uid_and_raise_the_sequence(organiser_client, smtp_sink):
    event, organiser = make_event_with_audiences()
    invitation = coming(event, organiser, email="cal@example.org")
    _register(event, audiences(event)[0], "Pat Calendar", "patcal@example.org")
    door_helper(event, email="doorcal@example.org")
    before = Calendar.from_ical(invitation_services.invitation_calendar(invitation, show_venue=True))
    uid = str(next(iter(before.walk("VEVENT")))["UID"])
    assert int(next(iter(before.walk("VEVENT")))["SEQUENCE"]) == 0
    downloaded = organiser_client.get(f"/events/{event.public_id}/calendar.ics")
    event_uid = str(next(iter(Calendar.from_ical(downloaded.data).walk("VEVENT")))["UID"])

    for sequence, venue in ((1, NEW_VENUE), (2, "Town Hall")):
        smtp_sink.clear()
        change = _change_venue(organiser_client, event, venue)
        assert _send(organiser_client, event, change).status_code == 302
        for address, expected_uid in (("cal@example.org", uid), ("patcal@example.org", event_uid), ("doorcal@example.org", event_uid)):
            calendar = _calendar(smtp_sink.wait_for(address)[0])
            item = next(iter(calendar.walk("VEVENT")))
            assert str(item["UID"]) == expected_uid
            assert int(item["SEQUENCE"]) == sequence
            assert str(item["LOCATION"]) == venue
            assert str(calendar["METHOD"]) == "PUBLISH"
    # A calendar downloaded now carries the same sequence.
    again = Calendar.from_ical(organiser_client.get(f"/events/{event.public_id}/calendar.ics").data)
    assert int(next(iter(again.walk("VEVENT")))["SEQUENCE"]) == 2


def test_cancelling_sends_method_cancel_and_takes_no_more_replies(organiser_client, smtp_sink, app):
    event, organiser = make_event_with_audiences()
    invitation = coming(event, organiser, email="cancel@example.org")
    _register(event, audiences(event)[1], "Cllr Cancel", "cllrcancel@example.org")
    path = f"/events/{event.public_id}/cancel"
    assert "Cancel this event" in organiser_client.get(path).get_data(as_text=True)
    assert event.cancelled_at is None  # opening the page changes nothing
    response = post_form(organiser_client, path, {})
    db.session.expire_all()
    change = db.session.execute(select(EventChange).where(EventChange.event_id == event.id)).scalar_one()
    assert response.headers["Location"] == f"/events/{event.public_id}/changes/{change.public_id}"
    assert event.is_cancelled and event.sequence == 1
    page = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tell people the event is cancelled?" in page and "has been cancelled" in page
    assert _send(organiser_client, event, change).status_code == 302
    for address, subject_uid in (("cancel@example.org", f"{invitation.door_code}@cpevents"), ("cllrcancel@example.org", f"event-{event.public_id}@cpevents")):
        item = smtp_sink.wait_for(address)[0]
        assert item["subject"] == "An event you are part of has been cancelled"
        assert "has been cancelled" in smtp_sink.text(item)
        calendar = _calendar(item)
        vevent = next(iter(calendar.walk("VEVENT")))
        assert str(calendar["METHOD"]) == "CANCEL" and str(vevent["STATUS"]) == "CANCELLED"
        assert str(vevent["UID"]) == subject_uid and int(vevent["SEQUENCE"]) == 1
        assert next(iter(item["message"].iter_attachments())).get_param("method") == "CANCEL"
    # Shown on the pages; no more replies or registrations.
    assert "Cancelled" in organiser_client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert "Cancelled" in organiser_client.get("/events").get_data(as_text=True)
    assert registration_refusal(event) == "This event has been cancelled, so registration is closed"
    with pytest.raises(invitation_services.ReplyError, match="cancelled"):
        invitation_services.record_reply(invitation, invitation_services.Reply(attending=InvitationStatus.NOT_COMING), by=None,
                                         how=invitation_services.ReplyHow.LINK)
    # Cancelling twice changes nothing.
    post_form(organiser_client, path, {})
    assert db.session.execute(select(func.count()).select_from(EventChange).where(EventChange.event_id == event.id)).scalar_one() == 1


# --- a big batch ----------------------------------------------------------------------------------


def test_a_batch_of_500_is_queued_with_a_progress_count(organiser_client, smtp_sink):
    event, _ = make_event_with_audiences(professionals=None)
    professionals = audiences(event)[0]
    db.session.add_all([Registration(event_id=event.id, audience_id=professionals.id, name=f"Person {n}", email=f"many{n}@example.org",
                                     email_key=f"many{n}@example.org") for n in range(500)])
    db.session.commit()
    change = _change_venue(organiser_client, event)
    page = organiser_client.get(f"/events/{event.public_id}/changes/{change.public_id}").get_data(as_text=True)
    assert "500 emails in all" in page
    response = _send(organiser_client, event, change)
    assert response.status_code == 302
    progress = {p.batch.id: p.counts for p in mail_queries.batch_progress()}
    assert progress[change.batch_id].total == 500 and progress[change.batch_id].queued == 500
    emails = organiser_client.get("/emails/progress.json").get_json()
    assert any(counts["total"] == 500 for counts in emails["batches"].values())


# --- who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.CHAMPION, Role.JUDGE, Role.BOARD, Role.DOOR_HELPER])
def test_other_roles_cannot_see_or_send_change_notices(client, role):
    event, organiser = make_event_with_audiences()
    event.venue = NEW_VENUE
    from cpevents.events.services import update_event

    change = update_event(event, venue="Somewhere else", by=organiser)
    db.session.commit()
    sign_in(client, make_user(role, totp=role in (Role.JUDGE, Role.BOARD)))
    path = f"/events/{event.public_id}/changes/{change.public_id}"
    assert client.get(path).status_code == 403
    assert client.get(f"/events/{event.public_id}/cancel").status_code == 403
    assert client.post(path, data={"message": "Hello"}).status_code in (400, 403)
    assert client.post(f"{path}/do-not-tell").status_code in (400, 403)
    assert change.decision is None and not event.is_cancelled


def test_a_change_from_another_event_is_not_found(organiser_client):
    event, organiser = make_event_with_audiences()
    other, _ = make_event_with_audiences(organiser=organiser)
    from cpevents.events.services import update_event

    change = update_event(other, venue="Elsewhere", by=organiser)
    db.session.commit()
    assert organiser_client.get(f"/events/{event.public_id}/changes/{change.public_id}").status_code == 404
    assert organiser_client.get(f"/events/{event.public_id}/changes/{event.public_id}").status_code == 404


def test_a_change_left_undecided_is_folded_into_the_next(organiser_client):
    event, _ = make_event_with_audiences()
    first = _change_venue(organiser_client, event, "Hall A")
    second = _change_venue(organiser_client, event, "Hall B")
    assert db.session.execute(select(func.count()).select_from(EventChange).where(EventChange.event_id == event.id)).scalar_one() == 1
    assert second.old_venue == OLD_VENUE and second.new_venue == "Hall B" and event.sequence == 2
    assert first is not second
    assert event.starts_at > utcnow() + timedelta(days=1)


def test_a_cancelled_event_sends_no_reminders_and_cannot_be_closed_for_feedback(app):
    from cpevents.events.services import cancel_event
    from cpevents.feedback.services import CloseError, close_event
    from tests.invitations.helpers import invited
    from tests.invitations.helpers import make_event as make_invitation_event

    event, organiser = make_invitation_event(reply_in_days=6)
    invited(event, organiser)
    invitation_services.send_invitations(event, by=organiser)
    cancel_event(event, by=organiser)
    db.session.commit()
    assert invitation_services.send_reminders() == 0
    with pytest.raises(CloseError, match="cancelled"):
        close_event(event, by=organiser, now=event.starts_at + timedelta(hours=4))


def test_demo_has_a_cancelled_event_waiting_for_the_organisers_decision(app, client):
    from cpevents.demo import seed_demo
    from cpevents.events.models import Event

    with app.test_request_context():
        first = seed_demo()
        db.session.commit()
        second = seed_demo()
        db.session.commit()
    assert first["cancelled_event"] == second["cancelled_event"]
    event = db.session.execute(select(Event).where(Event.public_id == first["cancelled_event"])).scalar_one()
    assert event.is_cancelled
    changes = db.session.execute(select(EventChange).where(EventChange.event_id == event.id)).scalars().all()
    assert len(changes) == 1 and changes[0].decision is None
    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}/changes/{changes[0].public_id}").get_data(as_text=True)
    assert "Tell people the event is cancelled?" in page and "must not be told where the event is" in page


def test_the_organisers_to_do_lists_a_change_nobody_has_decided_about(organiser_client):
    event, _ = make_event_with_audiences()
    change = _change_venue(organiser_client, event)
    page = organiser_client.get("/organiser").get_data(as_text=True)
    assert "Changes to tell people about, or not" in page and f"/events/{event.public_id}" in page
    path = f"/events/{event.public_id}/changes/{change.public_id}"
    post_form(organiser_client, f"{path}/do-not-tell", {}, get_path=path)
    page = organiser_client.get("/organiser").get_data(as_text=True)
    assert f'href="/events/{event.public_id}"' not in page


def test_the_young_persons_invitation_page_says_the_event_is_cancelled(client):
    from cpevents.events.services import cancel_event
    from tests.invitations.helpers import invited, open_link
    from tests.invitations.helpers import make_event as make_invitation_event

    event, organiser = make_invitation_event()
    invitation = invited(event, organiser)
    cancel_event(event, by=organiser)
    db.session.commit()
    open_link(client, invitation)
    page = client.get("/invitation").get_data(as_text=True)
    assert "This event has been cancelled" in page and "Can you come?" not in page
    calendar = Calendar.from_ical(invitation_services.invitation_calendar(invitation, show_venue=True))
    assert str(next(iter(calendar.walk("VEVENT")))["STATUS"]) == "CANCELLED"


def test_no_place_is_offered_at_a_cancelled_event(app):
    from cpevents.events.services import cancel_event
    from tests.invitations.helpers import make_event as make_invitation_event

    event, organiser = make_invitation_event(capacity=1)
    coming(event, organiser, guests=(), status=InvitationStatus.WAITING)
    cancel_event(event, by=organiser)
    db.session.commit()
    assert invitation_services.offer_free_places(event) == []


def test_editing_a_cancelled_event_asks_nothing_and_a_cancel_folds_an_undecided_change(organiser_client):
    event, _ = make_event_with_audiences()
    _change_venue(organiser_client, event, "Hall A")
    post_form(organiser_client, f"/events/{event.public_id}/cancel", {})
    db.session.expire_all()
    changes = db.session.execute(select(EventChange).where(EventChange.event_id == event.id)).scalars().all()
    assert [c.kind.value for c in changes] == ["cancelled"] and changes[0].old_venue == OLD_VENUE
    response = post_form(organiser_client, f"/events/{event.public_id}/edit", _edit_form(event, venue="Hall B"))
    db.session.expire_all()
    assert response.headers["Location"] == f"/events/{event.public_id}"
    changes = db.session.execute(select(EventChange).where(EventChange.event_id == event.id)).scalars().all()
    assert [c.kind.value for c in changes] == ["cancelled"]


# --- by text too (issue 17: GOV.UK Notify) -----------------------------------------------------------


def test_young_people_who_agreed_to_texts_get_a_short_text_that_never_names_the_venue(app, organiser_client, smtp_sink, notify):
    from tests.support import run_outbox

    event, _ = make_event_with_audiences()
    agreed = {"mobile_agreed_at": utcnow(), "mobile_agreed_by_id": organiser_client.organiser.id}
    coming(event, organiser_client.organiser, email="texted@example.org", mobile="+447700900311", **agreed)
    coming(event, organiser_client.organiser, email=None, mobile="+447700900312", **agreed)  # no email: the text still goes
    coming(event, organiser_client.organiser, email="hidden.texted@example.org", mobile="+447700900313", contact_restriction=True, **agreed)
    coming(event, organiser_client.organiser, email="not.agreed@example.org", mobile="+447700900314")  # no agreement: no text
    change = _change_venue(organiser_client, event)
    assert _send(organiser_client, event, change, f"We have moved to {NEW_VENUE}.").status_code == 302
    run_outbox(app)
    for number in ("+447700900311", "+447700900312"):
        [text] = notify.to(number)
        body = text["personalisation"]["body"]
        assert "has changed" in body and "/i/" in body and NEW_VENUE not in body and "care" not in body.lower()
    [hidden] = notify.to("+447700900313")
    body = hidden["personalisation"]["body"]
    assert "speak to your worker" in body and "/i/" not in body and NEW_VENUE not in body
    assert notify.to("+447700900314") == []
    # the links in the texts were not kept once sent
    assert not db.session.execute(select(OutboxMessage).where(OutboxMessage.template == "texts/change", OutboxMessage.sealed_links.is_not(None))).first()


# --- through a worker, for young people without email (issue 17) ------------------------------------------


def test_a_young_person_without_email_hears_through_their_worker_and_a_restricted_one_never_gets_the_venue(organiser_client, smtp_sink):
    from cpevents.young_people.letters import LetterKind, WorkerLetter
    from tests.factories import csrf_from
    from tests.young_people.test_worker_letters import LINK, _letter_pdf, _worker

    event, _ = make_event_with_audiences()
    organiser = organiser_client.organiser
    open_one = coming(event, organiser, email=None, first_name="Kit")
    hidden = coming(event, organiser, email=None, first_name="Ash", contact_restriction=True)
    kit_worker = _worker(open_one.young_person, organiser, name="Kit's Worker")
    ash_worker = _worker(hidden.young_person, organiser, name="Ash's Worker")
    change = _change_venue(organiser_client, event)
    assert _send(organiser_client, event, change, f"We have moved to {NEW_VENUE}. See you there!").status_code == 302

    (kit_mail,) = smtp_sink.wait_for(kit_worker.email)
    assert kit_mail["subject"] == "A letter to pass on"
    assert not LINK.search(smtp_sink.text(kit_mail)) and NEW_VENUE not in smtp_sink.text(kit_mail)
    text, images = _letter_pdf(kit_mail)
    assert NEW_VENUE in text and LINK.search(text) and "/i/" in text and images >= 1

    (ash_mail,) = smtp_sink.wait_for(ash_worker.email)
    text, _ = _letter_pdf(ash_mail)
    for words in (NEW_VENUE, OLD_VENUE, "Riverside", "See you there"):
        assert words not in text
    assert "speak to your worker" in " ".join(text.split())

    letters = db.session.execute(select(WorkerLetter).where(WorkerLetter.kind == LetterKind.CHANGE_NOTICE, WorkerLetter.event_id == event.id)).scalars().all()
    assert len(letters) == 2
    # printed again from the organisers' list: a fresh link, the same words
    kit_letter = next(lt for lt in letters if lt.young_person_id == open_one.young_person_id)
    token = csrf_from(organiser_client.get("/letters").get_data(as_text=True))
    response = organiser_client.post(f"/letters/{kit_letter.public_id}/print", data={"csrf_token": token})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    import io

    from pypdf import PdfReader

    again = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert NEW_VENUE in again and LINK.search(again)


def test_people_registered_who_agreed_to_texts_get_a_short_text_too(app, organiser_client, smtp_sink, notify):
    from tests.support import run_outbox

    event, _ = make_event_with_audiences()
    audience = audiences(event)[0]
    texted = _register(event, audience, "Cllr Dana Hart", "dana@example.org")
    texted.mobile, texted.mobile_agreed_at = "+447700900321", utcnow()
    not_agreed = _register(event, audience, "Cllr Eli Moss", "eli@example.org")
    not_agreed.mobile = "+447700900322"
    db.session.commit()
    change = _change_venue(organiser_client, event)
    assert _send(organiser_client, event, change, f"We have moved to {NEW_VENUE}.").status_code == 302
    run_outbox(app)
    [text] = notify.to("+447700900321")
    body = text["personalisation"]["body"]
    assert body.startswith("Hello Cllr Dana Hart,")
    assert "has changed" in body and NEW_VENUE not in body and "care" not in body.lower()
    assert notify.to("+447700900322") == []
