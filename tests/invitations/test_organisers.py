"""The organisers' side: the list, sending, letters, the guest list, exports, capacity and the
waiting list, reminders, and replies recorded by workers and organisers."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations import services
from cpevents.invitations.models import AgeGroup, Invitation, InvitationStatus, ReplyHow
from cpevents.invitations.services import Reply
from cpevents.mail.models import EmailBatch, OutboxMessage
from cpevents.nominations.models import FileStatus, Nomination, NominationStatus
from cpevents.young_people.models import CareStatus, WorkerRelationship
from tests.factories import csrf_from, make_user, queries_for, sign_in
from tests.invitations.helpers import (
    error_text,
    invited,
    make_event,
    make_person,
    open_link,
    post,
    reply_simple,
    reply_yes,
)


def _organiser_client(client, organiser):
    sign_in(client, organiser)
    return client


def _yes(guests=0, **kw) -> Reply:
    return Reply(attending=InvitationStatus.COMING, guests=[(f"Guest {i}", AgeGroup.ADULT) for i in range(guests)], **kw)


# --- building the list ----------------------------------------------------------------------------


def test_organiser_adds_a_young_person_by_hand_and_removes_them(client):
    event, organiser = make_event()
    person = make_person(organiser, first_name="Zara", last_name="Okafor")
    _organiser_client(client, organiser)
    page = client.get(f"/events/{event.public_id}/invitations/add?q=zara okafor").get_data(as_text=True)
    assert "Zara Okafor" in page
    response = post(client, f"/events/{event.public_id}/invitations/add", {"person": person.public_id}, get_path=f"/events/{event.public_id}/invitations/add?q=zara")
    assert response.status_code == 302
    invitation = db.session.execute(select(Invitation).where(Invitation.event_id == event.id)).scalar_one()
    assert invitation.young_person_id == person.id
    # Adding twice keeps one.
    post(client, f"/events/{event.public_id}/invitations/add", {"person": person.public_id}, get_path=f"/events/{event.public_id}/invitations/add?q=zara")
    assert len(db.session.execute(select(Invitation).where(Invitation.event_id == event.id)).scalars().all()) == 1
    assert "Zara Okafor" in client.get(f"/events/{event.public_id}/invitations").get_data(as_text=True)
    response = post(client, f"/invitations/{invitation.public_id}/remove", {}, get_path=f"/invitations/{invitation.public_id}")
    assert response.status_code == 302
    assert db.session.execute(select(Invitation).where(Invitation.event_id == event.id)).first() is None
    details = [a.detail for a in db.session.execute(select(AuditEntry).where(AuditEntry.young_person_id == person.id)).scalars()]
    assert "Added to the invitation list" in details and "Removed from the invitation list" in details


def test_add_a_young_person_who_does_not_exist_says_so(client):
    event, organiser = make_event()
    _organiser_client(client, organiser)
    response = post(client, f"/events/{event.public_id}/invitations/add", {"person": "not-a-person"}, get_path=f"/events/{event.public_id}/invitations/add")
    assert response.status_code == 302
    assert "could not be found" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_shortlist_is_added_in_one_action(client):
    """Everyone whose latest shortlist decision says shortlisted; not those taken off it again,
    nor files that are only accepted for judging."""
    from cpevents.judging.models import DecisionKind
    from cpevents.judging.services import create_panel, decide
    from cpevents.nominations.review import match_nomination

    event, organiser = make_event()
    panel = create_panel(event, by=organiser)
    nominator = make_user(Role.NOMINATOR)
    shortlisted, taken_off, only_accepted = make_person(organiser), make_person(organiser), make_person(organiser)
    for person in (shortlisted, taken_off, only_accepted):
        nomination = Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, first_name=person.first_name,
                                last_name=person.last_name, date_of_birth=person.date_of_birth, care_status=CareStatus.IN_CARE,
                                relationship_type=WorkerRelationship.CARER)
        db.session.add(nomination)
        db.session.flush()
        file = match_nomination(nomination, person, by=organiser)
        file.status = FileStatus.ACCEPTED
        db.session.flush()
        if person is not only_accepted:
            decide(panel, file, DecisionKind.SHORTLIST, True, "Strong file", by=organiser)
        if person is taken_off:
            decide(panel, file, DecisionKind.SHORTLIST, False, "Changed our minds", by=organiser)
    db.session.commit()
    _organiser_client(client, organiser)
    response = post(client, f"/events/{event.public_id}/invitations/add-shortlist", {}, get_path=f"/events/{event.public_id}/invitations")
    assert response.status_code == 302
    invited_ids = db.session.execute(select(Invitation.young_person_id).where(Invitation.event_id == event.id)).scalars().all()
    assert invited_ids == [shortlisted.id]
    assert "1 young person added from the shortlist" in client.get(response.headers["Location"]).get_data(as_text=True)


# --- sending --------------------------------------------------------------------------------------


def test_sending_queues_one_batch_and_marks_letters_for_those_without_email(client, smtp_sink):
    event, organiser = make_event()
    emailed = [invited(event, organiser) for _ in range(3)]
    no_email = invited(event, organiser, email=None)
    _organiser_client(client, organiser)
    page = client.get(f"/events/{event.public_id}/invitations/send").get_data(as_text=True)
    assert "3 young people will get an email" in page and "1 young person has no email address" in page
    response = post(client, f"/events/{event.public_id}/invitations/send", {})
    assert response.status_code == 302 and response.headers["Location"].endswith("/emails")
    batch = db.session.execute(select(EmailBatch).where(EmailBatch.name == f"Invitations: {event.name}")).scalar_one()
    messages = db.session.execute(select(OutboxMessage).where(OutboxMessage.batch_id == batch.id)).scalars().all()
    assert len(messages) == 3
    for invitation in emailed:
        email = smtp_sink.wait_for(invitation.young_person.email)[0]
        assert email["subject"] == "An invitation for you"
        path = smtp_sink.link(email)
        assert path.startswith("/i/") and "?" not in smtp_sink.text(email).split(path)[0][-5:]
    # Each email's link opens that young person's own invitation.
    other = client.application.test_client()
    other.get(smtp_sink.link(smtp_sink.to(emailed[0].young_person.email)[0]))
    assert emailed[0].young_person.first_or_preferred in other.get("/invitation").get_data(as_text=True)
    db.session.expire_all()
    assert no_email.letter_needed and no_email.sent_at is None
    # Sending again sends nothing more.
    post(client, f"/events/{event.public_id}/invitations/send", {})
    assert len(db.session.execute(select(OutboxMessage).where(OutboxMessage.template == "invitations/invitation", OutboxMessage.to_address.in_([i.young_person.email for i in emailed]))).scalars().all()) == 3


def test_printed_letters_carry_a_working_link_as_a_qr_code(client):
    event, organiser = make_event()
    invitation = invited(event, organiser, email=None)
    invitation.letter_needed = True
    db.session.commit()
    _organiser_client(client, organiser)
    assert "1 young person has no email address" in client.get(f"/events/{event.public_id}/invitations/letters").get_data(as_text=True)
    response = post(client, f"/events/{event.public_id}/invitations/letters", {})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store" and response.headers["Referrer-Policy"] == "no-referrer"
    html = response.get_data(as_text=True)
    assert "<svg" in html and "letter.css" in html
    import re

    path = "/i/" + re.search(r"/i/([A-Za-z0-9_-]{43,})", html).group(1)
    young = client.application.test_client()
    assert young.get(path).status_code == 302
    assert young.get("/invitation").status_code == 200
    db.session.expire_all()
    assert not invitation.letter_needed and invitation.sent_at is not None


# --- the guest list -------------------------------------------------------------------------------------


def test_guest_list_shows_replies_counts_and_warnings_and_filters(client):
    event, organiser = make_event(capacity=50)
    coming = invited(event, organiser, first_name="Amara", do_not_publish=True)
    services.record_reply(coming, _yes(guests=2, dietary=["vegan"]), by=organiser, how=ReplyHow.ORGANISER)
    invited(event, organiser, first_name="Caleb", contact_restriction=True)
    db.session.commit()
    _organiser_client(client, organiser)
    html = client.get(f"/events/{event.public_id}/invitations").get_data(as_text=True)
    assert "Young people coming: <strong>1</strong>" in html and "Guests coming: <strong>2</strong>" in html
    assert "Total: <strong>3</strong> of 50 places" in html and "Not replied: <strong>1</strong>" in html
    assert "Do not publish" in html and "Contact restriction" in html and "Food: Vegan" in html
    filtered = client.get(f"/events/{event.public_id}/invitations?show=flagged&q=caleb").get_data(as_text=True)
    assert "Caleb" in filtered and "Amara" not in filtered
    assert client.get(f"/events/{event.public_id}/invitations?show=nonsense&q=" + "x" * 500).status_code == 200


def test_guest_list_of_600_invitees_renders_with_the_same_number_of_queries_as_5(client):
    from cpevents.invitations.models import Guest
    from cpevents.young_people.models import YoungPerson

    event, organiser = make_event(capacity=None)
    _organiser_client(client, organiser)
    for _ in range(5):
        services.record_reply(invited(event, organiser), _yes(guests=2, dietary=["halal"]), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    few = queries_for(client, f"/events/{event.public_id}/invitations")
    # "Zmany" sorts after the first five, so the first page still shows them (and the same kinds of row).
    people = [YoungPerson(first_name=f"P{i}", last_name="Zmany", date_of_birth=date(2008, 1, 1), care_status=CareStatus.IN_CARE, match_key=f"p{i}zmany",
                          do_not_publish=i % 50 == 0) for i in range(595)]
    db.session.add_all(people)
    db.session.flush()
    for i, person in enumerate(people):
        status = [InvitationStatus.COMING, InvitationStatus.NOT_REPLIED, InvitationStatus.NOT_COMING][i % 3]
        invitation = Invitation(event_id=event.id, young_person_id=person.id, status=status, dietary="vegan" if i % 4 == 0 else "")
        if status == InvitationStatus.COMING:
            invitation.guests = [Guest(name="Guest A", age_group=AgeGroup.ADULT), Guest(name="Guest B", age_group=AgeGroup.CHILD, position=1)]
        db.session.add(invitation)
    db.session.commit()
    many = queries_for(client, f"/events/{event.public_id}/invitations")
    assert many == few, (few, many)
    first = client.get(f"/events/{event.public_id}/invitations").get_data(as_text=True)
    assert "Young people coming: <strong>204</strong>" in first
    # A hundred a page, in name order, each with their own guests (issue 19).
    assert "600 young people" in first and first.count('href="/invitations/') == 100 and "Page 1 of 6" in first
    last = client.get(f"/events/{event.public_id}/invitations?page=6").get_data(as_text=True)
    assert last.count('href="/invitations/') == 100 and "P99 Zmany" in last and "Guest A (adult)" in last


def test_organiser_stops_old_links_and_gets_a_new_one_to_print(client, app):
    event, organiser = make_event()
    invitation = invited(event, organiser, email=None)
    young = app.test_client()
    open_link(young, invitation)
    _organiser_client(client, organiser)
    response = post(client, f"/invitations/{invitation.public_id}/new-link", {}, get_path=f"/invitations/{invitation.public_id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    import re

    new_path = "/i/" + re.search(r"/i/([A-Za-z0-9_-]{43,})", html).group(1)
    assert "<svg" in html
    assert young.get("/invitation").status_code == 404  # the old link's session ended at once
    assert young.get(new_path).status_code == 302 and young.get("/invitation").status_code == 200


def test_exports_are_formula_safe_and_the_needs_summary_has_no_names(client):
    event, organiser = make_event()
    risky = invited(event, organiser, first_name="=HYPERLINK(\"x\")", last_name="Brown")
    services.record_reply(risky, _yes(guests=1, dietary=["vegan", "other"], dietary_other="@no onions", access=["wheelchair"]), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    _organiser_client(client, organiser)
    response = client.get(f"/events/{event.public_id}/invitations.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(\"x\")" and "'@no onions" not in rows[1][10] and rows[1][10].startswith("Vegan")
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    book = load_workbook(io.BytesIO(client.get(f"/events/{event.public_id}/invitations.xlsx").data))
    sheet = book.active
    assert sheet.cell(row=2, column=1).value == "'=HYPERLINK(\"x\")" and sheet.cell(row=2, column=8).value == 1  # a count stays a number
    needs = client.get(f"/events/{event.public_id}/invitations/needs").get_data(as_text=True)
    assert "Brown" not in needs and "HYPERLINK" not in needs
    assert "Vegan</th><td class=\"govuk-table__cell govuk-table__cell--numeric\">1" in needs and "Wheelchair space</th><td class=\"govuk-table__cell govuk-table__cell--numeric\">1" in needs
    assert "@no onions" in needs


def test_settings_are_checked_and_keep_what_was_typed(client):
    event, organiser = make_event()
    _organiser_client(client, organiser)
    path = f"/events/{event.public_id}/invitations/settings"
    response = post(client, path, {"guest_allowance": "eleven", "reply_by": ["31", "2", "2030"], "offer_hours": "72"})
    assert response.status_code == 400
    errors = error_text(response)
    assert "Guests must be a whole number" in errors and "must be a real date" in errors
    assert 'value="eleven"' in response.get_data(as_text=True)
    late = (event.starts_at + timedelta(days=5)).date()
    response = post(client, path, {"guest_allowance": "3", "reply_by": [str(late.day), str(late.month), str(late.year)], "offer_hours": "48"})
    assert response.status_code == 400 and "on or before the day of the event" in error_text(response)
    day = (utcnow() + timedelta(days=20)).date()
    response = post(client, path, {"guest_allowance": "3", "reply_by": [str(day.day), str(day.month), str(day.year)], "offer_hours": "48", "asks": ["ask_dietary"]})
    assert response.status_code == 302
    settings = services.settings_for(event)
    db.session.refresh(settings)
    assert settings.guest_allowance == 3 and settings.reply_by_day == day and settings.ask_dietary and not settings.ask_photos


# --- capacity and the waiting list -------------------------------------------------------------------


def test_a_yes_over_capacity_joins_the_waiting_list_and_a_freed_place_is_offered(client, smtp_sink):
    # More young people invited than places (guests never take a young person's place: see
    # test_invitee_places.py), so the second to say yes waits.
    event, organiser = make_event(capacity=1)
    first = invited(event, organiser)
    second = invited(event, organiser)
    assert services.record_reply(first, _yes(guests=2), by=organiser, how=ReplyHow.ORGANISER) == InvitationStatus.COMING
    db.session.commit()
    open_link(client, second)
    reply_yes(client, guests=(("Ann", "adult"),))
    db.session.expire_all()
    assert second.status == InvitationStatus.WAITING
    assert "on the waiting list" in client.get("/invitation/reply-sent").get_data(as_text=True)
    smtp_sink.wait_for(second.young_person.email)
    smtp_sink.clear()
    services.record_reply(first, Reply(attending=InvitationStatus.NOT_COMING), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    db.session.expire_all()
    assert second.status == InvitationStatus.OFFERED and second.offer_expires_at is not None
    offer = [m for m in smtp_sink.wait_for(second.young_person.email) if m["subject"] == "A place for you"]
    assert offer and "Accept the place" in smtp_sink.html(offer[0])
    page = client.get("/invitation").get_data(as_text=True)
    assert "A place has come up for you" in page
    response = post(client, "/invitation/accept", {}, get_path="/invitation")
    assert response.status_code == 302
    db.session.expire_all()
    assert second.status == InvitationStatus.COMING


def test_an_offer_not_accepted_in_time_passes_to_the_next_person():
    event, organiser = make_event(capacity=1)
    holder, a, b = (invited(event, organiser) for _ in range(3))
    services.record_reply(holder, _yes(), by=organiser, how=ReplyHow.ORGANISER)
    services.record_reply(a, _yes(), by=organiser, how=ReplyHow.ORGANISER, now=utcnow())
    services.record_reply(b, _yes(), by=organiser, how=ReplyHow.ORGANISER, now=utcnow() + timedelta(seconds=1))
    services.record_reply(holder, Reply(attending=InvitationStatus.NOT_COMING), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    assert (a.status, b.status) == (InvitationStatus.OFFERED, InvitationStatus.WAITING)
    services.expire_offers(now=a.offer_expires_at + timedelta(minutes=1))
    db.session.commit()
    assert (a.status, b.status) == (InvitationStatus.WAITING, InvitationStatus.OFFERED)
    import pytest

    with pytest.raises(services.ReplyError):
        services.accept_offer(a, by=None, how=ReplyHow.LINK)


# --- reminders ---------------------------------------------------------------------------------------------


def test_reminders_go_7_and_2_days_before_the_deadline_never_twice(app, smtp_sink):
    event, organiser = make_event(reply_in_days=6)
    waiting = invited(event, organiser)
    replied = invited(event, organiser)
    services.send_invitations(event, by=organiser)
    services.record_reply(replied, Reply(attending=InvitationStatus.NOT_COMING), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["invitations", "remind"])
    assert "Reminders queued: 1." in result.output, result.output
    assert "Reminders queued: 0." in runner.invoke(args=["invitations", "remind"]).output
    settings = services.settings_for(event)
    first_day = settings.reply_by_day.strftime("%A %-d %B %Y")
    settings.reply_by = utcnow() + timedelta(days=1, hours=12)
    db.session.commit()
    assert "Reminders queued: 1." in runner.invoke(args=["invitations", "remind"]).output
    assert "Reminders queued: 0." in runner.invoke(args=["invitations", "remind"]).output
    reminders = [m for m in smtp_sink.wait_for(waiting.young_person.email, count=3) if m["subject"] == "A reminder about your invitation"]
    assert len(reminders) == 2
    # The date only: "(7 days from now)" was once said when the deadline was 6 days away.
    assert f"by {first_day}:" in smtp_sink.text(reminders[0]) and settings.reply_by_day.strftime("%A %-d %B %Y") in smtp_sink.text(reminders[1])
    assert not any("days from now" in smtp_sink.text(m) for m in reminders)
    assert not [m for m in smtp_sink.to(replied.young_person.email) if m["subject"] == "A reminder about your invitation"]


# --- replies on someone's behalf ----------------------------------------------------------------------------


def test_organiser_records_a_phone_reply(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    _organiser_client(client, organiser)
    path = f"/invitations/{invitation.public_id}/reply"
    response = post(client, path, {"attending": "yes", "guest_count": "1", "guest1_name": "", "guest1_age": "adult", "travel_help": "no", "name_read": "full_name"})
    assert response.status_code == 400 and "Enter the name of guest 1" in error_text(response)
    response = post(client, path, {"attending": "yes", "guest_count": "1", "guest1_name": "Gran", "guest1_age": "adult", "travel_help": "yes",
                                   "travel_details": "Taxi from home", "name_read": "full_name", "access": ["step_free"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert invitation.status == InvitationStatus.COMING and invitation.replied_how == ReplyHow.ORGANISER and invitation.replied_by_id == organiser.id
    assert invitation.travel_help and invitation.access_codes == ["step_free"] and invitation.name_read.value == "full_name"
    assert "organiser (phone or paper) (Sam Example)" in client.get(f"/invitations/{invitation.public_id}").get_data(as_text=True)


def test_nominating_never_lets_a_nominator_reply_only_an_organisers_link_does(client):
    from cpevents.young_people.services import link_worker

    event, organiser = make_event()
    nominator = make_user(Role.NOMINATOR)
    mine = invited(event, organiser, first_name="Mine")
    theirs = invited(event, organiser, first_name="Theirs")
    db.session.add(Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, young_person_id=mine.young_person_id,
                              first_name="Mine", last_name="Mensah", date_of_birth=date(2008, 3, 14), care_status=CareStatus.IN_CARE))
    db.session.commit()
    sign_in(client, nominator)
    # Their nomination alone gives them nothing: not the invitation, not the reply form.
    assert "Mine" not in client.get("/your-invitations").get_data(as_text=True)
    assert client.get(f"/invitations/{mine.public_id}/reply").status_code == 404
    link_worker(mine.young_person, nominator.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
    db.session.commit()
    listing = client.get("/your-invitations").get_data(as_text=True)
    assert "Mine" in listing and "Theirs" not in listing and "Mensah" not in listing  # first name only
    assert client.get(f"/invitations/{theirs.public_id}/reply").status_code == 404
    assert client.get(f"/invitations/{mine.public_id}").status_code == 403
    response = post(client, f"/invitations/{mine.public_id}/reply", {"attending": "not_sure"})
    assert response.status_code == 302
    db.session.expire_all()
    assert mine.status == InvitationStatus.NOT_SURE and mine.replied_how == ReplyHow.WORKER and mine.replied_by_id == nominator.id


def test_linked_worker_can_reply_too(client):
    from cpevents.young_people.services import link_worker

    event, organiser = make_event()
    worker = make_user(Role.CHAMPION)
    invitation = invited(event, organiser)
    link_worker(invitation.young_person, worker.email, WorkerRelationship.CARER, by=organiser)
    db.session.commit()
    sign_in(client, worker)
    assert post(client, f"/invitations/{invitation.public_id}/reply", {"attending": "no"}).status_code == 302


def test_worker_cannot_reply_after_the_deadline_but_an_organiser_can(client, app):
    event, organiser = make_event()
    from cpevents.young_people.services import link_worker

    nominator = make_user(Role.NOMINATOR)
    invitation = invited(event, organiser)
    link_worker(invitation.young_person, nominator.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
    services.settings_for(event).reply_by = utcnow() - timedelta(minutes=1)
    db.session.commit()
    sign_in(client, nominator)
    response = post(client, f"/invitations/{invitation.public_id}/reply", {"attending": "yes", "guest_count": "0", "travel_help": "no", "name_read": "first_name"})
    assert response.status_code == 400 and "The date to reply by has passed" in error_text(response)
    db.session.expire_all()
    assert invitation.status == InvitationStatus.NOT_REPLIED
    other = app.test_client()
    sign_in(other, organiser)
    assert post(other, f"/invitations/{invitation.public_id}/reply", {"attending": "no"}).status_code == 302


def test_organiser_approves_a_guest_and_changes_one_allowance(client):
    event, organiser = make_event()
    invitation = invited(event, organiser, contact_restriction=True)
    services.record_reply(invitation, _yes(guests=1), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    _organiser_client(client, organiser)
    page = client.get(f"/invitations/{invitation.public_id}").get_data(as_text=True)
    assert "Contact restriction" in page and "Needs an organiser" in page
    guest = invitation.guests[0]
    assert post(client, f"/invitations/{invitation.public_id}/guests/{guest.public_id}/approve", {}, get_path=f"/invitations/{invitation.public_id}").status_code == 302
    db.session.expire_all()
    assert guest.approval.value == "confirmed"
    response = post(client, f"/invitations/{invitation.public_id}/allowance", {"allowance": "0"}, get_path=f"/invitations/{invitation.public_id}")
    assert response.status_code == 400 and "They have 1 guests already" in error_text(response)
    response = post(client, f"/invitations/{invitation.public_id}/allowance", {"allowance": "4"}, get_path=f"/invitations/{invitation.public_id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert invitation.guest_allowance == 4


def test_a_reply_to_a_removed_invitation_is_refused(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    page = client.get("/invitation/can-you-come")
    services.remove_invitation(invitation, by=organiser)
    db.session.commit()
    from tests.factories import csrf_from

    response = client.post("/invitation/can-you-come", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "attending": "yes"})
    assert response.status_code == 404 and "This link does not work" in response.get_data(as_text=True)
    assert reply_simple  # keep the helper import used


def test_merging_two_records_keeps_one_invitation_per_event_the_one_with_a_reply():
    from cpevents.young_people.services import merge_young_people

    event, organiser = make_event()
    other_event, _ = make_event()
    kept = invited(event, organiser)
    duplicate = services.invite(event, make_person(organiser), by=organiser)
    elsewhere = services.invite(other_event, duplicate.young_person, by=organiser)
    services.record_reply(duplicate, _yes(guests=1), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    keep_person, merge_person = kept.young_person, duplicate.young_person
    merge_young_people(keep_person, merge_person, by=organiser)
    db.session.commit()
    rows = db.session.execute(select(Invitation).where(Invitation.young_person_id == keep_person.id).order_by(Invitation.id)).scalars().all()
    assert [r.id for r in rows] == [duplicate.id, elsewhere.id]
    assert rows[0].status == InvitationStatus.COMING and len(rows[0].guests) == 1
    assert db.session.get(Invitation, kept.id) is None


def test_adding_the_shortlist_before_there_is_one_says_so(client):
    event, organiser = make_event()
    _organiser_client(client, organiser)
    response = post(client, f"/events/{event.public_id}/invitations/add-shortlist", {}, get_path=f"/events/{event.public_id}/invitations")
    assert "There is no shortlist for this event yet" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.execute(select(Invitation).where(Invitation.event_id == event.id)).first() is None


def test_a_closed_events_invitation_list_is_final(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    newcomer = make_person(organiser, first_name="Late")
    _organiser_client(client, organiser)
    page_path = f"/invitations/{invitation.public_id}"
    add_path = f"/events/{event.public_id}/invitations/add"
    # The forms are fetched while the event is open; then the organiser closes it.
    add_token = csrf_from(client.get(add_path).get_data(as_text=True))
    page_token = csrf_from(client.get(page_path).get_data(as_text=True))
    event.closed_at, event.closed_by_id = utcnow(), organiser.id
    db.session.commit()
    for path, data in [
        (add_path, {"person": newcomer.public_id}),
        (f"{page_path}/allowance", {"allowance": "5"}),
        (f"{page_path}/remove", {}),
        (f"{page_path}/new-link", {}),
        (f"/events/{event.public_id}/invitations/send", {}),
    ]:
        response = client.post(path, data={"csrf_token": add_token if path == add_path else page_token, **data})
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/events/{event.public_id}/invitations"), path
    db.session.expire_all()
    assert [i.id for i in db.session.execute(select(Invitation).where(Invitation.event_id == event.id)).scalars()] == [invitation.id]
    assert invitation.guest_allowance is None and invitation.sent_at is None and not invitation.links
    assert "its invitation list is final" in client.get(f"/events/{event.public_id}/invitations").get_data(as_text=True)


def test_the_guest_list_download_streams_in_batches_in_list_order(client, monkeypatch):
    """Issue 19: a long guest list is read EXPORT_BATCH invitations at a time while it is sent
    (two queries a batch), every row once, in the guest list's order, as CSV and as XLSX."""
    from sqlalchemy import event as sa_event

    from cpevents.invitations import queries

    monkeypatch.setattr(queries, "EXPORT_BATCH", 2)
    event, organiser = make_event()
    for surname in ["Evans", "Ahmed", "Doyle", "Brown", "Clark"]:
        invited(event, organiser, last_name=surname)
    _organiser_client(client, organiser)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engines[None], "before_cursor_execute", count)
    try:
        text = client.get(f"/events/{event.public_id}/invitations.csv").get_data().decode("utf-8-sig")
    finally:
        sa_event.remove(db.engines[None], "before_cursor_execute", count)
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[1] for r in rows[1:]] == ["Ahmed", "Brown", "Clark", "Doyle", "Evans"]
    # Three batches of at most two: one query for the guests of each batch, never one for all.
    guest_queries = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM invitation_guests" in s]
    assert len(guest_queries) == 3
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{event.public_id}/invitations.xlsx").get_data())).active
    assert [sheet.cell(row=r, column=2).value for r in range(2, 7)] == ["Ahmed", "Brown", "Clark", "Doyle", "Evans"]
    assert sheet.cell(row=7, column=1).value is None
