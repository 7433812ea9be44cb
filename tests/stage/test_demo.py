"""The demo "Celebration tea (demo)" has a running order: three awards, shortlisted young people
coming, a winner per award chosen but not published, and the young person with a contact restriction marked."""

from __future__ import annotations

from sqlalchemy import func, select

from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.judging.models import JudgingDecision, Panel
from cpevents.stage.queries import running_order


def test_demo_tea_has_a_running_order_with_secret_winners(app):
    from cpevents.demo import seed_demo

    with app.test_request_context():
        first = seed_demo()
        db.session.commit()
        decisions = db.session.execute(select(func.count(JudgingDecision.id))).scalar_one()
        second = seed_demo()
        db.session.commit()
        assert db.session.execute(select(func.count(JudgingDecision.id))).scalar_one() == decisions  # idempotent
        assert first["stage_event"] == second["stage_event"]
        event = db.session.execute(select(Event).where(Event.name == "Celebration tea (demo)")).scalar_one()
        panel = db.session.execute(select(Panel).where(Panel.event_id == event.id)).scalar_one()
        assert panel.shortlist_released_at is not None and panel.results_published_at is None
        slots = running_order(event, with_winners=True)
        assert len(slots) == 3
        assert all(slot.nominees and len(slot.winners) == 1 for slot in slots)
        assert any(n.contact_restriction and not n.photos for slot in slots for n in slot.nominees)  # the door demo's restricted one
        assert not any(n.winner for slot in running_order(event, with_winners=False) for n in slot.nominees)
