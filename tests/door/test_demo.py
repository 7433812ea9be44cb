"""The demo data: a celebration tea today, with the demo door helper given it, so the door list works at once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cpevents.accounts.models import user_by_email
from cpevents.door.models import can_check_in
from cpevents.door.queries import counts, door_list, registered_list
from cpevents.events.models import Event
from cpevents.extensions import db
from tests.factories import sign_in


def test_demo_tea_is_today_with_markers_and_the_door_helper(app, client):
    from cpevents.demo import seed_demo

    with app.test_request_context():
        first = seed_demo()
        db.session.commit()
        event = db.session.execute(select(Event).where(Event.name == "Celebration tea (demo)")).scalar_one()
        # A day later the tea moves to the new today and yesterday's check-ins are cleared.
        from cpevents.door.services import check_in
        from cpevents.invitations.models import Invitation

        invitation = db.session.execute(select(Invitation).where(Invitation.event_id == event.id)).scalars().first()
        check_in(invitation, by=user_by_email("door@demo.example.org"))
        event.starts_at -= timedelta(days=1)
        db.session.commit()
        second = seed_demo()
        db.session.commit()
    assert first["door_event"] == second["door_event"]
    event = db.session.execute(select(Event).where(Event.name == "Celebration tea (demo)")).scalar_one()
    door = user_by_email("door@demo.example.org")
    assert can_check_in(door, event)
    rows = door_list(event)
    assert len(rows) == 8
    markers = {m.text for row in rows for m in row.markers}
    assert {"No photos", "Speak to an organiser", "Name read out: full name", "Name read out: no name"} <= markers
    assert any(m.startswith("Note: ") for m in markers) and any(m.startswith("Access: ") for m in markers)
    c = counts(event)
    assert c.young_people_expected == 8 and c.guests_expected >= 10 and c.young_people_arrived == 0
    assert c.audiences == (("Councillors", 0, 2),)
    assert [r.name for r in registered_list(event)] == ["Cllr Mark Ellis", "Cllr Priya Shah"]
    sign_in(client, door, password="demo door helper password")
    html = client.get("/door-helper").get_data(as_text=True)
    assert f"/door/events/{event.public_id}" in html
    assert client.get(f"/door/events/{event.public_id}").status_code == 200
