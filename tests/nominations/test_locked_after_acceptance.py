"""Issue 13, item 5: once an organiser accepts a file for judging, its nominations cannot be
rewritten by their nominators (refused with a plain message, nothing saved): judges only read
text an organiser has reviewed. Withdrawing is still possible while nominations are open."""

from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.nominations.models import FileStatus, Nomination, NominationStatus
from cpevents.nominations.review import accept_file
from cpevents.nominations.services import NominationError, save_answers
from tests.factories import csrf_from, make_user, post_form
from tests.nominations.test_journey import (
    _answer_all,
    _start,
    nominator_client,  # noqa: F401 - a fixture
    open_event,
)


def _sent_and_accepted(client):
    event = open_event()
    nomination = _start(client, event)
    _answer_all(client, nomination, event)
    check = client.get(f"/nominations/{nomination.public_id}/check").get_data(as_text=True)
    client.post(f"/nominations/{nomination.public_id}/check", data={"csrf_token": csrf_from(check)})
    from cpevents.nominations.review import create_record_from

    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination.id)
    organiser = make_user(Role.ORGANISER)
    if nomination.file is None:
        create_record_from(nomination, by=organiser)
    accept_file(nomination.file, reason="Ready for the panel", by=organiser)
    db.session.commit()
    return nomination


def test_an_accepted_nomination_cannot_be_rewritten(nominator_client):  # noqa: F811 - nominator_client is the fixture imported above
    nomination = _sent_and_accepted(nominator_client)
    base = f"/nominations/{nomination.public_id}"
    page = nominator_client.get(f"{base}/achievement")
    assert page.status_code == 200 and "can no longer be changed" in page.get_data(as_text=True)
    response = post_form(nominator_client, f"{base}/achievement", {"achievement": "Something quite different"}, get_path="/nominate")
    assert response.status_code == 409 and "can no longer be changed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert "coding club" in db.session.get(Nomination, nomination.id).achievement
    assert "can no longer be changed" in nominator_client.get(f"{base}/check").get_data(as_text=True)
    # The home page no longer offers to change it.
    assert f"{base}/check" not in nominator_client.get("/nominator").get_data(as_text=True)


def test_the_rule_holds_in_the_service_too(nominator_client):  # noqa: F811 - nominator_client is the fixture imported above
    nomination = _sent_and_accepted(nominator_client)
    try:
        save_answers(nomination, {"achievement": "Rewritten"})
    except NominationError as error:
        assert "accepted for judging" in str(error)
    else:
        raise AssertionError("an accepted nomination was changed")


def test_an_accepted_nomination_can_still_be_withdrawn(nominator_client):  # noqa: F811 - nominator_client is the fixture imported above
    nomination = _sent_and_accepted(nominator_client)
    response = post_form(nominator_client, f"/nominations/{nomination.public_id}/withdraw", {"confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status == NominationStatus.WITHDRAWN


def test_a_file_to_review_can_still_be_changed(nominator_client):  # noqa: F811 - nominator_client is the fixture imported above
    event = open_event()
    nomination = _start(nominator_client, event)
    _answer_all(nominator_client, nomination, event)
    check = nominator_client.get(f"/nominations/{nomination.public_id}/check").get_data(as_text=True)
    nominator_client.post(f"/nominations/{nomination.public_id}/check", data={"csrf_token": csrf_from(check)})
    response = post_form(nominator_client, f"/nominations/{nomination.public_id}/achievement", {"achievement": "Kai also mentors younger pupils."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.execute(select(Nomination.achievement).where(Nomination.id == nomination.id)).scalar_one() == "Kai also mentors younger pupils."
    assert db.session.get(Nomination, nomination.id).file is None or db.session.get(Nomination, nomination.id).file.status == FileStatus.TO_REVIEW
