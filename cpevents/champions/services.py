"""Champions: the verbs. They change state, queue email and never commit."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from cpevents.accounts.models import User, user_by_email
from cpevents.accounts.services import invite_user
from cpevents.champions.models import (
    Champion,
    ChampionPledge,
    ChampionService,
    ChampionStatus,
    PledgeAction,
    PledgeKind,
)
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.core.tokens import hash_token, new_token
from cpevents.core.urls import absolute_url
from cpevents.extensions import db
from cpevents.mail.services import queue_email

TERM = timedelta(days=365)
RENEWAL_NOTICE = timedelta(days=30)
CONFIRM_LIFETIME = timedelta(hours=48)


class ChampionError(Exception):
    """A rule stopped the change; the message is for the person who asked."""


# --- services list ----------------------------------------------------------------------------


def add_service(name: str) -> ChampionService:
    name = name.strip()
    # Compared here, not in SQL: SQLite's lower() leaves letters like "À" alone. The list is short.
    clash = next((s for s in db.session.execute(select(ChampionService)).scalars() if s.name.casefold() == name.casefold()), None)
    if clash is not None:
        raise ChampionError(f"There is already a service called {clash.name}")
    service = ChampionService(name=name)
    db.session.add(service)
    db.session.flush()
    return service


def set_service_active(service: ChampionService, active: bool) -> None:
    service.active = active


# --- applying ---------------------------------------------------------------------------------


def live_application(email: str) -> Champion | None:
    """An application for this address that is waiting, or a champion whose status is current."""
    rows = db.session.execute(
        select(Champion).where(
            Champion.email == email.strip().lower(),
            Champion.status.in_([ChampionStatus.UNCONFIRMED, ChampionStatus.PENDING, ChampionStatus.APPROVED]),
        )
    ).scalars()
    now = utcnow()
    for row in rows:
        if row.status == ChampionStatus.UNCONFIRMED and row.confirm_expires_at and row.confirm_expires_at <= now:
            continue  # an unconfirmed application whose link ran out does not count
        if row.status == ChampionStatus.APPROVED and not row.is_current:
            continue
        return row
    return None


def _new_application(*, name, email, job_title, service: ChampionService, pledges: list[PledgeKind], pledge_words: str, user=None) -> Champion:
    if not service.active:
        raise ChampionError("Choose a service from the list")
    champion = Champion(
        name=name.strip(),
        email=email.strip().lower(),
        job_title=job_title.strip(),
        service_id=service.id,
        pledge_words=pledge_words.strip(),
        user_id=getattr(user, "id", None),
        submitted_at=utcnow(),
    )
    champion.service = service
    for kind in dict.fromkeys(pledges):
        champion.pledges.append(ChampionPledge(kind=kind))
    db.session.add(champion)
    return champion


def apply_signed_in(user: User, *, job_title: str, service: ChampionService, pledges: list[PledgeKind], pledge_words: str) -> Champion:
    """A signed-in person applies: their account's email address is already confirmed."""
    existing = live_application(user.email)
    if existing is not None:
        if existing.status == ChampionStatus.APPROVED:
            raise ChampionError(f"You are already a champion until {existing.term_ends_at.strftime('%-d %B %Y')}")
        raise ChampionError("You have already applied. The participation team will email you when they have decided")
    champion = _new_application(name=user.name, email=user.email, job_title=job_title, service=service, pledges=pledges,
                                pledge_words=pledge_words, user=user)
    champion.status = ChampionStatus.PENDING
    db.session.flush()
    _tell_applicant_received(champion)
    return champion


def apply_as_guest(*, name: str, email: str, job_title: str, service: ChampionService, pledges: list[PledgeKind], pledge_words: str) -> Champion | None:
    """Someone without an account (or not signed in) applies. We email a link to confirm the
    address. The page says the same whatever happens, so it never tells who has applied."""
    email = email.strip().lower()
    existing = live_application(email)
    if existing is not None:
        queue_email("champions/already_applied", to=email, subject="Your Corporate Parenting Champion application",
                    name=existing.name, status=existing.status.value,
                    expires=existing.expires_at.strftime("%-d %B %Y") if existing.expires_at else "")
        return None
    champion = _new_application(name=name, email=email, job_title=job_title, service=service, pledges=pledges, pledge_words=pledge_words)
    champion.status = ChampionStatus.UNCONFIRMED
    token = new_token()
    champion.confirm_token_hash = hash_token(token)
    champion.confirm_expires_at = utcnow() + CONFIRM_LIFETIME
    db.session.flush()
    queue_email("champions/confirm_email", to=email, subject="Confirm your email address", name=champion.name,
                secrets={"link": absolute_url("champions.confirm", token=token)}, hours=int(CONFIRM_LIFETIME.total_seconds() // 3600))
    return champion


def find_unconfirmed(token: str) -> Champion | None:
    row = db.session.execute(select(Champion).where(Champion.confirm_token_hash == hash_token(token))).scalar_one_or_none()
    if row is None or row.status != ChampionStatus.UNCONFIRMED or row.confirm_expires_at is None or row.confirm_expires_at <= utcnow():
        return None
    return row


def confirm_application(champion: Champion) -> None:
    if champion.status != ChampionStatus.UNCONFIRMED:
        raise ChampionError("This application is already confirmed")
    champion.status = ChampionStatus.PENDING
    champion.confirm_token_hash = None
    champion.confirm_expires_at = None
    account = user_by_email(champion.email)
    if account is not None and champion.user_id is None:
        champion.user_id = account.id
    _tell_applicant_received(champion)


def _tell_applicant_received(champion: Champion) -> None:
    queue_email("champions/received", to=champion.email, subject="We have your Corporate Parenting Champion application",
                name=champion.name, service=champion.service.name)


# --- deciding ---------------------------------------------------------------------------------


def _decided_already(champion: Champion) -> None:
    if champion.status == ChampionStatus.APPROVED:
        raise ChampionError(f"{champion.name} has already been approved" + (f" by {champion.decided_by.name}" if champion.decided_by else ""))
    if champion.status == ChampionStatus.DECLINED:
        raise ChampionError(f"{champion.name}'s application has already been declined")
    if champion.status == ChampionStatus.UNCONFIRMED:
        raise ChampionError(f"{champion.name} has not confirmed their email address yet")
    if champion.status != ChampionStatus.PENDING:
        raise ChampionError("This application has already been decided")


def approve_champion(champion: Champion, *, by: User) -> User:
    """Give the champion role to their account, or invite them to set up an account."""
    _decided_already(champion)
    now = utcnow()
    account = db.session.get(User, champion.user_id) if champion.user_id else user_by_email(champion.email)
    invited = False
    if account is None:
        account = invite_user(name=champion.name, email=champion.email, roles={Role.CHAMPION}, by=by)
        invited = True
    else:
        if not account.is_active:
            raise ChampionError(f"{champion.name}'s account is deactivated. Reactivate it first from their page in People")
        account.set_roles(account.roles | {Role.CHAMPION})
        account.wants_champion = False
        if account.approved_at is None:
            # approving the application is an organiser's decision to trust this person
            account.approved_at = now
            account.approved_by_id = by.id
    if not account.job_title:
        account.job_title = champion.job_title
    champion.user_id = account.id
    champion.status = ChampionStatus.APPROVED
    champion.decided_at = now
    champion.decided_by_id = by.id
    champion.approved_at = now
    champion.expires_at = now + TERM
    champion.renewal_sent_at = None
    queue_email("champions/welcome", to=champion.email, user=account, subject="Welcome, Corporate Parenting Champion",
                name=champion.name, expires=champion.term_ends_at.strftime("%-d %B %Y"), invited=invited,
                pledges=[p.kind.label for p in champion.pledges], home_url=absolute_url("home.champion"))
    return account


def decline_champion(champion: Champion, *, reason: str, by: User) -> None:
    _decided_already(champion)
    if not reason.strip():
        raise ChampionError("Enter the reason, so we can tell them why")
    champion.status = ChampionStatus.DECLINED
    champion.decided_at = utcnow()
    champion.decided_by_id = by.id
    champion.decline_reason = reason.strip()
    queue_email("champions/declined", to=champion.email, subject="Your Corporate Parenting Champion application",
                name=champion.name, reason=champion.decline_reason)


# --- being a champion -------------------------------------------------------------------------


def current_record(user) -> Champion | None:
    """The person's latest approved (or lapsed) champion record."""
    return db.session.execute(
        select(Champion)
        .where(Champion.user_id == user.id, Champion.status.in_([ChampionStatus.APPROVED, ChampionStatus.LAPSED]))
        .order_by(Champion.approved_at.desc(), Champion.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def champion_lapsed(user) -> bool:
    """A champion (not also a nominator) whose 12 months have run out cannot record achievements."""
    if user.has_role(Role.NOMINATOR) or user.has_role(Role.ORGANISER):
        return False
    record = current_record(user)
    return record is not None and record.has_lapsed


def renew_champion(champion: Champion) -> None:
    if not champion.can_renew():
        raise ChampionError("You can renew in the last month before your champion status ends")
    champion.expires_at = champion.term_ends_at + TERM
    champion.renewal_sent_at = None


def record_pledge_action(pledge: ChampionPledge, *, done_on: date, what: str) -> PledgeAction:
    if not pledge.champion.is_current:
        raise ChampionError("Your champion status has ended, so you cannot record against your pledges. Apply again to carry on")
    if done_on > utcnow().date():
        raise ChampionError("The date must be today or in the past")
    action = PledgeAction(pledge_id=pledge.id, done_on=done_on, what=what.strip())
    action.pledge = pledge
    db.session.add(action)
    return action


def send_renewals(now=None) -> dict[str, int]:
    """The daily job: a renewal email a month before status ends (once), and lapse the rest."""
    now = now or utcnow()
    reminded = lapsed = 0
    due = db.session.execute(
        select(Champion).where(
            Champion.status == ChampionStatus.APPROVED,
            Champion.expires_at > now,
            Champion.expires_at <= now + RENEWAL_NOTICE,
            Champion.renewal_sent_at.is_(None),
        )
    ).scalars().all()
    for champion in due:
        queue_email("champions/renewal", to=champion.email, user=champion.user, subject="Renew your Corporate Parenting Champion pledge",
                    name=champion.name, expires=champion.term_ends_at.strftime("%-d %B %Y"), home_url=absolute_url("home.champion"))
        champion.renewal_sent_at = now
        reminded += 1
    ended = db.session.execute(
        select(Champion).where(Champion.status == ChampionStatus.APPROVED, Champion.expires_at <= now)
    ).scalars().all()
    for champion in ended:
        champion.status = ChampionStatus.LAPSED
        account = champion.user
        if account is not None and Role.CHAMPION in account.roles:
            account.set_roles(account.roles - {Role.CHAMPION})
        queue_email("champions/lapsed", to=champion.email, user=account, subject="Your Corporate Parenting Champion status has ended",
                    name=champion.name, apply_url=absolute_url("champions.apply"))
        lapsed += 1
    return {"reminded": reminded, "lapsed": lapsed}


def confirm_lifetime_hours() -> int:
    return int(CONFIRM_LIFETIME.total_seconds() // 3600)

