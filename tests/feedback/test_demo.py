"""The demo data: a closed summer celebration with answers, and a working feedback link."""

from __future__ import annotations

from sqlalchemy import func, select

from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.feedback.models import FeedbackAction, FeedbackResponse
from cpevents.feedback.queries import event_summary


def test_demo_feedback_is_made_once_and_prints_a_working_link(app, client):
    from cpevents.demo import seed_demo

    with app.test_request_context():
        first = seed_demo()
        db.session.commit()
        second = seed_demo()
        db.session.commit()
    event = db.session.execute(select(Event).where(Event.name == "Summer celebration (demo)")).scalar_one()
    assert event.is_closed and event.starts_at.month == 7
    assert db.session.execute(select(func.count(FeedbackResponse.id)).where(FeedbackResponse.event_id == event.id)).scalar_one() == 25
    summary = event_summary(event)
    assert summary.links_sent == 35 and all(not st.small for st in summary.statements)
    assert 40 < summary.statements[0].share < 95  # a realistic spread, not all top marks
    # Its feedback was acted on: one "You said, we did", sent, whatever the number of runs.
    actions = db.session.execute(select(FeedbackAction).where(FeedbackAction.event_id == event.id)).scalars().all()
    assert len(actions) == 1 and actions[0].is_sent and len(actions[0].points) == 4 and actions[0].emailed > 0
    assert first["feedback_link"] != second["feedback_link"]
    path = "/f/" + second["feedback_link"].rsplit("/f/", 1)[1]
    assert client.get(path).status_code == 302
    page = client.get("/feedback")
    assert page.status_code == 200 and "Summer celebration (demo)" in page.get_data(as_text=True)
    assert "You said, we did" in page.get_data(as_text=True) and "pizza van" in page.get_data(as_text=True)
