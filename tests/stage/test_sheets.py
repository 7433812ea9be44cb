"""The presenter's sheet, its sealed version and the photographer's list: what they show, and
what they must never show (a surname not chosen, a do-not-publish young person without the mark,
the winner before the sealed version, people not coming or not shortlisted)."""

from __future__ import annotations

import re

import pytest

from cpevents.audit.models import AuditEntry
from cpevents.extensions import db
from cpevents.invitations.models import AgeGroup, InvitationStatus, NameRead
from cpevents.judging.models import DecisionKind, JudgingDecision
from cpevents.stage import pdf as stage_pdf
from cpevents.stage.models import SealedPrint
from tests.factories import csrf_from, sign_in
from tests.stage.helpers import awards_night, nominee


@pytest.fixture
def night():
    return awards_night()


def _url(night, award, what="sheet"):
    return f"/events/{night.event.public_id}/running-order/{award.public_id}/{what}"


def _pdf_lines(monkeypatch) -> list[str]:
    """Every line of text written into the PDFs made from now on."""
    lines: list[str] = []
    original = stage_pdf._line

    def capture(pdf, text, **kwargs):
        lines.append(text)
        return original(pdf, text, **kwargs)

    monkeypatch.setattr(stage_pdf, "_line", capture)
    return lines


def _sealed(client, night, award, fmt="page"):
    token = csrf_from(client.get(_url(night, award, "sealed")).get_data(as_text=True))
    return client.post(_url(night, award, "sealed"), data={"csrf_token": token, "format": fmt})


def test_names_are_read_as_chosen_and_no_surname_is_printed_unless_chosen(client, night, monkeypatch):
    award = night.awards[0]
    nominee(night, award, first_name="Amara", last_name="Osei", name_read=NameRead.FULL_NAME, name_pronunciation="a-MAR-a oh-SAY")
    nominee(night, award, first_name="Benjamin", preferred_name="Ben", last_name="Quartley", name_read=NameRead.FIRST_NAME)
    nominee(night, award, first_name="Carys", last_name="Zellweger", name_read=NameRead.NO_NAME, name_pronunciation="KAR-iss",
            panel_text="Carys Zellweger never gave up, said Carys's tutor.")
    sign_in(client, night.organiser)
    lines = _pdf_lines(monkeypatch)
    page = client.get(_url(night, award)).get_data(as_text=True)
    as_pdf = client.get(_url(night, award, "sheet.pdf"))
    assert as_pdf.headers["Content-Type"] == "application/pdf" and as_pdf.data.startswith(b"%PDF")
    printed = "\n".join(lines)
    for text in (page, printed):
        assert "Amara Osei" in text and "a-MAR-a oh-SAY" in text
        assert "Ben" in text and "Benjamin" not in text and "Quartley" not in text
        assert "Do not read a name" in text
        assert "Carys" not in text and "Zellweger" not in text and "KAR-iss" not in text
        assert "this young person never gave up" in text


def test_do_not_publish_is_always_marked_and_its_surname_never_printed(client, night, monkeypatch):
    award = night.awards[0]
    nominee(night, award, first_name="Dana", last_name="Farrowmere", name_read=NameRead.FULL_NAME, do_not_publish=True,
            guests=[("Aunt Jo", AgeGroup.ADULT)])
    nominee(night, award, first_name="Eli", last_name="Grangetown", name_read=NameRead.FULL_NAME, contact_restriction=True,
            contact_restriction_note="Birth father must not know the venue")
    sign_in(client, night.organiser)
    lines = _pdf_lines(monkeypatch)
    page = client.get(_url(night, award)).get_data(as_text=True)
    client.get(_url(night, award, "sheet.pdf"))
    photos = client.get(f"/events/{night.event.public_id}/photographers-list").get_data(as_text=True)
    client.get(f"/events/{night.event.public_id}/photographers-list.pdf")
    printed = "\n".join(lines)
    for text in (page, printed, photos):
        assert "Farrowmere" not in text and "Grangetown" not in text and "Birth father" not in text
        assert "DO NOT PUBLISH" in text
    # Each on the sheet carries its mark, next to its name; nobody in a guarded party may be photographed.
    dana = page[page.index("Dana"):page.index("</li>", page.index("Dana"))]
    assert "DO NOT PUBLISH" in dana and "No photos" in dana
    eli = page[page.index("Eli"):page.index("</li>", page.index("Eli"))]
    assert "Check with an organiser" in eli and "No photos" in eli
    may = photos[photos.index('id="photos-ok"'):]
    assert "Dana" not in may and "Eli" not in may and "Aunt Jo" not in may


def test_the_plain_sheet_never_gives_the_winner_away(client, night, monkeypatch):
    award = night.awards[0]
    first = nominee(night, award, first_name="Fatima", last_name="Hale", winner=True)
    second = nominee(night, award, first_name="Zed", last_name="Ives")
    sign_in(client, night.organiser)
    lines = _pdf_lines(monkeypatch)
    before = client.get(_url(night, award)).get_data(as_text=True)
    client.get(_url(night, award, "sheet.pdf"))
    pdf_before = list(lines)
    # The panel changes its mind: the other young person wins.
    file_of = {i.young_person_id: i for i in (first, second)}
    from cpevents.nominations.models import NominationFile

    files = db.session.execute(db.select(NominationFile).where(NominationFile.young_person_id.in_(list(file_of)))).scalars().all()
    for f in files:
        db.session.add(JudgingDecision(panel_id=night.panel.id, file_id=f.id, kind=DecisionKind.WINNER,
                                       chosen=f.young_person_id == second.young_person_id, reason="t"))
    db.session.commit()
    lines.clear()
    after = client.get(_url(night, award)).get_data(as_text=True)
    client.get(_url(night, award, "sheet.pdf"))
    assert before == after and pdf_before == lines  # not a word, mark or order differs
    assert "Winner: in the sealed envelope." in after and "Winner: in the sealed envelope." in lines
    assert not re.search(r"winner:\s*(Fatima|Zed)", after, re.I)


def test_the_sealed_sheet_names_the_winner_and_each_printing_is_recorded(client, night, monkeypatch):
    award = night.awards[0]
    winner = nominee(night, award, first_name="Gus", last_name="Jarvis", winner=True)
    nominee(night, award, first_name="Hana", last_name="Kemp")
    sign_in(client, night.organiser)
    running = f"/events/{night.event.public_id}/running-order"
    assert "has not been printed" in client.get(running).get_data(as_text=True)
    assert client.get(_url(night, award, "sealed")).status_code == 200  # opening the page records nothing
    assert db.session.execute(db.select(db.func.count(SealedPrint.id))).scalar_one() == 0

    page = _sealed(client, night, award)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "SEALED" in html and re.search(r"Winner:\s*Gus", html) and "Jarvis" not in html
    lines = _pdf_lines(monkeypatch)
    as_pdf = _sealed(client, night, award, fmt="pdf")
    assert as_pdf.headers["Content-Type"] == "application/pdf" and "Winner: Gus" in lines

    prints = db.session.execute(db.select(SealedPrint).order_by(SealedPrint.id)).scalars().all()
    assert [(p.printed_by_id, p.as_pdf) for p in prints] == [(night.organiser.id, False), (night.organiser.id, True)]
    audit = db.session.execute(db.select(AuditEntry).where(AuditEntry.young_person_id == winner.young_person_id,
                                                           AuditEntry.detail.like("%sealed%"))).scalars().all()
    assert len(audit) == 2 and all(a.actor_id == night.organiser.id for a in audit)
    listing = client.get(running).get_data(as_text=True)
    assert f"Sealed sheet printed: {night.organiser.name}" in listing and "(PDF)" in listing


def test_a_sealed_print_without_the_form_token_is_refused_and_not_recorded(client, night):
    award = night.awards[0]
    nominee(night, award, winner=True)
    sign_in(client, night.organiser)
    response = client.post(_url(night, award, "sealed"), data={"format": "page"})
    assert response.status_code == 400 and "Winner:" not in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(SealedPrint.id))).scalar_one() == 0


def test_only_shortlisted_young_people_who_are_coming_are_on_the_sheet(client, night, monkeypatch):
    award, other = night.awards
    nominee(night, award, first_name="Iris", last_name="Lomax")
    nominee(night, award, first_name="Jude", shortlisted=False)
    nominee(night, award, first_name="Kofi", status=InvitationStatus.NOT_COMING)
    nominee(night, award, first_name="Lena", status=InvitationStatus.NOT_REPLIED)
    nominee(night, award, first_name="Mo", status=InvitationStatus.WAITING)
    nominee(night, other, first_name="Nell")
    erased = nominee(night, award, first_name="Orla")
    from cpevents.core.enums import Role
    from cpevents.privacy.erasure import confirm_erasure, request_erasure
    from tests.factories import make_user

    # A young person's erasure takes two organisers; the record stays, blanked, and still "coming".
    asked = request_erasure(erased.young_person, reason="Asked by email", by=night.organiser)
    confirm_erasure(asked, by=make_user(Role.ORGANISER))
    db.session.commit()
    sign_in(client, night.organiser)
    lines = _pdf_lines(monkeypatch)
    page = client.get(_url(night, award)).get_data(as_text=True)
    client.get(_url(night, award, "sheet.pdf"))
    for text in (page, "\n".join(lines)):
        assert "Iris" in text
        for absent in ("Jude", "Kofi", "Lena", "Mo", "Nell", "Orla", "Erased"):
            assert absent not in text
    running = client.get(f"/events/{night.event.public_id}/running-order").get_data(as_text=True)
    assert "3 more shortlisted are not coming" in running


def test_the_citation_is_the_panel_version_never_the_nominators_words(client, night):
    award = night.awards[0]
    nominee(night, award, first_name="Pia", panel_text="Pia trained for a year and ran her first race. " + "She kept going. " * 40)
    nominee(night, award, first_name="Quin", panel_text=None)
    sign_in(client, night.organiser)
    page = client.get(_url(night, award)).get_data(as_text=True)
    assert "Hillside School" not in page
    assert "Pia trained for a year" in page and "She kept going. " * 30 not in page
    assert "No panel version of the nomination yet" in page


def test_the_photographers_list_shows_shown_names_and_every_guest(client, night):
    award = night.awards[0]
    nominee(night, award, first_name="Rae", last_name="Underhill", photos=True, guests=[("Mum", AgeGroup.ADULT)])
    nominee(night, award, first_name="Sol", last_name="Varga", photos=False)
    from cpevents.young_people.models import NameShown

    nominee(night, award, first_name="Tia", last_name="Wren", photos=True, name_shown=NameShown.FULL_NAME)
    nominee(night, award, first_name="Uma", status=InvitationStatus.NOT_COMING)
    sign_in(client, night.organiser)
    page = client.get(f"/events/{night.event.public_id}/photographers-list").get_data(as_text=True)
    no, yes = page[page.index('id="no-photos"'):page.index('id="photos-ok"')], page[page.index('id="photos-ok"'):]
    assert "Sol" in no and "Said no to photos" in no
    assert "Rae" in yes and "Tia Wren" in yes
    assert "Underhill" not in page and "Varga" not in page and "Uma" not in page
    # Mum's answer was not asked in this test, so she counts as no.
    assert "Mum" in no and "Guest of Rae" in no


def test_the_running_order_costs_the_same_queries_however_many_nominees(client, night):
    from tests.factories import queries_for

    sign_in(client, night.organiser)
    path = f"/events/{night.event.public_id}/running-order"
    nominee(night, night.awards[0])
    few = queries_for(client, path)
    for award in night.awards:
        for _ in range(4):
            nominee(night, award)
    assert queries_for(client, path) == few
