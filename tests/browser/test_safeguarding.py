"""Issue 13 in a real browser: an organiser approves a waiting account, keeps the trusted email
domains, and links, renews and ends a worker's link on a young person's record; the worker sees
the young person only while the link is current. axe runs on every page (see conftest)."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.test_records_and_email import (
    error_beside,
    live_db,
    sign_in,
    signed_in_organiser,
    unique_surname,
)


def test_organiser_approves_an_account_and_keeps_trusted_domains(new_visitor, live_server):
    waiting = live_server.make_account("nominator", name=f"Wren Waiting{uuid.uuid4().hex[:4]}", approved=False)
    # The waiting worker is told plainly, and sees nothing about young people.
    wren = new_visitor("waiting nominator")
    sign_in(wren, live_server, waiting)
    expect(wren.page.get_by_role("main")).to_contain_text("Your account is waiting for approval")
    expect(wren.page.get_by_role("link", name="Young people you work with")).to_have_count(0)
    response = wren.visit("/achievements")
    assert response.status == 403
    expect(wren.h1()).to_have_text("Your account is waiting for approval")

    olivia, _ = signed_in_organiser(new_visitor, live_server, "Oona Organiser")
    expect(olivia.page.get_by_role("heading", level=2, name="Accounts waiting for approval")).to_be_visible()
    olivia.follow("See every account waiting for approval")
    olivia.follow(waiting["name"])
    expect(olivia.page.get_by_role("main")).to_contain_text("Before you approve, check they are who they say")
    olivia.press(f"Approve {waiting['name']}’s account")
    expect(olivia.banner()).to_contain_text(f"{waiting['name']}'s account is approved")
    expect(olivia.page.get_by_role("main")).to_contain_text("by Oona Organiser")

    olivia.visit("/people/domains")
    expect(olivia.h1()).to_have_text("Trusted email domains")
    olivia.fill("Email domain", "gmail.com")
    olivia.fill("Whose domain is it?", "Nobody's")
    olivia.press("Add domain")
    error_beside(olivia, olivia.field("Email domain"), "is a public email service anyone can sign up to")
    expect(olivia.field("Whose domain is it?")).to_have_value("Nobody's")
    domain = f"partner-{uuid.uuid4().hex[:6]}.example.org"
    olivia.fill("Email domain", domain)
    olivia.press("Add domain")
    expect(olivia.banner()).to_contain_text(f"{domain} added")
    expect(olivia.page.get_by_role("cell", name=domain, exact=True)).to_be_visible()
    olivia.press(f"Remove {domain}")
    expect(olivia.banner()).to_contain_text(f"{domain} removed")

    # Once approved, the worker's pages open (still with nobody linked to them).
    wren.visit("/your-young-people")
    expect(wren.h1()).to_have_text("Young people you work with")
    expect(wren.page.get_by_role("main")).to_contain_text("Nominating a young person does not link you to them")


def test_organiser_links_renews_and_ends_a_workers_link(new_visitor, live_server):
    from datetime import date

    from cpevents.accounts.models import user_by_email
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    surname = unique_surname("Linkworth")
    worker = live_server.make_account("nominator", name="Wes Worker")
    with live_db(live_server) as db:
        person = create_young_person({"first_name": "Tobi", "last_name": surname, "date_of_birth": date(2010, 4, 3), "care_status": CareStatus.IN_CARE},
                                     by=user_by_email("organiser@demo.example.org"))
        db.session.commit()
        public_id = person.public_id

    olivia, _ = signed_in_organiser(new_visitor, live_server, "Lina Linker")
    olivia.visit(f"/young-people/{public_id}")
    expect(olivia.page.get_by_text("Nobody is linked now.")).to_be_visible()
    olivia.fill("Worker's email address", worker["email"])
    olivia.page.get_by_label("Social worker", exact=True).check()
    olivia.press("Link worker")
    expect(olivia.banner()).to_contain_text("Worker linked for 12 months")
    row = olivia.page.get_by_role("row").filter(has_text="Wes Worker")
    expect(row).to_contain_text("Linked")

    wes = new_visitor("worker")
    sign_in(wes, live_server, worker)
    wes.follow("Young people you work with")
    expect(wes.page.get_by_role("main")).to_contain_text("Tobi")
    expect(wes.page.get_by_role("main")).not_to_contain_text(surname)

    olivia.press("Renew for 12 months for Wes Worker")
    expect(olivia.banner()).to_contain_text("Link renewed: Wes Worker stays linked until")
    olivia.press("End link to Wes Worker")
    expect(olivia.banner()).to_contain_text("Link ended. Wes Worker can no longer see anything about Tobi")
    expect(olivia.page.get_by_role("heading", name="Links that have ended")).to_be_visible()

    wes.visit("/your-young-people")
    expect(wes.page.get_by_role("main")).not_to_contain_text("Tobi")
