"""The young person chooses their name, how it is shown and how to say it (issue 16, part A)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from cpevents.audit.models import AuditEntry
from cpevents.extensions import db
from cpevents.nominees import services
from cpevents.young_people.models import NameShown
from tests.factories import csrf_from, sign_in
from tests.nominees.helpers import accept, emails_to, file_to_accept, link_in

NAME_FORM = "/nominated/your-name"


def _open(client, file):
    message = next(m for m in emails_to(file.young_person.email) if m.template == "nominees/told")
    assert client.get(link_in(message)).status_code == 302


def _post_name(client, **data):
    token = csrf_from(client.get("/nominated").get_data(as_text=True))
    return client.post(NAME_FORM, data={"csrf_token": token, **data})


def _told(client, **kwargs):
    file, organiser, nominator = file_to_accept(**kwargs)
    accept(file, organiser)
    _open(client, file)
    return file, organiser


def test_the_form_starts_from_their_name_and_saves_their_choice_audited_as_theirs(client):
    file, organiser = _told(client)
    person = file.young_person
    html = client.get("/nominated").get_data(as_text=True)
    assert 'id="your-name"' in html and 'value="Kai"' in html and "How to say your name" in html
    response = _post_name(client, name="  KJ  ", shown=NameShown.FULL_NAME.value, pronunciation="Kay-Jay")
    assert response.status_code == 302 and response.headers["Location"].endswith("/nominated#your-name")
    db.session.expire_all()
    assert (person.preferred_name, person.name_shown, person.name_pronunciation) == ("KJ", NameShown.FULL_NAME, "Kay-Jay")
    assert person.shown_name == "KJ Mensah"
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.detail.like("Their name%"))).scalar_one()
    assert entry.actor_id is None and entry.young_person_id == person.id and "by the young person on their link" in entry.detail
    page = client.get("/nominated").get_data(as_text=True)
    assert "Well done, KJ" in page and 'value="Kay-Jay"' in page
    # typing their first name again goes back to it (no separate preferred name)
    assert _post_name(client, name="Kai", shown=NameShown.FIRST_NAME.value, pronunciation="").status_code == 302
    db.session.expire_all()
    assert (person.preferred_name, person.name_pronunciation, person.shown_name) == ("", "", "Kai")


def test_do_not_publish_still_never_shows_their_surname(client):
    file, organiser = _told(client)
    file.young_person.do_not_publish = True
    db.session.commit()
    assert _post_name(client, name="Kai", shown=NameShown.FULL_NAME.value, pronunciation="").status_code == 302
    db.session.expire_all()
    assert file.young_person.name_shown == NameShown.FULL_NAME and file.young_person.shown_name == "Kai"


def test_bad_answers_are_refused_beside_the_field_and_keep_what_was_typed(client):
    file, organiser = _told(client)
    person = file.young_person
    cases = [
        ({"name": "   ", "shown": "first_name", "pronunciation": "Kay"}, "Enter the name you want us to use", 'value="Kay"'),
        ({"name": "<b>Kai</b>", "shown": "first_name", "pronunciation": ""}, "not &lt; or &gt;", "&lt;b&gt;Kai&lt;/b&gt;"),
        ({"name": "K" * 81, "shown": "first_name", "pronunciation": ""}, "Your name must be 80 characters or fewer", "K" * 81),
        ({"name": "Kai", "shown": "first_name", "pronunciation": "x" * 61}, "How to say your name must be 60 characters or fewer", "x" * 61),
        ({"name": "Kai", "shown": "first_name", "pronunciation": "<script>"}, "How to say your name can only have", "&lt;script&gt;"),
        ({"name": "Kai", "shown": "everything", "pronunciation": ""}, "Not a valid choice", 'value="Kai"'),
        ({"name": "Kai", "pronunciation": ""}, "Select how your name is shown", 'value="Kai"'),
    ]
    for data, message, kept in cases:
        response = _post_name(client, **data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert message in html and "govuk-error-message" in html and "govuk-error-summary" in html, data
        assert kept in html, data
    db.session.expire_all()
    assert (person.preferred_name, person.name_pronunciation, person.name_shown) == ("", "", NameShown.FIRST_NAME)


def test_no_link_no_change_and_get_changes_nothing(client):
    file, organiser = _told(client)
    client.get("/nominated")
    db.session.expire_all()
    assert file.young_person.preferred_name == ""
    stranger = current_app.test_client()
    token = csrf_from(stranger.get("/sign-in").get_data(as_text=True))
    response = stranger.post(NAME_FORM, data={"csrf_token": token, "name": "Hacker", "shown": "full_name"})
    assert response.status_code == 404
    db.session.expire_all()
    assert file.young_person.preferred_name == ""
    # after "no thanks", the link (and the form) stop working
    with current_app.test_request_context():
        services.say_no_thanks(file)
    db.session.commit()
    assert client.post(NAME_FORM, data={"name": "X", "shown": "first_name"}).status_code in (400, 404)
    db.session.expire_all()
    assert file.young_person.preferred_name == ""


def test_organisers_see_the_hint_on_the_record_and_the_door_reads_it(client):
    from cpevents.door.queries import door_row
    from cpevents.invitations.models import InvitationStatus, NameRead
    from cpevents.invitations.services import invite

    file, organiser = _told(client)
    assert _post_name(client, name="Siobhan", shown="first_name", pronunciation="Shiv-awn").status_code == 302
    staff = current_app.test_client()
    sign_in(staff, organiser)
    record = staff.get(f"/young-people/{file.young_person.public_id}").get_data(as_text=True)
    assert "How to say their name" in record and "Shiv-awn" in record
    with current_app.test_request_context():
        invitation = invite(file.event, file.young_person, by=organiser)
    invitation.status = InvitationStatus.COMING
    invitation.name_read = NameRead.FIRST_NAME
    db.session.commit()
    row = door_row(invitation)
    assert row.name.startswith("Siobhan") and "Say it: Shiv-awn" in [m.text for m in row.markers]
    invitation.name_read = NameRead.NO_NAME  # no name read out: nothing to say
    db.session.commit()
    assert not any(m.text.startswith("Say it") for m in door_row(invitation).markers)


def test_subject_access_includes_the_hint_and_erasure_blanks_it(client):
    from cpevents.privacy.erasure import _erase_young_person
    from cpevents.privacy.subject_access import young_person_data

    file, organiser = _told(client)
    assert _post_name(client, name="Siobhan", shown="first_name", pronunciation="Shiv-awn").status_code == 302
    db.session.expire_all()
    person = file.young_person
    with current_app.test_request_context():
        data = young_person_data(person)
    assert "Shiv-awn" in str(data)
    with current_app.test_request_context():
        _erase_young_person(person)
    db.session.commit()
    db.session.expire_all()
    assert person.name_pronunciation == "" and person.preferred_name == ""
