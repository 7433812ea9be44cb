"""`flask privacy purge`: delete or anonymise what the retention schedule says is due.

Each rule of the schedule (cpevents/privacy/retention.py) has a target here: a query for the rows
that are due *and still hold personal data* (so a second run finds nothing), and what to do to
one row. Rows are taken in batches (keyset by id, so a dry run, which changes nothing, still moves
on), and each purged row gets one audit entry that names the record and the rule, never a person.

Where a report counts a row, the row stays and only the personal details go: the objective
report, attendance and feedback shares for past years are the same before and after.

Like every service, nothing here commits: `purge(..., after_batch=db.session.commit)` lets the
command commit each batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, exists, func, literal, or_, select, update
from sqlalchemy.orm import selectinload

from cpevents.accounts.models import User
from cpevents.accounts.services import anonymise_account
from cpevents.achievements.models import Achievement
from cpevents.audit.models import AuditAction
from cpevents.audit.services import record, record_many
from cpevents.champions.models import Champion, ChampionPledge, ChampionStatus, PledgeAction
from cpevents.core.checks import known
from cpevents.core.time import LONDON, utcnow
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.invitations.models import ConsentRecord, Guest, Invitation, NameRead, ReplyDraft
from cpevents.judging.models import Assignment, JudgingDecision, PanelText
from cpevents.mail.models import MessageStatus, OutboxMessage
from cpevents.nominations.models import FileDecision, Nomination, NominationFile
from cpevents.nominees.models import NomineeLink, NomineeNotice
from cpevents.privacy.retention import RULES, Rule
from cpevents.registrations.models import Registration, RegistrationCancelLink
from cpevents.young_people.models import YoungPerson

BATCH = 500
# A target that only clears columns loads no record, so its batches are this many times larger:
# 5,000 rows an UPDATE, an INSERT and a commit (issue 19: 200,000 emails at scale 10).
CLEARED_BATCH_FACTOR = 10
PURGED_GUEST_NAME = "Guest"  # a guest's name once deleted (pages still show one row per guest)
PURGED_REGISTRANT_NAME = "Removed"
PURGED_CHAMPION_NAME = "Former champion"


@dataclass
class Target:
    """How one rule finds and purges its rows."""

    # Each target is of another model, so its rows are Any here; `model` is a mapped class with an
    # integer `id` column, and `apply` and `young_person` take a row of it.
    rule_key: str
    model: Any
    due: Callable[[Rule, datetime], Select]  # a select of the model's rows that are due
    apply: Callable[[Any], None]
    done: str  # what happened, for the audit entry: "needs, guests and consents deleted"
    noun: str  # how a record is referred to: "invitation"
    young_person: Callable[[Any], object | None] = lambda row: None
    options: tuple = ()  # eager loads: reading a batch costs the same few queries whatever its size
    # Statements on other tables, once a batch (given the batch's rows), rather than once a row.
    apply_batch: Callable[[list[Any]], None] | None = None
    # When purging a row is only setting these columns: one UPDATE a batch, no record loaded, the
    # audit entries written in one INSERT (issue 19: 200,000 emails at scale 10). `young_person_id`
    # is then the column that says whose record it is, for the audit entry.
    cleared: dict[str, Any] | None = None
    young_person_id: Any = None


# --- invitations: needs, guests and consents ---------------------------------------------------


def _invitation_due(rule: Rule, now: datetime) -> Select:
    guest_left = exists().where(
        Guest.invitation_id == Invitation.id,
        or_(Guest.name != PURGED_GUEST_NAME, Guest.dietary != "", Guest.dietary_other != "", Guest.access != "", Guest.access_other != ""),
    )
    draft_left = exists().where(ReplyDraft.invitation_id == Invitation.id)
    consents_left = exists().where(ConsentRecord.invitation_id == Invitation.id)
    return (
        select(Invitation)
        .join(Event, Event.id == Invitation.event_id)
        .where(
            Event.starts_at <= rule.cutoff(now),
            or_(
                Invitation.dietary != "", Invitation.dietary_other != "", Invitation.access != "", Invitation.access_other != "",
                Invitation.travel_help.is_(True), Invitation.travel_details != "", Invitation.photo_consent.is_(True),
                Invitation.name_read != NameRead.FIRST_NAME, Invitation.door_note != "", guest_left, draft_left,
                consents_left, Invitation.photos_ok.is_(True), Invitation.use_website.is_(True), Invitation.use_social.is_(True),
                Invitation.use_press.is_(True), Invitation.use_annual_report.is_(True), Invitation.needs_agreement.is_(True),
                Invitation.agreed_at.is_not(None),
            ),
        )
    )


def _invitation_apply(invitation: Invitation) -> None:
    invitation.dietary = invitation.dietary_other = invitation.access = invitation.access_other = ""
    invitation.travel_help, invitation.travel_details = False, ""
    invitation.photo_consent, invitation.name_read = False, NameRead.FIRST_NAME
    invitation.photos_ok = invitation.use_website = invitation.use_social = invitation.use_press = invitation.use_annual_report = False
    invitation.needs_agreement, invitation.agreed_at = False, None
    invitation.door_note = ""
    # Guests stay as rows (the attendance figures count them, and who came); only who they were goes.
    for guest in invitation.guests:
        guest.name = PURGED_GUEST_NAME
        guest.dietary = guest.dietary_other = guest.access = guest.access_other = ""
        guest.photo_consent = False


def _invitation_apply_batch(invitations: list[Invitation]) -> None:
    ids = [i.id for i in invitations]
    db.session.execute(delete(ReplyDraft).where(ReplyDraft.invitation_id.in_(ids)))
    db.session.execute(delete(ConsentRecord).where(ConsentRecord.invitation_id.in_(ids)))


# --- registrations of professionals and councillors ---------------------------------------------


def _registration_due(rule: Rule, now: datetime) -> Select:
    return (
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Event.starts_at <= rule.cutoff(now),
            or_(Registration.name != PURGED_REGISTRANT_NAME, Registration.email != "", Registration.organisation != "", Registration.role != "",
                Registration.access_needs != "", Registration.dietary_needs != "", Registration.email_key.is_not(None),
                Registration.mobile != ""),
        )
    )


def _registration_apply(registration: Registration) -> None:
    registration.name = PURGED_REGISTRANT_NAME
    registration.email, registration.email_key = "", None
    registration.mobile, registration.mobile_agreed_at = "", None
    registration.organisation = registration.role = ""
    registration.access_needs = registration.dietary_needs = ""


def _registration_apply_batch(registrations: list[Registration]) -> None:
    db.session.execute(delete(RegistrationCancelLink).where(RegistrationCancelLink.registration_id.in_([r.id for r in registrations])))


# --- nomination text --------------------------------------------------------------------------------

_NOMINATION_TEXT = ("achievement", "background", "not_known_reason", "public_concern_details", "contact_restriction_details",
                    "first_name", "last_name", "district")


def _nomination_due(rule: Rule, now: datetime) -> Select:
    panel_text_left = exists().where(PanelText.nomination_id == Nomination.id, PanelText.text != "")
    judges_words_left = exists().where(Assignment.file_id == Nomination.file_id, or_(Assignment.comment != "", Assignment.conflict_note != ""))
    file_reason_left = or_(
        exists().where(NominationFile.id == Nomination.file_id, NominationFile.not_eligible_reason != ""),
        exists().where(FileDecision.file_id == Nomination.file_id, FileDecision.reason != ""),
        exists().where(JudgingDecision.file_id == Nomination.file_id, JudgingDecision.reason != ""),
        exists().where(NomineeLink.file_id == Nomination.file_id),  # the nominee's personal link (issue 16)
        exists().where(NomineeNotice.file_id == Nomination.file_id, or_(NomineeNotice.own_words != "", NomineeNotice.personal_line != "")),  # their own words, a line to them
    )
    return (
        select(Nomination)
        .join(Event, Event.id == Nomination.event_id)
        .where(
            Event.starts_at <= rule.cutoff(now),
            or_(*(getattr(Nomination, name) != "" for name in _NOMINATION_TEXT), Nomination.date_of_birth.is_not(None),
                panel_text_left, judges_words_left, file_reason_left),
        )
    )


def _nomination_apply(nomination: Nomination) -> None:
    for name in _NOMINATION_TEXT:
        setattr(nomination, name, "")
    nomination.date_of_birth = None


def _nomination_apply_batch(nominations: list[Nomination]) -> None:
    db.session.execute(update(PanelText).where(PanelText.nomination_id.in_([n.id for n in nominations])).values(text=""))
    file_ids = sorted({n.file_id for n in nominations if n.file_id is not None})
    if file_ids:
        # The file's outcome, category and scores stay; the words about the young person go.
        db.session.execute(update(Assignment).where(Assignment.file_id.in_(file_ids)).values(comment="", conflict_note=""))
        db.session.execute(update(NominationFile).where(NominationFile.id.in_(file_ids)).values(not_eligible_reason=""))
        # Organisers' and panels' reasons for their decisions on the file: the decisions stay, the words go.
        db.session.execute(update(FileDecision).where(FileDecision.file_id.in_(file_ids)).values(reason=""))
        db.session.execute(update(JudgingDecision).where(JudgingDecision.file_id.in_(file_ids)).values(reason=""))
        db.session.execute(delete(NomineeLink).where(NomineeLink.file_id.in_(file_ids)))
        db.session.execute(update(NomineeNotice).where(NomineeNotice.file_id.in_(file_ids)).values(own_words="", personal_line=""))


# --- achievements, until the young person turns 26 ----------------------------------------------


def _achievement_due(rule: Rule, now: datetime) -> Select:
    today = now.astimezone(LONDON).date()
    return (
        select(Achievement)
        .join(YoungPerson, YoungPerson.id == Achievement.young_person_id)
        .where(YoungPerson.date_of_birth <= rule.born_on_or_before(today), or_(Achievement.description != "", Achievement.celebrated_with != ""))
    )


# The date and area stay: the objective report counts them for past years.
_ACHIEVEMENT_CLEARED = {"description": "", "celebrated_with": ""}


# --- accounts closed for two years ----------------------------------------------------------------


def _account_due(rule: Rule, now: datetime) -> Select:
    return select(User).where(User.deactivated_at.is_not(None), User.deactivated_at <= rule.cutoff(now), User.email.not_like("%@invalid"))


# --- champion applications declined, never confirmed, or lapsed -----------------------------------


def _champion_due(rule: Rule, now: datetime) -> Select:
    cutoff = rule.cutoff(now)
    ended = or_(
        (Champion.status == ChampionStatus.DECLINED) & (func.coalesce(Champion.decided_at, Champion.submitted_at) <= cutoff),
        (Champion.status == ChampionStatus.UNCONFIRMED) & (Champion.submitted_at <= cutoff),
        (Champion.status == ChampionStatus.LAPSED) & (func.coalesce(Champion.expires_at, Champion.submitted_at) <= cutoff),
    )
    words_left = exists().where(PledgeAction.pledge_id == ChampionPledge.id, ChampionPledge.champion_id == Champion.id, PledgeAction.what != "")
    return select(Champion).where(
        ended,
        or_(Champion.name != PURGED_CHAMPION_NAME, Champion.email != "", Champion.job_title != "", Champion.pledge_words != "",
            Champion.decline_reason != "", words_left),
    )


def _champion_apply(champion: Champion) -> None:
    champion.name, champion.email, champion.job_title = PURGED_CHAMPION_NAME, "", ""
    champion.pledge_words = champion.decline_reason = ""
    champion.confirm_token_hash = None


def _champion_apply_batch(champions: list[Champion]) -> None:
    pledges = select(ChampionPledge.id).where(ChampionPledge.champion_id.in_([c.id for c in champions]))
    db.session.execute(update(PledgeAction).where(PledgeAction.pledge_id.in_(pledges)).values(what="").execution_options(synchronize_session=False))


# --- copies of sent email ---------------------------------------------------------------------------


def _outbox_due(rule: Rule, now: datetime) -> Select:
    cutoff = rule.cutoff(now)
    finished = or_(
        (OutboxMessage.status == MessageStatus.SENT) & (func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) <= cutoff),
        OutboxMessage.status.in_((MessageStatus.FAILED, MessageStatus.CANCELLED)) & (OutboxMessage.created_at <= cutoff),
    )
    return select(OutboxMessage).where(
        finished,
        or_(OutboxMessage.to_address != "", OutboxMessage.text_body != "", OutboxMessage.html_body != "", OutboxMessage.sealed_links.is_not(None),
           OutboxMessage.calendar.is_not(None)),
    )


# last_error too: a mail server's refusal quotes the address.
_OUTBOX_CLEARED = {"to_address": "", "text_body": "", "html_body": "", "sealed_links": None, "calendar": None, "last_error": None}


def _setting(values: dict[str, Any]) -> Callable[[Any], None]:
    """A row's `apply` for a target that only clears columns (the same as its batch UPDATE)."""
    def apply(row) -> None:
        for name, value in values.items():
            setattr(row, name, value)
    return apply


TARGETS: list[Target] = [
    Target("invitation_details", Invitation, _invitation_due, _invitation_apply, "needs, guests and consents deleted", "invitation",
           young_person=lambda row: row.young_person, options=(selectinload(Invitation.guests), selectinload(Invitation.young_person)),
           apply_batch=_invitation_apply_batch),
    Target("registrations", Registration, _registration_due, _registration_apply, "name, contact details and needs deleted", "registration",
           apply_batch=_registration_apply_batch),
    Target("nomination_text", Nomination, _nomination_due, _nomination_apply, "text deleted", "nomination",
           young_person=lambda row: row.file.young_person if row.file is not None else None,
           options=(selectinload(Nomination.file).selectinload(NominationFile.young_person),), apply_batch=_nomination_apply_batch),
    Target("achievements", Achievement, _achievement_due, _setting(_ACHIEVEMENT_CLEARED), "words deleted", "achievement",
           young_person=lambda row: row.young_person, cleared=_ACHIEVEMENT_CLEARED, young_person_id=Achievement.young_person_id),
    Target("deactivated_accounts", User, _account_due, anonymise_account, "anonymised", "account"),
    Target("champion_applications", Champion, _champion_due, _champion_apply, "name, contact details and words deleted", "champion application",
           apply_batch=_champion_apply_batch),
    Target("outbox_bodies", OutboxMessage, _outbox_due, _setting(_OUTBOX_CLEARED), "address and words deleted", "email",
           cleared=_OUTBOX_CLEARED),
]


REFERENCES_KEPT = 20  # references a result keeps (the dry run lists them); the count is of all


@dataclass
class RuleResult:
    rule: Rule
    count: int = 0
    # The first REFERENCES_KEPT records, "invitation 12": record ids, never names. Only the first
    # few, so a purge of 300,000 rows does not hold 300,000 strings (issue 19).
    references: list[str] = field(default_factory=list)

    def add(self, noun: str, ids: list[int]) -> None:
        self.count += len(ids)
        room = REFERENCES_KEPT - len(self.references)
        if room > 0:
            self.references.extend(f"{noun} {i}" for i in ids[:room])


def _due_statement(target: Target, now: datetime, after_id: int, limit: int) -> Select:
    rule = RULES[target.rule_key]
    return target.due(rule, now).where(target.model.id > after_id).order_by(target.model.id).limit(limit)


def due_batch(target: Target, now: datetime, *, after_id: int = 0, limit: int = BATCH) -> list:
    return list(db.session.execute(_due_statement(target, now, after_id, limit).options(*target.options)).scalars().unique())


def _audit_detail(target: Target, row_id: int) -> str:
    return f"{target.noun} {row_id}: {target.done} ({RULES[target.rule_key].audit_words()})"


def purge_row(target: Target, row, now: datetime) -> None:
    """Purge one row and write its audit entry (no personal data: the record's id and the rule)."""
    young_person = target.young_person(row)
    target.apply(row)
    record(None, AuditAction.PURGED, row, young_person=young_person, detail=_audit_detail(target, row.id))


def _due_ids(target: Target, now: datetime, *, after_id: int, limit: int) -> list[tuple[int, int | None]]:
    """(id, young person id) of the next due rows, without loading them."""
    person = target.young_person_id if target.young_person_id is not None else literal(None)
    statement = _due_statement(target, now, after_id, limit).with_only_columns(target.model.id, person)
    return [(row_id, young_person_id) for row_id, young_person_id in db.session.execute(statement).tuples()]


def _purge_cleared(target: Target, due: list[tuple[int, int | None]]) -> None:
    """A batch of a target that only clears columns: one UPDATE, one INSERT of its audit entries
    (the same entries purge_row writes, one per record)."""
    cleared = known(target.cleared, "only targets that clear columns")
    db.session.execute(update(target.model).where(target.model.id.in_([i for i, _ in due])).values(**cleared)
                       .execution_options(synchronize_session=False))
    record_many(None, AuditAction.PURGED, target.model.__tablename__, [(i, person, _audit_detail(target, i)) for i, person in due])


def purge(*, now: datetime | None = None, dry_run: bool = False, batch_size: int = BATCH,
          after_batch: Callable[[], None] | None = None) -> list[RuleResult]:
    """Every rule in turn, in batches. A dry run lists what is due and changes nothing."""
    now = now or utcnow()
    results = []
    for target in TARGETS:
        result = RuleResult(RULES[target.rule_key])
        last = 0
        size = batch_size * CLEARED_BATCH_FACTOR if target.cleared is not None else batch_size
        while True:
            if target.cleared is not None:
                due = _due_ids(target, now, after_id=last, limit=size)
                ids = [i for i, _ in due]
                if ids and not dry_run:
                    _purge_cleared(target, due)
            else:
                rows = due_batch(target, now, after_id=last, limit=size)
                ids = [row.id for row in rows]
                if rows and not dry_run:
                    for row in rows:
                        purge_row(target, row, now)
                    if target.apply_batch is not None:
                        target.apply_batch(rows)
            if not ids:
                break
            result.add(target.noun, ids)
            last = ids[-1]
            if not dry_run:
                db.session.flush()
                if after_batch is not None:
                    after_batch()
            if len(ids) < size:
                break
        results.append(result)
    return results
