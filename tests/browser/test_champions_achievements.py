"""Champions and the achievement log in a real browser, with axe on every page (see conftest).

- A carer records an achievement (by keyboard), downloads its certificate, then starts a
  nomination from it.
- Someone with no account applies to be a champion, confirms their email, and an organiser
  approves them.
- A board member reads the objective report and downloads the action plan spreadsheet.
"""

from __future__ import annotations

import io
import re
import uuid

from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_nominations import DEMO_EVENT
from tests.browser.test_records_and_email import (
    add_young_person,
    error_beside,
    fill_date,
    live_db,
    sign_in,
    unique_surname,
)


def _link_worker(live_server, young_person_id: str, worker_email: str):
    from cpevents.accounts.models import user_by_email
    from cpevents.young_people.models import WorkerRelationship
    from cpevents.young_people.queries import with_workers
    from cpevents.young_people.services import link_worker

    with live_db(live_server) as db:
        organiser = user_by_email(live_server.account("organiser")["email"])
        link_worker(with_workers(young_person_id), worker_email, WorkerRelationship.CARER, by=organiser)
        db.session.commit()


def test_carer_records_an_achievement_downloads_the_certificate_and_nominates(new_visitor, live_server):
    carer = live_server.make_account("nominator", name="Carla Carer")
    surname = unique_surname("Achiever")
    person = add_young_person(live_server, live_server.account("organiser")["email"], first_name="Remi", last_name=surname)
    _link_worker(live_server, person["public_id"], carer["email"])

    visitor = new_visitor("carer")
    sign_in(visitor, live_server, carer)
    visitor.follow("Young people you work with")
    expect(visitor.page.get_by_text(surname)).to_have_count(0)  # first name only
    visitor.click(visitor.page.get_by_role("main").get_by_role("link", name="Remi", exact=True))
    expect(visitor.h1()).to_have_text("Remi’s achievements")
    visitor.follow("Record an achievement")

    # Sent empty: every problem is explained beside its field.
    visitor.press("Save achievement")
    expect(visitor.error_summary()).to_be_visible()
    error_beside(visitor, visitor.field("What happened?"), "Describe what happened")
    error_beside(visitor, visitor.field("Who celebrated it with them?"), "Enter who celebrated it with them")

    # Filled in by keyboard.
    visitor.page.get_by_role("group", name="When did it happen?").get_by_label("Day", exact=True).focus()
    for value in ("2", "3", "2025"):
        visitor.page.keyboard.type(value)
        visitor.page.keyboard.press("Tab")
    visitor.page.keyboard.press("Space")  # the first area, Education
    expect(visitor.page.get_by_label("Education", exact=True)).to_be_checked()
    visitor.field("What happened?").focus()
    visitor.page.keyboard.type("Remi passed the first year of the bricklaying course.")
    visitor.page.keyboard.press("Tab")
    visitor.page.keyboard.type("Carla, with a cake")
    with visitor.page.expect_navigation():
        visitor.page.keyboard.press("Enter")
    visitor._landed()
    expect(visitor.banner()).to_contain_text("Achievement saved for Remi")
    expect(visitor.h1()).to_have_text("Education")

    with visitor.page.expect_download() as download:
        visitor.page.get_by_role("link", name="Download the certificate (PDF)").click()
    data = download.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Remi" in text and surname not in text
    assert "Remi passed the first year of the bricklaying course." in text and "2 March 2025" in text
    assert "Celebrated with Carla, with a cake" in text

    visitor.press(f"Nominate for {DEMO_EVENT}")
    expect(visitor.banner()).to_contain_text("We have started a nomination")
    expect(visitor.field("First name")).to_have_value("Remi")
    expect(visitor.field("Last name")).to_have_value(surname)


def test_someone_applies_to_be_a_champion_and_an_organiser_approves_them(new_visitor, live_server, smtp_sink):
    email = f"hana.{uuid.uuid4().hex[:8]}@example.org"
    applicant = new_visitor("applicant")
    applicant.visit("/register")
    applicant.follow("Apply without an account")
    expect(applicant.h1()).to_have_text("Apply to be a Corporate Parenting Champion")
    applicant.press("Send application")
    error_beside(applicant, applicant.field("Full name"), "Enter your full name")
    applicant.fill("Full name", "Hana Highways")
    applicant.fill("Work email address", email)
    applicant.fill("Job title", "Highways engineer")
    applicant.page.get_by_label("Highways", exact=True).check()
    applicant.page.get_by_label("Offer work experience or an apprenticeship", exact=True).check()
    applicant.fill("Your pledge in your own words", "A week on site for a care leaver every summer.")
    applicant.press("Send application")
    expect(applicant.h1()).to_have_text("Check your email")

    (mail,) = smtp_sink.wait_for(email)
    applicant.visit(smtp_sink.link(mail))
    applicant.press("Confirm and send my application")
    expect(applicant.page.locator(".govuk-panel")).to_contain_text("Application sent")

    organiser = new_visitor("organiser")
    account = live_server.make_account("organiser", name="Orla Organiser", totp=True)
    sign_in(organiser, live_server, account)
    organiser.follow("Decide on applications to be a Corporate Parenting Champion")
    organiser.follow("Hana Highways")
    expect(organiser.page.get_by_text("A week on site for a care leaver every summer.")).to_be_visible()
    organiser.press("Approve Hana Highways")
    expect(organiser.banner()).to_contain_text("Hana Highways is now a Corporate Parenting Champion")
    expect(organiser.banner()).to_contain_text("We have invited them to set a password")
    mails = smtp_sink.wait_for(email, count=3)
    assert {m["subject"] for m in mails} >= {"Welcome, Corporate Parenting Champion", "You have been invited to an account"}

    organiser.follow("Champions in each service")
    row = organiser.page.get_by_role("row").filter(has=organiser.page.get_by_role("cell", name="Highways", exact=True))
    expect(row).not_to_contain_text("None")


def test_board_member_reads_the_objective_report(new_visitor, live_server, second_factor_account):
    visitor = new_visitor("board")
    sign_in(visitor, live_server, second_factor_account("board", name="Bea Board"))
    visitor.follow("Achievements are celebrated: the objective report")
    expect(visitor.h1()).to_have_text("Achievements are celebrated: how we are doing")
    expect(visitor.page.get_by_role("table", name="Achievements by area")).to_be_visible()
    expect(visitor.page.get_by_role("img", name=re.compile("Achievements by area"))).to_be_visible()
    expect(visitor.page.get_by_role("table", name="Current champions by service")).to_contain_text("Libraries")
    # Attendance from the door: a table per kind of event held this year, or a sentence saying none was.
    expect(visitor.page.get_by_text(re.compile(r"who came|Attendance: no", re.IGNORECASE)).first).to_be_visible()
    with live_db(live_server) as db:
        from cpevents.young_people.models import YoungPerson

        surnames = {p.last_name for p in db.session.execute(db.select(YoungPerson)).scalars()}
    body = visitor.page.locator("main").inner_text()
    assert not any(re.search(rf"\b{re.escape(name)}\b", body) for name in surnames)
    with visitor.page.expect_download() as download:
        visitor.page.get_by_role("link", name=re.compile("Download the action plan")).click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet["B2"].value == "We will have Corporate Parenting Champions across the council"
    assert sheet["B3"].value == "Events that recognise and celebrate achievement, e.g. PROUD awards"


def test_champion_keeps_their_pledge_renews_and_finds_other_champions(new_visitor, live_server):
    from cpevents.accounts.models import user_by_email
    from cpevents.champions.models import Champion, ChampionStatus, PledgeKind
    from cpevents.champions.services import apply_signed_in, approve_champion

    account = live_server.make_account("nominator", name="Cleo Champion")
    with live_db(live_server, request=True) as db:
        from cpevents.champions.queries import active_services

        user = user_by_email(account["email"])
        record = apply_signed_in(user, job_title="Library manager", service=active_services()[0], pledges=[PledgeKind.MENTOR],
                                 pledge_words="Mentor a care leaver this year.")
        approve_champion(record, by=user_by_email(live_server.account("organiser")["email"]))
        from datetime import timedelta

        from cpevents.core.time import utcnow

        record.expires_at = utcnow() + timedelta(days=20)
        db.session.commit()
    visitor = new_visitor("champion")
    visitor.visit("/sign-in")
    visitor.fill("Email address", account["email"])
    visitor.fill("Password", account["password"])
    visitor.press("Sign in")
    visitor.visit("/champion")
    visitor.follow("Your pledge")
    visitor.press("Renew for another 12 months")
    expect(visitor.banner()).to_contain_text("You are a champion until")
    visitor.click(visitor.page.get_by_role("link", name=re.compile("Record what you did")))
    visitor.press("Save")
    error_beside(visitor, visitor.field("What did you do?"), "Describe what you did")
    fill_date(visitor, "3", "2", "2026", legend="When did you do it?")
    visitor.fill("What did you do?", "Met my mentee to plan her first job application.")
    visitor.press("Save")
    expect(visitor.page.get_by_text("Met my mentee to plan her first job application.")).to_be_visible()
    visitor.visit("/champion")
    visitor.follow("Other champions")
    expect(visitor.page.get_by_role("cell", name=re.compile("Cleo Champion"))).to_be_visible()
    visitor.visit("/champion")
    visitor.follow("Achievements to celebrate")
    expect(visitor.h1()).to_have_text("Achievements to celebrate")

    organiser = new_visitor("organiser")
    sign_in(organiser, live_server, live_server.make_account("organiser", name="Oona Organiser", totp=True))
    organiser.visit("/champions/services")
    organiser.press("Add service")
    error_beside(organiser, organiser.field("Name of the service"), "Enter the name of the service")
    with live_db(live_server) as db:
        assert db.session.query(Champion).filter(Champion.email == account["email"], Champion.status == ChampionStatus.APPROVED).count() == 1
