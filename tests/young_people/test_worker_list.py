"""A worker's "Young people you work with" tells two of the same first name and age apart
(issue 20) without showing them anything more of the young person: the worker's own role, the
date of their link, and a short reference the participation team can search for."""

from __future__ import annotations

import re
from datetime import date, timedelta

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.young_people.models import CareStatus, WorkerRelationship
from cpevents.young_people.services import create_young_person, link_worker
from tests.factories import make_user, sign_in


def _two_amaras(worker):
    organiser = make_user(Role.ORGANISER)
    first = create_young_person({"first_name": "Amara", "last_name": "Okafor", "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
    second = create_young_person({"first_name": "Amara", "last_name": "Mensah", "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE,
                                  "district": "Riverside"}, by=organiser)
    link_worker(first, worker.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
    older = link_worker(second, worker.email, WorkerRelationship.PERSONAL_ADVISER, by=organiser)
    older.linked_at = utcnow() - timedelta(days=90)
    db.session.commit()
    return organiser, first, second


def _rows(html: str) -> list[str]:
    body = re.search(r"<tbody.*?</tbody>", html, re.S).group(0)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr.*?</tr>", body, re.S)]


def test_two_young_people_of_the_same_name_and_age_are_told_apart(client):
    worker = make_user(Role.NOMINATOR)
    _, first, second = _two_amaras(worker)
    sign_in(client, worker)
    html = client.get("/your-young-people").get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == 2 and len(set(rows)) == 2
    assert any("Social worker" in r and first.reference in r for r in rows)
    assert any("Personal adviser" in r and second.reference in r for r in rows)
    assert first.reference != second.reference
    # Nothing more of the young person than before: no surname, no initial, no district.
    for hidden in ("Okafor", "Mensah", "Amara O", "Amara M", "Riverside"):
        assert hidden not in html


def test_the_participation_team_finds_a_young_person_by_the_reference(client):
    worker = make_user(Role.NOMINATOR)
    organiser, first, second = _two_amaras(worker)
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    html = client.get(f"/young-people?q={first.reference}").get_data(as_text=True)
    assert "Okafor" in html and "Mensah" not in html
    assert first.reference in client.get(f"/young-people/{first.public_id}").get_data(as_text=True)
