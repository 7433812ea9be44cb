"""Something to keep (issue 16, part B): once the results are published, every nominee gets a
keepsake page and a PROUD Awards certificate from their personal link. Winners stay secret until then."""

from __future__ import annotations

import io
from datetime import timedelta

from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.judging.models import DecisionKind
from cpevents.judging.services import create_panel, decide, panel_for, set_panel_text
from cpevents.nominees import keepsake, services
from cpevents.young_people.models import NameShown
from tests.factories import csrf_from, make_user, sign_in
from tests.nominations.test_journey import open_event
from tests.nominees.helpers import accept, emails_to, file_to_accept, link_in

PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
PAGE, PDF = "/nominated/keepsake", "/nominated/certificate.pdf"


def _text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def _judged(*, winner: bool, shortlisted: bool = True, email="kai.young@example.org", first="Kai", event=None):
    """A told nominee whose file the panel has decided on (nothing released or published yet)."""
    file, organiser, nominator = file_to_accept(email=email, first=first, event=event)
    accept(file, organiser)
    panel = panel_for(file.event) or create_panel(file.event, by=organiser)
    with current_app.test_request_context():
        decide(panel, file, DecisionKind.SHORTLIST, shortlisted, "Strong nomination", by=organiser)
        if winner:
            decide(panel, file, DecisionKind.WINNER, True, "The panel's choice", by=organiser)
    db.session.commit()
    return file, organiser, panel


def _release(panel):
    panel.shortlist_released_at = utcnow()
    db.session.commit()


def _publish(panel):
    panel.shortlist_released_at = panel.shortlist_released_at or utcnow() - timedelta(days=1)
    panel.results_published_at = utcnow()
    db.session.commit()


def _open(client, file):
    (message,) = [m for m in emails_to(file.young_person.email) if m.template == "nominees/told"]
    response = client.get(link_in(message))
    assert response.status_code == 302 and response.headers["Location"].endswith("/nominated")


def test_before_publication_the_page_says_when_and_the_certificate_does_not_exist(client):
    file, _organiser, panel = _judged(winner=True)
    _open(client, file)
    for step in (lambda: None, lambda: _release(panel)):  # decided, then the shortlist released: still secret
        step()
        page = client.get(PAGE)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "not ready yet" in html and file.event.event_date.strftime("%-d %B %Y") in html
        assert "winner" not in html.lower() and " won" not in html.lower() and file.category.name not in html
        assert "certificate.pdf" not in html
        assert client.get(PDF).status_code == 404
    nominee_page = client.get("/nominated").get_data(as_text=True)
    assert "keepsake" in nominee_page and "winner" not in nominee_page.lower()


def test_a_winner_gets_a_certificate_that_says_they_won_after_publication(client):
    file, _organiser, panel = _judged(winner=True)
    _publish(panel)
    _open(client, file)
    page = client.get(PAGE)
    assert page.status_code == 200
    for name, value in PRIVATE.items():
        assert page.headers.get(name) == value
    html = page.get_data(as_text=True)
    assert "you won" in html and file.category.name in html and "/nominated/certificate.pdf" in html
    audit_before = db.session.execute(select(AuditEntry).where(AuditEntry.detail == keepsake.CERTIFICATE_DOWNLOADED)).scalars().all()
    assert audit_before == []
    response = client.get(PDF)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    date_text = file.event.event_date.strftime("%-d %B %Y")
    assert response.headers["Content-Disposition"] == f'attachment; filename="proud-awards-Kai-{file.event.event_date:%Y-%m-%d}.pdf"'
    for name, value in PRIVATE.items():
        assert response.headers.get(name) == value
    text = _text(response.data)
    assert "Kai" in text and file.category.name in text and date_text in text and "winner" in text.lower()
    assert "Mensah" not in text  # first name only: their choice by default
    (entry,) = db.session.execute(select(AuditEntry).where(AuditEntry.detail == keepsake.CERTIFICATE_DOWNLOADED)).scalars().all()
    assert entry.young_person_id == file.young_person_id and entry.actor_id is None


def test_a_nominee_who_did_not_win_gets_a_certificate_that_never_says_winner(client):
    file, _organiser, panel = _judged(winner=False, shortlisted=False)
    _publish(panel)
    _open(client, file)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Well done, Kai" in html and "nominated" in html and file.category.name in html
    assert "winner" not in html.lower() and "you won" not in html.lower()
    response = client.get(PDF)
    assert response.status_code == 200
    text = _text(response.data)
    assert "Kai" in text and file.category.name in text and file.event.event_date.strftime("%-d %B %Y") in text
    assert "winner" not in text.lower() and "Mensah" not in text and "Nominated" in text


def test_the_certificate_uses_the_name_they_chose(client):
    file, _organiser, panel = _judged(winner=False)
    person = file.young_person
    person.preferred_name, person.name_shown = "Kaito", NameShown.FULL_NAME
    _publish(panel)
    _open(client, file)
    response = client.get(PDF)
    assert "Kaito Mensah" in _text(response.data)
    assert f'filename="proud-awards-Kaito-Mensah-{file.event.event_date:%Y-%m-%d}.pdf"' in response.headers["Content-Disposition"]
    person.do_not_publish = True  # never the surname of a do-not-publish young person
    db.session.commit()
    text = _text(client.get(PDF).data)
    assert "Kaito" in text and "Mensah" not in text


def test_the_keepsake_shows_the_approved_panel_version_and_their_own_words(client):
    file, organiser, panel = _judged(winner=False)
    with current_app.test_request_context():
        set_panel_text(file.live_nominations[0], "Kai started a coding club and teaches younger pupils.", by=organiser)
        services.approve_panel_version(file, by=organiser)
        services.save_own_words(file, "I am proud of the club.")
    db.session.commit()
    _publish(panel)
    _open(client, file)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Kai started a coding club and teaches younger pupils." in html and "I am proud of the club." in html


def test_no_thanks_means_no_keepsake_and_no_certificate(client):
    file, _organiser, panel = _judged(winner=True)
    _publish(panel)
    _open(client, file)
    confirm = client.get("/nominated/no-thanks")
    client.post("/nominated/no-thanks", data={"csrf_token": csrf_from(confirm.get_data(as_text=True))})
    assert client.get(PAGE).status_code == 404
    assert client.get(PDF).status_code == 404
    assert keepsake.keepsake_for(file) is None


def test_a_revoked_link_or_a_withdrawn_file_gets_nothing(client):
    file, _organiser, panel = _judged(winner=True)
    _publish(panel)
    _open(client, file)
    assert client.get(PDF).status_code == 200
    for nomination in file.live_nominations:  # the nominator withdrew it
        nomination.status = nomination.status.WITHDRAWN
    db.session.commit()
    assert client.get(PDF).status_code == 404 and client.get(PAGE).status_code == 404
    assert "winner" not in client.get(PAGE).get_data(as_text=True).lower()


def test_a_new_link_revokes_the_old_one_for_the_keepsake_too(client):
    file, _organiser, panel = _judged(winner=True)
    _publish(panel)
    _open(client, file)
    with current_app.test_request_context():
        services.issue_link(file)
    db.session.commit()
    assert client.get(PDF).status_code == 404 and client.get(PAGE).status_code == 404


def test_strangers_and_every_signed_in_role_get_nothing(client):
    file, organiser, panel = _judged(winner=True)
    _publish(panel)
    assert client.get(PAGE).status_code == 404 and client.get(PDF).status_code == 404
    for role in (Role.ORGANISER, Role.NOMINATOR, Role.JUDGE, Role.CHAMPION, Role.BOARD, Role.DOOR_HELPER):
        other = current_app.test_client()
        user = organiser if role == Role.ORGANISER else make_user(role, email=f"{role.value}@example.org")
        sign_in(other, user)
        assert other.get(PAGE).status_code == 404, role
        assert other.get(PDF).status_code == 404, role


def test_each_nominee_sees_only_their_own_keepsake(client):
    event = open_event()
    winner, _o, panel = _judged(winner=True, event=event)
    other, _o2, _p = _judged(winner=False, event=event, email="zara@example.org", first="Zara")
    _publish(panel)
    _open(client, other)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Zara" in html and "Kai" not in html and "winner" not in html.lower()
    text = _text(client.get(PDF).data)
    assert "Zara" in text and "Kai" not in text and "winner" not in text.lower()
    assert winner.id != other.id


def test_the_demo_has_a_published_event_with_a_winner_and_a_nominee_who_each_have_a_working_link(app):
    from cpevents.demo import seed_demo
    from cpevents.events.models import Event
    from cpevents.nominations.models import NominationFile
    from cpevents.nominees.demo import KEEPSAKE_EVENT
    from cpevents.nominees.models import NomineeLink

    data = seed_demo()
    db.session.commit()
    assert data["keepsake_event"] == KEEPSAKE_EVENT
    event = db.session.execute(select(Event).where(Event.name == KEEPSAKE_EVENT)).scalar_one()
    files = db.session.execute(select(NominationFile).where(NominationFile.event_id == event.id)).scalars().all()
    keeps = [keepsake.keepsake_for(f) for f in files]
    assert all(keeps) and sorted(k.won for k in keeps) == [False, True]
    for file in files:
        links = db.session.execute(select(NomineeLink).where(NomineeLink.file_id == file.id)).scalars().all()
        assert any(services.link_works(link) for link in links)
    seed_demo()  # again: nothing added twice
    db.session.commit()
    assert db.session.execute(select(Event).where(Event.name == KEEPSAKE_EVENT)).scalars().all() == [event]
