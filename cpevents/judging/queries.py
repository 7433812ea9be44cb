"""Read-side queries for judging pages, and the fair ranking.

The ranking is computed in Python over rows fetched in a constant number of queries (the
panel's criteria, the files, the submitted scores, the latest decisions), however many files
and judges there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from statistics import fmean, pstdev

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from cpevents.core.cache import watch
from cpevents.events.models import AwardCategory, Event
from cpevents.extensions import db
from cpevents.judging.models import (
    Assignment,
    ConflictType,
    Criterion,
    DecisionKind,
    JudgingDecision,
    Panel,
    PanelJudge,
    PanelText,
    Score,
)
from cpevents.nominations.models import (
    DecisionAction,
    FileDecision,
    FileStatus,
    Nomination,
    NominationFile,
    NominationStatus,
)
from cpevents.young_people.models import YoungPerson

# The ranking page's rendered body is kept per data version (cpevents/core/cache.py): any change
# to what it shows gives this version a new token, so a stale ranking is never served.
DATA_VERSION = "judging"


def watch_data() -> None:
    """Called once from cpevents/wiring.py when the app is built."""
    watch(DATA_VERSION, Event, AwardCategory, NominationFile, YoungPerson, Panel, PanelJudge, Criterion, Assignment, Score, JudgingDecision,
          FileDecision, PanelText)


METHOD = (
    "Some judges give higher scores than others. To make the ranking fair, each judge's weighted "
    "total for a file is compared with that judge's own average over all the files they submitted "
    "scores for, and divided by how spread out that judge's totals are (their standard deviation). "
    "This gives a 'z-score': 0 means average for that judge, +1 means one step above their usual, "
    "−1 one step below. If a judge gave every file the same total, or scored only one file, their "
    "z-score is 0 for each file. A file's normalised score is the average of its judges' z-scores. "
    "Files with fewer submitted scores than the minimum you set, and files whose normalised scores "
    "are equal to 2 decimal places, are flagged. Scores from a judge with a conflict of interest "
    "are never counted, even when the conflict was declared after they scored: the ranking says how many "
    "were set aside. Scores submitted before the file changed (a nomination joined or left it, or, for "
    "young and blind judges, its panel version changed) still count until the judge looks again, and are "
    "flagged."
)


def normalise(totals: list[tuple[int, int, float]]) -> dict[int, dict]:
    """`totals` are (judge id, file id, weighted total) for submitted scores. Returns, per file,
    its raw weighted mean, its normalised score and how many judges scored it."""
    by_judge: dict[int, list[float]] = defaultdict(list)
    for judge_id, _file_id, total in totals:
        by_judge[judge_id].append(total)
    stats = {}
    for judge_id, values in by_judge.items():
        mean = fmean(values)
        sd = pstdev(values) if len(values) > 1 else 0.0
        stats[judge_id] = (mean, sd)
    per_file: dict[int, dict[str, list]] = defaultdict(lambda: {"raw": [], "z": []})
    for judge_id, file_id, total in totals:
        mean, sd = stats[judge_id]
        per_file[file_id]["raw"].append(total)
        per_file[file_id]["z"].append((total - mean) / sd if sd > 0 else 0.0)
    return {
        file_id: {"raw": fmean(v["raw"]), "normalised": fmean(v["z"]), "count": len(v["raw"])}
        for file_id, v in per_file.items()
    }


@dataclass
class RankedFile:
    file: NominationFile
    raw: float | None
    normalised: float | None
    count: int
    too_few: bool
    tie: bool = False
    rank: int | None = None
    shortlisted: JudgingDecision | None = None
    winner: JudgingDecision | None = None
    before_change: int = 0  # submitted scores given before the file last changed (still counted)
    set_aside: int = 0  # submitted scores left out because the judge declared a conflict afterwards

    @property
    def is_shortlisted(self) -> bool:
        return bool(self.shortlisted and self.shortlisted.chosen)

    @property
    def is_winner(self) -> bool:
        return bool(self.winner and self.winner.chosen)


@dataclass
class CategoryRanking:
    category: AwardCategory | None
    files: list[RankedFile] = field(default_factory=list)


def latest_decisions(panel_id: int) -> dict[tuple[int, DecisionKind], JudgingDecision]:
    """The current decision of each kind for every file of the panel, in one query."""
    rows = db.session.execute(
        select(JudgingDecision).where(JudgingDecision.panel_id == panel_id).order_by(JudgingDecision.at, JudgingDecision.id)
    ).scalars()
    current = {}
    for d in rows:
        current[(d.file_id, d.kind)] = d  # later rows replace earlier ones
    return current


def ranking(panel: Panel) -> list[CategoryRanking]:
    criteria = panel.criteria  # one query
    weights = {c.id: c.weight for c in criteria}
    files = db.session.execute(
        select(NominationFile)
        .options(joinedload(NominationFile.young_person), joinedload(NominationFile.category))
        .where(NominationFile.event_id == panel.event_id, NominationFile.status == FileStatus.ACCEPTED)
    ).scalars().all()
    rows = db.session.execute(
        select(Assignment.judge_id, Assignment.file_id, Score.criterion_id, Score.value)
        .join(Score, Score.assignment_id == Assignment.id)
        .where(Assignment.panel_id == panel.id, Assignment.submitted_at.is_not(None), Assignment.conflict == ConflictType.NONE)
    ).all()
    totals: dict[tuple[int, int], float] = defaultdict(float)
    for judge_id, file_id, criterion_id, value in rows:
        totals[(judge_id, file_id)] += value * weights.get(criterion_id, 0)
    figures = normalise([(j, f, t) for (j, f), t in totals.items()])
    decisions = latest_decisions(panel.id)
    judges = {j.id: j for j in panel.judges}
    changes = file_changes([f.id for f in files])
    before_change: dict[int, int] = defaultdict(int)
    set_aside: dict[int, int] = defaultdict(int)
    for judge_id, file_id, conflict, saved_at, submitted_at in db.session.execute(
        select(Assignment.judge_id, Assignment.file_id, Assignment.conflict, Assignment.saved_at, Assignment.submitted_at)
        .where(Assignment.panel_id == panel.id, Assignment.submitted_at.is_not(None))
    ).all():
        if conflict is not None and conflict != ConflictType.NONE:
            set_aside[file_id] += 1
            continue
        change = changes.get(file_id)
        at = change.for_judge(judges[judge_id]) if change else None
        if at is not None and at > max(t for t in (saved_at, submitted_at) if t is not None):
            before_change[file_id] += 1
    by_category: dict[int | None, CategoryRanking] = {}
    order = {c.id: (c.position, c.id) for c in panel.event.categories}
    for file in files:
        fig = figures.get(file.id)
        item = RankedFile(
            file=file,
            raw=fig["raw"] if fig else None,
            normalised=fig["normalised"] if fig else None,
            count=fig["count"] if fig else 0,
            too_few=(fig["count"] if fig else 0) < panel.min_scores,
            shortlisted=decisions.get((file.id, DecisionKind.SHORTLIST)),
            winner=decisions.get((file.id, DecisionKind.WINNER)),
            before_change=before_change[file.id],
            set_aside=set_aside[file.id],
        )
        by_category.setdefault(file.category_id, CategoryRanking(category=file.category)).files.append(item)
    result = sorted(by_category.values(), key=lambda c: order.get(c.category.id if c.category else None, (999, 0)))
    for group in result:
        group.files.sort(key=lambda r: (r.normalised is None, -(r.normalised or 0), -(r.raw or 0), r.file.young_person.first_name))
        rounded: defaultdict[float, int] = defaultdict(int)
        for r in group.files:
            if r.normalised is not None:
                rounded[round(r.normalised, 2)] += 1
        rank = 0
        for r in group.files:
            if r.normalised is not None:
                rank += 1
                r.rank = rank
                r.tie = rounded[round(r.normalised, 2)] > 1
    return result


def judge_assignments(user) -> list[Assignment]:
    """A judge's files on every panel, oldest panel first, with what the home page shows. A young
    or blind judge's files still waiting for a panel version are left out (see `ready_file_ids`)."""
    rows = list(
        db.session.execute(
            select(Assignment)
            .join(PanelJudge, Assignment.judge_id == PanelJudge.id)
            .join(NominationFile, Assignment.file_id == NominationFile.id)
            .options(
                joinedload(Assignment.file).joinedload(NominationFile.young_person),
                joinedload(Assignment.file).joinedload(NominationFile.category),
                joinedload(Assignment.panel).joinedload(Panel.event),
                joinedload(Assignment.judge),
            )
            .where(PanelJudge.user_id == user.id, NominationFile.status == FileStatus.ACCEPTED)
            .order_by(Assignment.panel_id, Assignment.id)
        ).scalars()
    )
    ready = ready_file_ids([a.file_id for a in rows if a.judge.sees_redacted])
    return [a for a in rows if a.judge.may_read(a.file_id in ready)]


def progress(panel: Panel) -> dict[int, dict]:
    """Per judge: files given, submitted, conflicts, still to do, and (for young and blind
    judges) files given but hidden until they have a panel version. Two queries."""
    rows = db.session.execute(
        select(Assignment.judge_id, Assignment.file_id, Assignment.conflict, Assignment.submitted_at)
        .join(NominationFile, Assignment.file_id == NominationFile.id)
        .where(Assignment.panel_id == panel.id, NominationFile.status == FileStatus.ACCEPTED)
    ).all()
    judges = {j.id: j for j in panel.judges}
    redacted = {j.id for j in panel.judges if j.sees_redacted}
    ready = ready_file_ids([file_id for judge_id, file_id, _c, _s in rows if judge_id in redacted])
    changes = file_changes([file_id for _j, file_id, _c, submitted in rows if submitted is not None])
    out: defaultdict[int, dict[str, int]] = defaultdict(lambda: {"total": 0, "submitted": 0, "conflicts": 0, "to_do": 0, "waiting": 0})
    for judge_id, file_id, conflict, submitted in rows:
        p = out[judge_id]
        p["total"] += 1
        change = changes[file_id].for_judge(judges[judge_id]) if submitted is not None else None
        if conflict is not None and conflict != ConflictType.NONE:
            p["conflicts"] += 1
        elif submitted is not None and not (change is not None and change > submitted):  # a file changed since: to do again
            p["submitted"] += 1
        elif judge_id in redacted and file_id not in ready:
            p["waiting"] += 1
        else:
            p["to_do"] += 1
    return out


def conflicts(panel: Panel) -> list[Assignment]:
    return list(
        db.session.execute(
            select(Assignment)
            .options(joinedload(Assignment.file).joinedload(NominationFile.young_person), joinedload(Assignment.judge).joinedload(PanelJudge.user),
                     joinedload(Assignment.conflict_recorded_by))
            .where(Assignment.panel_id == panel.id, Assignment.conflict.is_not(None), Assignment.conflict != ConflictType.NONE)
            .order_by(Assignment.conflict_declared_at.desc())
        ).scalars()
    )


def file_assignments(file: NominationFile) -> list[Assignment]:
    return list(
        db.session.execute(
            select(Assignment)
            .options(selectinload(Assignment.scores), joinedload(Assignment.judge).joinedload(PanelJudge.user))
            .where(Assignment.file_id == file.id)
            .order_by(Assignment.id)
        ).scalars()
    )


def panel_texts(file: NominationFile) -> dict[int, str]:
    """The panel version of each of the file's live nominations that has one (blank ones count
    as none)."""
    ids = [n.id for n in file.live_nominations]
    if not ids:
        return {}
    rows = db.session.execute(select(PanelText.nomination_id, PanelText.text).where(PanelText.nomination_id.in_(ids))).all()
    return {nid: text for nid, text in rows if text and text.strip()}


def ready_file_ids(file_ids) -> set[int]:
    """Of these files, the ones young and blind judges may read: every live nomination in the
    file has a panel version that is not blank. A file with no live nomination is never ready.
    Worked out on every request, so a new nomination or a panel version emptied later hides the
    file again at once. One query."""
    ids = set(file_ids)
    if not ids:
        return set()
    written = func.count(PanelText.id)
    rows = db.session.execute(
        select(Nomination.file_id, func.count(Nomination.id), written)
        .outerjoin(PanelText, (PanelText.nomination_id == Nomination.id) & (func.trim(PanelText.text) != ""))
        .where(Nomination.file_id.in_(sorted(ids)), Nomination.status == NominationStatus.SENT)
        .group_by(Nomination.file_id)
    ).all()
    return {file_id for file_id, live, done in rows if live and live == done}


def panel_text_ready(file: NominationFile) -> bool:
    return file.id in ready_file_ids([file.id])


@dataclass
class PanelVersionRow:
    file: NominationFile
    nominations: list[tuple[Nomination, bool]]  # each live nomination, and whether it has a panel version

    @property
    def ready(self) -> bool:
        return bool(self.nominations) and all(done for _n, done in self.nominations)


def panel_versions(panel: Panel) -> list[PanelVersionRow]:
    """Every file accepted for judging with which of its nominations have a panel version,
    files still waiting first. Three queries."""
    files = db.session.execute(
        select(NominationFile)
        .options(joinedload(NominationFile.young_person), joinedload(NominationFile.category),
                 selectinload(NominationFile.nominations).joinedload(Nomination.nominator))
        .where(NominationFile.event_id == panel.event_id, NominationFile.status == FileStatus.ACCEPTED)
        .order_by(NominationFile.id)
    ).unique().scalars().all()
    ids = [n.id for f in files for n in f.live_nominations]
    written = set()
    if ids:
        written = set(db.session.execute(
            select(PanelText.nomination_id).where(PanelText.nomination_id.in_(ids), func.trim(PanelText.text) != "")
        ).scalars())
    rows = [PanelVersionRow(file=f, nominations=[(n, n.id in written) for n in f.live_nominations]) for f in files]
    return sorted(rows, key=lambda r: r.ready)  # stable: waiting files first, each group in file order


def files_waiting_for_panel_text(panel: Panel) -> list[NominationFile]:
    return [r.file for r in panel_versions(panel) if not r.ready]


def _two_places(figure: float | None) -> Decimal | str:
    """A figure as the ranking page shows it (two decimal places), kept a number for the export."""
    return Decimal(f"{figure:.2f}") if figure is not None else ""


def export_rows(panel: Panel):
    """Rows for the ranking export: the figures, never a winner unless the viewer is an organiser
    (only organisers can reach the export)."""
    header = ["Award", "Rank", "Young person", "Raw weighted mean", "Normalised score", "Submitted scores", "Too few scores", "Tie",
              "Shortlisted", "Winner"]
    yield header
    for group in ranking(panel):
        for r in group.files:
            person = r.file.young_person
            yield [
                group.category.name if group.category else "No award",
                r.rank or "",
                person.full_name,
                _two_places(r.raw),
                _two_places(r.normalised),
                r.count,
                "Yes" if r.too_few else "No",
                "Yes" if r.tie else "No",
                "Yes" if r.is_shortlisted else "No",
                "Yes" if r.is_winner else "No",
            ]


# --- the organiser's to-do (cpevents/home/todo.py) ---------------------------------------------------


def judges_behind_by_event(event_id: int | None = None) -> dict[int, int]:
    """Per event whose shortlist is not released yet: how many judges still have files to declare
    or score (the judges "Email a reminder" would write to: a young or blind judge's file counts
    only once it has its panel version). One query."""
    from sqlalchemy import and_, exists, not_, or_

    live = and_(Nomination.file_id == Assignment.file_id, Nomination.status == NominationStatus.SENT)
    unwritten = (
        select(Nomination.id)
        .outerjoin(PanelText, and_(PanelText.nomination_id == Nomination.id, func.trim(PanelText.text) != ""))
        .where(live, PanelText.id.is_(None))
    )
    ready = and_(exists().where(live), not_(unwritten.exists()))
    stmt = (
        select(Panel.event_id, func.count(func.distinct(Assignment.judge_id)))
        .join(Assignment, Assignment.panel_id == Panel.id)
        .join(PanelJudge, Assignment.judge_id == PanelJudge.id)
        .join(NominationFile, Assignment.file_id == NominationFile.id)
        .where(
            Panel.shortlist_released_at.is_(None),
            NominationFile.status == FileStatus.ACCEPTED,
            Assignment.submitted_at.is_(None),
            or_(Assignment.conflict.is_(None), Assignment.conflict == ConflictType.NONE),
            or_(and_(PanelJudge.young_judge.is_(False), PanelJudge.blind.is_(False)), ready),
        )
        .group_by(Panel.event_id)
    )
    if event_id is not None:
        stmt = stmt.where(Panel.event_id == event_id)
    return dict(db.session.execute(stmt).tuples().all())


# --- files that changed after judges scored them ------------------------------------------------------

# What changes a file for every judge: a nomination joined or left it (moved out, or withdrawn by
# its nominator), or two records were merged.
CONTENT_CHANGES = (DecisionAction.MATCHED, DecisionAction.NOMINATION_MOVED_OUT, DecisionAction.REOPENED)


@dataclass(frozen=True)
class FileChange:
    """When a file last changed: what every judge reads (`content_at`), and the organisers' panel
    version that only young and blind judges read (`panel_at`)."""

    content_at: datetime | None = None
    panel_at: datetime | None = None

    def for_judge(self, judge: PanelJudge) -> datetime | None:
        times = [t for t in (self.content_at, self.panel_at if judge.sees_redacted else None) if t is not None]
        return max(times) if times else None


def file_changes(file_ids) -> dict[int, FileChange]:
    """When each of these files last changed. Three queries, however many files."""
    ids = sorted(set(file_ids))
    if not ids:
        return {}
    content = dict(db.session.execute(
        select(FileDecision.file_id, func.max(FileDecision.at))
        .where(FileDecision.file_id.in_(ids), FileDecision.action.in_(CONTENT_CHANGES)).group_by(FileDecision.file_id)
    ).tuples().all())
    withdrawn = db.session.execute(  # a nomination withdrawn from the file by its nominator
        select(Nomination.file_id, func.max(Nomination.withdrawn_at))
        .where(Nomination.file_id.in_(ids), Nomination.status == NominationStatus.WITHDRAWN, Nomination.withdrawn_at.is_not(None))
        .group_by(Nomination.file_id)
    ).all()
    for file_id, at in withdrawn:
        content[file_id] = max(at, content[file_id]) if content.get(file_id) else at
    panel = dict(db.session.execute(
        select(Nomination.file_id, func.max(PanelText.updated_at)).join(PanelText, PanelText.nomination_id == Nomination.id)
        .where(Nomination.file_id.in_(ids), Nomination.status == NominationStatus.SENT).group_by(Nomination.file_id)
    ).tuples().all())
    return {i: FileChange(content.get(i), panel.get(i)) for i in ids}


def changed_after_scoring(assignment: Assignment, change: FileChange | None) -> datetime | None:
    """When the file changed, if that was after this judge last saved or submitted scores for it
    (their scores predate the change and they may revise them); otherwise None."""
    if change is None or assignment.conflicted or assignment.saved_at is None:
        return None
    at = change.for_judge(assignment.judge)
    last = max(t for t in (assignment.saved_at, assignment.submitted_at) if t is not None)
    return at if at is not None and at > last else None


def assignment_change(assignment: Assignment) -> datetime | None:
    return changed_after_scoring(assignment, file_changes([assignment.file_id]).get(assignment.file_id))


# --- releasing the shortlist --------------------------------------------------------------------------


@dataclass
class ReleaseCheck:
    """What stands in the way of releasing the shortlist results, and what releasing will do."""

    event: Event
    nominations_open: bool
    to_review: list[NominationFile]  # neither accepted for judging nor turned down
    unscored: list[NominationFile]  # accepted, with no submitted score that counts
    undecided: list[NominationFile]  # accepted and scored, with no shortlist decision (they count as not shortlisted)
    accepted: list[NominationFile]
    shortlisted: int
    emails: int
    nominators: int

    @property
    def blocked(self) -> bool:
        return self.nominations_open or bool(self.to_review) or bool(self.unscored) or not self.accepted

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.nominations_open:
            out.append("Nominations are still open. Close the nomination window first.")
        if not self.accepted:
            out.append("No file has been accepted for judging yet.")
        if self.to_review:
            n = len(self.to_review)
            out.append(f"{n} file{' is' if n == 1 else 's are'} still waiting for review: accept or turn down each one first.")
        if self.unscored:
            n = len(self.unscored)
            out.append(f"{n} file{' has' if n == 1 else 's have'} no submitted scores yet.")
        return out


def release_check(panel: Panel) -> ReleaseCheck:
    """A constant number of queries, however many files."""
    event = panel.event
    files = db.session.execute(
        select(NominationFile)
        .options(joinedload(NominationFile.young_person), joinedload(NominationFile.category),
                 selectinload(NominationFile.nominations))
        .where(NominationFile.event_id == panel.event_id, NominationFile.status.in_([FileStatus.TO_REVIEW, FileStatus.ACCEPTED]))
        .order_by(NominationFile.id)
    ).unique().scalars().all()
    accepted = [f for f in files if f.status == FileStatus.ACCEPTED]
    scored = set(db.session.execute(
        select(Assignment.file_id).where(Assignment.panel_id == panel.id, Assignment.submitted_at.is_not(None),
                                         Assignment.conflict == ConflictType.NONE)
    ).scalars())
    decisions = latest_decisions(panel.id)
    shortlist = {f.id: decisions.get((f.id, DecisionKind.SHORTLIST)) for f in accepted}
    emails = [n.nominator_id for f in accepted for n in f.live_nominations]
    return ReleaseCheck(
        event=event,
        nominations_open=event.nominations_open(),
        to_review=[f for f in files if f.status == FileStatus.TO_REVIEW and f.live_nominations],
        unscored=[f for f in accepted if f.id not in scored],
        undecided=[f for f in accepted if f.id in scored and shortlist[f.id] is None],
        accepted=accepted,
        shortlisted=sum(1 for d in shortlist.values() if d is not None and d.chosen),
        emails=len(emails),
        nominators=len(set(emails)),
    )


# --- the judge's list -----------------------------------------------------------------------------


def file_reference(file: NominationFile) -> str:
    """A short reference that tells two files about young people with the same first name
    apart, without a surname: the start of the file's random public id."""
    return file.public_id.replace("-", "")[:6].upper()


@dataclass
class JudgeItem:
    assignment: Assignment
    changed_at: datetime | None  # the file changed after this judge scored it

    @property
    def to_do(self) -> bool:
        a = self.assignment
        return not a.conflicted and (a.submitted_at is None or self.changed_at is not None)

    @property
    def reference(self) -> str:
        return file_reference(self.assignment.file)

    @property
    def label(self) -> str:
        """First name, award and reference: never a surname, whoever the judge is."""
        file = self.assignment.file
        award = file.category.name if file.category else "no award chosen"
        return f"{file.young_person.first_or_preferred} ({award}, reference {self.reference})"


JUDGE_LIST_SHOW = (("to_do", "Still to do"), ("done", "Done"), ("all", "All"))


def judge_items(user) -> list[JudgeItem]:
    """Every file a judge may read, those still to do first (declare, score, submit, or look again
    after a change), each group in the order given. A constant number of queries."""
    rows = judge_assignments(user)
    changes = file_changes([a.file_id for a in rows])
    items = [JudgeItem(a, changed_after_scoring(a, changes.get(a.file_id))) for a in rows]
    return sorted(items, key=lambda i: not i.to_do)  # stable


def next_to_do(user, after: Assignment | None = None) -> JudgeItem | None:
    """The judge's next file still to do, other than `after`."""
    return next((i for i in judge_items(user) if i.to_do and (after is None or i.assignment.id != after.id)), None)
