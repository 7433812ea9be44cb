"""Demo judging for `flask seed-demo`: the demo PROUD Awards accepts most of its files, and a
panel of four judges (one young judge) has scored most of them, one conflict declared, and
a shortlist of about 60 young people. Most files have a panel version for young judges; a few
are left waiting, and the young judge is not given those. No email is sent for demo data."""

from __future__ import annotations

import random

from sqlalchemy import select

from cpevents.accounts.models import User, existing_user, user_by_email
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.judging.models import (
    Assignment,
    ConflictType,
    DecisionKind,
    JudgingDecision,
    PanelJudge,
    PanelText,
    Score,
)
from cpevents.judging.services import create_panel, judgeable_files, panel_for

EXTRA_JUDGES = [("judge2@demo.example.org", "Priya Panel"), ("judge3@demo.example.org", "Marcus Member")]
# How generous each demo judge is (added to every score), so the ranking's normalisation shows.
LEANINGS = {0: 0.6, 1: 0.0, 2: -0.8, 3: 0.3}
SHORTLIST_SIZE = 60
YOUNG_JUDGE = 1  # young.judge@demo.example.org, second in the panel's judges below


def _judge_account(email: str, name: str) -> User:
    user = user_by_email(email)
    if user is None:
        user = User(email=email, name=name, organisation="Corporate Parenting Board", job_title="Panel member (demo)", is_demo=True, email_verified_at=utcnow(), approved_at=utcnow())
        user.set_roles({Role.JUDGE})
        db.session.add(user)
        db.session.flush()
    return user


def _accept_files(event, organiser) -> None:
    """Accept most files, leaving the two with safety answers and every ninth file to review."""
    from cpevents.nominations.models import FileStatus, NominationFile
    from cpevents.nominations.review import accept_file

    files = db.session.execute(select(NominationFile).where(NominationFile.event_id == event.id).order_by(NominationFile.id)).scalars().all()
    for i, file in enumerate(files):
        if file.status != FileStatus.TO_REVIEW or file.flagged or i % 9 == 4 or file.category_id is None:
            continue
        accept_file(file, reason="Checked against the rules (demo)", by=organiser)
    db.session.flush()


def seed_judging(organiser: User) -> dict:
    from cpevents.events.models import Event
    from cpevents.judging.queries import ranking

    event = db.session.execute(select(Event).where(Event.name == "PROUD Awards (demo)")).scalar_one_or_none()
    if event is None:
        return {"judged_files": 0}
    panel = panel_for(event)
    if panel is not None:
        return {"judged_files": len(judgeable_files(panel))}
    _accept_files(event, organiser)
    panel = create_panel(event, min_scores=2, by=organiser)
    users = [existing_user("judge@demo.example.org"), existing_user("young.judge@demo.example.org")]
    users += [_judge_account(email, name) for email, name in EXTRA_JUDGES]
    judges = [PanelJudge(panel=panel, user_id=u.id, young_judge=u.email.startswith("young.")) for u in users]
    db.session.add_all(judges)
    db.session.flush()

    rng = random.Random(6)  # noqa: S311 - repeatable demo data, not a secret
    files = judgeable_files(panel)
    now = utcnow()
    load = [0] * len(judges)
    conflict_done = False
    for f_index, file in enumerate(files):
        quality = rng.uniform(1.5, 4.5)  # how strong the nomination reads
        # Every fifteenth file waits for its panel version, so organisers see the list to work
        # through. The demo texts name nobody but the first name, so the panel version keeps
        # their words. A young judge is never given a file still waiting (as the services do).
        ready = f_index % 15 != 14
        if ready:
            for n in file.live_nominations:
                db.session.add(PanelText(nomination_id=n.id, text=n.achievement, updated_by_id=organiser.id, updated_at=now))
        order = sorted(range(len(judges)), key=lambda j: (load[j], rng.random()))
        chosen = [j for j in order if ready or j != YOUNG_JUDGE][:3]
        for j in chosen:
            load[j] += 1
            a = Assignment(panel_id=panel.id, file_id=file.id, judge_id=judges[j].id)
            db.session.add(a)
            # The demo judge and young judge keep a few files to do, so their pages have work on them.
            if j in (0, YOUNG_JUDGE) and f_index % 12 == 0:
                continue
            a.conflict, a.conflict_declared_at, a.conflict_recorded_by_id = ConflictType.NONE, now, users[j].id
            if not conflict_done and j == 2:
                a.conflict, a.conflict_note = ConflictType.WORKS_WITH, "I supervised their college placement last year (demo)"
                conflict_done = True
                # As the service does, the file goes to the judge who does not have it yet.
                spare = next(k for k in range(len(judges)) if k not in chosen and (ready or k != YOUNG_JUDGE))
                cover = Assignment(panel_id=panel.id, file_id=file.id, judge_id=judges[spare].id, conflict=ConflictType.NONE,
                                   conflict_declared_at=now, conflict_recorded_by_id=users[spare].id, saved_at=now, submitted_at=now)
                cover.scores = [Score(criterion_id=c.id, value=max(1, min(5, round(quality + LEANINGS[spare])))) for c in panel.criteria]
                db.session.add(cover)
                load[spare] += 1
                continue
            for c in panel.criteria:
                value = round(quality + LEANINGS[j] + rng.uniform(-0.8, 0.8))
                a.scores.append(Score(criterion_id=c.id, value=max(1, min(5, value))))
            a.saved_at = now
            if j in (0, YOUNG_JUDGE) and f_index % 12 == 6:
                continue  # saved, not submitted yet
            a.submitted_at = now
            a.comment = rng.choice(["", "", "A lovely nomination.", "Real determination shown here.", "Would be great on the night."])
    db.session.flush()

    shortlisted = 0
    groups = ranking(panel)
    ranked = sorted((r for g in groups for r in g.files if r.normalised is not None), key=lambda r: -(r.normalised or 0))
    per_category: dict[int | None, int] = {}
    for r in ranked:
        if shortlisted >= SHORTLIST_SIZE:
            break
        key = r.file.category_id
        per_category[key] = per_category.get(key, 0) + 1
        db.session.add(JudgingDecision(panel_id=panel.id, file_id=r.file.id, kind=DecisionKind.SHORTLIST, chosen=True,
                                       reason="High in the ranking; panel agreed (demo)", by_id=organiser.id, at=now))
        shortlisted += 1
    db.session.flush()
    return {"judged_files": len(files), "shortlisted": shortlisted}
