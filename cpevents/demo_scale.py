"""`flask seed-demo --scale N`: N times a large council's volume, on top of the demo data.

For measuring pages, reports and jobs with years of data (issue 19). Development and test only:
the command that calls it (cpevents/demo.py) refuses to run in production.

One unit (N=1) is a large county: 3,000 young people, 300 accounts, 500 nominations, 10,000
achievements, 600 invitations (about 950 at N=1, so that the upcoming event has its 600), 20,000
outbox messages and 100,000 audit entries, spread over the ten years before today, on 41 events
(the same at every N: a PROUD Awards, a Care Leavers' Week and two other celebrations each year,
all closed, and one celebration coming up whose guest list has up to 600 young people coming).
N may be fractional (0.01 is a few hundred rows, for tests).

Rows are written in batches of BATCH rows, never ORM objects one by one, and committed once at
the end (all or nothing): a Core `insert()` executemany, or on PostgreSQL (psycopg) a COPY per
batch in the same transaction. Every row is one the app could have written: enums, unique keys,
public ids, hashed tokens (random, so no personal link works), audit entries shaped as
cpevents/audit writes them. No message is left queued: every outbox row is sent, failed or
cancelled, so no worker sends one; every address is on example.org (reserved, never delivered),
and every mobile number is in Ofcom's drama range.

Loading twice is refused: the scale data is recognised by its accounts' email domain.
"""

from __future__ import annotations

import bisect
import enum
import hashlib
import io
import random
import secrets
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import click
from sqlalchemy import Connection, Table, func, insert, select, update

from cpevents.accounts.models import User, UserRole
from cpevents.accounts.passwords import hash_password
from cpevents.achievements.models import Achievement, AchievementArea
from cpevents.audit.models import AuditAction, AuditEntry
from cpevents.core.cache import bump_all
from cpevents.core.enums import Role
from cpevents.core.time import LONDON, utcnow
from cpevents.events.models import Event, EventKind
from cpevents.events.services import create_event
from cpevents.extensions import db
from cpevents.invitations.models import (
    AgeGroup,
    Guest,
    GuestApproval,
    Invitation,
    InvitationLink,
    InvitationSettings,
    InvitationStatus,
    NameRead,
    ReplyHow,
)
from cpevents.judging.models import (
    Assignment,
    ConflictType,
    Criterion,
    DecisionKind,
    JudgingDecision,
    Panel,
    PanelJudge,
    Score,
)
from cpevents.mail.models import Channel, EmailBatch, MessageStatus, OutboxMessage
from cpevents.nominations.models import (
    DecisionAction,
    FileDecision,
    FileStatus,
    Nomination,
    NominationFile,
    NominationStatus,
    YesNo,
)
from cpevents.young_people.models import (
    LINK_LIFETIME,
    CareStatus,
    NameShown,
    WorkerRelationship,
    YoungPerson,
    YoungPersonWorker,
    normalise_name,
)

BATCH = 5000
YEARS = 10
MAX_SCALE = 100
# The accounts of the scale data are on this domain (reserved, never delivered): how a second
# run knows the data is there already.
SCALE_DOMAIN = "scale.example.org"
# Per unit of scale (one large council).
PER_UNIT = {
    "young_people": 3000,
    "accounts": 300,
    "nominations": 500,
    "achievements": 10_000,
    "invitations": 600,
    "outbox_messages": 20_000,
    "audit_entries": 100_000,
}
MIN_ACCOUNTS = 12  # enough for every role a panel and the lists need, at any scale
BIG_GUEST_LIST = 600  # young people coming to the upcoming celebration (fewer at small scales)

FIRST_NAMES = [
    "Aaliyah", "Abdul", "Ade", "Aisha", "Alfie", "Amara", "Amelia", "Amir", "Archie", "Ava", "Bella", "Ben", "Bilal", "Bobby", "Caleb",
    "Callum", "Chanelle", "Charlie", "Chloe", "Connor", "Daisy", "Danny", "Darius", "Demi", "Dylan", "Ebony", "Ellie", "Emeka", "Ethan",
    "Evie", "Faith", "Finley", "Freya", "George", "Grace", "Hamza", "Harley", "Harry", "Hassan", "Holly", "Imani", "Isaac", "Isla", "Jack",
    "Jade", "Jayden", "Jess", "Josh", "Kai", "Kayla", "Kacper", "Kieran", "Lacey", "Leo", "Lewis", "Lily", "Logan", "Lucas", "Maisie",
    "Mason", "Mia", "Milo", "Mohammed", "Nathan", "Nia", "Noah", "Olivia", "Oscar", "Paige", "Poppy", "Reece", "Riley", "Rosie", "Ruby",
    "Ryan", "Sami", "Sienna", "Skye", "Sophie", "Tariq", "Theo", "Tia", "Tyler", "Zain", "Zara", "Zofia",
]
LAST_NAMES = [
    "Adeyemi", "Ahmed", "Ali", "Baker", "Begum", "Bennett", "Brown", "Campbell", "Carter", "Chowdhury", "Clarke", "Cooper", "Davies",
    "Dixon", "Evans", "Fletcher", "Francis", "Green", "Hall", "Harris", "Hughes", "Hussain", "Jackson", "James", "Jones", "Kaur", "Kelly",
    "Khan", "Kowalski", "Lewis", "Martin", "Mensah", "Mitchell", "Moore", "Morgan", "Murphy", "Nowak", "Okafor", "Owusu", "Palmer",
    "Patel", "Price", "Reid", "Roberts", "Robinson", "Scott", "Shaw", "Singh", "Smith", "Taylor", "Thomas", "Turner", "Walker", "Ward",
    "White", "Williams", "Wilson", "Wood", "Wright", "Young",
]
DISTRICTS = ["North District", "South District", "East District", "West District", "Riverside", "Hillside", "Market Town", "Coastal"]
ORGANISATIONS = [
    ("Children's social care", "Social worker"), ("Leaving care team", "Personal adviser"), ("Fostering service", "Foster carer"),
    ("Virtual School", "Education adviser"), ("Hillside Academy", "Teacher"), ("Riverside College", "Student support officer"),
    ("Health for looked-after children", "Nurse"), ("Youth justice service", "Case worker"), ("Oakwood children's home", "Residential carer"),
    ("Sunrise Fostering Agency", "Supervising social worker"), ("Libraries", "Library assistant"), ("Housing", "Housing officer"),
]
ACHIEVEMENT_TEXTS = {
    AchievementArea.EDUCATION: ["Passed their maths exam", "Started college", "Went to school every day this term", "Finished their first year at university"],
    AchievementArea.HEALTH: ["Joined a gym and goes twice a week", "Went to the dentist on their own", "Learned to swim"],
    AchievementArea.INDEPENDENCE: ["Cooked a meal for the household", "Opened a bank account", "Moved into their own flat", "Passed their driving test"],
    AchievementArea.HOBBIES: ["Joined the football team", "Performed in the school play", "Got their Duke of Edinburgh bronze award"],
    AchievementArea.RELATIONSHIPS: ["Made a new friend at youth club", "Rebuilt contact with their brother"],
    AchievementArea.HELPING_OTHERS: ["Volunteers at the food bank", "Helped at the Children in Care Council"],
    AchievementArea.WORK: ["Started an apprenticeship", "Got a Saturday job", "Finished a work placement"],
}
CELEBRATED_WITH = ["Cake with the household", "A card from their social worker", "Told at their review", "A trip to the cinema", "Certificate at school", ""]
NOMINATION_TEXTS = [
    "{name} has worked incredibly hard at college this year and passed every module, while also holding down a weekend job.",
    "{name} joined a sports club and now helps coach the younger ones. Their coach says they lift the whole team.",
    "{name} wrote and performed a song at a school concert. A year ago they would not speak in class.",
    "{name} volunteers every weekend and has trained other young people to help.",
    "{name} moved into their own home this year and manages their money, cooking and bills with real pride.",
    "{name} got through a very difficult year with courage and kept going to school almost every day.",
]
OUTBOX_KINDS = [  # template, subject (neutral), share
    ("invitations/invitation", "An invitation for you", 30),
    ("invitations/reminder", "A reminder about your invitation", 15),
    ("accounts/verify_email", "Confirm your email address", 8),
    ("accounts/reset_password", "Reset your password", 6),
    ("nominations/received", "Thank you for your nomination", 10),
    ("judging/shortlist_result", "An update about your nomination", 6),
    ("feedback/feedback", "Tell us what you thought", 10),
    ("champions/renewal", "Your pledge", 5),
    ("accounts/approved", "Your account is ready", 5),
    ("invitations/choices_changed", "Your reply has changed", 5),
]
SMTP_REFUSALS = ["The receiving mail server refused this address", "Mailbox full", "The mail server did not answer in time"]


def scale_counts(scale: float) -> dict[str, int]:
    counts = {name: max(1, round(per_unit * scale)) for name, per_unit in PER_UNIT.items()}
    counts["accounts"] = max(counts["accounts"], MIN_ACCOUNTS)
    return counts


def scale_loaded() -> bool:
    return db.session.execute(select(User.id).where(User.email.like(f"%@{SCALE_DOMAIN}")).limit(1)).first() is not None


class People:
    """The young people in the order their records were made, to pick one who existed at a time."""

    def __init__(self, people: list[Person], rng: random.Random) -> None:
        self.people = sorted(people, key=lambda p: p.created)
        self.created = [p.created for p in self.people]
        self.rng = rng

    def known_at(self, at: datetime) -> Person:
        known = max(1, bisect.bisect_right(self.created, at))
        return self.people[self.rng.randrange(known)]


@dataclass
class Person:
    id: int
    dob: date
    created: datetime
    care_status: CareStatus
    first: str
    last: str
    district: str
    email: str
    do_not_publish: bool
    restricted: bool


@dataclass
class Loader:
    scale: float
    organiser: User
    nominator: User
    rng: random.Random = field(default_factory=lambda: random.Random(19))  # noqa: S311 - repeatable fake data, not a secret
    now: datetime = field(default_factory=utcnow)
    added: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # per table: making the rows and writing them
    progress: bool = True

    # --- writing ----------------------------------------------------------------------------------
    def insert(self, model: type, rows: Iterable[dict], total: int, label: str | None = None) -> int:
        """Write rows in executemany batches of BATCH (a Core INSERT of the model's table, no ORM
        objects), with a progress bar; returns the count."""
        connection = db.session.connection()
        started = time.monotonic()
        statement = insert(model)
        table: Table = getattr(model, "__table__")  # noqa: B009 - every model has one; mypy does not know it
        name = table.name
        copy = connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg"

        def write(batch: list[dict]) -> None:
            if copy:
                _copy(connection, table, batch)
            else:
                connection.execute(statement, batch)

        written = 0
        batch: list[dict] = []
        with click.progressbar(length=total, label=f"{label or name:<24}", show_pos=True, file=None if self.progress else io.StringIO()) as bar:
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    write(batch)
                    written += len(batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                write(batch)
                written += len(batch)
                bar.update(len(batch))
        self.added[name] = self.added.get(name, 0) + written
        self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - started
        return written

    # --- helpers -----------------------------------------------------------------------------------
    def moment(self, start: datetime, end: datetime | None = None) -> datetime:
        end = end or self.now
        if end <= start:
            return start
        return start + timedelta(seconds=self.rng.uniform(0, (end - start).total_seconds()))

    def times(self, count: int) -> Iterator[datetime]:
        """`count` moments spread evenly over the ten years, in order, BATCH at a time: rows are
        written in the order they happened, so ids rise with time as in a real database."""
        start = self.ten_years_ago()
        span = (self.now - start).total_seconds()
        made = 0
        while made < count:
            n = min(BATCH, count - made)
            low, high = start + timedelta(seconds=span * made / count), start + timedelta(seconds=span * (made + n) / count)
            yield from sorted(self.moment(low, high) for _ in range(n))
            made += n

    def ten_years_ago(self) -> datetime:
        """The start of the spread: 1 January ten years back, before the first year's events."""
        return datetime(self.now.astimezone(LONDON).year - YEARS, 1, 1, tzinfo=LONDON).astimezone(UTC)


def _copy(connection: Connection, table: Table, batch: list[dict]) -> None:
    """PostgreSQL: one COPY per batch, in the same transaction (several times faster than an
    executemany INSERT for a million rows). The columns the rows leave out get the model's Python
    defaults, as an INSERT would; enums go as their stored value."""
    given = list(batch[0])
    defaults = {}
    for column in table.columns:
        default = column.default
        if column.key in given or column.primary_key or default is None:
            continue
        if getattr(default, "is_scalar", False):
            defaults[column.key] = getattr(default, "arg")  # noqa: B009 - ColumnDefault's value
        elif getattr(default, "is_callable", False):
            defaults[column.key] = None  # made per row below
    callables = {key: getattr(table.columns[key].default, "arg") for key, value in defaults.items() if value is None}  # noqa: B009
    columns = given + list(defaults)
    names = ", ".join(f'"{c}"' for c in columns)
    raw = connection.connection.driver_connection
    if raw is None:
        raise RuntimeError("no database connection to COPY into")
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as out:
        for row in batch:
            values = [row[c] for c in given] + [callables[k](None) if k in callables else v for k, v in defaults.items()]
            out.write_row([v.value if isinstance(v, enum.Enum) else v for v in values])


def _ids_by_event_and_person(model, event_ids: list[int]) -> dict[tuple[int, int], int]:
    """The ids of rows just written, by their unique (event, young person): files, invitations."""
    rows = db.session.execute(select(model.id, model.event_id, model.young_person_id).where(model.event_id.in_(event_ids))).tuples()
    return {(event_id, person_id): row_id for row_id, event_id, person_id in rows}


def _pid() -> str:
    return str(uuid.uuid4())


def _unusable_hash() -> str:
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def _age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock(hour, minute), tzinfo=LONDON).astimezone(UTC)


# --- accounts ----------------------------------------------------------------------------------------


@dataclass
class Accounts:
    organisers: list[int]
    nominators: list[int]  # nominators and champions: they record achievements and nominate
    judges: list[int]
    all: list[int]


def _accounts(load: Loader, count: int) -> Accounts:
    rng, now = load.rng, load.now
    # Nobody knows this password: the accounts exist for lists and counts, not for signing in.
    password_hash = hash_password(secrets.token_urlsafe(32))
    plan: list[tuple[str, Role]] = []
    shares = [(Role.ORGANISER, 0.02, 2), (Role.BOARD, 0.01, 1), (Role.JUDGE, 0.07, 4), (Role.CHAMPION, 0.08, 1), (Role.DOOR_HELPER, 0.02, 1)]
    for role, share, least in shares:
        plan += [("", role)] * max(least, round(count * share))
    plan += [("", Role.NOMINATOR)] * max(1, count - len(plan))
    emails = []

    def rows() -> Iterator[dict]:
        for i, (_, role) in enumerate(plan):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            organisation, job = rng.choice(ORGANISATIONS)
            created = load.moment(load.ten_years_ago())
            deactivated = created + timedelta(days=rng.randint(30, 900)) if rng.random() < 0.04 else None
            pending = role == Role.NOMINATOR and rng.random() < 0.02
            email = f"{first.lower()}.{last.lower()}.{i}@{SCALE_DOMAIN}"
            emails.append((email, role))
            yield {
                "public_id": _pid(), "created_at": created, "updated_at": created, "email": email, "name": f"{first} {last}",
                "organisation": organisation, "job_title": job, "password_hash": password_hash, "email_verified_at": created + timedelta(minutes=5),
                "deactivated_at": deactivated if deactivated and deactivated < now else None,
                "deactivated_by_id": load.organiser.id if deactivated and deactivated < now else None,
                "approved_at": None if pending else created + timedelta(hours=rng.randint(1, 72)),
                "approved_by_id": None if pending else load.organiser.id,
                "last_sign_in_at": load.moment(created) if rng.random() < 0.8 else None,
                "wants_champion": role == Role.CHAMPION, "is_demo": False,
            }

    load.insert(User, rows(), len(plan), "users")
    ids = dict(db.session.execute(select(User.email, User.id).where(User.email.like(f"%@{SCALE_DOMAIN}"))).tuples().all())
    by_role: dict[Role, list[int]] = {}
    for email, role in emails:
        by_role.setdefault(role, []).append(ids[email])
    load.insert(UserRole, ({"user_id": ids[email], "role": role} for email, role in emails), len(emails), "user_roles")
    return Accounts(
        organisers=by_role[Role.ORGANISER],
        nominators=by_role[Role.NOMINATOR] + by_role[Role.CHAMPION],
        judges=by_role[Role.JUDGE],
        all=list(ids.values()),
    )


# --- young people ------------------------------------------------------------------------------------


def _young_people(load: Loader, count: int, accounts: Accounts) -> list[Person]:
    rng, today = load.rng, load.now.date()
    made: list[dict] = []

    def rows() -> Iterator[dict]:
        for i in range(count):
            created = load.moment(load.ten_years_ago())
            age_then = rng.randint(11, 24)
            dob = created.date() - timedelta(days=age_then * 365 + rng.randint(0, 364))
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            restricted = rng.random() < 0.03
            row = {
                "public_id": _pid(), "created_at": created, "updated_at": created, "first_name": first, "last_name": last,
                "preferred_name": first[:3] if len(first) > 4 and rng.random() < 0.08 else "", "date_of_birth": dob,
                "care_status": CareStatus.CARE_LEAVER if _age_on(dob, today) >= 18 else CareStatus.IN_CARE,
                "district": rng.choice(DISTRICTS),
                "email": f"{first.lower()}.{last.lower()}.{i}@young.{SCALE_DOMAIN}" if rng.random() < 0.35 else "",
                "name_shown": NameShown.FULL_NAME if rng.random() < 0.2 else NameShown.FIRST_NAME,
                "do_not_publish": rng.random() < 0.05, "contact_restriction": restricted,
                "contact_restriction_note": "A family member must not know where they will be (fictional note)" if restricted else "",
                "match_key": normalise_name(first + last), "created_by_id": rng.choice(accounts.organisers),
            }
            made.append(row)
            yield row

    before = db.session.execute(select(func.coalesce(func.max(YoungPerson.id), 0))).scalar_one()
    load.insert(YoungPerson, rows(), count, "young_people")
    ids = dict(db.session.execute(select(YoungPerson.public_id, YoungPerson.id).where(YoungPerson.id > before)).tuples().all())
    return [
        Person(ids[r["public_id"]], r["date_of_birth"], r["created_at"], r["care_status"], r["first_name"], r["last_name"], r["district"],
               r["email"], r["do_not_publish"], r["contact_restriction"])
        for r in made
    ]


def _worker_links(load: Loader, people: list[Person], accounts: Accounts) -> None:
    """Half the young people have a worker (most links from long ago have run out); the demo
    nominator works with 20 of them per unit of scale, on top of the demo's own."""
    rng, now = load.rng, load.now
    linked = rng.sample(people, len(people) // 2)
    mine = {p.id for p in linked[: max(1, round(20 * load.scale))]}

    def rows() -> Iterator[dict]:
        for person in linked:
            at = load.moment(person.created)
            if person.id in mine:
                at = now - timedelta(days=rng.randint(1, 200))
            ended = load.moment(at) if rng.random() < 0.1 and person.id not in mine else None
            yield {
                "public_id": _pid(), "young_person_id": person.id,
                "user_id": load.nominator.id if person.id in mine else rng.choice(accounts.nominators),
                "relationship_type": rng.choice(list(WorkerRelationship)), "linked_at": at, "linked_by_id": rng.choice(accounts.organisers),
                "expires_at": at + LINK_LIFETIME, "ended_at": ended, "ended_by_id": rng.choice(accounts.organisers) if ended else None,
            }

    load.insert(YoungPersonWorker, rows(), len(linked), "young_person_workers")


# --- events ------------------------------------------------------------------------------------------


@dataclass
class ScaleEvent:
    id: int
    kind: EventKind
    starts_at: datetime
    categories: list[int]


def _events(load: Loader) -> tuple[list[ScaleEvent], ScaleEvent]:
    """Four events a year for ten years (all closed), and one celebration coming up."""
    this_year = load.now.astimezone(LONDON).year
    made: list[Event] = []
    plan = [
        (EventKind.PROUD_AWARDS, "PROUD Awards", 11, 20, "County Hall, Main Chamber"),
        (EventKind.CARE_LEAVERS_WEEK, "Care Leavers' Week", 10, 28, "The Corn Exchange"),
        (EventKind.OTHER, "Summer celebration", 7, 18, "Riverside Park pavilion"),
        (EventKind.OTHER, "Winter party", 12, 12, "Hillside Community Centre"),
    ]
    for year in range(this_year - YEARS, this_year):
        for kind, name, month, day, venue in plan:
            event = create_event(kind=kind, name=f"{name} {year}", starts_at=_at(date(year, month, day), 18, 30), venue=venue, capacity=300,
                                 description="An evening to celebrate what our children in care and care leavers have achieved.",
                                 min_age=11, max_age=25, by=load.organiser,
                                 theme="Our voices, our future" if kind == EventKind.CARE_LEAVERS_WEEK else "")
            if kind == EventKind.PROUD_AWARDS:
                event.nominations_open_at = _at(date(year, 6, 1), 0)
                event.nominations_close_at = _at(date(year, 9, 1), 0)
            event.closed_at, event.closed_by_id = event.starts_at + timedelta(days=3), load.organiser.id
            made.append(event)
    upcoming_day = (load.now + timedelta(days=90)).astimezone(LONDON).date()
    big = create_event(kind=EventKind.OTHER, name=f"Big celebration {upcoming_day.year} (scale data)", starts_at=_at(upcoming_day, 18, 0),
                       venue="County Showground, main hall", capacity=None, min_age=11, max_age=25, by=load.organiser,
                       description="A celebration for every young person we look after, with their guests.")
    db.session.flush()
    load.added["events"] = len(made) + 1
    load.added["award_categories"] = sum(len(e.categories) for e in made)
    past = [ScaleEvent(e.id, e.kind, e.starts_at, [c.id for c in e.categories]) for e in made]
    return past, ScaleEvent(big.id, big.kind, big.starts_at, [])


# --- nominations, files and judging ----------------------------------------------------------------------


def _nominations(load: Loader, count: int, people: list[Person], events: list[ScaleEvent], accounts: Accounts) -> tuple[dict, int]:
    """Nominations over the ten PROUD Awards: most sent and matched to a file (some files with two
    or three), a few withdrawn or left as drafts. Returns the accepted files {event id: [(file id,
    young person id, category id)]} and the nominations written."""
    rng = load.rng
    proud = [e for e in events if e.kind == EventKind.PROUD_AWARDS]
    per_event = [count // len(proud) + (1 if i < count % len(proud) else 0) for i in range(len(proud))]
    files: list[dict] = []
    nominations: list[tuple[dict, tuple[int, int] | None]] = []  # row, file key
    for event, wanted in zip(proud, per_event, strict=True):
        day = event.starts_at.date()
        eligible = [p for p in people if p.created < event.starts_at and 11 <= _age_on(p.dob, day) <= 25]
        rng.shuffle(eligible)
        made = 0
        for person in eligible:
            if made >= wanted:
                break
            times = min(wanted - made, 3 if rng.random() < 0.05 else 2 if rng.random() < 0.15 else 1)
            category = rng.choice(event.categories)
            drafted = rng.random() < 0.02
            submitted = load.moment(event.starts_at - timedelta(days=170), event.starts_at - timedelta(days=85))
            if not drafted:
                file_status = FileStatus.NOT_ELIGIBLE if rng.random() < 0.05 else FileStatus.ACCEPTED
                files.append({"public_id": _pid(), "event_id": event.id, "young_person_id": person.id, "status": file_status, "category_id": category,
                              "not_eligible_reason": "Moved to another council's care before the year began." if file_status == FileStatus.NOT_ELIGIBLE else "",
                              "created_at": submitted})
            for k in range(times):
                withdrawn = not drafted and k > 0 and rng.random() < 0.1
                flagged = rng.random() < 0.03
                by = load.nominator.id if rng.random() < 0.02 else rng.choice(accounts.nominators)
                status = NominationStatus.DRAFT if drafted else NominationStatus.WITHDRAWN if withdrawn else NominationStatus.SENT
                row = {
                    "public_id": _pid(), "created_at": submitted - timedelta(days=2), "updated_at": submitted, "event_id": event.id,
                    "category_id": category, "nominator_id": by, "status": status, "first_name": person.first, "last_name": person.last,
                    "date_of_birth": person.dob, "care_status": person.care_status, "district": person.district,
                    "young_person_id": None if drafted else person.id, "relationship_type": rng.choice(list(WorkerRelationship)),
                    "worked_with_recently": True, "achievement": rng.choice(NOMINATION_TEXTS).format(name=person.first),
                    "background": "Background for organisers only (fictional)." if rng.random() < 0.3 else "",
                    "young_person_knows": YesNo.YES, "public_concern": YesNo.YES if flagged else YesNo.NO,
                    "public_concern_details": "A family member has contacted the press before (fictional)." if flagged else "",
                    "furthest_page": "check" if not drafted else "achievement",
                    "submitted_at": None if drafted else submitted + timedelta(hours=k),
                    "withdrawn_at": submitted + timedelta(days=5) if withdrawn else None,
                }
                nominations.append((row, None if drafted else (event.id, person.id)))
                made += 1
    load.insert(NominationFile, iter(files), len(files), "nomination_files")
    file_ids = _ids_by_event_and_person(NominationFile, [e.id for e in proud])

    def nomination_rows() -> Iterator[dict]:
        for row, key in nominations:
            row["file_id"] = file_ids[key] if key else None
            yield row

    load.insert(Nomination, nomination_rows(), len(nominations), "nominations")

    def decisions() -> Iterator[dict]:
        for row, key in nominations:
            if key and row["status"] != NominationStatus.DRAFT:
                yield {"file_id": file_ids[key], "action": DecisionAction.MATCHED, "reason": "Nomination matched to the record",
                       "by_id": rng.choice(accounts.organisers), "at": row["submitted_at"] + timedelta(days=1)}
        for f in files:
            action = DecisionAction.ACCEPTED if f["status"] == FileStatus.ACCEPTED else DecisionAction.NOT_ELIGIBLE
            yield {"file_id": file_ids[(f["event_id"], f["young_person_id"])], "action": action, "reason": f["not_eligible_reason"],
                   "by_id": rng.choice(accounts.organisers), "at": f["created_at"] + timedelta(days=20)}

    load.insert(FileDecision, decisions(), len(nominations) + len(files), "file_decisions")
    accepted: dict[int, list[tuple[int, int, int]]] = {}
    for f in files:
        if f["status"] == FileStatus.ACCEPTED:
            accepted.setdefault(f["event_id"], []).append((file_ids[(f["event_id"], f["young_person_id"])], f["young_person_id"], f["category_id"]))
    return accepted, len(nominations)


CRITERIA = [("Effort and determination", 2), ("Impact on others", 1), ("Progress over the year", 1)]


def _judging(load: Loader, events: list[ScaleEvent], accepted: dict, accounts: Accounts) -> None:
    """A panel for each past PROUD Awards: four judges (one care-experienced), three criteria,
    each accepted file scored by two judges, up to 60 shortlisted and a winner per award."""
    rng = load.rng
    proud = [e for e in events if e.kind == EventKind.PROUD_AWARDS]
    conn = db.session.connection()
    panels: dict[int, int] = {}
    for event in proud:
        released = event.starts_at - timedelta(days=40)
        panels[event.id] = conn.execute(insert(Panel).values(
            public_id=_pid(), event_id=event.id, min_scores=2, shortlist_released_at=released, results_published_at=event.starts_at + timedelta(hours=3),
            not_shortlisted_message="Thank you for everything you have done this year.", created_at=event.starts_at - timedelta(days=120),
        ).returning(Panel.id)).scalar_one()
    load.added["judging_panels"] = len(panels)
    criteria_rows, judge_rows = [], []
    for event in proud:
        for position, (name, weight) in enumerate(CRITERIA):
            criteria_rows.append({"public_id": _pid(), "panel_id": panels[event.id], "name": name, "weight": weight, "position": position,
                                  "description": "1: a little; 5: a great deal"})
        for k, user_id in enumerate(rng.sample(accounts.judges, min(4, len(accounts.judges)))):
            judge_rows.append({"public_id": _pid(), "panel_id": panels[event.id], "user_id": user_id, "young_judge": k == 0, "blind": False,
                               "added_at": event.starts_at - timedelta(days=110)})
    load.insert(Criterion, iter(criteria_rows), len(criteria_rows), "judging_criteria")
    load.insert(PanelJudge, iter(judge_rows), len(judge_rows), "panel_judges")
    panel_ids = list(panels.values())
    criteria: dict[int, list[int]] = {}
    for cid, pid in db.session.execute(select(Criterion.id, Criterion.panel_id).where(Criterion.panel_id.in_(panel_ids))).tuples():
        criteria.setdefault(pid, []).append(cid)
    judges: dict[int, list[int]] = {}
    for jid, pid in db.session.execute(select(PanelJudge.id, PanelJudge.panel_id).where(PanelJudge.panel_id.in_(panel_ids))).tuples():
        judges.setdefault(pid, []).append(jid)
    plan = []
    for event in proud:
        panel = panels[event.id]
        for file_id, _person, _category in accepted.get(event.id, []):
            for judge_id in rng.sample(judges[panel], min(2, len(judges[panel]))):
                plan.append((panel, file_id, judge_id, rng.random() < 0.02, event.starts_at - timedelta(days=rng.randint(45, 90))))

    def assignment_rows() -> Iterator[dict]:
        for panel, file_id, judge_id, conflicted, at in plan:
            yield {"public_id": _pid(), "panel_id": panel, "file_id": file_id, "judge_id": judge_id,
                   "conflict": ConflictType.WORKS_WITH if conflicted else ConflictType.NONE, "conflict_note": "",
                   "conflict_declared_at": at, "comment": "" if conflicted else "A clear, well-evidenced nomination.",
                   "saved_at": None if conflicted else at, "submitted_at": None if conflicted else at + timedelta(hours=1),
                   "assigned_at": at - timedelta(days=3)}

    load.insert(Assignment, assignment_rows(), len(plan), "judging_assignments")
    scored = db.session.execute(
        select(Assignment.id, Assignment.panel_id).where(Assignment.panel_id.in_(panel_ids), Assignment.submitted_at.is_not(None))
    ).tuples().all()
    load.insert(Score, ({"assignment_id": aid, "criterion_id": cid, "value": rng.randint(1, 5)} for aid, pid in scored for cid in criteria[pid]),
                len(scored) * len(CRITERIA), "judging_scores")

    def decision_rows() -> Iterator[dict]:
        for event in proud:
            files = accepted.get(event.id, [])
            shortlisted = rng.sample(files, min(60, len(files)))
            at = event.starts_at - timedelta(days=42)
            by = rng.choice(accounts.organisers)
            for file_id, _person, _category in shortlisted:
                yield {"panel_id": panels[event.id], "file_id": file_id, "kind": DecisionKind.SHORTLIST, "chosen": True, "reason": "", "by_id": by, "at": at}
            winners: dict[int, int] = {}
            for file_id, _person, category in shortlisted:
                winners.setdefault(category, file_id)
            for file_id in winners.values():
                yield {"panel_id": panels[event.id], "file_id": file_id, "kind": DecisionKind.WINNER, "chosen": True, "reason": "", "by_id": by,
                       "at": at + timedelta(days=7)}

    rows = list(decision_rows())
    load.insert(JudgingDecision, iter(rows), len(rows), "judging_decisions")


# --- achievements ------------------------------------------------------------------------------------


def _achievements(load: Loader, count: int, people: list[Person], accounts: Accounts) -> None:
    rng = load.rng
    areas = list(AchievementArea)

    known = People(people, rng)

    def rows() -> Iterator[dict]:
        for at in load.times(count):
            person = known.known_at(at)
            on = min(at, load.now).date()
            area = rng.choice(areas)
            yield {"public_id": _pid(), "young_person_id": person.id, "recorded_by_id": rng.choice(accounts.nominators),
                   "achieved_on": on - timedelta(days=rng.randint(0, 6)), "area": area, "description": rng.choice(ACHIEVEMENT_TEXTS[area]),
                   "celebrated_with": rng.choice(CELEBRATED_WITH), "nomination_id": None, "created_at": at}

    load.insert(Achievement, rows(), count, "achievements")


# --- invitations, guests, links ---------------------------------------------------------------------------


PAST_STATUSES = [(InvitationStatus.COMING, 62), (InvitationStatus.NOT_COMING, 20), (InvitationStatus.NOT_REPLIED, 13), (InvitationStatus.NOT_SURE, 5)]


def _invitations(load: Loader, count: int, people: list[Person], events: list[ScaleEvent], big: ScaleEvent, accounts: Accounts) -> list[tuple[int, int]]:
    """The upcoming celebration: up to 600 young people coming (600 from scale 1), with guests
    (some waiting for an organiser's approval), and some of every other reply. The rest (at least
    half the volume, so scale 1 has about 950 in all) over the past events, closed, most of those
    coming checked in. Returns (invitation id, young person id) pairs."""
    rng, now = load.rng, load.now
    big_coming = min(BIG_GUEST_LIST, count)  # the bench's guest list of 600 at scale 1 already
    others = {status: max(1, round(n * min(1.0, load.scale))) for status, n in
              ((InvitationStatus.NOT_REPLIED, 30), (InvitationStatus.NOT_COMING, 20), (InvitationStatus.NOT_SURE, 10),
               (InvitationStatus.WAITING, 5), (InvitationStatus.OFFERED, 2))}
    plan: list[tuple[ScaleEvent, InvitationStatus]] = [(big, InvitationStatus.COMING)] * big_coming
    for status, n in others.items():
        plan += [(big, status)] * n
    rest = max(count - len(plan), count // 2)  # the past events get at least half the volume
    weights = [w for _, w in PAST_STATUSES]
    for i in range(rest):
        plan.append((events[i % len(events)], rng.choices([s for s, _ in PAST_STATUSES], weights)[0]))
    used: dict[int, set[int]] = {}
    invitations: list[dict] = []
    guests: list[tuple[tuple[int, int], dict]] = []
    shuffled = people[:]
    rng.shuffle(shuffled)
    cursor = 0
    for event, status in plan:
        day = event.starts_at.astimezone(LONDON).date()
        taken = used.setdefault(event.id, set())
        person = None
        for _ in range(len(shuffled)):
            candidate = shuffled[cursor % len(shuffled)]
            cursor += 1
            if candidate.id not in taken and candidate.created < event.starts_at and 11 <= _age_on(candidate.dob, day) <= 25:
                person = candidate
                break
        if person is None:
            continue
        taken.add(person.id)
        past = event.starts_at < now
        sent = max(person.created, event.starts_at - timedelta(days=rng.randint(30, 60)))
        replied = status != InvitationStatus.NOT_REPLIED
        replied_at = load.moment(sent, min(event.starts_at, now)) if replied else None
        how = rng.choices([ReplyHow.LINK, ReplyHow.WORKER, ReplyHow.ORGANISER], [70, 20, 10])[0] if replied else None
        coming = status == InvitationStatus.COMING
        checked_in = past and coming and rng.random() < 0.8
        photos = coming and rng.random() < 0.6 and not person.do_not_publish
        invitations.append({
            "public_id": _pid(), "created_at": sent - timedelta(days=1), "updated_at": replied_at or sent, "event_id": event.id,
            "young_person_id": person.id, "status": status, "door_code": _pid(), "check_identity": person.restricted,
            "dietary": rng.choice(["", "", "", "vegetarian", "halal", "nut_allergy", "vegan,gluten_free"]) if coming else "",
            "access": rng.choice(["", "", "", "", "", "wheelchair", "quiet_space", "step_free,near_exit"]) if coming else "",
            "travel_help": coming and rng.random() < 0.15, "travel_details": "A taxi from home, please" if coming and rng.random() < 0.1 else "",
            "photo_consent": photos, "photos_ok": photos and _age_on(person.dob, day) >= 13,
            "name_read": NameRead.NO_NAME if person.do_not_publish else rng.choice([NameRead.FIRST_NAME, NameRead.FIRST_NAME, NameRead.FULL_NAME]),
            "replied_at": replied_at, "replied_how": how,
            "replied_by_id": (rng.choice(accounts.nominators) if how == ReplyHow.WORKER else rng.choice(accounts.organisers) if how == ReplyHow.ORGANISER else None),
            "sent_at": sent, "letter_needed": not person.email, "waiting_since": replied_at if status in (InvitationStatus.WAITING, InvitationStatus.OFFERED) else None,
            "offer_expires_at": now + timedelta(hours=rng.randint(24, 70)) if status == InvitationStatus.OFFERED else None,
            "added_by_id": rng.choice(accounts.organisers),
            "checked_in_at": event.starts_at + timedelta(minutes=rng.randint(-20, 40)) if checked_in else None,
            "checked_in_by_id": load.organiser.id if checked_in else None,
        })
        if coming:
            for position in range(rng.choices([0, 1, 2, 3], [30, 40, 25, 5])[0]):
                approval = GuestApproval.CONFIRMED
                decided = None
                if person.restricted:
                    approval = GuestApproval.TO_APPROVE if not past else rng.choice([GuestApproval.CONFIRMED, GuestApproval.CANNOT_COME])
                    decided = None if not past else load.moment(replied_at or sent, event.starts_at)
                guests.append(((event.id, person.id), {
                    "public_id": _pid(), "position": position, "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "age_group": AgeGroup.ADULT if rng.random() < 0.75 else AgeGroup.CHILD, "approval": approval,
                    "decided_by_id": load.organiser.id if decided else None, "decided_at": decided,
                    "checked_in_at": event.starts_at + timedelta(minutes=5) if checked_in and approval == GuestApproval.CONFIRMED and rng.random() < 0.85 else None,
                    "checked_in_by_id": load.organiser.id if checked_in else None,
                    "dietary": rng.choice(["", "", "", "vegetarian", "dairy_free"]), "photo_consent": rng.random() < 0.6,
                }))
    load.insert(Invitation, iter(invitations), len(invitations), "invitations")
    ids = _ids_by_event_and_person(Invitation, [e.id for e in events] + [big.id])

    def guest_rows() -> Iterator[dict]:
        for key, row in guests:
            row["invitation_id"] = ids[key]
            yield row

    load.insert(Guest, guest_rows(), len(guests), "invitation_guests")
    # One personal link per invitation sent by email: only a hash of a random token nobody kept.
    emailed = [ids[(r["event_id"], r["young_person_id"])] for r in invitations if not r["letter_needed"]]
    load.insert(InvitationLink, ({"invitation_id": i, "token_hash": _unusable_hash(), "created_at": now} for i in emailed),
                len(emailed), "invitation_links")
    starts = {e.id: e.starts_at for e in [*events, big]}
    settings = [{"event_id": event_id, "guest_allowance": 2, "reply_by": starts[event_id] - timedelta(days=14), "offer_hours": 72,
                 "created_at": starts[event_id] - timedelta(days=70), "updated_at": starts[event_id] - timedelta(days=70)}
                for event_id in sorted({r["event_id"] for r in invitations})]
    load.insert(InvitationSettings, iter(settings), len(settings), "invitation_settings")
    # The upcoming event is exactly full, so its waiting list and offered places are what they say.
    places = sum(r["status"] in (InvitationStatus.COMING, InvitationStatus.OFFERED) for r in invitations if r["event_id"] == big.id)
    places += sum(1 for (event_id, _), _row in guests if event_id == big.id)
    db.session.execute(update(Event).where(Event.id == big.id).values(capacity=places))
    return [(ids[(r["event_id"], r["young_person_id"])], r["young_person_id"]) for r in invitations]


# --- the outbox ------------------------------------------------------------------------------------------


def _outbox(load: Loader, count: int, people: list[Person], events: list[ScaleEvent], accounts: Accounts) -> None:
    """Messages sent over ten years, a few failed or cancelled; none left queued."""
    rng = load.rng
    conn = db.session.connection()
    batches = []
    for event in events:
        batches.append(conn.execute(insert(EmailBatch).values(
            public_id=_pid(), name=f"Invitations, event {event.id} (scale data)", created_at=event.starts_at - timedelta(days=50),
            created_by_id=load.organiser.id).returning(EmailBatch.id)).scalar_one())
    load.added["email_batches"] = len(batches)
    kinds = [(t, s) for t, s, _ in OUTBOX_KINDS]
    weights = [w for _, _, w in OUTBOX_KINDS]
    with_email = [p for p in people if p.email] or people

    def rows() -> Iterator[dict]:
        for i, created in enumerate(load.times(count)):
            template, subject = rng.choices(kinds, weights)[0]
            text = rng.random() < 0.04
            roll = rng.random()
            status = MessageStatus.SENT if roll < 0.95 else MessageStatus.FAILED if roll < 0.98 else MessageStatus.CANCELLED
            to_user = template.startswith("accounts/") or template.startswith("nominations/") or template.startswith("judging/")
            if text:
                address = f"+447700900{i % 1000:03d}"  # Ofcom's drama range: never a real phone
            elif to_user:
                address = f"staff{i}@{SCALE_DOMAIN}"
            else:
                address = rng.choice(with_email).email or f"young{i}@young.{SCALE_DOMAIN}"
            yield {
                "public_id": _pid(), "batch_id": rng.choice(batches) if template == "invitations/invitation" and batches else None,
                "template": template, "channel": Channel.TEXT if text else Channel.EMAIL, "to_address": address, "subject": "" if text else subject,
                "text_body": f"{subject}. (Scale data: the words of a message sent on {created:%d %B %Y}.)",
                "html_body": "" if text else f"<p>{subject}.</p>", "status": status, "attempts": 1 if status != MessageStatus.FAILED else 10,
                "next_attempt_at": created, "claimed_at": created if status == MessageStatus.SENT else None,
                "sent_at": created + timedelta(seconds=rng.randint(5, 300)) if status == MessageStatus.SENT else None,
                "last_error": rng.choice(SMTP_REFUSALS) if status == MessageStatus.FAILED else None,
                "undeliverable": status == MessageStatus.FAILED and rng.random() < 0.5,
                "user_id": rng.choice(accounts.all) if to_user and not text else None, "created_at": created,
                "has_personal_links": False, "sealed_links": None,
            }

    load.insert(OutboxMessage, rows(), count, "outbox_messages")


# --- the audit trail ------------------------------------------------------------------------------------


INVITATION_ENTRIES = [(AuditAction.VIEWED, ""), (AuditAction.UPDATED, "Reply: Coming (Personal link)"),
                      (AuditAction.UPDATED, "Checked in at the door"), (AuditAction.UPDATED, "Printed an invitation letter")]


def _audit(load: Loader, count: int, people: list[Person], invitations: list[tuple[int, int]], accounts: Accounts) -> None:
    """Shaped as cpevents/audit/services.record writes them: ids, an action, a short detail."""
    rng, now = load.rng, load.now
    actors = accounts.organisers + [load.organiser.id]
    workers = accounts.nominators

    known = People(people, rng)

    def rows() -> Iterator[dict]:
        for at in load.times(count):
            roll = rng.random()
            person = known.known_at(at)
            action, detail, actor = AuditAction.VIEWED, "", rng.choice(actors)
            if roll < 0.18 and invitations:
                invitation_id, person_id = rng.choice(invitations)
                action, detail = rng.choice(INVITATION_ENTRIES)
                yield {"at": at, "actor_id": actor, "action": action, "subject_type": "invitations", "subject_id": invitation_id,
                       "young_person_id": person_id, "detail": detail}
                continue
            if roll < 0.25:
                action, detail = AuditAction.UPDATED, rng.choice(["email", "district", "preferred_name, name_shown", "contact_restriction"])
            elif roll < 0.28:
                action, detail = AuditAction.UPDATED, "mobile, mobile_agreed"
            elif roll < 0.31:
                worker = rng.choice(workers)
                action, detail = AuditAction.WORKER_LINKED, f"user {worker} until {at + LINK_LIFETIME:%Y-%m-%d}"
            elif roll < 0.33:
                action, detail = AuditAction.EXPORTED, ""
            yield {"at": min(at, now), "actor_id": actor, "action": action, "subject_type": "young_people", "subject_id": person.id,
                   "young_person_id": person.id, "detail": detail}

    load.insert(AuditEntry, rows(), count, "audit_entries")


# --- the whole load --------------------------------------------------------------------------------------


def check_scale(scale: float) -> None:
    """Refuse a scale out of range, or a second load, with a message that says what to do."""
    if not 0 < scale <= MAX_SCALE:
        raise click.ClickException(f"--scale must be more than 0 and at most {MAX_SCALE}; got {scale}")
    if scale_loaded():
        raise click.ClickException(
            f"Scale data is already loaded (accounts on {SCALE_DOMAIN}). It is added once: to load another scale, "
            "start from an empty database (delete the SQLite file, or drop the PostgreSQL schema) and run this again."
        )


def seed_scale(scale: float, *, organiser: User, nominator: User, progress: bool = True) -> dict:
    """Add the scale data (the caller commits). Returns what was added, table by table, and the
    public id of the upcoming event with the big guest list."""
    check_scale(scale)
    started = time.monotonic()
    counts = scale_counts(scale)
    load = Loader(scale=scale, organiser=organiser, nominator=nominator, progress=progress)
    accounts = _accounts(load, counts["accounts"])
    people = _young_people(load, counts["young_people"], accounts)
    _worker_links(load, people, accounts)
    events, big = _events(load)
    accepted, _ = _nominations(load, counts["nominations"], people, events, accounts)
    _judging(load, events, accepted, accounts)
    _achievements(load, counts["achievements"], people, accounts)
    invitations = _invitations(load, counts["invitations"], people, events, big, accounts)
    _outbox(load, counts["outbox_messages"], people, events, accounts)
    _audit(load, counts["audit_entries"], people, invitations, accounts)
    bump_all(db.session())  # cached page parts (reports, lists) must not outlive the new data
    big_public_id = db.session.execute(select(Event.public_id).where(Event.id == big.id)).scalar_one()
    return {"scale": scale, "added": dict(load.added), "table_seconds": {k: round(v, 2) for k, v in load.seconds.items()},
            "seconds": round(time.monotonic() - started, 1), "guest_list_event": big_public_id}
