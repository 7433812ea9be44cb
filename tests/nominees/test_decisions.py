"""The shortlist decision reaches the young person (issue 16, part A): shortlisted, or not this
time with the reason and thanks; never to one who said no thanks; never emailed to a young
person with a contact restriction without an organiser; winners stay secret."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import select

from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.judging.models import DecisionKind
from cpevents.judging.services import create_panel, decide, release_shortlist
from cpevents.mail.models import OutboxMessage
from cpevents.nominations.models import YesNo
from cpevents.nominees import services
from cpevents.nominees.models import Decision, NomineeNotice, NoticeState
from tests.factories import csrf_from, make_user, post_form, sign_in
from tests.judging.helpers import ready_to_release
from tests.nominations.test_journey import open_event
from tests.nominees.helpers import accept, emails_to, file_to_accept, link_in

MESSAGE = "There were 40 brilliant nominations and only 12 places on the shortlist."
CHOSEN_REASON = "SECRET-PANEL-REASON top of the ranking"
WINNER_REASON = "SECRET-WINNER-REASON"


def _files(**people):
    """One event; each keyword is a first name with the options for `file_to_accept`."""
    event = open_event()
    files, organiser = {}, None
    for first, options in people.items():
        file, organiser, _ = file_to_accept(event=event, first=first, email=options.pop("email", f"{first.lower()}@example.org"), **options)
        accept(file, organiser)
        files[first] = file
    panel = create_panel(event, by=organiser)
    db.session.commit()
    return event, panel, files, organiser


def _release(panel, files, organiser, shortlisted=(), winners=(), message=MESSAGE):
    judge = ready_to_release(panel.event, panel, [f for f in files.values() if f.live_nominations])
    assert judge
    for name, file in files.items():
        if file.live_nominations:
            decide(panel, file, DecisionKind.SHORTLIST, name in shortlisted, CHOSEN_REASON, by=organiser)
            if name in winners:
                decide(panel, file, DecisionKind.WINNER, True, WINNER_REASON, by=organiser)
    with current_app.test_request_context():
        release_shortlist(panel, by=organiser, message=message)
    db.session.commit()


def _decision_emails(address: str) -> list[OutboxMessage]:
    return [m for m in emails_to(address) if m.template == "nominees/decision"]


def _page(client, message: OutboxMessage) -> str:
    assert client.get(link_in(message)).status_code == 302
    return client.get("/nominated").get_data(as_text=True)


def test_shortlisted_and_not_this_time_by_email_with_a_neutral_subject_and_winners_kept_secret(client):
    event, panel, files, organiser = _files(Ava={}, Ben={})
    staff = current_app.test_client()
    sign_in(staff, organiser)
    line_page = f"/nomination-files/{files['Ben'].public_id}/personal-line"
    assert staff.get(line_page).status_code == 200
    bad = post_form(staff, line_page, {"line": "<i>x</i>"})
    assert bad.status_code == 400 and "without &lt; or &gt;" in bad.get_data(as_text=True)
    assert post_form(staff, line_page, {"line": "Ben, your football coaching was talked about a lot."}).status_code == 302
    _release(panel, files, organiser, shortlisted={"Ava"}, winners={"Ava"})

    (good,) = _decision_emails("ava@example.org")
    (kind,) = _decision_emails("ben@example.org")
    for message in (good, kind):
        assert message.subject == services.DECISION_SUBJECT
        for word in ("shortlist", "winner", "won", "award", "nominat", "care", "sorry", "congrat"):
            assert word not in message.subject.lower(), word
        body = message.text_body + message.html_body
        assert message.has_personal_links and "/n/" not in body  # the link only in the body, sealed as a secret
        for secret in ("winner", "won ", WINNER_REASON, CHOSEN_REASON, files["Ava"].category.name):
            assert secret.lower() not in body.lower(), secret
    assert "put you on the shortlist" in good.text_body and "not shortlisted" not in good.text_body
    assert "not shortlisted this time" in kind.text_body and MESSAGE in kind.text_body and "Thank you" in kind.text_body
    assert "football coaching" in kind.text_body and "football coaching" not in good.text_body

    ava_page = _page(client, good)
    assert "You are on the shortlist" in ava_page and "invitation" in ava_page
    assert "winner" not in ava_page.lower() and WINNER_REASON not in ava_page
    ben = current_app.test_client()
    ben_page = _page(ben, kind)
    assert "not shortlisted this time" in ben_page and MESSAGE in ben_page and "football coaching" in ben_page
    assert "You are on the shortlist" not in ben_page and "Ava" not in ben_page
    # the organiser sees what was sent
    review = staff.get(f"/nomination-files/{files['Ben'].public_id}").get_data(as_text=True)
    assert "not shortlisted this time, sent" in review
    # never twice: telling again or the daily job sends nothing more
    with current_app.test_request_context():
        services.tell_due()
    db.session.commit()
    assert len(_decision_emails("ava@example.org")) == 1 and len(_decision_emails("ben@example.org")) == 1


def test_declined_is_never_sent_anything(app):
    event, panel, files, organiser = _files(Cara={}, Dan={})
    with current_app.test_request_context():
        services.say_no_thanks(files["Cara"])
    db.session.commit()
    before = len(emails_to("cara@example.org"))
    _release(panel, files, organiser, shortlisted={"Dan"})
    assert len(emails_to("cara@example.org")) == before and _decision_emails("cara@example.org") == []
    notice = services.notice_for(files["Cara"])
    assert notice.state == NoticeState.DECLINED and notice.decision is None
    assert len(_decision_emails("dan@example.org")) == 1


def test_contact_restriction_is_never_emailed_without_an_organiser(client):
    event, panel, files, organiser = _files(Eve={"contact_restriction": True}, Finn={"contact_restriction": True})
    # Finn's organiser already let the service tell them; Eve is still waiting for an organiser.
    with current_app.test_request_context():
        services.organiser_tells(files["Finn"], by=organiser)
    db.session.commit()
    assert services.notice_for(files["Eve"]).state == NoticeState.WAITING_FOR_ORGANISER
    _release(panel, files, organiser, shortlisted={"Eve"})
    assert emails_to("eve@example.org") == [] and _decision_emails("finn@example.org") == []
    with current_app.test_request_context():
        services.tell_due()
    db.session.commit()
    assert emails_to("eve@example.org") == [] and _decision_emails("finn@example.org") == []

    # Finn: an organiser sends the decision (GET changes nothing; a nominator cannot)
    path = f"/nomination-files/{files['Finn'].public_id}/send-decision"
    nominator_client = current_app.test_client()
    sign_in(nominator_client, make_user(Role.NOMINATOR, email="someone@example.org"))
    assert nominator_client.get(path).status_code == 403
    sign_in(client, organiser)
    review = client.get(f"/nomination-files/{files['Finn'].public_id}").get_data(as_text=True)
    assert "Send the decision to the young person" in review
    page = client.get(path)
    assert page.status_code == 200 and "contact restriction" in page.get_data(as_text=True)
    assert _decision_emails("finn@example.org") == []
    assert post_form(client, path, {}).status_code == 302
    (sent,) = _decision_emails("finn@example.org")
    assert "not shortlisted this time" in sent.text_body
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.detail.like("Sent the shortlist decision%"))).scalar_one()
    assert entry.actor_id == organiser.id
    assert client.get(path).status_code == 404  # nothing waiting any more

    # Eve: the organiser's "Tell the young person" brings the decision with the same link
    assert post_form(client, f"/nomination-files/{files['Eve'].public_id}/tell-young-person", {}).status_code == 302
    (told,) = [m for m in emails_to("eve@example.org") if m.template == "nominees/told"]
    (decision,) = _decision_emails("eve@example.org")
    assert link_in(told) == link_in(decision)
    eve = current_app.test_client()
    assert "You are on the shortlist" in _page(eve, decision)


def test_waiting_for_the_nominator_hears_the_decision_once_told(client):
    event, panel, files, organiser = _files(Gus={"knows": YesNo.NO})
    _release(panel, files, organiser, shortlisted=set())
    assert emails_to("gus@example.org") == []
    nomination = files["Gus"].live_nominations[0]
    with current_app.test_request_context():
        services.nominator_has_told(files["Gus"], nomination.nominator)
    db.session.commit()
    assert len(_decision_emails("gus@example.org")) == 1
    assert "not shortlisted this time" in _page(client, _decision_emails("gus@example.org")[0])


def test_without_email_the_decision_is_on_their_page_and_in_the_letter(client):
    event, panel, files, organiser = _files(Hana={"email": ""})
    _release(panel, files, organiser, shortlisted={"Hana"})
    assert db.session.execute(select(OutboxMessage).where(OutboxMessage.template == "nominees/decision")).first() is None
    notice = services.notice_for(files["Hana"])
    assert notice.state == NoticeState.LETTER_TO_HAND and notice.decision == Decision.SHORTLISTED and notice.decision_sent_at is None
    sign_in(client, organiser)
    letters = client.get("/nominees/letters").get_data(as_text=True)
    assert "decision (shortlisted), not printed yet" in letters
    printed = post_form(client, "/nominees/letters", {}).get_data(as_text=True)
    assert "You are on the shortlist" in printed and "winner" not in printed.lower()
    db.session.expire_all()
    assert services.notice_for(files["Hana"]).decision_sent_at is not None
    # their page (through the letter's link) shows it too
    url = printed.split('class="address">', 1)[1].split("<", 1)[0]
    hana = current_app.test_client()
    response = hana.get(re.sub(r"^https?://[^/]+", "", url.strip()))
    assert response.status_code == 302 and response.headers["Location"].endswith("/nominated")
    assert "You are on the shortlist" in hana.get("/nominated").get_data(as_text=True)


def test_nothing_before_release(client):
    event, panel, files, organiser = _files(Ivy={})
    decide(panel, files["Ivy"], DecisionKind.SHORTLIST, True, CHOSEN_REASON, by=organiser)
    db.session.commit()
    (told,) = emails_to("ivy@example.org")
    page = _page(client, told)
    assert "shortlist" not in page.lower() and _decision_emails("ivy@example.org") == []
    token = csrf_from(page)
    assert token


def test_personal_line_and_send_decision_are_organisers_only(client):
    event, panel, files, organiser = _files(Jo={})
    sign_in(client, make_user(Role.JUDGE, email="judge-x@example.org"))
    assert client.get(f"/nomination-files/{files['Jo'].public_id}/personal-line").status_code == 403
    assert client.get(f"/nomination-files/{files['Jo'].public_id}/send-decision").status_code == 403


def test_demo_has_a_chosen_name_and_both_decisions(app):
    from cpevents.demo import seed_demo

    data = seed_demo()
    db.session.commit()
    # two in the current awards, and last month's winner and nominee (both shortlisted before the evening)
    assert data["nominee_decisions"] == {Decision.SHORTLISTED.value: 3, Decision.NOT_THIS_TIME.value: 1}
    named = db.session.execute(select(NomineeNotice).where(NomineeNotice.state == NoticeState.TOLD)).scalars().all()
    assert any(n.file.young_person.name_pronunciation for n in named)
    again = seed_demo()
    db.session.commit()
    assert again["nominee_decisions"] == data["nominee_decisions"]
