"""Issue 20, "next, not back to the list": after accepting a file, marking it not eligible or
matching a nomination, the organiser goes on to the next one still to do, with the list one link
away; when nothing is left the page says so."""

from datetime import date

from cpevents.extensions import db
from cpevents.nominations.models import FileStatus, NominationFile
from cpevents.nominations.review import match_nomination
from cpevents.young_people.models import CareStatus
from cpevents.young_people.services import create_young_person
from tests.factories import post_form
from tests.nominations.test_journey import open_event
from tests.nominations.test_review import organiser_client, sent_nomination  # noqa: F401


def _file(event, organiser, first_name, last_name, born=date(2010, 2, 14)) -> NominationFile:
    person = create_young_person({"first_name": first_name, "last_name": last_name, "date_of_birth": born, "care_status": CareStatus.IN_CARE}, by=organiser)
    nomination = sent_nomination(event, first_name=first_name, last_name=last_name, date_of_birth=born)
    file = match_nomination(nomination, person, by=organiser)
    db.session.commit()
    return file


def test_accepting_a_file_goes_to_the_next_one_still_to_do(organiser_client):  # noqa: F811 - organiser_client is the fixture imported above
    event = open_event()
    organiser = organiser_client.organiser
    adams = _file(event, organiser, "Ava", "Adams")
    brown = _file(event, organiser, "Ben", "Brown")
    clark = _file(event, organiser, "Cal", "Clark")
    done = _file(event, organiser, "Dee", "Dale")
    done.status = FileStatus.ACCEPTED
    db.session.commit()
    path = f"/nomination-files/{brown.public_id}"
    response = post_form(organiser_client, f"{path}/accept", {"accept-reason": ""}, get_path=path)
    assert response.headers["Location"] == f"/nomination-files/{clark.public_id}"  # the next by name, not Dale (already accepted)
    html = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ben Brown: accepted for judging." in html and "Next file: Cal Clark" in html
    assert f'href="/events/{event.public_id}/nominations">Back to the list</a>' in html
    # From the last in the list, back round to the first still to do.
    path = f"/nomination-files/{clark.public_id}"
    response = post_form(organiser_client, f"{path}/not-eligible", {"ineligible-reason": "Moved away before the year began."}, get_path=path)
    assert response.headers["Location"] == f"/nomination-files/{adams.public_id}"
    html = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cal Clark: marked not eligible." in html and "Next file: Ava Adams" in html
    # The last one: say so, and link back.
    path = f"/nomination-files/{adams.public_id}"
    response = post_form(organiser_client, f"{path}/accept", {"accept-reason": ""}, get_path=path)
    assert response.headers["Location"] == path
    html = organiser_client.get(path).get_data(as_text=True)
    assert "No files are left to review." in html and f'href="/events/{event.public_id}/nominations">Back to the list</a>' in html


def test_files_of_another_event_are_never_next(organiser_client):  # noqa: F811 - organiser_client is the fixture imported above
    event, other = open_event(), open_event(name="Another event")
    organiser = organiser_client.organiser
    mine = _file(event, organiser, "Ava", "Adams")
    _file(other, organiser, "Ben", "Brown")
    path = f"/nomination-files/{mine.public_id}"
    response = post_form(organiser_client, f"{path}/accept", {"accept-reason": ""}, get_path=path)
    assert response.headers["Location"] == path


def test_a_refused_decision_stays_on_the_file(organiser_client):  # noqa: F811 - organiser_client is the fixture imported above
    event = open_event()
    organiser = organiser_client.organiser
    first = _file(event, organiser, "Ava", "Adams")
    _file(event, organiser, "Ben", "Brown")
    path = f"/nomination-files/{first.public_id}"
    refused = post_form(organiser_client, f"{path}/not-eligible", {"ineligible-reason": ""}, get_path=path)
    assert refused.status_code == 400 and "Enter the reason" in refused.get_data(as_text=True)


def test_matching_a_nomination_goes_to_the_next_one_to_match(organiser_client):  # noqa: F811 - organiser_client is the fixture imported above
    event = open_event()
    organiser = organiser_client.organiser
    create_young_person({"first_name": "Kai", "last_name": "Mensah-Owusu", "date_of_birth": date(2010, 2, 14), "care_status": CareStatus.IN_CARE}, by=organiser)
    db.session.commit()
    first = sent_nomination(event)
    second = sent_nomination(event, first_name="Ola", last_name="Ade", date_of_birth=date(2011, 5, 1))
    response = post_form(organiser_client, f"/nominations/{first.public_id}/match", {"person": "new"})
    assert response.headers["Location"] == f"/nominations/{second.public_id}/match"
    html = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nomination added to Kai Mensah’s file." in html and "Next nomination to match: Ola Ade" in html
    assert f'href="/events/{event.public_id}/nominations/to-match">Back to the list</a>' in html
    # The last one: to the file it joined, saying every nomination has been matched.
    response = post_form(organiser_client, f"/nominations/{second.public_id}/match", {"person": "new"})
    db.session.expire_all()
    file = db.session.get(type(second), second.id).file
    assert response.headers["Location"] == f"/nomination-files/{file.public_id}"
    html = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Every nomination has been matched." in html and f'href="/events/{event.public_id}/nominations">Back to the list</a>' in html
