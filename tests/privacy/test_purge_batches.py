"""The retention purge over more rows than one batch (issue 19): the same rows purged, one audit
entry each, the same whether a rule loads its records or clears columns in one UPDATE a batch."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from cpevents.audit.models import AuditAction, AuditEntry
from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import db
from cpevents.invitations.models import ReplyDraft
from cpevents.mail.models import OutboxMessage
from cpevents.privacy import purge as purge_module
from cpevents.privacy.purge import PURGED_GUEST_NAME, purge
from tests.privacy import helpers as h


def _thirty_years_ago() -> date:
    today = utcnow().astimezone(LONDON).date()
    return today.replace(year=today.year - 30)


def _run(**kwargs):
    results = purge(**kwargs)
    db.session.commit()
    db.session.expire_all()
    return {r.rule.key: r for r in results}


def _entries(subject_type: str, ids) -> list[AuditEntry]:
    return list(db.session.execute(
        select(AuditEntry).where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id.in_(ids), AuditEntry.action == AuditAction.PURGED)
        .order_by(AuditEntry.subject_id)
    ).scalars())


def test_every_rule_purges_every_due_row_over_several_batches(monkeypatch):
    monkeypatch.setattr(purge_module, "CLEARED_BATCH_FACTOR", 1)
    event, organiser = h.past_event(800)
    invitations = [h.invitation_with_details(event, organiser, f"Inv{i}") for i in range(5)]
    nominations = [h.nomination(event, organiser, f"Nom{i}") for i in range(5)]
    achievements = [h.achievement(organiser, f"Ach{i}", date_of_birth=_thirty_years_ago(), achieved_on=event.starts_at.date()) for i in range(5)]
    emails = [h.sent_email(800, f"Batch{i}") for i in range(5)]
    committed = []
    messages = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    audit_entries = db.session.scalar(select(func.count()).select_from(AuditEntry))
    results = _run(batch_size=2, after_batch=lambda: committed.append(1))

    # Nothing is emailed, and the audit trail gains exactly one entry per record purged.
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == messages
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) - audit_entries == sum(r.count for r in results.values())
    assert results["invitation_details"].count == 5 and results["nomination_text"].count == 5
    assert results["achievements"].count == 5 and results["outbox_bodies"].count == 5
    assert len(committed) >= 4 * 3  # each of the four rules above took three batches
    for invitation in invitations:
        assert invitation.dietary_other == "" and {g.name for g in invitation.guests} == {PURGED_GUEST_NAME}
        assert db.session.scalar(select(func.count()).select_from(ReplyDraft).where(ReplyDraft.invitation_id == invitation.id)) == 0
    for nomination in nominations:
        assert nomination.achievement == "" and nomination.file.not_eligible_reason == ""
    for achievement in achievements:
        assert (achievement.description, achievement.celebrated_with) == ("", "")
        assert achievement.achieved_on == event.starts_at.date()  # the report still counts it
    for email in emails:
        assert (email.to_address, email.text_body, email.html_body, email.sealed_links) == ("", "", "", None)

    # One audit entry per record, naming the record and the rule, never a person, and for an
    # achievement whose record it is (as the per-record path writes it).
    achievement_entries = _entries("achievements", [a.id for a in achievements])
    assert [e.subject_id for e in achievement_entries] == sorted(a.id for a in achievements)
    assert [e.young_person_id for e in achievement_entries] == [a.young_person_id for a in sorted(achievements, key=lambda a: a.id)]
    assert all(e.actor_id is None and e.detail.startswith(f"achievement {e.subject_id}: words deleted (") for e in achievement_entries)
    email_entries = _entries("outbox_messages", [m.id for m in emails])
    assert len(email_entries) == 5 and all(e.young_person_id is None and "Batch" not in e.detail for e in email_entries)
    assert len(_entries("invitations", [i.id for i in invitations])) == 5

    assert sum(r.count for r in _run(dry_run=True).values()) == 0  # a second run finds nothing


def test_a_dry_run_counts_every_row_but_keeps_only_the_first_references(monkeypatch):
    monkeypatch.setattr(purge_module, "REFERENCES_KEPT", 3)
    monkeypatch.setattr(purge_module, "CLEARED_BATCH_FACTOR", 1)
    emails = [h.sent_email(800, f"Dry{i}") for i in range(5)]
    results = _run(dry_run=True, batch_size=2)
    assert results["outbox_bodies"].count == 5
    assert results["outbox_bodies"].references == [f"email {m.id}" for m in sorted(emails, key=lambda m: m.id)[:3]]
    assert all(m.to_address for m in db.session.execute(select(OutboxMessage).where(OutboxMessage.id.in_([m.id for m in emails]))).scalars())


def test_the_command_says_how_many_more_than_it_lists(app, monkeypatch):
    monkeypatch.setattr(purge_module, "REFERENCES_KEPT", 2)
    monkeypatch.setattr(purge_module, "CLEARED_BATCH_FACTOR", 1)
    for i in range(4):
        h.sent_email(800 + i, f"Cli{i}")
    out = app.test_cli_runner().invoke(args=["privacy", "purge", "--dry-run", "--batch-size", "3"]).output
    assert "outbox_bodies: 4 (" in out, out
    assert " and 2 more" in out, out


def test_emails_go_in_larger_batches_than_records_that_are_loaded(monkeypatch):
    monkeypatch.setattr(purge_module, "CLEARED_BATCH_FACTOR", 3)
    for i in range(7):
        h.sent_email(800, f"Big{i}")
    committed = []
    results = _run(batch_size=2, after_batch=lambda: committed.append(1))
    assert results["outbox_bodies"].count == 7
    assert len(committed) == 2  # 6 then 1, not four batches of 2
