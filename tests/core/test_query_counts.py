"""Issue 19: lists that grow over the years run the same number of SQL statements with a few rows
as with many, and show one page at a time. (Other lists have theirs beside their own tests: see
docs/issue19-pages.md for the whole list.)"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from cpevents.champions.models import (
    Champion,
    ChampionPledge,
    ChampionService,
    ChampionStatus,
    PledgeKind,
)
from cpevents.champions.views import DIRECTORY_PAGE_SIZE
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.home.views import NOMINATIONS_PAGE_SIZE
from cpevents.invitations.views import MINE_PAGE_SIZE
from cpevents.nominations.models import Nomination, NominationStatus
from cpevents.young_people.models import CareStatus, WorkerRelationship
from cpevents.young_people.services import link_worker
from tests.factories import make_user, queries_for, sign_in
from tests.invitations.helpers import invited, make_event
from tests.nominations.test_journey import open_event


def _champions(start: int, n: int) -> None:
    services = list(db.session.execute(select(ChampionService).order_by(ChampionService.id)).scalars())
    for i in range(start, start + n):
        champion = Champion(name=f"Champion {i:03d}", email=f"champion{i}@example.org", job_title="Officer", service_id=services[i % len(services)].id,
                            status=ChampionStatus.APPROVED, approved_at=utcnow(), expires_at=utcnow() + timedelta(days=300))
        champion.pledges = [ChampionPledge(kind=PledgeKind.MENTOR), ChampionPledge(kind=PledgeKind.SPEAK_UP)]
        db.session.add(champion)
    db.session.commit()


def test_champions_directory_is_paged_and_does_not_grow(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    _champions(0, 3)
    few = queries_for(client, "/champions")
    _champions(3, DIRECTORY_PAGE_SIZE + 5)
    assert queries_for(client, "/champions") == few
    html = client.get("/champions").get_data(as_text=True)
    assert f"{DIRECTORY_PAGE_SIZE + 8} champions" in html and "Page 1 of 2" in html


def _nominations(user, event, start: int, n: int) -> None:
    for i in range(start, start + n):
        db.session.add(Nomination(event_id=event.id, nominator_id=user.id, category_id=event.categories[i % len(event.categories)].id,
                                  status=NominationStatus.SENT if i % 2 else NominationStatus.DRAFT, first_name=f"Young{i:03d}", last_name="Person",
                                  date_of_birth=date(2010, 1, 1), care_status=CareStatus.IN_CARE))
    db.session.commit()


def test_a_nominators_home_is_paged_and_does_not_grow(client):
    nominator = make_user(Role.NOMINATOR)
    event = open_event()
    sign_in(client, nominator)
    _nominations(nominator, event, 0, 3)
    few = queries_for(client, "/nominator")
    _nominations(nominator, event, 3, NOMINATIONS_PAGE_SIZE + 5)
    assert queries_for(client, "/nominator") == few
    assert "Page 1 of 2" in client.get("/nominator").get_data(as_text=True)


def test_a_workers_invitations_are_paged_and_do_not_grow(client):
    worker = make_user(Role.NOMINATOR, email="worker@example.org")
    event, organiser = make_event(capacity=None)

    def invite(n: int) -> None:
        for _ in range(n):
            invitation = invited(event, organiser)
            link_worker(invitation.young_person, worker.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
        db.session.commit()

    sign_in(client, worker)
    invite(2)
    few = queries_for(client, "/your-invitations")
    invite(MINE_PAGE_SIZE + 3)
    assert queries_for(client, "/your-invitations") == few
    assert "Page 1 of 2" in client.get("/your-invitations").get_data(as_text=True)


def test_letters_to_hand_over_are_paged_and_do_not_grow(client):
    from cpevents.young_people.letter_views import LETTERS_PAGE_SIZE
    from cpevents.young_people.letters import LetterKind, WorkerLetter
    from tests.invitations.helpers import make_person

    event, organiser = make_event()
    worker = make_user(Role.NOMINATOR, email="letters.worker@example.org")

    def letters(n: int) -> None:
        for i in range(n):
            person = make_person(organiser, email=None)
            db.session.add(WorkerLetter(young_person_id=person.id, kind=LetterKind.INVITATION, event_id=event.id if i % 2 else None, subject_id=i,
                                        worker_id=worker.id if i % 3 else None))
        db.session.commit()

    sign_in(client, organiser)
    letters(3)
    few = queries_for(client, "/letters")
    letters(LETTERS_PAGE_SIZE + 2)
    assert queries_for(client, "/letters") == few
    html = client.get("/letters").get_data(as_text=True)
    assert f"{LETTERS_PAGE_SIZE + 5} letters still to hand over" in html and "Page 1 of 2" in html


def test_a_young_persons_audit_trail_does_not_grow_with_entries_or_people_who_looked(client):
    from cpevents.audit.models import AuditAction
    from cpevents.audit.services import record
    from tests.invitations.helpers import make_person

    organiser = make_user(Role.ORGANISER, totp=True)
    person = make_person(organiser)
    sign_in(client, organiser)

    def looked(n: int) -> None:
        for i in range(n):
            record(make_user(Role.ORGANISER, name=f"Looker {i}", password=None), AuditAction.VIEWED, person, young_person=person)
        db.session.commit()

    looked(2)
    path = f"/young-people/{person.public_id}/audit"
    few = queries_for(client, path)
    looked(10)
    assert queries_for(client, path) == few


def test_erasure_requests_and_champion_applications_do_not_grow(client):
    from cpevents.privacy.models import ErasureKind, ErasureRequest

    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)

    def requests(n: int) -> None:
        for i in range(n):
            by = make_user(Role.ORGANISER, name=f"Asker {i}", password=None)
            db.session.add(ErasureRequest(kind=ErasureKind.CHAMPION, subject_id=i + 1, reference=f"ref{i}", reason="Asked by email", requested_by_id=by.id))
        db.session.commit()

    def applications(n: int) -> None:
        services = list(db.session.execute(select(ChampionService)).scalars())
        for i in range(n):
            champion = Champion(name=f"Applicant {i}", email=f"applicant{i}@example.org", job_title="Officer", service_id=services[i % len(services)].id,
                                status=[ChampionStatus.PENDING, ChampionStatus.DECLINED, ChampionStatus.UNCONFIRMED][i % 3])
            champion.pledges = [ChampionPledge(kind=PledgeKind.MENTOR)]
            db.session.add(champion)
        db.session.commit()

    requests(2)
    applications(3)
    few = [queries_for(client, "/erasure"), queries_for(client, "/champions/applications")]
    requests(8)
    applications(12)
    assert [queries_for(client, "/erasure"), queries_for(client, "/champions/applications")] == few


def test_possible_duplicates_do_not_grow_with_people_or_pairs(client):
    from tests.invitations.helpers import make_person

    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)

    def twins(start: int, n: int) -> None:
        for i in range(start, start + n):
            for _ in range(2):  # the same name and date of birth twice: a possible duplicate
                make_person(organiser, first_name=f"Twin{i:03d}", last_name="Double", date_of_birth=date(2008, 1, 1) + timedelta(days=i))
        db.session.commit()

    twins(0, 2)
    few = queries_for(client, "/young-people/duplicates")
    twins(2, 10)
    assert queries_for(client, "/young-people/duplicates") == few
    assert client.get("/young-people/duplicates").get_data(as_text=True).count("Same name and date of birth") == 12
