"""The demo data: a past PROUD Awards whose winners page is published, one winner hidden."""

from __future__ import annotations

from sqlalchemy import select

from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.public import winners
from cpevents.public.demo import EVENT


def test_demo_winners_page_is_published_with_one_winner_hidden(app, client):
    from cpevents.demo import seed_demo

    with app.test_request_context():
        first = seed_demo()
        db.session.commit()
        second = seed_demo()
        db.session.commit()
    assert first["winners_page"] == second["winners_page"]
    events = db.session.execute(select(Event).where(Event.name == EVENT)).scalars().all()
    assert len(events) == 1
    event = events[0]
    result = winners.sort_winners(event)
    assert len(result.shown) == 2 and any(w.own_words for w in result.shown)
    assert [r.reason for r in result.not_shown] == [winners.REASON_NO_CONSENT]
    response = client.get(first["winners_page"])
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for winner in result.shown:
        assert winner.name in body
    hidden = result.not_shown[0].file.young_person
    assert hidden.last_name not in body
    assert EVENT in client.get("/winners").get_data(as_text=True)
