""""Check it's you": wrong dates of birth sent at the same moment are all counted, and after five
the lock holds, even for the right date. The count is added up in the database (one conditional
UPDATE per answer), not read and written back in Python, where answers arriving together
overwrote each other's count. Every answer starts together behind a barrier.

PostgreSQL only (SQLite lets one writer in at a time anyway). It runs on its own app and its own
schema, `cpevents_identity_race`, so it never touches the schema other tests use.
"""

from __future__ import annotations

from datetime import date, timedelta

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations.models import IDENTITY_TRIES, Invitation
from tests.races import postgres_only, race_app, run_together

SCHEMA = "cpevents_identity_race"
BORN = date(2008, 3, 14)

pytestmark = postgres_only("concurrent answers")


def _answer_together(app, invitation_id: int, answers: list[date]) -> list[bool]:
    from cpevents.invitations.services import check_date_of_birth

    def answer(given, wait):
        with app.app_context():
            invitation = db.session.get(Invitation, invitation_id)
            _ = invitation.young_person.date_of_birth, invitation.identity_failures
            wait()
            right = check_date_of_birth(invitation, given)
            db.session.commit()
            return right

    return run_together(answer, answers, timeout=120)


def _failures(app, invitation_id: int) -> int:
    with app.app_context():
        return db.session.get(Invitation, invitation_id).identity_failures


def test_wrong_dates_of_birth_sent_at_once_are_all_counted_and_the_lock_holds(smtp_sink):
    with race_app(SCHEMA, smtp_sink, pool_size=10, max_overflow=5) as app:
        with app.app_context():
            from cpevents.core.enums import Role
            from cpevents.events.models import EventKind
            from cpevents.events.services import create_event
            from cpevents.invitations.services import invite
            from cpevents.young_people.models import CareStatus
            from cpevents.young_people.services import create_young_person
            from tests.factories import make_user

            organiser = make_user(Role.ORGANISER)
            event = create_event(kind=EventKind.PROUD_AWARDS, name="Race night", starts_at=utcnow() + timedelta(days=30), venue="Hall",
                                 capacity=10, description="", min_age=11, max_age=25, by=organiser)
            person = create_young_person({"first_name": "Kai", "last_name": "Race", "date_of_birth": BORN, "care_status": CareStatus.IN_CARE}, by=organiser)
            invitation = invite(event, person, by=organiser)
            invitation.check_identity = True
            db.session.commit()
            invitation_id = invitation.id

        wrong = [BORN + timedelta(days=n) for n in range(1, 9)]
        # Four wrong answers at once: four counted (read-then-write counted fewer), not locked yet.
        assert _answer_together(app, invitation_id, wrong[:4]) == [False] * 4
        assert _failures(app, invitation_id) == 4
        # Four more at once: only one of them is still allowed a try; the count stops at the lock.
        assert _answer_together(app, invitation_id, wrong[4:]) == [False] * 4
        assert _failures(app, invitation_id) == IDENTITY_TRIES
        # Locked: even the right date, even several at once, is refused.
        assert _answer_together(app, invitation_id, [BORN] * 3) == [False] * 3
        with app.app_context():
            assert db.session.get(Invitation, invitation_id).identity_locked
