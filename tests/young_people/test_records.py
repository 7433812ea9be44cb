"""Young people's records: organisers only, safety flags, shown names, duplicates, merging, audit."""

from datetime import date

import pytest
from sqlalchemy import func, select, text

from cpevents.audit.models import AuditAction, AuditEntry, AuditIsAppendOnly
from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.young_people.models import (
    CareStatus,
    NameShown,
    WorkerRelationship,
    YoungPerson,
    normalise_name,
)
from cpevents.young_people.services import (
    YoungPersonError,
    create_young_person,
    find_duplicates,
    link_worker,
    merge_young_people,
)
from tests.factories import csrf_from, make_user, post_form, queries_for, sign_in


def _person(organiser, **fields):
    values = {"first_name": "Jordan", "last_name": "Reyes", "date_of_birth": date(2008, 5, 17), "care_status": CareStatus.IN_CARE, **fields}
    person = create_young_person(values, by=organiser)
    db.session.commit()
    return person


@pytest.fixture
def organiser_client(client):
    organiser = make_user(Role.ORGANISER, totp=True, name="Olu Organiser")
    sign_in(client, organiser)
    client.organiser = organiser
    return client


FORM = {
    "first_name": "Jordan",
    "last_name": "Reyes",
    "preferred_name": "Jo",
    "date_of_birth": ["17", "5", "2008"],
    "care_status": "in_care",
    "district": "North District",
    "email": "",
    "name_shown": "first_name",
    "contact_restriction_note": "",
}


def test_organiser_adds_a_young_person(organiser_client):
    response = post_form(organiser_client, "/young-people/new", FORM)
    person = db.session.execute(select(YoungPerson)).scalar_one()
    assert response.headers["Location"] == f"/young-people/{person.public_id}"
    assert person.date_of_birth == date(2008, 5, 17) and person.preferred_name == "Jo"
    assert person.name_shown == NameShown.FIRST_NAME and not person.do_not_publish


@pytest.mark.parametrize(
    "change,message",
    [
        ({"date_of_birth": ["31", "2", "2010"]}, "Date of birth must be a real date"),
        ({"date_of_birth": ["", "2", "2010"]}, "Date of birth must include a day"),
        ({"date_of_birth": ["1", "1", "2999"]}, "Date of birth must be in the past"),
        ({"date_of_birth": ["", "", ""]}, "Enter their date of birth"),
        ({"date_of_birth": ["1"]}, "Date of birth must include a month and a year"),
        ({"first_name": ""}, "Enter their first name"),
        ({"care_status": "emperor"}, "Not a valid choice"),
        ({"contact_restriction": "y"}, "Say who or what the contact restriction is about"),
        ({"email": "nope"}, "Enter an email address in the correct format"),
    ],
)
def test_bad_input_is_explained_and_kept(organiser_client, change, message):
    response = post_form(organiser_client, "/young-people/new", {**FORM, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html, html[:3000]
    assert 'value="Reyes"' in html  # what was typed is kept
    assert db.session.execute(select(func.count()).select_from(YoungPerson)).scalar_one() == 0


def test_error_summary_links_to_the_day_box(organiser_client):
    html = post_form(organiser_client, "/young-people/new", {**FORM, "date_of_birth": ["31", "2", "2010"]}).get_data(as_text=True)
    assert 'href="#date_of_birth-day"' in html and 'id="date_of_birth-day"' in html


def test_viewing_a_record_writes_the_audit_trail(organiser_client):
    person = _person(organiser_client.organiser)
    before = db.session.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == AuditAction.VIEWED)).scalar_one()
    assert organiser_client.get(f"/young-people/{person.public_id}").status_code == 200
    entries = db.session.execute(select(AuditEntry).where(AuditEntry.young_person_id == person.id, AuditEntry.action == AuditAction.VIEWED)).scalars().all()
    assert len(entries) == before + 1
    assert entries[-1].actor_id == organiser_client.organiser.id


def test_audit_records_changed_field_names_never_values(organiser_client):
    person = _person(organiser_client.organiser)
    path = f"/young-people/{person.public_id}/edit"
    response = post_form(organiser_client, path, {**FORM, "last_name": "Secretname", "contact_restriction": "y", "contact_restriction_note": "Uncle Bob must not know"})
    assert response.status_code == 302
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == AuditAction.UPDATED)).scalar_one()
    assert "last_name" in entry.detail and "contact_restriction" in entry.detail
    assert "Secretname" not in entry.detail and "Bob" not in entry.detail
    trail = organiser_client.get(f"/young-people/{person.public_id}/audit").get_data(as_text=True)
    assert "Changed the record" in trail and "Olu Organiser" in trail


def test_audit_entries_cannot_be_changed_or_deleted(organiser_client):
    person = _person(organiser_client.organiser)
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.young_person_id == person.id)).scalars().first()
    entry.detail = "tampered"
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    # and the database itself refuses, whatever connects
    with pytest.raises(Exception, match="cannot be changed or deleted"), db.session.begin_nested():
        db.session.execute(text("UPDATE audit_entries SET detail = 'x'"))
    with pytest.raises(Exception, match="cannot be changed or deleted"), db.session.begin_nested():
        db.session.execute(text("DELETE FROM audit_entries"))


def test_no_route_can_alter_audit_entries(app):
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_flags_are_shown_to_organisers_only(organiser_client, app):
    organiser = organiser_client.organiser
    person = _person(organiser, do_not_publish=True, contact_restriction=True, contact_restriction_note="Birth father")
    html = organiser_client.get(f"/young-people/{person.public_id}").get_data(as_text=True)
    assert "Do not publish" in html and "Birth father" in html
    worker = make_user(Role.NOMINATOR)
    link_worker(person, worker.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
    db.session.commit()
    worker_client = app.test_client()
    sign_in(worker_client, worker)
    mine = worker_client.get("/your-young-people").get_data(as_text=True)
    assert "Jordan" in mine
    for secret in ("Reyes", "Birth father", "Do not publish", "2008", "North"):
        assert secret not in mine


def test_shown_name_is_first_name_by_default_and_never_a_do_not_publish_surname(organiser_client):
    organiser = organiser_client.organiser
    assert _person(organiser).shown_name == "Jordan"
    assert _person(organiser, preferred_name="Jo").shown_name == "Jo"
    assert _person(organiser, name_shown=NameShown.FULL_NAME).shown_name == "Jordan Reyes"
    assert _person(organiser, name_shown=NameShown.FULL_NAME, do_not_publish=True).shown_name == "Jordan"


def test_workers_see_only_young_people_linked_to_them(app, organiser_client):
    organiser = organiser_client.organiser
    mine, other = _person(organiser, first_name="Mine"), _person(organiser, first_name="Otherperson")
    worker = make_user(Role.NOMINATOR)
    link_worker(mine, worker.email, WorkerRelationship.CARER, by=organiser)
    db.session.commit()
    c = app.test_client()
    sign_in(c, worker)
    html = c.get("/your-young-people").get_data(as_text=True)
    assert "Mine" in html and "Otherperson" not in html
    assert c.get("/young-people").status_code == 403
    assert c.get(f"/young-people/{mine.public_id}").status_code == 403
    assert mine.can_view(worker) and not other.can_view(worker)


def test_linking_needs_an_account_with_a_working_role(organiser_client):
    organiser = organiser_client.organiser
    person = _person(organiser)
    judge = make_user(Role.JUDGE)
    with pytest.raises(YoungPersonError, match="Only nominators"):
        link_worker(person, judge.email, WorkerRelationship.OTHER, by=organiser)
    with pytest.raises(YoungPersonError, match="no active account"):
        link_worker(person, "nobody@example.org", WorkerRelationship.OTHER, by=organiser)
    response = post_form(organiser_client, f"/young-people/{person.public_id}/workers", {"email": "nobody@example.org", "relationship": "carer"}, get_path=f"/young-people/{person.public_id}")
    assert response.status_code == 400 and "no active account" in response.get_data(as_text=True)


def test_duplicates_found_by_exact_and_close_matches(organiser_client):
    organiser = organiser_client.organiser
    a = _person(organiser, first_name="Zoë", last_name="O'Neil")
    b = _person(organiser, first_name="zoe", last_name="ONeil")  # same once normalised
    c = _person(organiser, first_name="Jordon", last_name="Reyes")  # typo, same date of birth
    d = _person(organiser, first_name="Jordan", last_name="Reyes", date_of_birth=date(2008, 3, 5))
    e = _person(organiser, first_name="Jordan", last_name="Reyes", date_of_birth=date(2008, 5, 3))  # day and month swapped
    _person(organiser, first_name="Someone", last_name="Else", date_of_birth=date(2009, 1, 1))
    pairs = {frozenset((p.first.id, p.second.id)): p.reason for p in find_duplicates()}
    assert pairs[frozenset((a.id, b.id))] == "Same name and date of birth"
    assert frozenset((c.id, d.id)) not in pairs
    assert pairs[frozenset((d.id, e.id))] == "Same name, day and month of birth swapped"
    assert all(len(pair) == 2 for pair in pairs)
    html = organiser_client.get("/young-people/duplicates").get_data(as_text=True)
    assert "Same name and date of birth" in html


def test_similar_name_with_same_birthday_is_a_close_match(organiser_client):
    organiser = organiser_client.organiser
    a = _person(organiser, first_name="Jordan")
    b = _person(organiser, first_name="Jordon")
    assert {frozenset((p.first.id, p.second.id)) for p in find_duplicates()} == {frozenset((a.id, b.id))}


def test_merge_moves_everything_and_loses_nothing(organiser_client):
    organiser = organiser_client.organiser
    keep = _person(organiser, district="", email="")
    merge = _person(organiser, district="South", email="jordan@example.org", do_not_publish=True, contact_restriction=True, contact_restriction_note="Note B")
    w1, w2 = make_user(Role.NOMINATOR), make_user(Role.CHAMPION)
    link_worker(keep, w1.email, WorkerRelationship.CARER, by=organiser)
    link_worker(merge, w1.email, WorkerRelationship.CARER, by=organiser)
    link_worker(merge, w2.email, WorkerRelationship.OTHER, by=organiser)
    db.session.commit()
    page = organiser_client.get(f"/young-people/merge/{keep.public_id}/{merge.public_id}")
    empty = organiser_client.post(f"/young-people/merge/{keep.public_id}/{merge.public_id}", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert empty.status_code == 400 and "Select the record to keep" in empty.get_data(as_text=True)
    done = organiser_client.post(f"/young-people/merge/{keep.public_id}/{merge.public_id}", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "keep": keep.public_id})
    assert done.headers["Location"] == f"/young-people/{keep.public_id}"
    db.session.expire_all()
    keep, merge = db.session.get(YoungPerson, keep.id), db.session.get(YoungPerson, merge.id)
    assert merge.merged_into_id == keep.id  # kept, not deleted
    assert keep.district == "South" and keep.email == "jordan@example.org"
    assert keep.do_not_publish and keep.contact_restriction and "Note B" in keep.contact_restriction_note
    assert sorted(link.user_id for link in keep.worker_links) == sorted([w1.id, w2.id])
    merged = db.session.execute(select(AuditEntry).where(AuditEntry.action == AuditAction.MERGED)).scalars().all()
    assert {e.young_person_id for e in merged} == {keep.id, merge.id}
    # the merged record no longer shows in lists or duplicates, and its address leads to the kept one
    assert organiser_client.get(f"/young-people/{merge.public_id}").headers["Location"] == f"/young-people/{keep.public_id}"
    assert "No possible duplicates found" in organiser_client.get("/young-people/duplicates").get_data(as_text=True)
    with pytest.raises(YoungPersonError):
        merge_young_people(keep, merge, by=organiser)


def test_list_and_search(organiser_client):
    organiser = organiser_client.organiser
    _person(organiser, first_name="Ava", last_name="Mensah", do_not_publish=True)
    _person(organiser, first_name="Leo", last_name="Shaw", care_status=CareStatus.CARE_LEAVER)
    html = organiser_client.get("/young-people?q=mensah").get_data(as_text=True)
    assert "Mensah" in html and "Shaw" not in html
    html = organiser_client.get("/young-people?care_status=care_leaver").get_data(as_text=True)
    assert "Shaw" in html and "Mensah" not in html
    html = organiser_client.get("/young-people?flag=do_not_publish").get_data(as_text=True)
    assert "Mensah" in html and "Shaw" not in html
    assert organiser_client.get("/young-people?care_status=royal").status_code == 400


def test_list_query_count_does_not_grow_with_rows(organiser_client):
    counts = []
    for batch in (3, 40):
        for i in range(batch):
            _person(organiser_client.organiser, first_name=f"Name{i}")
        counts.append(queries_for(organiser_client, "/young-people"))
    assert counts[0] == counts[1], counts


def test_email_page_query_count_does_not_grow_with_messages(organiser_client, app):
    from cpevents.mail.services import queue_email, start_batch

    counts = []
    for batch_size in (2, 30):
        with app.test_request_context():
            batch = start_batch(f"Batch of {batch_size}")
            for i in range(batch_size):
                queue_email("accounts/password_changed", to=f"q{i}@example.org", subject="Test", name="x", batch=batch)
            db.session.commit()
        counts.append(queries_for(organiser_client, "/emails"))
    assert counts[0] == counts[1], counts


def test_only_the_missing_date_box_is_marked(organiser_client):
    html = post_form(organiser_client, "/young-people/new", {**FORM, "date_of_birth": ["17", "", "2008"]}).get_data(as_text=True)
    assert 'href="#date_of_birth-month"' in html
    day = html.split('id="date_of_birth-day"')[0].rsplit("<input", 1)[1]
    month = html.split('id="date_of_birth-month"')[0].rsplit("<input", 1)[1]
    assert "govuk-input--error" not in day and "govuk-input--error" in month


def test_duplicates_found_are_kept_until_a_record_changes(organiser_client):
    """Issue 19: the pairs are kept per worker under the young people's data version; any change
    to a record (here a new one, then a name put right) is seen on the next look."""
    organiser = organiser_client.organiser
    a = _person(organiser, first_name="Jordan")
    assert find_duplicates() == []
    b = _person(organiser, first_name="Jordon")
    assert {frozenset((p.first.id, p.second.id)) for p in find_duplicates()} == {frozenset((a.id, b.id))}
    assert {frozenset((p.first.id, p.second.id)) for p in find_duplicates()} == {frozenset((a.id, b.id))}
    b.first_name = "Priya"
    b.match_key = normalise_name(b.first_name + b.last_name)
    db.session.commit()
    assert find_duplicates() == []
