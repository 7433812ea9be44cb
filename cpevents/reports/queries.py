"""The celebration objective report: aggregate figures only, grouped in SQL, so the number of
queries does not depend on the number of rows. No names of young people anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, extract, func, select

from cpevents.achievements.models import Achievement, AchievementArea
from cpevents.champions import queries as champion_queries
from cpevents.champions.models import Champion, ChampionPledge, ChampionService, PledgeAction
from cpevents.core.cache import watch
from cpevents.core.time import LONDON, utcnow
from cpevents.events.models import Event, EventKind
from cpevents.extensions import db
from cpevents.feedback.models import FeedbackAction, FeedbackResponse
from cpevents.feedback.queries import StatementFigures, acted_on, period_summary
from cpevents.invitations.models import Guest, GuestApproval, Invitation, InvitationStatus
from cpevents.judging.models import DecisionKind, JudgingDecision, Panel
from cpevents.nominations.models import Nomination, NominationStatus
from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus

SMALL = 5  # counts from 1 to SMALL - 1 are shown as "fewer than 5"

# Every figure on the report comes from these tables: a change to any of them gives the report a
# new data version (cpevents/core/cache.py), so a cached report never outlives the data.
DATA_VERSION = "objective_report"


def watch_data() -> None:
    """Called once from cpevents/wiring.py when the app is built."""
    watch(DATA_VERSION, Achievement, Nomination, Event, Champion, ChampionPledge, PledgeAction, ChampionService, JudgingDecision, Panel,
          FeedbackResponse, FeedbackAction, Invitation, Guest, Registration, EventAudience)


def shown(n: int) -> str:
    """A count as the report shows it: small numbers are not given exactly."""
    if n == 0:
        return "0"
    if n < SMALL:
        return f"fewer than {SMALL}"
    return f"{n:,}"


def is_small(n: int) -> bool:
    return 0 < n < SMALL


@dataclass(frozen=True)
class Period:
    """A strategy year: 1 April to 31 March."""

    start_year: int

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"1 April {self.start_year} to 31 March {self.start_year + 1}"

    @property
    def short(self) -> str:
        return f"{self.start_year}–{str(self.start_year + 1)[2:]}"

    def bounds_utc(self) -> tuple[datetime, datetime]:
        """The period as UTC instants, from London midnight to London midnight."""
        start = datetime.combine(self.start, time(0), tzinfo=LONDON).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=LONDON).astimezone(UTC)
        return start, end

    def months(self) -> list[tuple[int, int]]:
        return [((self.start_year if m >= 4 else self.start_year + 1), m) for m in (*range(4, 13), 1, 2, 3)]

    @staticmethod
    def current(today: date | None = None) -> Period:
        today = today or utcnow().astimezone(LONDON).date()
        return Period(today.year if today.month >= 4 else today.year - 1)


@dataclass(frozen=True)
class EventAttendance:
    """One event held in the period: who was checked in at the door, against who had a place."""

    name: str
    kind: EventKind
    final: bool  # the event is closed: attendance will not change
    young_people: int
    young_people_expected: int  # replied "coming"
    guests: int
    guests_expected: int
    audiences: tuple[tuple[str, int, int], ...] = ()  # (audience, arrived, had a place)

    @property
    def recorded(self) -> bool:
        """Anyone checked in at all: an event run on paper shows "not recorded", not zero."""
        return bool(self.young_people or self.guests or any(arrived for _, arrived, _ in self.audiences))


@dataclass
class Report:
    period: Period
    achievements_total: int = 0
    achievements_young_people: int = 0
    by_area: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[tuple[str, int]] = field(default_factory=list)
    nominations_total: int = 0
    nominations_young_people: int = 0
    nominations_by_event: list[tuple[str, int]] = field(default_factory=list)
    # Only events whose panel has released its shortlist: until then it is secret.
    shortlisted_by_event: list[tuple[str, int]] = field(default_factory=list)
    champions_by_service: list[tuple[str, int]] = field(default_factory=list)
    services_without: list[str] = field(default_factory=list)
    pledges: list[tuple[str, int, int]] = field(default_factory=list)
    # Event feedback about events held in the period: the four outcome statements.
    feedback_responses: int = 0
    feedback: list[StatementFigures] = field(default_factory=list)
    # Feedback acted on: events held in the period that asked for feedback (sent feedback links),
    # how many of them have sent a "You said, we did", and its points by event.
    feedback_events_asked: int = 0
    feedback_acted_on: int = 0
    feedback_actions: list[tuple[str, list[str]]] = field(default_factory=list)
    # Who came, for events held in the period (from check-in at the door).
    attendance: list[EventAttendance] = field(default_factory=list)

    def attendance_of(self, *kinds: EventKind) -> list[EventAttendance]:
        return [a for a in self.attendance if a.kind in kinds]

    @property
    def champions_total(self) -> int:
        return sum(n for _, n in self.champions_by_service)

    @property
    def services_with(self) -> int:
        return sum(1 for _, n in self.champions_by_service if n)

    @property
    def pledges_made(self) -> int:
        return sum(made for _, made, _ in self.pledges)

    @property
    def pledges_kept(self) -> int:
        return sum(kept for _, _, kept in self.pledges)


def objective_report(period: Period) -> Report:
    report = Report(period=period)
    in_period = (Achievement.achieved_on >= period.start, Achievement.achieved_on <= period.end)

    total, people = db.session.execute(
        select(func.count(Achievement.id), func.count(func.distinct(Achievement.young_person_id))).where(*in_period)
    ).one()
    report.achievements_total, report.achievements_young_people = total, people

    # One grouped query gives both breakdowns: at most 7 areas x 12 months rows come back.
    year, month = extract("year", Achievement.achieved_on), extract("month", Achievement.achieved_on)
    areas: dict = {}
    months: dict = {}
    for area, y, m, n in db.session.execute(
        select(Achievement.area, year, month, func.count()).where(*in_period).group_by(Achievement.area, year, month)
    ).all():
        areas[area] = areas.get(area, 0) + n
        months[(int(y), int(m))] = months.get((int(y), int(m)), 0) + n
    report.by_area = [(area.label, areas.get(area, 0)) for area in AchievementArea]
    report.by_month = [(date(y, m, 1).strftime("%B %Y"), months.get((y, m), 0)) for y, m in period.months()]

    start, end = period.bounds_utc()
    sent = (Nomination.status == NominationStatus.SENT, Nomination.submitted_at >= start, Nomination.submitted_at < end)
    nominated, nominated_people = db.session.execute(
        select(func.count(Nomination.id), func.count(func.distinct(Nomination.file_id))).where(*sent)
    ).one()
    report.nominations_total, report.nominations_young_people = nominated, nominated_people
    report.nominations_by_event = [
        (name, n)
        for name, n in db.session.execute(
            select(Event.name, func.count(Nomination.id)).join(Event, Event.id == Nomination.event_id).where(*sent).group_by(Event.id, Event.name).order_by(Event.name)
        ).all()
    ]

    report.shortlisted_by_event = shortlisted_by_event(start, end)

    by_service = champion_queries.champions_by_service()
    report.champions_by_service = [(service.name, n) for service, n in by_service]
    report.services_without = [service.name for service, n in by_service if n == 0]
    report.pledges = [(kind.label, made, kept) for kind, made, kept in champion_queries.pledges_made_and_kept(period.start, period.end)]

    feedback = period_summary(start, end)
    report.feedback_responses, report.feedback = feedback.responses, feedback.statements
    report.feedback_events_asked, report.feedback_acted_on, report.feedback_actions = acted_on(start, end)
    report.attendance = attendance(start, min(end, utcnow()))
    return report


def attendance(start: datetime, end: datetime) -> list[EventAttendance]:
    """Check-ins at the door for every event that started in [start, end) and had anyone invited
    or registered: three grouped counts and the list of events, whatever the number of events or people."""
    held = (Event.starts_at >= start, Event.starts_at < end)
    coming = Invitation.status == InvitationStatus.COMING
    people = {
        event_id: (arrived, expected)
        for event_id, arrived, expected in db.session.execute(
            select(Invitation.event_id, func.count(Invitation.checked_in_at), func.count(case((coming, 1))))
            .join(Event, Event.id == Invitation.event_id).where(*held).group_by(Invitation.event_id)
        ).all()
    }
    guests = {
        event_id: (arrived, expected)
        for event_id, arrived, expected in db.session.execute(
            select(Invitation.event_id, func.count(Guest.checked_in_at), func.count(case((coming & (Guest.approval != GuestApproval.CANNOT_COME) & Guest.waiting_since.is_(None), 1))))
            .join(Invitation, Invitation.id == Guest.invitation_id).join(Event, Event.id == Invitation.event_id).where(*held)
            .group_by(Invitation.event_id)
        ).all()
    }
    audiences: dict[int, list[tuple[str, int, int]]] = {}
    for event_id, name, arrived, held_places in db.session.execute(
        select(EventAudience.event_id, EventAudience.name, func.count(Registration.checked_in_at), func.count(Registration.id))
        .join(Registration, Registration.audience_id == EventAudience.id).join(Event, Event.id == EventAudience.event_id)
        .where(*held, Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(EventAudience.event_id, EventAudience.id, EventAudience.name, EventAudience.position)
        .order_by(EventAudience.position, EventAudience.id)
    ).all():
        audiences.setdefault(event_id, []).append((name, arrived, held_places))
    events = db.session.execute(select(Event.id, Event.name, Event.kind, Event.closed_at).where(*held).order_by(Event.starts_at, Event.id)).all()
    return [
        EventAttendance(name, kind, closed_at is not None, *people.get(event_id, (0, 0)), *guests.get(event_id, (0, 0)), tuple(audiences.get(event_id, ())))
        for event_id, name, kind, closed_at in events
        if event_id in people or event_id in audiences
    ]


def shortlisted_by_event(start: datetime, end: datetime) -> list[tuple[str, int]]:
    """Young people shortlisted for each awards event held in the period, once its shortlist is
    released (a file's latest shortlist decision counts; decisions are never overwritten)."""
    latest = (
        select(func.max(JudgingDecision.id).label("id"))
        .where(JudgingDecision.kind == DecisionKind.SHORTLIST)
        .group_by(JudgingDecision.file_id)
        .subquery()
    )
    return [
        (name, n)
        for name, n in db.session.execute(
            select(Event.name, func.count(JudgingDecision.id))
            .join(latest, latest.c.id == JudgingDecision.id)
            .join(Panel, Panel.id == JudgingDecision.panel_id)
            .join(Event, Event.id == Panel.event_id)
            .where(JudgingDecision.chosen.is_(True), Panel.shortlist_released_at.is_not(None), Event.starts_at >= start, Event.starts_at < end)
            .group_by(Event.id, Event.name)
            .order_by(Event.name)
        ).all()
    ]
