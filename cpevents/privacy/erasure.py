"""Erasure on request: one person's data taken out of everywhere the service holds it.

The verbs here never commit (the view owns the transaction). Rows are kept and blanked rather than
deleted wherever other people's data or report totals hang off them: a young person's record row
stays (as "Erased <reference>") so nominations, invitations, achievements and feedback still count
in past years' totals; an account stays as "Former user" so the nominations it wrote stay with the
young people they are about. Rows that are only about the person and count towards nothing
(personal links, reply drafts, worker links) are deleted.

A young person's erasure needs two organisers: one asks (`request_erasure`), a different one
confirms (`confirm_erasure`); either may cancel. Other people are erased by one organiser after
the confirmation page (`erase_now`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update

from cpevents.accounts.models import User
from cpevents.accounts.services import FORMER_USER_NAME, anonymise_account, is_anonymised
from cpevents.achievements.models import Achievement
from cpevents.audit.models import AuditAction, AuditEntry
from cpevents.audit.services import record
from cpevents.champions.models import Champion, ChampionPledge, PledgeAction
from cpevents.core.cache import bump_all
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.feedback.models import FeedbackLink
from cpevents.invitations.models import (
    ConsentRecord,
    Invitation,
    InvitationLink,
    NameRead,
    ReplyDraft,
)
from cpevents.judging.models import Assignment, JudgingDecision, PanelJudge, PanelText
from cpevents.mail.models import MessageStatus, OutboxMessage
from cpevents.nominations.models import FileDecision, Nomination, NominationFile
from cpevents.nominees.models import NomineeLink, NomineeNotice
from cpevents.privacy.models import ErasureKind, ErasureRequest, ErasureState
from cpevents.registrations.models import Registration, RegistrationCancelLink
from cpevents.seating.services import forget_seats
from cpevents.young_people.letters import WorkerLetter
from cpevents.young_people.models import NameShown, YoungPerson, YoungPersonWorker, normalise_name
from cpevents.young_people.queries import merged_ids

ERASED = "Erased"
ERASED_DATE_OF_BIRTH = date(1900, 1, 1)  # the column is required; this date is never anyone's
REMOVED_BODY = "[This email was removed when the person it was about asked us to erase their data.]"
ERASED_GUEST = "Guest"
FORMER_CHAMPION = "Former champion"


class ErasureRefused(Exception):
    """Shown to the organiser as it is: a plain sentence."""


@dataclass
class Plan:
    """What erasing one person will do, in words an organiser checks before confirming."""

    kind: ErasureKind
    reference: str
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return "; ".join(self.removed)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _reference(public_id: str) -> str:
    return public_id.replace("-", "")[:6].upper()


# --- finding the person's data ------------------------------------------------------------------------


def _dob_forms(day: date | None) -> list[str]:
    if day is None:
        return []
    return sorted({day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}", day.strftime("%d %B %Y"),
                   f"{day.day} {day:%B %Y}", f"{day.day} {day:%b %Y}", day.strftime("%d.%m.%Y")})


def _outbox_matches(words: list[str], addresses: list[str], user_ids: list[int]) -> list[OutboxMessage]:
    """Messages sent to the person (address or account) or whose body or subject holds any of
    `words` as a whole word (names, dates of birth; HTML-escaped forms too)."""
    words = sorted({w.strip() for w in words if w and len(w.strip()) >= 2})
    words = sorted(set(words) | {html.escape(w) for w in words})
    addresses = sorted({a.strip().lower() for a in addresses if a and a.strip()})
    conditions = []
    in_body, in_subject = [], []
    for word in words:
        pattern = f"%{word.lower()}%"
        in_body += [func.lower(OutboxMessage.text_body).like(pattern), func.lower(OutboxMessage.html_body).like(pattern)]
        in_subject.append(func.lower(OutboxMessage.subject).like(pattern))
    if words:
        # Bodies the retention purge already emptied hold no words: test them for nothing more (issue 19:
        # most of ten years of email is past its 90 days). Subjects stay after the purge: always searched.
        conditions += [and_(or_(OutboxMessage.text_body != "", OutboxMessage.html_body != ""), or_(*in_body)), *in_subject]
    if addresses:
        conditions.append(func.lower(OutboxMessage.to_address).in_(addresses))
    if user_ids:
        conditions.append(OutboxMessage.user_id.in_(user_ids))
    if not conditions:
        return []
    candidates = db.session.execute(select(OutboxMessage).where(or_(*conditions))).scalars().all()
    if not words:
        return list(candidates)
    whole = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    return [
        m for m in candidates
        if m.to_address.strip().lower() in addresses or (m.user_id is not None and m.user_id in user_ids)
        or whole.search(m.text_body or "") or whole.search(m.html_body or "") or whole.search(m.subject or "")
    ]


def _blank_messages(messages: list[OutboxMessage]) -> None:
    for message in messages:
        message.text_body = message.html_body = REMOVED_BODY
        message.subject = "Removed"
        message.to_address = ""
        message.sealed_links = None
        message.calendar = None
        message.letter = None
        message.last_error = None
        if message.status in (MessageStatus.QUEUED, MessageStatus.FAILED):
            message.status = MessageStatus.CANCELLED


# --- a young person -----------------------------------------------------------------------------------


@dataclass
class _YoungPersonData:
    records: list[YoungPerson]
    nominations: list[Nomination]
    files: list[NominationFile]
    panel_texts: list[PanelText]
    assignments: list[Assignment]
    invitations: list[Invitation]
    guests: int
    achievements: list[Achievement]
    certificates: int
    worker_links: int
    messages: list[OutboxMessage]


def _young_person_data(person: YoungPerson) -> _YoungPersonData:
    ids = merged_ids(person)
    records = db.session.execute(select(YoungPerson).where(YoungPerson.id.in_(ids))).scalars().all()
    nominations = list(db.session.execute(select(Nomination).where(Nomination.young_person_id.in_(ids))).scalars())
    # Nominations never matched to a record, but typed with the same name and date of birth.
    keys = {(r.match_key, r.date_of_birth) for r in records}
    unmatched = db.session.execute(
        select(Nomination).where(Nomination.young_person_id.is_(None), Nomination.date_of_birth.in_([r.date_of_birth for r in records]))
    ).scalars()
    nominations += [n for n in unmatched if (normalise_name(n.first_name + n.last_name), n.date_of_birth) in keys]
    nomination_ids = [n.id for n in nominations]
    files = db.session.execute(select(NominationFile).where(NominationFile.young_person_id.in_(ids))).scalars().all()
    file_ids = [f.id for f in files]
    panel_texts = db.session.execute(select(PanelText).where(PanelText.nomination_id.in_(nomination_ids))).scalars().all() if nomination_ids else []
    assignments = db.session.execute(select(Assignment).where(Assignment.file_id.in_(file_ids))).scalars().all() if file_ids else []
    invitations = db.session.execute(select(Invitation).where(Invitation.young_person_id.in_(ids))).scalars().all()
    guests = sum(len(i.guests) for i in invitations)
    achievements = db.session.execute(select(Achievement).where(Achievement.young_person_id.in_(ids))).scalars().all()
    certificates = db.session.execute(
        select(func.count()).select_from(AuditEntry).where(
            AuditEntry.young_person_id.in_(ids), AuditEntry.subject_type == Achievement.__tablename__,
            AuditEntry.detail == "certificate downloaded")
    ).scalar_one()
    worker_links = db.session.execute(select(func.count()).select_from(YoungPersonWorker).where(YoungPersonWorker.young_person_id.in_(ids))).scalar_one()
    words, addresses = [], []
    for r in records:
        words += [r.first_name, r.last_name, r.preferred_name, r.full_name, *_dob_forms(r.date_of_birth)]
        addresses += [r.email, r.mobile]  # texts (issue 17) are sent to the mobile number
    for n in nominations:
        words += [n.first_name, n.last_name, *_dob_forms(n.date_of_birth)]
    for i in invitations:
        words += [g.name for g in i.guests]
    return _YoungPersonData(list(records), nominations, list(files), list(panel_texts), list(assignments), list(invitations), guests,
                            list(achievements), certificates, worker_links, _outbox_matches(words, addresses, []))


def plan_young_person(person: YoungPerson) -> Plan:
    d = _young_person_data(person)
    plan = Plan(ErasureKind.YOUNG_PERSON, person.reference)
    merged = len(d.records) - 1
    plan.removed.append("the record: names, date of birth, email address, mobile number, district, safety notes and choices"
                        + (f" (and {_plural(merged, 'record')} merged into it)" if merged else ""))
    plan.removed.append(_plural(len(d.nominations), "nomination") + " about them (names and text removed, outcomes kept as anonymous totals)")
    if d.panel_texts or d.assignments:
        plan.removed.append(f"{_plural(len(d.panel_texts), 'text')} the judging panel read and {_plural(len(d.assignments), 'judge’s comment', 'judges’ comments')}")
    plan.removed.append(f"{_plural(len(d.invitations), 'invitation')} with {_plural(d.guests, 'guest')} "
                        "(needs, guests’ names, photo and name choices, reply drafts, personal links and seats at tables)")
    plan.removed.append(_plural(len(d.achievements), "achievement") + " (words removed, still counted by area)")
    plan.removed.append(_plural(d.certificates, "certificate") + " made (no more can be made)")
    plan.removed.append(_plural(d.worker_links, "worker link"))
    plan.removed.append(_plural(len(d.messages), "email’s body and address", "emails’ bodies and addresses") + " (those that name them or were sent to them)")
    plan.kept += [
        "the nominators’ accounts and the rest of their work",
        "totals in reports (nominations, outcomes, attendance, achievements by area, feedback)",
        f"the record itself, with no personal details, shown as “{ERASED} {person.reference}” so totals still add up",
        "the audit trail (it holds no names), with one entry saying the data was erased",
    ]
    return plan


def _erase_young_person(person: YoungPerson) -> Plan:
    plan = plan_young_person(person)
    d = _young_person_data(person)
    for n in d.nominations:
        n.first_name = n.last_name = n.district = ""
        n.date_of_birth = None
        n.achievement = n.background = n.not_known_reason = n.public_concern_details = n.contact_restriction_details = ""
    for text in d.panel_texts:
        text.text = ""
    for a in d.assignments:
        a.comment = a.conflict_note = ""
    file_ids = [f.id for f in d.files]
    for f in d.files:
        f.not_eligible_reason = ""
    if file_ids:
        db.session.execute(update(FileDecision).where(FileDecision.file_id.in_(file_ids)).values(reason=""))
        db.session.execute(update(JudgingDecision).where(JudgingDecision.file_id.in_(file_ids)).values(reason=""))
        # Their "you have been nominated" links go, like invitation links (issue 16); the notice
        # (a state and dates, nothing about them) stays so nothing is ever sent again.
        db.session.execute(delete(NomineeLink).where(NomineeLink.file_id.in_(file_ids)))
        db.session.execute(update(NomineeNotice).where(NomineeNotice.file_id.in_(file_ids)).values(own_words="", personal_line=""))
    invitation_ids = [i.id for i in d.invitations]
    for i in d.invitations:
        i.dietary = i.dietary_other = i.access = i.access_other = i.travel_details = i.door_note = ""
        i.travel_help = i.photo_consent = i.photos_ok = False
        i.use_website = i.use_social = i.use_press = i.use_annual_report = i.needs_agreement = False
        i.agreed_at = None
        i.name_read = NameRead.FIRST_NAME
        for g in i.guests:
            g.name = ERASED_GUEST
            g.photo_consent = False
            g.dietary = g.dietary_other = g.access = g.access_other = ""
    if invitation_ids:
        for model in (InvitationLink, ReplyDraft, FeedbackLink, ConsentRecord):
            db.session.execute(delete(model).where(model.invitation_id.in_(invitation_ids)))
        forget_seats(invitation_ids=invitation_ids)  # issue 18: no seat, no name card, not on the table plan
    for achievement in d.achievements:
        achievement.description = achievement.celebrated_with = ""
    _blank_messages(d.messages)
    # Letters to hand over through a worker (issue 17): nothing left to hand over.
    db.session.execute(delete(WorkerLetter).where(WorkerLetter.young_person_id.in_([r.id for r in d.records])))
    for r in d.records:
        for link in list(r.worker_links):
            db.session.delete(link)
        r.first_name, r.last_name = ERASED, r.reference
        r.preferred_name = r.district = r.email = r.contact_restriction_note = r.name_pronunciation = ""
        r.mobile, r.mobile_failed, r.mobile_agreed_at, r.mobile_agreed_by_id = "", "", None, None
        r.date_of_birth = ERASED_DATE_OF_BIRTH
        r.match_key = normalise_name(ERASED + r.reference)
        r.name_shown = NameShown.FIRST_NAME
        r.do_not_publish = True  # nothing left to show, and never on stage or in a list
        r.contact_restriction = False
    return plan


def is_erased(person: YoungPerson) -> bool:
    return person.is_erased and person.date_of_birth == ERASED_DATE_OF_BIRTH


# --- an account, a champion, a registration ----------------------------------------------------------


def _champions_of(user: User) -> list[Champion]:
    return list(db.session.execute(
        select(Champion).where(or_(Champion.user_id == user.id, func.lower(Champion.email) == user.email.lower()))
    ).scalars())


def _registrations_of(email: str) -> list[Registration]:
    return list(db.session.execute(select(Registration).where(func.lower(Registration.email) == email.lower())).scalars())


def _conflict_notes_of(user: User) -> list[Assignment]:
    return list(db.session.execute(
        select(Assignment).join(PanelJudge, PanelJudge.id == Assignment.judge_id).where(PanelJudge.user_id == user.id, Assignment.conflict_note != "")
    ).scalars())


def _decisions_naming(user: User) -> list:
    """Decisions on files whose reason names the account ("Nomination by <name>")."""
    if not user.name.strip():
        return []
    found: list[FileDecision | JudgingDecision] = []
    found += db.session.execute(select(FileDecision).where(func.lower(FileDecision.reason).like(f"%{user.name.lower()}%"))).scalars().all()
    found += db.session.execute(select(JudgingDecision).where(func.lower(JudgingDecision.reason).like(f"%{user.name.lower()}%"))).scalars().all()
    return found


def _account_messages(user: User, extra_names: Sequence[str] = ()) -> list[OutboxMessage]:
    return _outbox_matches([user.name, *extra_names], [user.email], [user.id])


def plan_account(user: User) -> Plan:
    plan = Plan(ErasureKind.ACCOUNT, _reference(user.public_id))
    champions, registrations = _champions_of(user), _registrations_of(user.email)
    written = db.session.execute(select(func.count()).select_from(Nomination).where(Nomination.nominator_id == user.id)).scalar_one()
    plan.removed.append("the account: name, email address, organisation, job title, password, second factor, sign-in links and sessions")
    if champions:
        plan.removed.append(_plural(len(champions), "champion record") + " (name, email address, job title, pledge words and what they did)")
    if registrations:
        plan.removed.append(_plural(len(registrations), "event registration") + " made with the same email address")
    notes = _conflict_notes_of(user)
    if notes:
        plan.removed.append(_plural(len(notes), "note") + " about their conflicts of interest as a judge")
    decisions = _decisions_naming(user)
    if decisions:
        plan.removed.append(_plural(len(decisions), "mention") + " of their name in decisions on nomination files (it becomes “Former user”)")
    plan.removed.append(_plural(len(_account_messages(user)), "email’s body and address", "emails’ bodies and addresses") + " (sent to them or naming them)")
    plan.kept += [
        f"{_plural(written, 'nomination')} they wrote: they stay with the young people they are about, shown as written by “Former user”",
        "scores and decisions they made, and totals in reports",
        "the audit trail (it holds no names), with one entry saying the data was erased",
    ]
    return plan


def _erase_champion_fields(champion: Champion) -> None:
    champion.name = FORMER_CHAMPION
    champion.email = f"erased-{champion.public_id}@invalid"
    champion.job_title = champion.pledge_words = champion.decline_reason = ""
    champion.confirm_token_hash = None
    champion.confirm_expires_at = None
    if champion.expires_at is not None and champion.expires_at > utcnow():
        champion.expires_at = utcnow()  # no longer a current champion: off the directory and coverage
    pledge_ids = select(ChampionPledge.id).where(ChampionPledge.champion_id == champion.id)
    db.session.execute(update(PledgeAction).where(PledgeAction.pledge_id.in_(pledge_ids)).values(what=""))


def _erase_registration_fields(registration: Registration) -> None:
    registration.name = ERASED
    registration.organisation = registration.role = registration.access_needs = registration.dietary_needs = ""
    registration.email = f"erased-{registration.public_id}@invalid"
    registration.email_key = None
    registration.mobile, registration.mobile_agreed_at = "", None
    db.session.execute(delete(RegistrationCancelLink).where(RegistrationCancelLink.registration_id == registration.id))
    forget_seats(registration_ids=[registration.id])  # issue 18: no seat, no name card


def _erase_account(user: User) -> Plan:
    plan = plan_account(user)
    champions, registrations = _champions_of(user), _registrations_of(user.email)
    names = [c.name for c in champions] + [r.name for r in registrations]
    _blank_messages(_outbox_matches([user.name, *names], [user.email, *(c.email for c in champions), *(r.email for r in registrations)], [user.id]))
    for champion in champions:
        _erase_champion_fields(champion)
    for registration in registrations:
        _erase_registration_fields(registration)
    for assignment in _conflict_notes_of(user):
        assignment.conflict_note = ""
    pattern = re.compile(re.escape(user.name), re.IGNORECASE)
    for decision in _decisions_naming(user):
        decision.reason = pattern.sub(FORMER_USER_NAME, decision.reason)
    anonymise_account(user)
    return plan


def plan_champion(champion: Champion) -> Plan:
    plan = Plan(ErasureKind.CHAMPION, _reference(champion.public_id))
    actions = db.session.execute(
        select(func.count()).select_from(PledgeAction).join(ChampionPledge).where(ChampionPledge.champion_id == champion.id)
    ).scalar_one()
    plan.removed.append(f"the champion record: name, email address, job title, pledge words and {_plural(actions, 'note')} of what they did")
    if champion.user is not None and not is_anonymised(champion.user):
        plan.removed.append("their account (name, email address, password), which can no longer sign in")
    messages = _outbox_matches([champion.name], [champion.email], [champion.user_id] if champion.user_id else [])
    plan.removed.append(_plural(len(messages), "email’s body and address", "emails’ bodies and addresses") + " (sent to them or naming them)")
    plan.kept += [
        "their service and pledges, counted without their name in past totals",
        "the audit trail (it holds no names), with one entry saying the data was erased",
    ]
    return plan


def _erase_champion(champion: Champion) -> Plan:
    plan = plan_champion(champion)
    if champion.user is not None and not is_anonymised(champion.user):
        _erase_account(champion.user)  # takes this champion record with it
    _blank_messages(_outbox_matches([champion.name], [champion.email], [champion.user_id] if champion.user_id else []))
    _erase_champion_fields(champion)
    return plan


def plan_registration(registration: Registration) -> Plan:
    plan = Plan(ErasureKind.REGISTRATION, _reference(registration.public_id))
    plan.removed.append("the registration: name, email address, mobile number, organisation, role, access and food needs, and the link to cancel")
    messages = _outbox_matches([registration.name], [registration.email, registration.mobile], [])
    plan.removed.append(_plural(len(messages), "email’s body and address", "emails’ bodies and addresses") + " (sent to them or naming them)")
    plan.kept += [
        "the place they took, in the event’s numbers and attendance totals",
        "the audit trail (it holds no names), with one entry saying the data was erased",
    ]
    return plan


def _erase_registration(registration: Registration) -> Plan:
    plan = plan_registration(registration)
    _blank_messages(_outbox_matches([registration.name], [registration.email, registration.mobile], []))
    _erase_registration_fields(registration)
    return plan


# --- requests -----------------------------------------------------------------------------------------------

_MODELS = {ErasureKind.YOUNG_PERSON: YoungPerson, ErasureKind.ACCOUNT: User, ErasureKind.REGISTRATION: Registration, ErasureKind.CHAMPION: Champion}
_PLANS: dict[ErasureKind, Callable[[Any], Plan]] = {ErasureKind.YOUNG_PERSON: plan_young_person, ErasureKind.ACCOUNT: plan_account,
          ErasureKind.REGISTRATION: plan_registration, ErasureKind.CHAMPION: plan_champion}
_ERASERS: dict[ErasureKind, Callable[[Any], Plan]] = {ErasureKind.YOUNG_PERSON: _erase_young_person, ErasureKind.ACCOUNT: _erase_account,
            ErasureKind.REGISTRATION: _erase_registration, ErasureKind.CHAMPION: _erase_champion}


def kind_of(subject) -> ErasureKind:
    for kind, model in _MODELS.items():
        if isinstance(subject, model):
            return kind
    raise TypeError(f"cannot erase a {type(subject).__name__}")


def subject_of(request: ErasureRequest):
    return db.session.get(_MODELS[request.kind], request.subject_id)


def plan_for(subject) -> Plan:
    return _PLANS[kind_of(subject)](subject)


def already_erased(subject) -> bool:
    kind = kind_of(subject)
    if kind is ErasureKind.YOUNG_PERSON:
        return is_erased(subject)
    if kind is ErasureKind.ACCOUNT:
        return is_anonymised(subject)
    if kind is ErasureKind.CHAMPION:
        return subject.name == FORMER_CHAMPION and subject.email.endswith("@invalid")
    return subject.name == ERASED and subject.email.endswith("@invalid")


def waiting_request(subject) -> ErasureRequest | None:
    return db.session.execute(
        select(ErasureRequest).where(ErasureRequest.kind == kind_of(subject), ErasureRequest.subject_id == subject.id,
                                     ErasureRequest.state == ErasureState.REQUESTED)
    ).scalars().first()


def _check(subject, by: User) -> None:
    if already_erased(subject):
        raise ErasureRefused("This person’s data has already been erased.")
    if isinstance(subject, User) and subject.id == by.id:
        raise ErasureRefused("You cannot erase your own account. Ask another organiser.")
    if isinstance(subject, YoungPerson) and subject.is_merged:
        raise ErasureRefused("This record was merged into another one. Erase the record it was merged into.")


def _new_request(subject, reason: str, by: User) -> ErasureRequest:
    kind = kind_of(subject)
    request = ErasureRequest(kind=kind, subject_id=subject.id, reference=_reference(subject.public_id), reason=reason.strip()[:300],
                             requested_by_id=by.id, requested_at=utcnow(), state=ErasureState.REQUESTED)
    db.session.add(request)
    db.session.flush()
    return request


def _carry_out(request: ErasureRequest, by: User) -> None:
    subject = subject_of(request)
    plan = _ERASERS[request.kind](subject)
    request.summary = plan.summary
    request.state = ErasureState.DONE
    request.confirmed_by_id = by.id
    request.done_at = utcnow()
    young_person = subject if request.kind is ErasureKind.YOUNG_PERSON else None
    second = " and confirmed by a second organiser" if request.kind.needs_second_organiser else ""
    record(by, AuditAction.ERASED, subject, young_person=young_person, detail=f"erasure request {request.reference}: asked for{second}")
    bump_all(db.session())  # every cached page part is rendered again: none may still show the person


def request_erasure(subject, *, reason: str, by: User) -> ErasureRequest:
    """A young person: the first organiser's request, waiting for a second organiser."""
    _check(subject, by)
    if not kind_of(subject).needs_second_organiser:
        raise ErasureRefused("Only a young person’s erasure waits for a second organiser.")
    if waiting_request(subject) is not None:
        raise ErasureRefused("An erasure of this record is already waiting for a second organiser.")
    return _new_request(subject, reason, by)


def confirm_erasure(request: ErasureRequest, *, by: User) -> None:
    if request.state != ErasureState.REQUESTED:
        raise ErasureRefused("This request is no longer waiting: it was done or cancelled.")
    if not request.can_confirm(by):
        raise ErasureRefused("You asked for this erasure, so a different organiser must confirm it.")
    _carry_out(request, by)


def cancel_erasure(request: ErasureRequest, *, by: User) -> None:
    if request.state != ErasureState.REQUESTED:
        raise ErasureRefused("This request is no longer waiting: it was done or cancelled.")
    request.state = ErasureState.CANCELLED
    request.cancelled_by_id = by.id
    request.cancelled_at = utcnow()


def erase_now(subject, *, reason: str, by: User) -> ErasureRequest:
    """An account, a champion or a registration: one organiser, after the confirmation page."""
    _check(subject, by)
    if kind_of(subject).needs_second_organiser:
        raise ErasureRefused("A young person’s erasure needs a second organiser to confirm it.")
    request = _new_request(subject, reason, by)
    _carry_out(request, by)
    return request
