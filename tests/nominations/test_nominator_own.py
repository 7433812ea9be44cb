"""Issue 20: the nominator's own page. Each open event says its own closing date (bug 5) and has
its own way in; withdrawn nominations stay listed as withdrawn; an abandoned draft can be
deleted (after a confirmation, by its own nominator only); continuing a draft goes to the first
page still to answer."""

from datetime import date, timedelta

from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.events.services import set_window
from cpevents.extensions import db
from cpevents.nominations.models import Nomination, NominationStatus
from cpevents.young_people.models import CareStatus, WorkerRelationship
from tests.factories import csrf_from, make_user, post_form, sign_in
from tests.nominations.test_journey import (  # noqa: F401
    ANSWERS,
    _answer_all,
    _start,
    nominator_client,
    open_event,
)


def _exists(nomination_id: int) -> bool:
    db.session.expire_all()
    return db.session.execute(select(Nomination.id).where(Nomination.id == nomination_id)).first() is not None


def test_each_open_event_has_its_own_closing_date_and_start_link(nominator_client):  # noqa: F811 - nominator_client is the fixture imported above
    first = open_event(name="PROUD Awards 2030")
    second = open_event(name="Summer Celebration 2030")
    set_window(second, utcnow() - timedelta(days=1), utcnow() + timedelta(days=60))
    db.session.commit()
    html = nominator_client.get("/nominator").get_data(as_text=True)
    for event in (first, second):
        assert f"{event.name}: nominations close at the end of {event.nominations_last_day:%-d %B %Y}" in html
        assert f"/nominate?event={event.public_id}" in html
    # That link shows that event only.
    start = nominator_client.get(f"/nominate?event={second.public_id}").get_data(as_text=True)
    assert f"Start a nomination for {second.name}" in start and f"Start a nomination for {first.name}" not in start


def test_withdrawn_nominations_stay_listed_as_withdrawn(nominator_client):  # noqa: F811 - nominator_client is the fixture imported above
    event = open_event()
    nomination = _start(nominator_client, event)
    post_form(nominator_client, f"/nominations/{nomination.public_id}/young-person", ANSWERS["young-person"])
    post_form(nominator_client, f"/nominations/{nomination.public_id}/withdraw", {"confirm": "yes"})
    html = nominator_client.get("/nominator").get_data(as_text=True)
    assert "Kai" in html and "Withdrawn" in html
    assert f"/nominations/{nomination.public_id}/check" not in html  # listed, not changeable


def test_a_draft_is_deleted_after_a_confirmation(nominator_client):  # noqa: F811 - nominator_client is the fixture imported above
    event = open_event()
    nomination = _start(nominator_client, event)
    nomination_id = nomination.id
    post_form(nominator_client, f"/nominations/{nomination.public_id}/young-person", ANSWERS["young-person"])
    home = nominator_client.get("/nominator").get_data(as_text=True)
    delete = f"/nominations/{nomination.public_id}/delete"
    assert delete in home
    page = nominator_client.get(delete)
    assert page.status_code == 200 and "Are you sure you want to delete this draft?" in page.get_data(as_text=True)
    assert db.session.get(Nomination, nomination.id) is not None  # opening the page changes nothing
    response = nominator_client.post(delete, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.headers["Location"] == "/nominator"
    assert not _exists(nomination_id)
    assert "Your draft nomination of Kai has been deleted" in nominator_client.get("/nominator").get_data(as_text=True)


def test_a_draft_can_be_deleted_after_nominations_close(nominator_client):  # noqa: F811 - nominator_client is the fixture imported above
    event = open_event()
    nomination = _start(nominator_client, event)
    nomination_id = nomination.id
    page = nominator_client.get(f"/nominations/{nomination.public_id}/delete").get_data(as_text=True)
    event.nominations_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert f"/nominations/{nomination.public_id}/delete" in nominator_client.get("/nominator").get_data(as_text=True)
    nominator_client.post(f"/nominations/{nomination.public_id}/delete", data={"csrf_token": csrf_from(page)})
    assert not _exists(nomination_id)


def test_only_drafts_of_your_own_can_be_deleted(nominator_client, app):  # noqa: F811 - nominator_client is the fixture imported above
    event = open_event()
    owner = make_user(Role.NOMINATOR)
    theirs = Nomination(event_id=event.id, nominator_id=owner.id, status=NominationStatus.DRAFT)
    db.session.add(theirs)
    db.session.commit()
    assert nominator_client.get(f"/nominations/{theirs.public_id}/delete").status_code == 404
    token = csrf_from(nominator_client.get("/nominator").get_data(as_text=True))
    assert nominator_client.post(f"/nominations/{theirs.public_id}/delete", data={"csrf_token": token}).status_code == 404
    # A sent nomination is withdrawn, never deleted.
    mine = _start(nominator_client, event)
    _answer_all(nominator_client, mine, event)
    page = nominator_client.get(f"/nominations/{mine.public_id}/check").get_data(as_text=True)
    nominator_client.post(f"/nominations/{mine.public_id}/check", data={"csrf_token": csrf_from(page)})
    assert nominator_client.get(f"/nominations/{mine.public_id}/delete").status_code == 404
    assert nominator_client.post(f"/nominations/{mine.public_id}/delete", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Nomination, theirs.id) is not None and db.session.get(Nomination, mine.id).status == NominationStatus.SENT
    # Without the form's token nothing is deleted.
    draft = _start(nominator_client, event)
    assert nominator_client.post(f"/nominations/{draft.public_id}/delete", data={}).status_code == 400
    assert db.session.get(Nomination, draft.id) is not None


def test_deleting_a_draft_started_from_an_achievement_frees_the_achievement(client):
    from cpevents.achievements.models import Achievement, AchievementArea
    from cpevents.achievements.services import nominate_from, record_achievement
    from cpevents.young_people.services import create_young_person, link_worker

    carer = make_user(Role.NOMINATOR)
    organiser = make_user(Role.ORGANISER)
    person = create_young_person({"first_name": "Amara", "last_name": "Okafor", "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
    link_worker(person, carer.email, WorkerRelationship.CARER, by=organiser)
    achievement = record_achievement(person, by=carer, achieved_on=date(2025, 3, 12), area=AchievementArea.INDEPENDENCE,
                                     description="Cooked a meal.", celebrated_with="Jo")
    event = open_event()
    nomination = nominate_from(achievement, event, by=carer)
    db.session.commit()
    sign_in(client, carer)
    page = client.get(f"/nominations/{nomination.public_id}/delete").get_data(as_text=True)
    assert client.post(f"/nominations/{nomination.public_id}/delete", data={"csrf_token": csrf_from(page)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Achievement, achievement.id).nomination_id is None  # a new nomination can be started from it


def test_continuing_a_draft_goes_to_the_first_unanswered_page(nominator_client):  # noqa: F811 - nominator_client is the fixture imported above
    event = open_event()
    nomination = _start(nominator_client, event)
    base = f"/nominations/{nomination.public_id}"
    home = nominator_client.get("/nominator").get_data(as_text=True)
    assert f"{base}/continue" in home
    assert nominator_client.get(f"{base}/continue").headers["Location"] == f"{base}/young-person"
    post_form(nominator_client, f"{base}/young-person", ANSWERS["young-person"])
    post_form(nominator_client, f"{base}/you", ANSWERS["you"])
    assert nominator_client.get(f"{base}/continue").headers["Location"] == f"{base}/category"
    post_form(nominator_client, f"{base}/category", {"category": event.categories[0].public_id})
    post_form(nominator_client, f"{base}/achievement", ANSWERS["achievement"])
    assert nominator_client.get(f"{base}/continue").headers["Location"] == f"{base}/background"
    post_form(nominator_client, f"{base}/background", {"background": ""})  # optional, left empty
    assert nominator_client.get(f"{base}/continue").headers["Location"] == f"{base}/safety"
    post_form(nominator_client, f"{base}/safety", ANSWERS["safety"])
    assert nominator_client.get(f"{base}/continue").headers["Location"] == f"{base}/check"
    # Someone else's draft does not exist for you.
    other = Nomination(event_id=event.id, nominator_id=make_user(Role.NOMINATOR).id, status=NominationStatus.DRAFT)
    db.session.add(other)
    db.session.commit()
    assert nominator_client.get(f"/nominations/{other.public_id}/continue").status_code == 404
    assert db.session.execute(select(Nomination).where(Nomination.id == nomination.id)).scalar_one().status == NominationStatus.DRAFT
