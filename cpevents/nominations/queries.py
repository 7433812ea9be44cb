"""Read-side queries for nominators' and organisers' nomination pages. A fixed number of queries per page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from cpevents.core.cache import watch
from cpevents.core.checks import known
from cpevents.core.paging import offset_for
from cpevents.events.models import AwardCategory, Event
from cpevents.extensions import db
from cpevents.nominations.models import (
    FileDecision,
    FileStatus,
    Nomination,
    NominationFile,
    NominationStatus,
)
from cpevents.young_people.models import YoungPerson

PAGE_SIZE = 50

# Everything the organisers' list shows comes from these tables: a change to any of them gives
# the list a new data version, so no cached body outlives it.
DATA_VERSION = "nominations"


def watch_data() -> None:
    """Called once from cpevents/wiring.py when the app is built."""
    watch(DATA_VERSION, Event, AwardCategory, Nomination, NominationFile, FileDecision, YoungPerson)


def nominations_by(user) -> Select:
    """A nominator's own nominations (never anyone else's), withdrawn ones too, newest first: a
    statement the home page pages (years of nominations are too many for one page)."""
    return (
        select(Nomination)
        .options(joinedload(Nomination.event), joinedload(Nomination.category), joinedload(Nomination.file))
        .where(Nomination.nominator_id == user.id)
        .order_by(Nomination.updated_at.desc(), Nomination.id.desc())
    )


def to_match(event_id: int) -> list[Nomination]:
    """Sent nominations not yet in a young person's file."""
    return list(
        db.session.execute(
            select(Nomination)
            .options(joinedload(Nomination.nominator), joinedload(Nomination.category))
            .where(Nomination.event_id == event_id, Nomination.status == NominationStatus.SENT, Nomination.file_id.is_(None))
            .order_by(Nomination.submitted_at)
        )
        .scalars()
        .all()
    )


@dataclass
class FileRow:
    """One line of the organisers' list: the file and what it takes to describe it, without
    loading every nomination's text."""

    file: NominationFile
    nominations: int
    flagged: bool

    @property
    def needs_flag_review(self) -> bool:
        return self.flagged and self.file.flags_cleared_at is None


def _flag_condition():
    return or_(Nomination.public_concern == "yes", func.length(func.trim(Nomination.contact_restriction_details)) > 0)


def files(event_id: int, *, q: str = "", category: str = "", status: str = "", flagged: bool = False, district: str = "", page: int = 1):
    live = (
        select(
            Nomination.file_id.label("file_id"),
            func.count().label("nominations"),
            func.max(case((_flag_condition(), 1), else_=0)).label("flagged"),
        )
        # This event's nominations only (a nomination's file is always of its own event, see
        # review.file_for): without it PostgreSQL grouped every event's nominations and joined them
        # in a nested loop, 150 ms at ten years of data (docs/issue19-throughput.md).
        .where(Nomination.event_id == event_id, Nomination.status == NominationStatus.SENT, Nomination.file_id.is_not(None))
        .group_by(Nomination.file_id)
        .subquery()
    )
    stmt = (
        select(NominationFile)
        .join(YoungPerson, NominationFile.young_person_id == YoungPerson.id)
        .outerjoin(live, live.c.file_id == NominationFile.id)
        .where(NominationFile.event_id == event_id, NominationFile.status != FileStatus.MERGED)
    )
    if q:
        like = f"%{q.lower().replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(func.lower(YoungPerson.first_name).like(like), func.lower(YoungPerson.last_name).like(like)))
    if category:
        stmt = stmt.join(AwardCategory, NominationFile.category_id == AwardCategory.id).where(AwardCategory.public_id == category)
    if status:
        stmt = stmt.where(NominationFile.status == FileStatus(status))
    if district:
        stmt = stmt.where(func.lower(YoungPerson.district) == district.lower())
    if flagged:
        stmt = stmt.where(live.c.flagged == 1, NominationFile.flags_cleared_at.is_(None))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(
        stmt.add_columns(func.coalesce(live.c.nominations, 0), func.coalesce(live.c.flagged, 0))
        .options(joinedload(NominationFile.young_person), joinedload(NominationFile.category))
        .order_by(func.lower(YoungPerson.last_name), func.lower(YoungPerson.first_name), NominationFile.id)
        .limit(PAGE_SIZE)
        .offset(offset_for(page, total, PAGE_SIZE))
    ).all()
    return [FileRow(file=f, nominations=n, flagged=bool(flag)) for f, n, flag in rows], total


def next_file_to_review(file: NominationFile) -> NominationFile | None:
    """The file an organiser turns to after deciding on this one: the next still to review in
    the list's order (surname, first name), going round to the start; None when none is left.
    Two small queries, whatever the number of files."""
    person = known(db.session.get(YoungPerson, file.young_person_id), "a file has its young person (a foreign key)")
    last, first = func.lower(YoungPerson.last_name), func.lower(YoungPerson.first_name)
    here_last, here_first = person.last_name.lower(), person.first_name.lower()
    to_do = (
        select(NominationFile)
        .join(YoungPerson, NominationFile.young_person_id == YoungPerson.id)
        .options(joinedload(NominationFile.young_person))
        .where(NominationFile.event_id == file.event_id, NominationFile.status == FileStatus.TO_REVIEW, NominationFile.id != file.id)
        .order_by(last, first, NominationFile.id)
        .limit(1)
    )
    after = or_(
        last > here_last,
        and_(last == here_last, first > here_first),
        and_(last == here_last, first == here_first, NominationFile.id > file.id),
    )
    return db.session.execute(to_do.where(after)).scalar_one_or_none() or db.session.execute(to_do).scalar_one_or_none()


def next_to_match(event_id: int) -> Nomination | None:
    """The oldest sent nomination still waiting to be matched, as the "to match" list orders them."""
    return db.session.execute(
        select(Nomination)
        .where(Nomination.event_id == event_id, Nomination.status == NominationStatus.SENT, Nomination.file_id.is_(None))
        .order_by(Nomination.submitted_at, Nomination.id)
        .limit(1)
    ).scalar_one_or_none()


def to_match_count(event_id: int) -> int:
    return db.session.execute(
        select(func.count()).select_from(Nomination).where(
            Nomination.event_id == event_id, Nomination.status == NominationStatus.SENT, Nomination.file_id.is_(None)
        )
    ).scalar_one()


def counts_by_category(event_id: int) -> dict[int | None, int]:
    rows = db.session.execute(
        select(NominationFile.category_id, func.count())
        .where(NominationFile.event_id == event_id, NominationFile.status != FileStatus.MERGED)
        .group_by(NominationFile.category_id)
    )
    return dict(rows.tuples().all())


def file_with_everything(public_id: str) -> NominationFile | None:
    return db.session.execute(
        select(NominationFile)
        .options(
            joinedload(NominationFile.young_person),
            joinedload(NominationFile.event),
            selectinload(NominationFile.nominations).joinedload(Nomination.nominator),
            selectinload(NominationFile.nominations).joinedload(Nomination.category),
            selectinload(NominationFile.decisions).joinedload(FileDecision.by),
        )
        .where(NominationFile.public_id == public_id)
    ).scalar_one_or_none()


EXPORT_BATCH = 500


def export_batches(event_id: int) -> Iterator[list[Nomination]]:
    """The event's sent nominations for a download, EXPORT_BATCH at a time (one query a batch,
    one batch of records in memory however many there are; issue 19)."""
    ids = db.session.execute(
        select(Nomination.id)
        .where(Nomination.event_id == event_id, Nomination.status == NominationStatus.SENT)
        .order_by(Nomination.file_id, Nomination.submitted_at, Nomination.id)
    ).scalars().all()
    for start in range(0, len(ids), EXPORT_BATCH):
        batch = ids[start : start + EXPORT_BATCH]
        loaded = {
            n.id: n
            for n in db.session.execute(
                select(Nomination)
                .options(joinedload(Nomination.nominator), joinedload(Nomination.category), joinedload(Nomination.file).joinedload(NominationFile.category))
                .where(Nomination.id.in_(batch))
            ).unique().scalars()
        }
        yield [loaded[i] for i in batch if i in loaded]


# --- the organiser's to-do (cpevents/home/todo.py): one grouped query per line -------------------


def _per_event(stmt, event_id: int | None) -> dict[int, int]:
    return dict(db.session.execute(stmt.where(NominationFile.event_id == event_id) if event_id is not None else stmt).tuples().all())


def to_match_by_event(event_id: int | None = None) -> dict[int, int]:
    """Sent nominations not yet in a young person's file, per event."""
    stmt = (
        select(Nomination.event_id, func.count())
        .where(Nomination.status == NominationStatus.SENT, Nomination.file_id.is_(None))
        .group_by(Nomination.event_id)
    )
    if event_id is not None:
        stmt = stmt.where(Nomination.event_id == event_id)
    return dict(db.session.execute(stmt).tuples().all())


def files_to_review_by_event(event_id: int | None = None) -> dict[int, int]:
    """Files nobody has accepted or found not eligible yet, per event."""
    stmt = select(NominationFile.event_id, func.count()).where(NominationFile.status == FileStatus.TO_REVIEW).group_by(NominationFile.event_id)
    return _per_event(stmt, event_id)


def safety_to_review_by_event(event_id: int | None = None) -> dict[int, int]:
    """Files with a live nomination whose safety answers need an organiser (a concern about
    publicity or a contact restriction) that nobody has marked as reviewed, per event: the same
    files as the list's "Only files with safety answers to review"."""
    flagged = select(Nomination.id).where(Nomination.file_id == NominationFile.id, Nomination.status == NominationStatus.SENT, _flag_condition())
    stmt = (
        select(NominationFile.event_id, func.count())
        .where(NominationFile.status != FileStatus.MERGED, NominationFile.flags_cleared_at.is_(None), flagged.exists())
        .group_by(NominationFile.event_id)
    )
    return _per_event(stmt, event_id)
