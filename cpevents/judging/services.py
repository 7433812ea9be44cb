"""The verbs of judging. Services change state, queue email and write the audit trail; they
never commit (the view does, once)."""

from __future__ import annotations

import re
from collections import Counter

from blinker import Signal
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cpevents.accounts.models import User, normalise_email, user_by_email
from cpevents.accounts.services import invite_user
from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.core.urls import absolute_url
from cpevents.extensions import db
from cpevents.judging.models import (
    SCALE_MAX,
    SCALE_MIN,
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
from cpevents.judging.queries import (
    assignment_change,
    changed_after_scoring,
    file_changes,
    ready_file_ids,
)
from cpevents.mail.services import queue_email, start_batch
from cpevents.nominations.models import DecisionAction, FileDecision, FileStatus, NominationFile
from cpevents.nominations.review import file_accepted
from cpevents.nominations.services import nomination_withdrawn

# The usual PROUD Awards criteria, added to a new panel for organisers to change.
DEFAULT_CRITERIA = [
    ("Effort and determination", "1: little sign of effort so far. 3: kept going through some difficulties. 5: kept going through great difficulty, over a long time.", 2),
    ("Difference it made", "1: a small change for them. 3: a real change to their life. 5: a big change to their life or to other people's.", 2),
    ("Inspiring others", "1: few others would know about it. 3: it encourages people around them. 5: it would inspire many other young people.", 1),
]


# Sent (with the panel) once the shortlist is released, so higher packages can react: nominees
# tell the young people (issue 16). Connected in cpevents/wiring.py.
shortlist_released = Signal("judging-shortlist-released")

# What an organiser starts from when writing the words for young people not shortlisted.
DEFAULT_NOT_SHORTLISTED_MESSAGE = (
    "The panel read about many young people who have done brilliant things, and there were only a few places on the shortlist. "
    "You were not shortlisted this time, but being nominated means someone sees how well you are doing, and that does not change."
)


class JudgingError(Exception):
    """A rule stopped the change; the message is for the person who tried it."""


# --- panels, judges, criteria -----------------------------------------------------------------


def panel_for(event) -> Panel | None:
    return db.session.execute(select(Panel).where(Panel.event_id == event.id)).scalar_one_or_none()


def create_panel(event, *, min_scores: int = 2, by) -> Panel:
    if panel_for(event) is not None:
        raise JudgingError("This event already has a judging panel")
    panel = Panel(event_id=event.id, min_scores=min_scores)
    db.session.add(panel)
    for position, (name, description, weight) in enumerate(DEFAULT_CRITERIA):
        panel.criteria.append(Criterion(name=name, description=description, weight=weight, position=position))
    db.session.flush()
    return panel


def set_min_scores(panel: Panel, min_scores: int) -> None:
    panel.min_scores = min_scores


def add_criterion(panel: Panel, *, name: str, description: str, weight: int) -> Criterion:
    if _scores_exist(panel):
        raise JudgingError("Judges have started scoring, so the criteria can no longer change")
    criterion = Criterion(name=name.strip(), description=description.strip(), weight=weight, position=len(panel.criteria))
    panel.criteria.append(criterion)
    db.session.flush()
    return criterion


def update_criterion(criterion: Criterion, *, name: str, description: str, weight: int) -> None:
    if criterion.weight != weight and _scores_exist(criterion.panel):
        raise JudgingError("Judges have started scoring, so the weight can no longer change")
    criterion.name, criterion.description, criterion.weight = name.strip(), description.strip(), weight


def _scores_exist(panel: Panel) -> bool:
    return db.session.execute(
        select(Score.id).join(Assignment, Score.assignment_id == Assignment.id).where(Assignment.panel_id == panel.id).limit(1)
    ).first() is not None


def add_judge(panel: Panel, *, name: str, email: str, young_judge: bool, blind: bool, by) -> PanelJudge:
    """A person with no account is invited by email (the account gets the judge role); a person
    with an account gets the judge role added and an email saying they are on the panel."""
    user = user_by_email(normalise_email(email))
    if user is None:
        user = invite_user(name=name, email=email, roles={Role.JUDGE}, by=by)
    else:
        if not user.is_active:
            raise JudgingError("This person's account has been deactivated. Reactivate it from their page first.")
        if not user.is_approved:
            raise JudgingError("This person's account is waiting for approval. Check who they are and approve it on their page in People first.")
        if any(j.user_id == user.id for j in panel.judges):
            raise JudgingError("This person is already on the panel")
        if not user.has_role(Role.JUDGE):
            user.set_roles(user.roles | {Role.JUDGE})
        queue_email("judging/added", to=user.email, user=user, subject="You have been added to a judging panel",
                    name=user.name, event_name=panel.event.name, link=absolute_url("home.judge"))
    judge = PanelJudge(panel=panel, user_id=user.id, young_judge=young_judge, blind=blind)
    db.session.add(judge)
    db.session.flush()
    return judge


def set_judge_view(judge: PanelJudge, *, young_judge: bool, blind: bool) -> None:
    judge.young_judge, judge.blind = young_judge, blind


# --- assignment ---------------------------------------------------------------------------------


def judgeable_files(panel: Panel) -> list[NominationFile]:
    """Files accepted for judging (accepting needs the safety answers reviewed first)."""
    return list(
        db.session.execute(
            select(NominationFile)
            .options(joinedload(NominationFile.young_person))  # pages name each one (one query, not one per file)
            .where(NominationFile.event_id == panel.event_id, NominationFile.status == FileStatus.ACCEPTED)
            .order_by(NominationFile.id)
        ).scalars()
    )


def _assignments(panel: Panel) -> list[Assignment]:
    return list(db.session.execute(select(Assignment).where(Assignment.panel_id == panel.id)).scalars())


def _assign(panel: Panel, pairs, by) -> int:
    """Create the (file, judge) assignments that do not exist yet; email each judge once. A young
    or blind judge is never given a file still waiting for a panel version: giving out files
    again once it is written reaches them."""
    pairs = list(pairs)
    existing = {(a.file_id, a.judge_id) for a in _assignments(panel)}
    ready = ready_file_ids([file.id for file, judge in pairs if judge.sees_redacted])
    new: Counter[PanelJudge] = Counter()
    for file, judge in pairs:
        if (file.id, judge.id) in existing or not judge.may_read(file.id in ready):
            continue
        existing.add((file.id, judge.id))
        db.session.add(Assignment(panel_id=panel.id, file_id=file.id, judge_id=judge.id))
        record(by, AuditAction.UPDATED, file, young_person=file.young_person, detail="file given to a judge")
        new[judge] += 1
    for judge, count in new.items():
        _email_assigned(panel, judge, count)
    db.session.flush()
    return sum(new.values())


def _email_assigned(panel: Panel, judge: PanelJudge, count: int) -> None:
    queue_email("judging/assigned", to=judge.user.email, user=judge.user, subject="Nominations are ready for you to read",
                name=judge.user.name, event_name=panel.event.name, count=count, link=absolute_url("home.judge"))


def assign_all(panel: Panel, *, by) -> int:
    return _assign(panel, [(f, j) for f in judgeable_files(panel) for j in panel.judges], by)


def assign_category(panel: Panel, category, judges: list[PanelJudge], *, by) -> int:
    files = [f for f in judgeable_files(panel) if f.category_id == category.id]
    return _assign(panel, [(f, j) for f in files for j in judges], by)


def assign_spread(panel: Panel, per_file: int, *, by) -> int:
    """Each file gets at least `per_file` judges without a conflict, spreading the work evenly:
    each new assignment goes to the judge with the fewest files who does not have this one."""
    if not panel.judges:
        raise JudgingError("Add judges to the panel first")
    load = Counter({j.id: 0 for j in panel.judges})
    on_file: dict[int, set[int]] = {}
    covering: Counter[int] = Counter()
    for a in _assignments(panel):
        load[a.judge_id] += 1
        on_file.setdefault(a.file_id, set()).add(a.judge_id)
        if not a.conflicted:
            covering[a.file_id] += 1
    judges = {j.id: j for j in panel.judges}
    files = judgeable_files(panel)
    ready = ready_file_ids([f.id for f in files])
    pairs = []
    for file in files:
        taken = on_file.setdefault(file.id, set())
        while covering[file.id] < per_file:
            free = [jid for jid in judges if jid not in taken and judges[jid].may_read(file.id in ready)]
            if not free:
                break
            chosen = min(free, key=lambda jid: (load[jid], jid))
            pairs.append((file, judges[chosen]))
            taken.add(chosen)
            load[chosen] += 1
            covering[file.id] += 1
    return _assign(panel, pairs, by)


def _cover_after_conflict(assignment: Assignment, by) -> PanelJudge | None:
    """Give the file to the least-busy judge who does not have it yet, so it keeps its number
    of judges. None when every judge already has it (the ranking then flags too few scores)."""
    panel = assignment.panel
    rows = _assignments(panel)
    taken = {a.judge_id for a in rows if a.file_id == assignment.file_id}
    load = Counter({j.id: 0 for j in panel.judges})
    for a in rows:
        load[a.judge_id] += 1
    ready = assignment.file_id in ready_file_ids([assignment.file_id])
    free = [j for j in panel.judges if j.id not in taken and j.user.is_active and j.may_read(ready)]
    if not free:
        return None
    judge = min(free, key=lambda j: (load[j.id], j.id))
    _assign(panel, [(assignment.file, judge)], by)
    return judge


def remind_judges(panel: Panel, *, by) -> int:
    """Email every judge with files still to declare or score. Returns how many were emailed."""
    judges = {j.id: j for j in panel.judges}
    rows = _assignments(panel)
    ready = ready_file_ids([a.file_id for a in rows if judges[a.judge_id].sees_redacted])
    changes = file_changes([a.file_id for a in rows if a.submitted_at is not None])
    behind: Counter[int] = Counter()
    for a in rows:
        to_do = a.submitted_at is None or changed_after_scoring(a, changes.get(a.file_id)) is not None
        if (a.file.status == FileStatus.ACCEPTED and to_do and not a.conflicted
                and judges[a.judge_id].may_read(a.file_id in ready)):
            behind[a.judge_id] += 1
    batch = start_batch(f"Judging reminders: {panel.event.name}", by=by) if behind else None
    for judge_id, count in behind.items():
        judge = judges[judge_id]
        queue_email("judging/reminder", to=judge.user.email, user=judge.user, batch=batch, subject="A reminder about your judging",
                    name=judge.user.name, event_name=panel.event.name, count=count, link=absolute_url("home.judge"))
    return len(behind)


# --- conflicts and scores ----------------------------------------------------------------------------


def declare_conflict(assignment: Assignment, conflict: ConflictType, note: str, *, by) -> PanelJudge | None:
    """A judge answers "do you know them?". One who said no may still declare a conflict later,
    after starting or submitting scores: those scores are then set aside (kept, never counted in
    the ranking, which says how many) and the file goes to another judge where one is free."""
    if assignment.conflicted:
        raise JudgingError("You have already declared a conflict of interest for this nomination")
    if conflict == ConflictType.OTHER and not note.strip():
        raise JudgingError("Say what the conflict is")
    if assignment.conflict == ConflictType.NONE and conflict == ConflictType.NONE:
        return None  # nothing changes
    after_scoring = assignment.saved_at is not None
    assignment.conflict = conflict
    assignment.conflict_note = note.strip() if conflict != ConflictType.NONE else ""
    assignment.conflict_declared_at = utcnow()
    assignment.conflict_recorded_by_id = by.id
    detail = ("no conflict of interest declared" if conflict == ConflictType.NONE
              else "conflict of interest declared after scoring: scores set aside" if after_scoring else "conflict of interest declared")
    record(by, AuditAction.UPDATED, assignment, young_person=assignment.file.young_person, detail=detail)
    if conflict != ConflictType.NONE:
        return _cover_after_conflict(assignment, by)
    return None


def record_conflict(panel: Panel, file: NominationFile, judge: PanelJudge, conflict: ConflictType, note: str, *, by) -> PanelJudge | None:
    """An organiser records a conflict they know about. Any scores the judge gave are left out."""
    if conflict == ConflictType.NONE:
        raise JudgingError("Select the kind of conflict")
    assignment = db.session.execute(select(Assignment).where(Assignment.file_id == file.id, Assignment.judge_id == judge.id)).scalar_one_or_none()
    if assignment is None:
        assignment = Assignment(panel_id=panel.id, file_id=file.id, judge_id=judge.id)
        db.session.add(assignment)
        db.session.flush()
    elif assignment.conflicted:
        raise JudgingError("A conflict is already recorded for this judge and young person")
    assignment.conflict = conflict
    assignment.conflict_note = note.strip()
    assignment.conflict_declared_at = utcnow()
    assignment.conflict_recorded_by_id = by.id
    record(by, AuditAction.UPDATED, assignment, young_person=file.young_person, detail="conflict of interest recorded by an organiser")
    return _cover_after_conflict(assignment, by)


def save_scores(assignment: Assignment, values: dict[int, int | None], comment: str, *, submit: bool, by) -> None:
    """Save (and, when `submit`, submit) a judge's scores. `values` maps criterion id to a
    score or None. Submitted scores cannot be changed, unless the file changed after they were
    submitted (`queries.changed_after_scoring`): then the judge may submit them again, changed
    or not."""
    revising = assignment.submitted_at is not None and assignment_change(assignment) is not None
    if assignment.submitted_at is not None and not revising:
        raise JudgingError("You have already submitted your scores for this nomination. They cannot be changed.")
    if revising and not submit:
        raise JudgingError("Submit your scores again, changed or not, so they count as given after the change")
    if assignment.conflict != ConflictType.NONE:
        raise JudgingError("Declare whether you have a conflict of interest first")
    criteria = {c.id: c for c in assignment.panel.criteria}
    for criterion_id, value in values.items():
        if criterion_id not in criteria or (value is not None and not SCALE_MIN <= value <= SCALE_MAX):
            raise JudgingError(f"Scores must be from {SCALE_MIN} to {SCALE_MAX}")
    if submit and any(values.get(cid) is None for cid in criteria):
        raise JudgingError("Give a score for every criterion before you submit")
    current = {s.criterion_id: s for s in assignment.scores}
    for criterion_id, value in values.items():
        if value is None:
            if criterion_id in current:
                assignment.scores.remove(current[criterion_id])
        elif criterion_id in current:
            current[criterion_id].value = value
        else:
            assignment.scores.append(Score(criterion_id=criterion_id, value=value))
    assignment.comment = comment.strip()
    assignment.saved_at = utcnow()
    if submit:
        assignment.submitted_at = utcnow()
        record(by, AuditAction.UPDATED, assignment, young_person=assignment.file.young_person,
               detail="scores submitted again after the file changed" if revising else "scores submitted")


# --- files that change after judges scored them -----------------------------------------------------


def tell_judges_file_changed(file: NominationFile, what: str, *, only_redacted: bool = False) -> int:
    """Email each judge whose scores for this file predate a change to it and who can read it now
    (neutral subject; no name in the email: their list marks the file). Returns how many were
    emailed."""
    rows = db.session.execute(select(Assignment).where(Assignment.file_id == file.id)).scalars().all()
    change = file_changes([file.id]).get(file.id)
    ready = file.id in ready_file_ids([file.id])
    told = 0
    for a in rows:
        if (only_redacted and not a.judge.sees_redacted) or changed_after_scoring(a, change) is None:
            continue
        if not a.judge.may_read(ready):
            continue  # hidden from a young or blind judge until its panel version is written: told then
        user = a.judge.user
        queue_email("judging/file_changed", to=user.email, user=user, subject="A change to a nomination you are judging",
                    name=user.name, event_name=file.event.name, what=what, submitted=a.submitted_at is not None,
                    link=absolute_url("home.judge"))
        told += 1
    return told


def _tell_judges_on_accept(file: NominationFile, by) -> None:
    """A file back in judging after a nomination joined or left it: tell its judges, once per
    change (not when it is accepted again with nothing new in it)."""
    accepted = db.session.execute(
        select(FileDecision.at).where(FileDecision.file_id == file.id, FileDecision.action == DecisionAction.ACCEPTED)
        .order_by(FileDecision.at.desc(), FileDecision.id.desc())
    ).scalars().all()
    content_at = file_changes([file.id])[file.id].content_at
    previous = accepted[1] if len(accepted) > 1 else None
    if content_at is not None and (previous is None or content_at > previous):
        tell_judges_file_changed(file, "a nomination was added to it or taken out of it")



def _tell_judges_on_withdrawal(nomination) -> None:
    """A nomination withdrawn from a file in judging: its judges' scores predate the change."""
    if nomination.file is not None and nomination.file.status == FileStatus.ACCEPTED:
        tell_judges_file_changed(nomination.file, "a nomination was taken out of it")


def connect_signals() -> None:
    """Called once from cpevents/wiring.py when the app is built."""
    file_accepted.connect(_tell_judges_on_accept, weak=False)
    nomination_withdrawn.connect(_tell_judges_on_withdrawal, weak=False)


def _mentions(text: str, words: str) -> bool:
    words = words.strip()
    return bool(words) and re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text, flags=re.IGNORECASE) is not None


def panel_text_problems(nomination, text: str) -> list[str]:
    """What an organiser's panel version must not hold, in their words: the young person's
    surname or district (as on their record and as the nominator typed it), or the nominator's
    name. Schools, streets and carers cannot be found this way, so the organiser also confirms
    they took everything out; nothing here is relied on to strip text."""
    person = nomination.file.young_person if nomination.file else None
    problems = []
    surnames = {nomination.last_name} | ({person.last_name} if person else set())
    for surname in sorted(s for s in surnames if _mentions(text, s)):
        problems.append(f"The panel version still has their surname ({surname.strip()}). Take it out.")
    districts = {nomination.district} | ({person.district or ""} if person else set())
    for district in sorted(d for d in districts if _mentions(text, d)):
        problems.append(f"The panel version still names their district ({district.strip()}). Take it out, with any other town, street or address.")
    if nomination.nominator and _mentions(text, nomination.nominator.name):
        problems.append(f"The panel version still has the nominator’s name ({nomination.nominator.name}). Take it out.")
    return problems


def set_panel_text(nomination, text: str, *, by) -> PanelText:
    """Young and blind judges read this instead of the nominator's words. Refused while it still
    holds the surname, district or nominator's name (`panel_text_problems`)."""
    text = text.strip()
    if not text:
        raise JudgingError("Enter the text the panel will read")
    problems = panel_text_problems(nomination, text)
    if problems:
        raise JudgingError(" ".join(problems))
    row = db.session.execute(select(PanelText).where(PanelText.nomination_id == nomination.id)).scalar_one_or_none()
    if row is None:
        row = PanelText(nomination_id=nomination.id)
        db.session.add(row)
    if (row.text or "").strip() != text:  # saving the same words again is not a change judges hear about
        row.text, row.updated_by_id, row.updated_at = text, by.id, utcnow()
        if nomination.file is not None and nomination.file.status == FileStatus.ACCEPTED:
            # Young and blind judges who scored before: told now if the file is ready for them
            # (a new nomination's first panel version makes it ready again after it joined).
            db.session.flush()
            tell_judges_file_changed(nomination.file, "the organisers changed the version of a nomination you read", only_redacted=True)
    record(by, AuditAction.UPDATED, nomination, young_person=nomination.file.young_person if nomination.file else None, detail="panel version of the nomination text")
    return row


# --- decisions and results -----------------------------------------------------------------------------


def latest_decision(file: NominationFile, kind: DecisionKind) -> JudgingDecision | None:
    return db.session.execute(
        select(JudgingDecision).where(JudgingDecision.file_id == file.id, JudgingDecision.kind == kind)
        .order_by(JudgingDecision.at.desc(), JudgingDecision.id.desc()).limit(1)
    ).scalar_one_or_none()


def decide(panel: Panel, file: NominationFile, kind: DecisionKind, chosen: bool, reason: str, *, by) -> JudgingDecision:
    """Record a shortlist or winner decision. Earlier decisions are kept; the latest counts."""
    if not reason.strip():
        raise JudgingError("Enter the reason for this decision")
    if file.event_id != panel.event_id or file.status != FileStatus.ACCEPTED:
        raise JudgingError("Only files accepted for judging can be shortlisted")
    shortlisted = latest_decision(file, DecisionKind.SHORTLIST)
    winner = latest_decision(file, DecisionKind.WINNER)
    if kind == DecisionKind.WINNER and chosen and not (shortlisted and shortlisted.chosen):
        raise JudgingError("Shortlist this young person before choosing them as a winner")
    if kind == DecisionKind.SHORTLIST and not chosen and winner and winner.chosen:
        raise JudgingError("This young person is a winner. Change the winner decision first.")
    if kind == DecisionKind.SHORTLIST and panel.shortlist_released_at is not None:
        raise JudgingError("The shortlist has been released to nominators, so it can no longer change")
    if kind == DecisionKind.WINNER and panel.results_published_at is not None:
        raise JudgingError("The results have been published, so the winners can no longer change")
    decision = JudgingDecision(panel_id=panel.id, file_id=file.id, kind=kind, chosen=chosen, reason=reason.strip(), by_id=by.id, at=utcnow())
    db.session.add(decision)
    record(by, AuditAction.UPDATED, file, young_person=file.young_person, detail=f"{kind.value} decision: {'yes' if chosen else 'no'}")
    db.session.flush()
    return decision


def release_shortlist(panel: Panel, *, by, message: str | None = None) -> int:
    """Tell every nominator of an accepted file whether it was shortlisted. Winners stay secret.
    `message`: the plain words young people not shortlisted read (kept on the panel; the panel's
    own, or the default, when not given). Returns the number of emails queued to nominators; the
    young people are told by the receivers of `shortlist_released`."""
    if panel.shortlist_released_at is not None:
        raise JudgingError("The shortlist results have already been released")
    words = (panel.not_shortlisted_message or DEFAULT_NOT_SHORTLISTED_MESSAGE) if message is None else message
    if not words.strip():
        raise JudgingError("Write what young people who were not shortlisted will read")
    panel.not_shortlisted_message = words.strip()
    from cpevents.judging.queries import latest_decisions, release_check

    check = release_check(panel)
    if check.blocked:
        raise JudgingError(" ".join(check.reasons))

    decisions = latest_decisions(panel.id)
    batch = start_batch(f"Shortlist results: {panel.event.name}", by=by)
    sent = 0
    for file in judgeable_files(panel):
        shortlist = decisions.get((file.id, DecisionKind.SHORTLIST))
        record(by, AuditAction.UPDATED, file, young_person=file.young_person, detail="shortlist result sent to the nominators")
        for nomination in file.live_nominations:
            queue_email(
                "judging/shortlist_result", to=nomination.nominator.email, user=nomination.nominator, batch=batch,
                subject="Update on your PROUD Awards nomination", name=nomination.nominator.name,
                first_name=nomination.first_name, event_name=panel.event.name, shortlisted=bool(shortlist and shortlist.chosen),
                link=absolute_url("home.nominator"),
            )
            sent += 1
    panel.shortlist_released_at = utcnow()
    db.session.flush()
    shortlist_released.send(panel)
    return sent


def publish_results(panel: Panel, *, by) -> None:
    if panel.results_published_at is not None:
        raise JudgingError("The results have already been published")
    if panel.shortlist_released_at is None:
        raise JudgingError("Release the shortlist results first")
    if utcnow() < panel.event.starts_at:
        raise JudgingError("Winners are secret until the awards evening. You can publish the results once it has started.")
    panel.results_published_at = utcnow()


def user_is_panel_judge(user: User, panel: Panel) -> bool:
    return any(j.user_id == user.id for j in panel.judges)
