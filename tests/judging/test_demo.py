"""`flask seed-demo` gives every demo role something to see in judging."""

from __future__ import annotations

from sqlalchemy import func, select

from cpevents.accounts.models import user_by_email
from cpevents.demo import seed_demo
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.judging.models import Assignment, ConflictType, DecisionKind, JudgingDecision, Panel
from cpevents.judging.queries import files_waiting_for_panel_text, judge_assignments, ranking


def test_demo_judging_has_a_panel_scores_a_conflict_and_a_shortlist_of_about_60(app):
    data = seed_demo()
    db.session.commit()
    assert data["shortlisted"] == 60
    # the demo PROUD Awards' panel (the past awards of the keepsake and winners page demos have their own)
    panel = db.session.execute(select(Panel).join(Event, Event.id == Panel.event_id).where(Event.name == "PROUD Awards (demo)")).scalar_one()
    assert len(panel.judges) == 4 and sum(j.young_judge for j in panel.judges) == 1
    rows = db.session.execute(select(Assignment).where(Assignment.panel_id == panel.id)).scalars().all()
    assert sum(a.submitted_at is not None for a in rows) > 0.8 * len(rows)
    assert sum(a.conflicted for a in rows) == 1 and any(a.conflict == ConflictType.WORKS_WITH for a in rows)
    shortlisted = db.session.execute(select(func.count()).select_from(JudgingDecision).where(JudgingDecision.kind == DecisionKind.SHORTLIST,
                                                                                            JudgingDecision.panel_id == panel.id)).scalar_one()
    assert shortlisted == 60
    mine = judge_assignments(user_by_email("judge@demo.example.org"))
    assert any(a.conflict is None for a in mine) and any(a.submitted_at for a in mine)
    # The young judge reads only files with a panel version, and the demo has some of each.
    young = judge_assignments(user_by_email("young.judge@demo.example.org"))
    assert any(a.conflict is None for a in young) and any(a.submitted_at for a in young)
    waiting = files_waiting_for_panel_text(panel)
    assert 0 < len(waiting) < 10
    assert not any(a.file_id in {f.id for f in waiting} for a in young)
    assert any(r.normalised is not None for g in ranking(panel) for r in g.files)
    again = seed_demo()  # idempotent
    db.session.commit()
    assert db.session.execute(select(func.count()).select_from(Assignment).where(Assignment.panel_id == panel.id)).scalar_one() == len(rows)
    assert again["judged_files"] == data["judged_files"]
