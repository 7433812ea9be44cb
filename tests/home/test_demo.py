"""After `flask seed-demo` the organiser's to-do has something in every line, and seeding again adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from cpevents.extensions import db
from cpevents.nominations.models import Nomination


def test_every_to_do_line_has_something_after_seeding_the_demo(app):
    from cpevents.demo import seed_demo
    from cpevents.home.todo import todo_lines

    with app.test_request_context():
        seed_demo()
        db.session.commit()
        empty = [line.text for line in todo_lines() if not line.count]
        assert empty == []
        before = {line.key: line.count for line in todo_lines()}
        nominations = db.session.execute(select(func.count()).select_from(Nomination)).scalar_one()
        seed_demo()
        db.session.commit()
        assert {line.key: line.count for line in todo_lines()} == before
        assert db.session.execute(select(func.count()).select_from(Nomination)).scalar_one() == nominations
