"""Issue 20, bug 1: the person the evening is for never loses their place to someone's guest.

Every young person invited keeps their own place until they say no; guests share the places left,
and a guest with no room waits for one while the young person is coming."""

from __future__ import annotations

from datetime import timedelta

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations import services
from cpevents.invitations.models import AgeGroup, InvitationStatus, ReplyHow
from cpevents.invitations.services import Reply
from tests.factories import sign_in
from tests.invitations.helpers import invited, make_event, open_link, reply_yes


def _yes(guests=0) -> Reply:
    return Reply(attending=InvitationStatus.COMING, guests=[(f"Guest {i}", AgeGroup.ADULT) for i in range(guests)])


def test_a_young_person_gets_their_place_when_other_young_peoples_guests_would_fill_the_event(client):
    # 4 places, 2 young people invited, 3 guests each allowed.
    event, organiser = make_event(capacity=4, guest_allowance=3)
    first, second = invited(event, organiser), invited(event, organiser)
    services.record_reply(first, _yes(guests=3), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    # The second young person's place was kept for them: only 2 of the first one's guests fit.
    assert first.status == InvitationStatus.COMING
    assert [g.has_place for g in first.guests] == [True, True, False]
    open_link(client, second)
    reply_yes(client, guests=())
    db.session.expire_all()
    assert second.status == InvitationStatus.COMING
    page = client.get("/invitation/reply-sent").get_data(as_text=True)
    assert "You are coming" in page and "waiting list" not in page


def test_when_there_is_no_room_for_guests_the_young_person_is_coming_and_the_guests_wait(client, smtp_sink):
    event, organiser = make_event(capacity=3)
    first, second = invited(event, organiser), invited(event, organiser)
    services.record_reply(first, _yes(guests=1), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    open_link(client, second)
    reply_yes(client, guests=(("Ann Carer", "adult"), ("Lily", "child")))
    db.session.expire_all()
    assert second.status == InvitationStatus.COMING
    assert [g.name for g in second.guests_waiting] == ["Ann Carer", "Lily"]
    assert services.places_held(event.id) == 3
    page = client.get("/invitation/reply-sent").get_data(as_text=True)
    assert "You are coming" in page and "Ann Carer and Lily are on the waiting list for a place" in page
    smtp_sink.wait_for(second.young_person.email)
    smtp_sink.clear()
    # The first young person's guest cannot come after all: the place goes to the first guest waiting.
    services.record_reply(first, _yes(guests=0), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    db.session.expire_all()
    assert [g.name for g in second.guests_counted] == ["Ann Carer"] and [g.name for g in second.guests_waiting] == ["Lily"]
    told = [m for m in smtp_sink.wait_for(second.young_person.email) if m["subject"] == services.SUBJECT_GUEST_PLACE]
    assert told and "Ann Carer" in smtp_sink.text(told[0])
    # Sending the same reply again keeps Ann's place.
    services.record_reply(second, Reply(attending=InvitationStatus.COMING, guests=[("Ann Carer", AgeGroup.ADULT), ("Lily", AgeGroup.CHILD)]),
                          by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    assert [g.name for g in second.guests_counted] == ["Ann Carer"]


def test_a_young_person_saying_no_frees_their_kept_place_for_a_waiting_guest():
    event, organiser = make_event(capacity=3)
    coming, undecided = invited(event, organiser), invited(event, organiser)
    services.record_reply(coming, _yes(guests=2), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    assert len(coming.guests_counted) == 1 and len(coming.guests_waiting) == 1
    services.record_reply(undecided, Reply(attending=InvitationStatus.NOT_COMING), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    db.session.expire_all()
    assert len(coming.guests_counted) == 2 and not coming.guests_waiting


def test_an_invitation_taken_off_the_list_frees_its_kept_place():
    event, organiser = make_event(capacity=2)
    coming, removed = invited(event, organiser), invited(event, organiser)
    services.record_reply(coming, _yes(guests=1), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    assert len(coming.guests_waiting) == 1
    services.remove_invitation(removed, by=organiser)
    db.session.commit()
    db.session.expire_all()
    assert len(coming.guests_counted) == 1


def test_a_waiting_list_answer_is_never_a_green_success_panel(client):
    # More young people invited than places: the last to say yes waits, and is told plainly.
    event, organiser = make_event(capacity=1, guest_allowance=0)
    first, second = invited(event, organiser), invited(event, organiser)
    services.record_reply(first, _yes(), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    open_link(client, second)
    reply_yes(client, guests=())
    db.session.expire_all()
    assert second.status == InvitationStatus.WAITING
    page = client.get("/invitation/reply-sent").get_data(as_text=True)
    assert "govuk-panel" not in page
    assert "You are on the waiting list" in page and "You do not have a place yet" in page and "What happens next" in page


def test_the_organiser_is_warned_with_the_numbers_when_invitations_and_guests_can_exceed_the_places(client):
    event, organiser = make_event(capacity=10, guest_allowance=2)
    for _ in range(4):
        invited(event, organiser)
    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}/invitations").get_data(as_text=True)
    assert 'id="capacity-warning"' in page
    assert "that would be 12 people for 10 places" in page and "Each of the 4 young people keeps their own place" in page
    assert "the other 6 places" in page
    for _ in range(7):
        invited(event, organiser)
    page = client.get(f"/events/{event.public_id}/invitations").get_data(as_text=True)
    assert "11 young people are invited and have not said no, for 10 places" in page


def test_no_warning_when_everyone_invited_and_every_guest_fit(client):
    event, organiser = make_event(capacity=12, guest_allowance=2)
    for _ in range(4):
        invited(event, organiser)
    sign_in(client, organiser)
    assert 'id="capacity-warning"' not in client.get(f"/events/{event.public_id}/invitations").get_data(as_text=True)


def test_an_expired_offer_sends_the_young_person_and_their_guests_back_to_wait():
    event, organiser = make_event(capacity=2)
    holder, waiting = invited(event, organiser), invited(event, organiser)
    extra = invited(event, organiser)
    services.record_reply(holder, _yes(), by=organiser, how=ReplyHow.ORGANISER)
    services.record_reply(extra, _yes(), by=organiser, how=ReplyHow.ORGANISER)
    services.record_reply(waiting, _yes(guests=1), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    assert waiting.status == InvitationStatus.WAITING and len(waiting.guests_waiting) == 1
    services.record_reply(holder, Reply(attending=InvitationStatus.NOT_COMING), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    assert waiting.status == InvitationStatus.OFFERED and len(waiting.guests_waiting) == 1  # no room for the guest: 2 young people
    services.expire_offers(now=utcnow() + timedelta(days=10))
    db.session.commit()
    assert waiting.status == InvitationStatus.OFFERED or waiting.status == InvitationStatus.WAITING
    assert len(waiting.guests_waiting) == 1


def test_the_demo_young_person_who_says_yes_gets_a_place_and_the_numbers_add_up(app, client):
    from sqlalchemy import select

    from cpevents.demo import seed_demo
    from cpevents.events.models import Event
    from cpevents.invitations.models import Invitation
    from cpevents.invitations.queries import capacity_warning, counts

    with app.test_request_context():
        seeded = seed_demo()
        db.session.commit()
    event = db.session.execute(select(Event).where(Event.name == "PROUD Awards (demo)")).scalar_one()
    c = counts(event.id)
    assert (c.invited, c.coming, c.guests_coming, c.guests_waiting, c.not_coming) == (80, 60, 107, 5, 7)
    assert services.places_kept(event.id) == event.capacity == 180
    assert "Each of the 73 young people keeps their own place; their guests share the other 107 places" in capacity_warning(event, c)
    path = "/i/" + seeded["rsvp_link"].rsplit("/i/", 1)[1]
    assert client.get(path).status_code == 302
    reply_yes(client, guests=(("Nan", "adult"),))
    html = client.get("/invitation/reply-sent").get_data(as_text=True)
    assert "You are coming" in html and "Nan is on the waiting list for a place" in html
    replied = db.session.execute(select(Invitation).where(Invitation.event_id == event.id, Invitation.replied_at.is_not(None))
                                 .order_by(Invitation.replied_at.desc())).scalars().first()
    assert replied.status == InvitationStatus.COMING
