"""`flask privacy purge`: each rule purges exactly what is due (a day short of the limit stays),
a dry run changes nothing, a second run does nothing, one audit entry per record without names,
nothing about the purged people is left in any table, and past years' reports do not change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from cpevents.accounts.services import FORMER_USER_NAME, is_anonymised
from cpevents.audit.models import AuditAction, AuditEntry
from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import db
from cpevents.invitations.models import ReplyDraft
from cpevents.mail.models import MessageStatus
from cpevents.nominations.models import Nomination, NominationFile
from cpevents.privacy.purge import PURGED_GUEST_NAME, PURGED_REGISTRANT_NAME, purge
from cpevents.reports.queries import Period, objective_report
from tests.privacy import helpers as h


def _years_ago(years: int, days: int = 0) -> date:
    today = utcnow().astimezone(LONDON).date()
    return today.replace(year=today.year - years) + timedelta(days=days)


def _everything(tag: str):
    """One past event (800 days ago, beyond every limit) holding something for every rule."""
    event, organiser = h.past_event(800)
    return {
        "event": event,
        "organiser": organiser,
        "invitation": h.invitation_with_details(event, organiser, tag),
        "registration": h.registration(event, tag),
        "nomination": h.nomination(event, organiser, tag),
        "achievement": h.achievement(organiser, tag, date_of_birth=_years_ago(30), achieved_on=event.starts_at.date()),
        "account": h.closed_account(800, tag),
        "email": h.sent_email(800, tag),
        "champion": h.declined_champion(800, tag),
    }


def _run(**kwargs):
    results = purge(**kwargs)
    db.session.commit()
    db.session.expire_all()
    return {r.rule.key: r for r in results}


def _text_of_every_table() -> str:
    """Every value of every row of every table, as one string to search."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_each_rule_purges_what_is_due():
    world = _everything("Due")
    results = _run()
    for key in ("invitation_details", "registrations", "nomination_text", "achievements", "deactivated_accounts",
                "champion_applications", "outbox_bodies"):
        assert results[key].count >= 1, key

    invitation = world["invitation"]
    assert (invitation.dietary, invitation.dietary_other, invitation.access, invitation.access_other) == ("", "", "", "")
    assert not invitation.travel_help and invitation.travel_details == "" and not invitation.photo_consent and invitation.door_note == ""
    assert [g.name for g in invitation.guests] == [PURGED_GUEST_NAME, PURGED_GUEST_NAME]
    assert all(g.dietary_other == "" for g in invitation.guests)
    assert invitation.checked_in_at is not None and invitation.guests[0].checked_in_at is not None  # who came is kept
    assert db.session.scalar(select(func.count()).select_from(ReplyDraft).where(ReplyDraft.invitation_id == invitation.id)) == 0

    registration = world["registration"]
    assert (registration.name, registration.email, registration.email_key, registration.organisation) == (PURGED_REGISTRANT_NAME, "", None, "")
    assert registration.access_needs == registration.dietary_needs == "" and registration.checked_in_at is not None

    nomination = world["nomination"]
    assert nomination.achievement == nomination.background == nomination.contact_restriction_details == ""
    assert nomination.first_name == nomination.last_name == "" and nomination.date_of_birth is None
    assert nomination.file_id is not None and nomination.category_id == nomination.category_id  # the file outcome stays

    achievement = world["achievement"]
    assert achievement.description == achievement.celebrated_with == "" and achievement.area is not None

    assert is_anonymised(world["account"]) and world["account"].name == FORMER_USER_NAME

    email = world["email"]
    assert email.to_address == email.text_body == email.html_body == "" and email.status == MessageStatus.SENT and not email.can_retry()

    champion = world["champion"]
    assert champion.email == "" and champion.pledge_words == "" and champion.decline_reason == ""
    assert [a.what for p in champion.pledges for a in p.actions] == [""]


@pytest.mark.parametrize(
    "make",
    [
        lambda: h.invitation_with_details(h.past_event(91)[0], h.past_event(1)[1], "Short"),  # 92 days
        lambda: h.registration(h.past_event(182)[0], "Short"),  # 183 days
        lambda: h.nomination(*h.past_event(729), "Short"),  # 730 days
        lambda: h.achievement(h.past_event(1)[1], "Short", date_of_birth=_years_ago(26, days=1)),  # turns 26 tomorrow
        lambda: h.closed_account(729, "Short"),  # 730 days
        lambda: h.sent_email(89, "Short"),  # 90 days
        lambda: h.declined_champion(364, "Short"),  # 365 days
    ],
    ids=["invitation", "registration", "nomination", "achievement", "account", "email", "champion"],
)
def test_a_day_short_of_the_limit_stays(make):
    make()
    results = _run()
    assert sum(r.count for r in results.values()) == 0
    assert "Short" in _text_of_every_table()


def test_achievements_go_on_the_26th_birthday():
    organiser = h.past_event(1)[1]
    achievement = h.achievement(organiser, "Birthday", date_of_birth=_years_ago(26))
    assert _run()["achievements"].count == 1
    assert achievement.description == ""


def test_a_dry_run_changes_nothing_and_names_no_one(app):
    _everything("Dry")
    before = _text_of_every_table()
    audits = db.session.scalar(select(func.count(AuditEntry.id)))
    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing changed." in result.output
    assert "invitation_details: 1" in result.output and "outbox_bodies: 1" in result.output
    assert "invitation " in result.output  # record references, no names
    assert "Dry" not in result.output.replace("Dry run", "")
    db.session.expire_all()
    assert _text_of_every_table() == before
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audits


def test_the_command_purges_prints_counts_and_a_second_run_does_nothing(app):
    _everything("Twice")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["privacy", "purge"])
    assert first.exit_code == 0, first.output
    assert "registrations: 1" in first.output and "Total: 7." in first.output
    db.session.expire_all()
    audits = db.session.scalar(select(func.count(AuditEntry.id)))
    second = runner.invoke(args=["privacy", "purge"])
    assert second.exit_code == 0 and "Total: 0." in second.output
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audits


def test_one_audit_entry_per_record_without_personal_data():
    world = _everything("Audit")
    start = db.session.scalar(select(func.max(AuditEntry.id)))
    results = _run()
    entries = db.session.execute(select(AuditEntry).where(AuditEntry.id > start, AuditEntry.action == AuditAction.PURGED)).scalars().all()
    assert len(entries) == sum(r.count for r in results.values()) == 7
    details = "\n".join(e.detail for e in entries)
    assert f"invitation {world['invitation'].id}: needs, guests and consents deleted (retention: 92 days after the event)" in details
    assert "Audit" not in details and "@" not in details
    assert all(e.actor_id is None for e in entries)
    [on_invitation] = [e for e in entries if e.subject_type == "invitations"]
    assert on_invitation.young_person_id == world["invitation"].young_person_id  # shows on the young person's audit


def test_nothing_about_the_purged_people_is_left_in_any_table():
    _everything("Gone")
    text = _text_of_every_table()
    assert "GuestoneGone" in text and "NomtextGone" in text  # the search would find them
    _run()
    text = _text_of_every_table()
    for left in ("GuestoneGone", "GuesttwoGone", "NeedsGone", "AccessGone", "TravelGone", "DoorGone", "GuestneedsGone", "DraftguestGone",
                 "RegistrantGone", "registrantGone@", "RegaccessGone", "NomtextGone", "NombackgroundGone", "NomrestrictionGone", "FilereasonGone",
                 "AchtextGone", "AchwithGone", "ClosedGone", "closedGone@", "MailbodyGone", "mailtoGone@", "ChampGone", "PledgeGone",
                 "DeclinedGone", "PledgeactionGone"):
        assert left not in text, left


def test_past_years_reports_are_the_same_after_a_purge():
    world = _everything("Report")
    event = world["event"]
    h.invitation_with_details(event, world["organiser"], "Reportnotcoming", checked_in=False)
    h.registration(event, "Reportsecond", checked_in=False)
    h.feedback(event, proud=5)
    h.feedback(event, proud=2)
    period = Period.current(event.starts_at.astimezone(LONDON).date())
    before = objective_report(period)
    assert before.attendance and before.nominations_total and before.achievements_total and before.feedback_responses
    _run()
    assert objective_report(period) == before


def test_a_configured_period_is_followed(app, monkeypatch):
    event, organiser = h.past_event(20)
    invitation = h.invitation_with_details(event, organiser, "Config")
    assert _run()["invitation_details"].count == 0
    monkeypatch.setitem(app.config, "RETENTION_INVITATION_DETAILS_DAYS", 10)
    results = _run()
    assert results["invitation_details"].count == 1 and invitation.dietary_other == ""
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.subject_type == "invitations", AuditEntry.subject_id == invitation.id,
                                                        AuditEntry.action == AuditAction.PURGED)).scalar_one()
    assert "retention: 10 days after the event" in entry.detail


def test_batches_cover_every_due_row():
    event, organiser = h.past_event(800)
    for i in range(3):
        h.registration(event, f"Batch{i}")
    committed = []
    results = _run(batch_size=2, after_batch=lambda: committed.append(1))
    assert results["registrations"].count == 3 and len(committed) >= 2


def test_the_demo_has_something_due_for_every_rule_and_seeding_twice_adds_nothing(app):
    from cpevents.demo import seed_demo

    seed_demo()
    db.session.commit()
    first = {key: r.count for key, r in _run(dry_run=True).items()}
    seed_demo()
    db.session.commit()
    assert {key: r.count for key, r in _run(dry_run=True).items()} == first
    for key in ("invitation_details", "registrations", "nomination_text", "achievements", "deactivated_accounts", "champion_applications", "outbox_bodies"):
        assert first[key] >= 1, key
    _run()
    assert sum(r.count for r in _run(dry_run=True).values()) == 0


def test_organisers_pages_about_purged_records_still_work(client):
    """After a purge the past event's pages, the email page and the closed account's page show
    the blanked records without errors (and without the purged names)."""
    from cpevents.accounts.models import User
    from cpevents.core.enums import Role
    from cpevents.demo import seed_demo
    from cpevents.events.models import Event
    from cpevents.mail.models import OutboxMessage
    from cpevents.privacy.demo import PAST_EVENT
    from tests.factories import make_user, sign_in

    seed_demo()
    db.session.commit()
    _run()
    event = db.session.execute(select(Event).where(Event.name == PAST_EVENT)).scalar_one()
    message = db.session.execute(select(OutboxMessage).where(OutboxMessage.to_address == "", OutboxMessage.status == MessageStatus.SENT)).scalars().first()
    former = db.session.execute(select(User).where(User.name == FORMER_USER_NAME)).scalars().first()
    file_id = db.session.execute(select(Nomination.file_id).where(Nomination.event_id == event.id)).scalar_one()
    file = db.session.get(NominationFile, file_id)
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    e = event.public_id
    for path in (f"/events/{e}", f"/events/{e}/invitations", f"/events/{e}/invitations/needs", f"/events/{e}/nominations", f"/events/{e}/registrations",
                 f"/events/{e}/registrations.csv", f"/events/{e}/judging", f"/events/{e}/feedback", f"/nomination-files/{file.public_id}",
                 f"/emails/{message.public_id}", "/emails", f"/people/{former.public_id}", "/champions/applications", "/reports/objective",
                 f"/young-people/{file.young_person.public_id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        for gone in ("Marion Hallam", "Gwen Porter", "driving theory", "Frances Former", "Dale Turnbull", "reece.hallam@"):
            assert gone not in html, (path, gone)
