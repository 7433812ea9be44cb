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

from sqlalchemy import Select, delete, exists, func, or_, select, update
from sqlalchemy.orm import selectinload

from cpevents.accounts.models import User
from cpevents.accounts.services import anonymise_account
from cpevents.achievements.models import Achievement
from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.champions.models import Champion, ChampionPledge, ChampionStatus, PledgeAction
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
    db.session.execute(delete(ReplyDraft).where(ReplyDraft.invitation_id == invitation.id))
    db.session.execute(delete(ConsentRecord).where(ConsentRecord.invitation_id == invitation.id))


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
    db.session.execute(delete(RegistrationCancelLink).where(RegistrationCancelLink.registration_id == registration.id))


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
    db.session.execute(update(PanelText).where(PanelText.nomination_id == nomination.id).values(text=""))
    if nomination.file_id is not None:
        # The file's outcome, category and scores stay; the words about the young person go.
        db.session.execute(update(Assignment).where(Assignment.file_id == nomination.file_id).values(comment="", conflict_note=""))
        db.session.execute(update(NominationFile).where(NominationFile.id == nomination.file_id).values(not_eligible_reason=""))
        # Organisers' and panels' reasons for their decisions on the file: the decisions stay, the words go.
        db.session.execute(update(FileDecision).where(FileDecision.file_id == nomination.file_id).values(reason=""))
        db.session.execute(update(JudgingDecision).where(JudgingDecision.file_id == nomination.file_id).values(reason=""))
        db.session.execute(delete(NomineeLink).where(NomineeLink.file_id == nomination.file_id))
        db.session.execute(update(NomineeNotice).where(NomineeNotice.file_id == nomination.file_id).values(own_words="", personal_line=""))


# --- achievements, until the young person turns 26 ----------------------------------------------


def _achievement_due(rule: Rule, now: datetime) -> Select:
    today = now.astimezone(LONDON).date()
    return (
        select(Achievement)
        .join(YoungPerson, YoungPerson.id == Achievement.young_person_id)
        .where(YoungPerson.date_of_birth <= rule.born_on_or_before(today), or_(Achievement.description != "", Achievement.celebrated_with != ""))
    )


def _achievement_apply(achievement: Achievement) -> None:
    # The date and area stay: the objective report counts them for past years.
    achievement.description = ""
    achievement.celebrated_with = ""


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
    pledges = select(ChampionPledge.id).where(ChampionPledge.champion_id == champion.id)
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


def _outbox_apply(message: OutboxMessage) -> None:
    message.to_address = ""
    message.text_body = message.html_body = ""
    message.sealed_links = None
    message.calendar = None
    message.last_error = None  # a mail server's refusal quotes the address


TARGETS: list[Target] = [
    Target("invitation_details", Invitation, _invitation_due, _invitation_apply, "needs, guests and consents deleted", "invitation",
           young_person=lambda row: row.young_person, options=(selectinload(Invitation.guests), selectinload(Invitation.young_person))),
    Target("registrations", Registration, _registration_due, _registration_apply, "name, contact details and needs deleted", "registration"),
    Target("nomination_text", Nomination, _nomination_due, _nomination_apply, "text deleted", "nomination",
           young_person=lambda row: row.file.young_person if row.file is not None else None,
           options=(selectinload(Nomination.file).selectinload(NominationFile.young_person),)),
    Target("achievements", Achievement, _achievement_due, _achievement_apply, "words deleted", "achievement",
           young_person=lambda row: row.young_person, options=(selectinload(Achievement.young_person),)),
    Target("deactivated_accounts", User, _account_due, anonymise_account, "anonymised", "account"),
    Target("champion_applications", Champion, _champion_due, _champion_apply, "name, contact details and words deleted", "champion application"),
    Target("outbox_bodies", OutboxMessage, _outbox_due, _outbox_apply, "address and words deleted", "email"),
]


@dataclass
class RuleResult:
    rule: Rule
    references: list[str] = field(default_factory=list)  # "invitation 12": record ids, never names

    @property
    def count(self) -> int:
        return len(self.references)


def due_batch(target: Target, now: datetime, *, after_id: int = 0, limit: int = BATCH) -> list:
    rule = RULES[target.rule_key]
    statement = target.due(rule, now).where(target.model.id > after_id).order_by(target.model.id).limit(limit).options(*target.options)
    return list(db.session.execute(statement).scalars().unique())


def purge_row(target: Target, row, now: datetime) -> None:
    """Purge one row and write its audit entry (no personal data: the record's id and the rule)."""
    rule = RULES[target.rule_key]
    young_person = target.young_person(row)
    target.apply(row)
    record(None, AuditAction.PURGED, row, young_person=young_person,
           detail=f"{target.noun} {row.id}: {target.done} ({rule.audit_words()})")


def purge(*, now: datetime | None = None, dry_run: bool = False, batch_size: int = BATCH,
          after_batch: Callable[[], None] | None = None) -> list[RuleResult]:
    """Every rule in turn, in batches. A dry run lists what is due and changes nothing."""
    now = now or utcnow()
    results = []
    for target in TARGETS:
        result = RuleResult(RULES[target.rule_key])
        last = 0
        while True:
            rows = due_batch(target, now, after_id=last, limit=batch_size)
            if not rows:
                break
            for row in rows:
                result.references.append(f"{target.noun} {row.id}")
                if not dry_run:
                    purge_row(target, row, now)
            last = rows[-1].id
            if not dry_run:
                db.session.flush()
                if after_batch is not None:
                    after_batch()
            if len(rows) < batch_size:
                break
        results.append(result)
    return results
