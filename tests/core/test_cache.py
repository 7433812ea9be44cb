"""Cached page parts never outlive the data behind them (cpevents/core/cache.py)."""

from sqlalchemy import update

from cpevents.core.cache import current_version
from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.nominations.models import FileStatus, NominationFile
from cpevents.nominations.queries import DATA_VERSION
from cpevents.nominations.review import match_nomination
from cpevents.young_people.models import YoungPerson
from tests.factories import csrf_from, make_user, post_form, queries_for, sign_in
from tests.nominations.test_journey import open_event
from tests.nominations.test_review import _person, organiser_client, sent_nomination  # noqa: F401 - fixture

__all__ = ["organiser_client"]


def _a_file(organiser):
    event = open_event()
    person = _person(organiser, first_name="Ama")
    file = match_nomination(sent_nomination(event, first_name="Ama"), person, by=organiser)
    db.session.commit()
    return event, person, file


def test_a_change_anywhere_gives_a_new_version(organiser_client):
    event, person, file = _a_file(organiser_client.organiser)
    before = current_version(DATA_VERSION)
    assert before
    person.first_name = "Abena"
    db.session.commit()
    after_edit = current_version(DATA_VERSION)
    assert after_edit != before
    db.session.execute(update(NominationFile).where(NominationFile.id == file.id).values(not_eligible_reason="x"))
    db.session.commit()
    assert current_version(DATA_VERSION) != after_edit


def test_unrelated_changes_and_rollbacks_keep_the_version(organiser_client):
    _, person, _ = _a_file(organiser_client.organiser)
    person_id = person.id
    before = current_version(DATA_VERSION)
    make_user(Role.JUDGE)  # commits a user: not something the list shows
    assert current_version(DATA_VERSION) == before
    person = db.session.get(YoungPerson, person_id)
    person.first_name = "Changed"
    db.session.flush()
    db.session.rollback()
    assert current_version(DATA_VERSION) == before


def test_the_list_shows_a_change_at_once(organiser_client):
    event, person, file = _a_file(organiser_client.organiser)
    path = f"/events/{event.public_id}/nominations"
    assert "Ama Mensah" in organiser_client.get(path).get_data(as_text=True)
    person.first_name = "Abena"
    db.session.commit()
    page = organiser_client.get(path).get_data(as_text=True)
    assert "Abena Mensah" in page and "Ama Mensah" not in page
    # A decision made through the app shows too.
    file_path = f"/nomination-files/{file.public_id}"
    assert post_form(organiser_client, f"{file_path}/accept", {"accept-reason": ""}, get_path=file_path).status_code == 302
    db.session.refresh(file)
    assert file.status == FileStatus.ACCEPTED
    assert FileStatus.ACCEPTED.label in organiser_client.get(path).get_data(as_text=True)


def test_a_cached_list_needs_fewer_queries_and_keeps_each_persons_own_parts(organiser_client, app):
    event, _, _ = _a_file(organiser_client.organiser)
    path = f"/events/{event.public_id}/nominations?status=to_review"
    first = queries_for(organiser_client, path)
    second = queries_for(organiser_client, path)
    assert second < first, (first, second)
    other = app.test_client()
    sign_in(other, make_user(Role.ORGANISER, totp=True, name="Second Organiser"))
    mine, theirs = organiser_client.get(path).get_data(as_text=True), other.get(path).get_data(as_text=True)
    assert "Ama Mensah" in theirs
    assert csrf_from(mine) != csrf_from(theirs)  # the sign-out form's token is rendered for each person


def test_the_cache_can_be_switched_off(organiser_client, app):
    event, _, _ = _a_file(organiser_client.organiser)
    path = f"/events/{event.public_id}/nominations"
    app.config["PAGE_CACHE"] = False
    try:
        assert queries_for(organiser_client, path) == queries_for(organiser_client, path)
    finally:
        app.config["PAGE_CACHE"] = True
