"""The certificate a young person keeps (issue 20): the council's name and logo, a signature
line, and a file name with the shown name and the date in safe characters."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from cpevents.achievements.models import Achievement
from cpevents.young_people.models import NameShown
from tests.achievements.test_achievements import GOOD, carer, young_person  # noqa: F401 (carer is a fixture)
from tests.factories import post_form


def _certificate(client, person, **fields):
    post_form(client, f"/your-young-people/{person.public_id}/achievements/new", {**GOOD, **fields})
    achievement = db_achievement()
    return client.get(f"/achievements/{achievement.public_id}/certificate.pdf")


def db_achievement():
    from cpevents.extensions import db

    return db.session.execute(select(Achievement)).scalar_one()


def _text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def _images(data: bytes) -> int:
    page = PdfReader(io.BytesIO(data)).pages[0]
    xobjects = page["/Resources"].get("/XObject") or {}
    return len(xobjects)


def test_the_certificate_names_the_council_and_has_a_signature_line_and_the_logo(client, carer, app, monkeypatch):  # noqa: F811 - carer is the fixture imported above
    monkeypatch.setitem(app.config, "COUNCIL_NAME", "Riverside County Council")
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNATORY", "Director of Children's Services")
    person = young_person(carer, first_name="Zoë", last_name="O'Neil", name_shown=NameShown.FIRST_NAME)
    response = _certificate(client, person)
    text = _text(response.data)
    assert "Riverside County Council" in text
    assert "Signed" in text and "Director of Children's Services" in text
    assert "Zoë" in text and "O'Neil" not in text
    assert _images(response.data) >= 1  # the default logo that ships with the app


def test_the_file_name_carries_the_shown_name_and_date_in_safe_characters(client, carer):  # noqa: F811 - carer is the fixture imported above
    person = young_person(carer, first_name="Zoë", last_name="O'Neil", preferred_name="Zoë-Mae", name_shown=NameShown.FIRST_NAME)
    response = _certificate(client, person)
    assert response.headers["Content-Disposition"] == 'attachment; filename="certificate-Zoe-Mae-2025-03-12.pdf"'


def test_a_configured_logo_is_used_and_a_missing_one_falls_back_to_the_default(client, carer, app, monkeypatch, tmp_path):  # noqa: F811 - carer is the fixture imported above
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), (200, 0, 80)).save(logo)
    monkeypatch.setitem(app.config, "CERTIFICATE_LOGO", str(logo))
    person = young_person(carer)
    response = _certificate(client, person)
    assert response.status_code == 200 and _images(response.data) == 1
    monkeypatch.setitem(app.config, "CERTIFICATE_LOGO", str(tmp_path / "missing.png"))
    again = client.get(f"/achievements/{db_achievement().public_id}/certificate.pdf")
    assert again.status_code == 200 and _images(again.data) >= 1


# --- who can nominate from an achievement (issue 20) -------------------------------------------------


def test_a_champion_is_told_who_can_nominate_instead_of_nothing(client, app):
    from cpevents.core.enums import Role
    from tests.factories import make_user, sign_in

    champion = make_user(Role.CHAMPION)
    person = young_person(champion, first_name="Kai", name_shown=NameShown.FIRST_NAME)
    sign_in(client, champion)
    post_form(client, f"/your-young-people/{person.public_id}/achievements/new", GOOD)
    html = client.get(f"/achievements/{db_achievement().public_id}").get_data(as_text=True)
    assert "Corporate Parenting Champions cannot nominate" in html
    assert "social worker, personal adviser or carer can" in html
    assert f"mailto:{app.config['SUPPORT_EMAIL']}" in html
    assert "/nominate/" not in html


def test_an_organiser_reading_an_achievement_is_told_who_nominates(client, carer, app):  # noqa: F811 - carer is the fixture imported above
    from cpevents.core.enums import Role
    from tests.factories import make_user, sign_in

    person = young_person(carer, first_name="Kai")
    post_form(client, f"/your-young-people/{person.public_id}/achievements/new", GOOD)
    organiser = app.test_client()
    sign_in(organiser, make_user(Role.ORGANISER, totp=True))
    html = organiser.get(f"/achievements/{db_achievement().public_id}").get_data(as_text=True)
    assert "linked workers who nominate" in html and "/nominate/" not in html
