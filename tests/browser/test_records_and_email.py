"""Journeys through young people's records and the organisers' email page, in a real browser,
read the way a person reads the page. Each page is checked with axe on arrival (see conftest).

The live database is shared by every browser test in the session, so a test that changes
something makes its own records (young people with a unique surname, its own failed email,
its own batch) and reads anything else it needs from the database instead of assuming it."""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from datetime import date

from playwright.sync_api import expect

DEMO_BATCH = "PROUD Awards 2026 invitations (demo)"
DEMO_FAILED_ADDRESS = "no-such-mailbox@young.example.org"


# --- helpers -----------------------------------------------------------------------------------------


@contextmanager
def live_db(live_server, request: bool = False):
    """The live app's database, for setting up data and reading what the page should say."""
    from cpevents.extensions import db

    context = live_server.app.test_request_context() if request else live_server.app.app_context()
    with context:
        try:
            yield db
        finally:
            db.session.remove()


def unique_surname(base: str) -> str:
    """A surname nobody else in the shared database has: 'Penrose-Bkfhda'."""
    letters = uuid.uuid4().hex[:6].translate(str.maketrans("0123456789", "ghijklmnop"))
    return f"{base}-{letters.capitalize()}"


def error_beside(visitor, field_locator, message: str):
    """The field's GOV.UK error message: shown in its form group and read out with the field."""
    group = visitor.page.locator(".govuk-form-group--error").filter(has=field_locator)
    # (not the character count's own "You have 12 characters too many", styled as an error too)
    expect(group.locator(".govuk-error-message:not(.govuk-character-count__status)")).to_contain_text(message)
    expect(field_locator).to_have_accessible_description(re.compile(re.escape(message)))


def sign_in(visitor, live_server, account: dict):
    visitor.visit("/sign-in")
    expect(visitor.h1()).to_have_text("Sign in")
    visitor.fill("Email address", account["email"])
    visitor.fill("Password", account["password"])
    visitor.press("Sign in")
    if account.get("totp_secret"):
        expect(visitor.h1()).to_have_text("Enter the code from your authenticator app")
        visitor.fill("Code", live_server.totp_code(account["email"], account["totp_secret"]))
        visitor.press("Continue")
    expect(visitor.h1()).to_have_text(f"Hello, {account['name']}")


def signed_in_organiser(new_visitor, live_server, name: str):
    """An organiser of the test's own, with their own authenticator secret, signed in."""
    account = live_server.make_account("organiser", name=name, totp=True)
    visitor = new_visitor("organiser")
    sign_in(visitor, live_server, account)
    return visitor, account


def add_young_person(live_server, organiser_email: str, **fields) -> dict:
    """A young person added by an organiser in the live database (through the service, so the
    audit trail and duplicate matching work as they do for records added on the page)."""
    from cpevents.accounts.models import user_by_email
    from cpevents.young_people.models import CareStatus, NameShown
    from cpevents.young_people.services import create_young_person

    values = {
        "first_name": "Sam",
        "last_name": unique_surname("Example"),
        "preferred_name": "",
        "date_of_birth": date(2009, 5, 17),
        "care_status": CareStatus.IN_CARE,
        "district": "",
        "email": "",
        "name_shown": NameShown.FIRST_NAME,
        "do_not_publish": False,
        "contact_restriction": False,
        "contact_restriction_note": "",
        **fields,
    }
    with live_db(live_server) as db:
        person = create_young_person(values, by=user_by_email(organiser_email))
        db.session.commit()
        return {**values, "public_id": person.public_id, "full_name": person.full_name}


def overall_counts(live_server):
    from cpevents.mail.queries import overall_counts as counts

    with live_db(live_server):
        return counts()


def count_paragraph(visitor, label: str):
    """One of the three big numbers at the top of the email page: '<n> waiting to send'."""
    return visitor.page.locator("#email-progress p.govuk-body").filter(has_text=re.compile(rf"^\s*\d+\s+{label}\s*$"))


def batch_progress_cell(visitor, batch_name: str):
    row = visitor.page.get_by_role("table", name="Email batches, newest first").get_by_role("row").filter(has_text=batch_name)
    expect(row).to_have_count(1)
    return row.get_by_role("cell").nth(2)


def summary_value(visitor, key: str):
    """The value beside a key in a GOV.UK summary list."""
    row = visitor.page.locator(".govuk-summary-list__row").filter(has=visitor.page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$")))
    return row.locator(".govuk-summary-list__value")


def assert_ids_unique(visitor):
    """Two elements with one id break labels and error-summary links (the label and the link
    go to the first element with the id), and axe no longer reports it, so check directly."""
    duplicates = visitor.page.evaluate(
        """() => { const seen = {}; for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
                   return Object.keys(seen).filter(id => seen[id] > 1); }"""
    )
    assert not duplicates, f"ids used more than once on {visitor.path}: {duplicates}"


def date_group(visitor, legend: str = "Date of birth"):
    return visitor.page.get_by_role("group", name=legend)


def fill_date(visitor, day: str, month: str, year: str, legend: str = "Date of birth"):
    group = date_group(visitor, legend)
    group.get_by_label("Day", exact=True).fill(day)
    group.get_by_label("Month", exact=True).fill(month)
    group.get_by_label("Year", exact=True).fill(year)


# 1 ---------------------------------------------------------------------------------------------------


def test_organiser_sees_email_counts_and_retries_then_cancels_a_failed_email(new_visitor, live_server):
    from cpevents.mail.models import MessageStatus
    from cpevents.mail.services import queue_email

    # A failed message of this test's own, so the demo batch stays as it was for other tests.
    address = f"bounce-{uuid.uuid4().hex[:10]}@young.example.org"
    subject = f"Your invitation to the awards evening ({uuid.uuid4().hex[:6]})"
    with live_db(live_server, request=True) as db:
        message = queue_email("demo/invitation", to=address, subject=subject, first_name="Zara")
        message.status, message.attempts, message.undeliverable = MessageStatus.FAILED, 1, True
        message.last_error = "The receiving mail server refused this address"
        db.session.commit()

    olivia, _ = signed_in_organiser(new_visitor, live_server, "Orla Organiser")
    counts = overall_counts(live_server)
    olivia.click(olivia.service_navigation().get_by_role("link", name="Email", exact=True))
    expect(olivia.h1()).to_have_text("Email")
    expect(olivia.service_navigation().get_by_role("link", name="Email", exact=True)).to_have_attribute("aria-current", "page")

    expect(count_paragraph(olivia, "waiting to send")).to_have_text(re.compile(rf"^\s*{counts.queued}\s+waiting to send\s*$"))
    expect(count_paragraph(olivia, "sent")).to_have_text(re.compile(rf"^\s*{counts.sent}\s+sent\s*$"))
    expect(count_paragraph(olivia, "failed")).to_have_text(re.compile(rf"^\s*{counts.failed}\s+failed\s*$"))
    assert counts.failed >= 2  # the demo one and this test's own

    expect(olivia.page.get_by_role("heading", level=2, name="Batches")).to_be_visible()
    expect(batch_progress_cell(olivia, DEMO_BATCH)).to_contain_text("12 of 13 sent")

    olivia.click(olivia.page.get_by_role("navigation", name="Filter messages by status").get_by_role("link", name="Failed", exact=True))
    assert olivia.path == "/emails?status=failed"
    expect(olivia.page.get_by_role("navigation", name="Filter messages by status").locator("strong")).to_have_text("Failed")
    messages = olivia.page.get_by_role("table", name="Messages")
    rows = messages.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(counts.failed)
    for status_cell in rows.locator("td:nth-child(3) .govuk-tag").all():
        expect(status_cell).to_have_text("Failed")
    expect(rows.filter(has_text=DEMO_FAILED_ADDRESS)).to_contain_text("Address refused")
    mine = rows.filter(has_text=address)
    expect(mine).to_contain_text("Address refused")

    olivia.click(mine.get_by_role("link", name=subject, exact=True))
    expect(olivia.h1()).to_have_text(subject)
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text("Email")
    expect(summary_value(olivia, "To")).to_have_text(address)
    expect(summary_value(olivia, "Status")).to_have_text("Failed – the receiving server refused this address")
    expect(summary_value(olivia, "Last problem")).to_have_text("The receiving mail server refused this address")
    expect(olivia.page.get_by_role("heading", level=2, name="What it says")).to_be_visible()
    expect(olivia.page.locator(".app-email-text")).to_contain_text("Zara")

    olivia.press("Try sending again")
    expect(olivia.banner()).to_contain_text("The email will be sent again in the next few seconds.")
    expect(olivia.h1()).to_have_text(subject)
    expect(summary_value(olivia, "Status")).to_have_text("Waiting to send")
    expect(summary_value(olivia, "Tries")).to_have_text("0 of 10")
    expect(summary_value(olivia, "Last problem")).to_have_text("None")
    expect(olivia.page.get_by_role("button", name="Try sending again")).to_have_count(0)

    olivia.press("Cancel this email")
    expect(olivia.banner()).to_contain_text("The email has been cancelled. It will not be sent.")
    expect(summary_value(olivia, "Status")).to_have_text("Cancelled")
    expect(olivia.page.get_by_role("button", name="Cancel this email")).to_have_count(0)
    expect(olivia.page.get_by_role("button", name="Try sending again")).to_be_visible()

    olivia.follow("Back to email")
    expect(olivia.h1()).to_have_text("Email")
    expect(count_paragraph(olivia, "failed")).to_have_text(re.compile(rf"^\s*{counts.failed - 1}\s+failed\s*$"))


# 2 ---------------------------------------------------------------------------------------------------


def test_organiser_finds_changes_and_audits_a_young_persons_record(new_visitor, live_server):
    from cpevents.young_people.queries import search_young_people

    olivia, organiser = signed_in_organiser(new_visitor, live_server, "Oona Organiser")
    person = add_young_person(live_server, organiser["email"], first_name="Elowen", last_name=unique_surname("Penrose"),
                              date_of_birth=date(2010, 6, 14), district="Riverside")
    with live_db(live_server):
        _, total = search_young_people()

    olivia.click(olivia.service_navigation().get_by_role("link", name="Young people", exact=True))
    expect(olivia.h1()).to_have_text("Young people")
    expect(olivia.page.get_by_role("heading", level=2, name=f"{total} young people")).to_be_visible()
    expect(olivia.page.get_by_text("Only organisers can see this list.")).to_be_visible()

    olivia.fill("Search by name or district", person["last_name"])
    olivia.press("Search")
    expect(olivia.page.get_by_role("heading", level=2, name="1 young person")).to_be_visible()
    expect(olivia.field("Search by name or district")).to_have_value(person["last_name"])
    results = olivia.page.get_by_role("table", name="1 young person")
    expect(results.locator("tbody").get_by_role("row")).to_have_count(1)
    expect(results.locator("tbody")).to_contain_text("In care")

    olivia.follow(f"{person['last_name']}, Elowen")
    expect(olivia.h1()).to_have_text(f"Elowen {person['last_name']}")
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text("In care")
    expect(summary_value(olivia, "Date of birth")).to_contain_text("14 June 2010")
    expect(summary_value(olivia, "District")).to_have_text("Riverside")
    expect(olivia.page.locator(".govuk-warning-text")).to_have_count(0)

    olivia.follow("Change these details or safety flags")
    expect(olivia.h1()).to_have_text(f"Change Elowen {person['last_name']}")
    expect(olivia.field("First name")).to_have_value("Elowen")
    assert_ids_unique(olivia)
    expect(date_group(olivia).get_by_label("Year", exact=True)).to_have_value("2010")

    olivia.fill("First name", "")
    fill_date(olivia, "31", "2", "2010")
    olivia.fill("District (optional)", "Harbourside")
    olivia.press("Save")

    expect(olivia.page).to_have_title(re.compile(r"^Error: "))
    summary = olivia.error_summary()
    expect(summary.get_by_role("link", name="Enter their first name")).to_be_visible()
    expect(summary.get_by_role("link", name="Date of birth must be a real date, like 27 3 2007")).to_be_visible()
    error_beside(olivia, olivia.field("First name"), "Enter their first name")
    error_beside(olivia, date_group(olivia), "Date of birth must be a real date, like 27 3 2007")
    expect(olivia.page.locator(".govuk-error-message")).to_have_count(2)
    assert_ids_unique(olivia)
    # The summary's link takes you to the first box of the date (a jump within the page).
    summary.get_by_role("link", name="Date of birth must be a real date, like 27 3 2007").click()
    expect(date_group(olivia).get_by_label("Day", exact=True)).to_be_focused()
    # what was typed is kept
    expect(olivia.field("Last name")).to_have_value(person["last_name"])
    expect(olivia.field("District (optional)")).to_have_value("Harbourside")
    expect(date_group(olivia).get_by_label("Day", exact=True)).to_have_value("31")
    expect(date_group(olivia).get_by_label("Month", exact=True)).to_have_value("2")
    expect(date_group(olivia).get_by_label("Year", exact=True)).to_have_value("2010")
    expect(olivia.page.get_by_role("group", name="Care status").get_by_label("In care", exact=True)).to_be_checked()

    # Fixed, but the contact restriction is ticked without saying what it is about.
    restriction = olivia.page.get_by_role("checkbox", name=re.compile(r"^Contact restriction"))
    olivia.fill("First name", "Elowyn")
    fill_date(olivia, "28", "2", "2010")
    restriction.check()
    olivia.press("Save")

    expect(olivia.error_summary().get_by_role("link", name="Say who or what the contact restriction is about")).to_be_visible()
    error_beside(olivia, olivia.field("Who or what (organisers only)"), "Say who or what the contact restriction is about")
    expect(olivia.page.locator(".govuk-error-message")).to_have_count(1)
    expect(olivia.field("First name")).to_have_value("Elowyn")
    expect(restriction).to_be_checked()

    note = "Her uncle must not know the venue"
    olivia.fill("Who or what (organisers only)", note)
    olivia.press("Save")

    expect(olivia.banner()).to_contain_text("Changes saved.")
    expect(olivia.h1()).to_have_text(f"Elowyn {person['last_name']}")
    expect(olivia.page.locator(".govuk-warning-text")).to_have_count(1)
    expect(olivia.page.locator(".govuk-warning-text")).to_contain_text(f"Contact restriction: {note}")
    expect(summary_value(olivia, "Date of birth")).to_contain_text("28 February 2010")
    expect(summary_value(olivia, "District")).to_have_text("Harbourside")

    olivia.follow("See the audit trail for Elowyn")
    expect(olivia.h1()).to_have_text(f"Audit trail for Elowyn {person['last_name']}")
    trail = olivia.page.get_by_role("table", name="Audit entries, newest first")
    entries = trail.locator("tbody").get_by_role("row")
    viewed = entries.filter(has_text="Looked at the record")
    expect(viewed).to_have_count(2)  # once before the change, once after
    expect(viewed.first).to_contain_text("Oona Organiser")
    changed = entries.filter(has_text="Changed the record")
    expect(changed).to_have_count(1)
    expect(changed.get_by_role("cell").nth(1)).to_have_text("Oona Organiser")
    expect(changed.get_by_role("cell").nth(3)).to_have_text(
        "contact restriction, contact restriction note, date of birth, district, first name"
    )
    expect(entries.filter(has_text="Created the record")).to_have_count(1)
    # the trail names the fields, never what was typed in them
    for value in (note, "Harbourside", "Riverside", "Elowen", "Elowyn", "2010"):
        expect(trail).not_to_contain_text(value)


# 3 ---------------------------------------------------------------------------------------------------


def test_organiser_adds_a_young_person(new_visitor, live_server):
    olivia, _ = signed_in_organiser(new_visitor, live_server, "Ola Organiser")
    surname = unique_surname("Achterberg")

    olivia.click(olivia.service_navigation().get_by_role("link", name="Young people", exact=True))
    olivia.follow("Add a young person")
    expect(olivia.h1()).to_have_text("Add a young person")
    expect(olivia.page.get_by_role("group", name="How their name is shown outside the participation team").get_by_label("First name only")).to_be_checked()

    olivia.press("Save")
    expect(olivia.page).to_have_title(re.compile(r"^Error: Add a young person"))
    summary = olivia.error_summary()
    for message in ("Enter their first name", "Enter their last name", "Enter their date of birth",
                    "Select whether they are in care or a care leaver"):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    error_beside(olivia, olivia.field("Last name"), "Enter their last name")
    error_beside(olivia, date_group(olivia), "Enter their date of birth")
    error_beside(olivia, olivia.page.get_by_role("group", name="Care status"), "Select whether they are in care or a care leaver")
    assert_ids_unique(olivia)

    olivia.fill("First name", "Ngozi")
    olivia.fill("Last name", surname)
    olivia.fill("Preferred name (optional)", "Ngo")
    fill_date(olivia, "3", "11", "2006")
    olivia.page.get_by_role("group", name="Care status").get_by_label("Care leaver", exact=True).check()
    olivia.fill("District (optional)", "Market Town")
    olivia.fill("Email address (optional)", "ngozi.example@young.example.org")
    olivia.page.get_by_role("checkbox", name=re.compile(r"^Do not publish")).check()
    olivia.press("Save")

    expect(olivia.banner()).to_contain_text(f"Record added for Ngozi {surname}.")
    expect(olivia.h1()).to_have_text(f"Ngozi {surname}")
    assert re.fullmatch(r"/young-people/[0-9a-f-]{36}", olivia.path), olivia.path
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text("Care leaver")
    expect(olivia.page.locator(".govuk-warning-text")).to_contain_text("Do not publish: never show Ngo on stage")
    expect(summary_value(olivia, "Preferred name")).to_have_text("Ngo")
    expect(summary_value(olivia, "Date of birth")).to_contain_text("3 November 2006")
    expect(summary_value(olivia, "District")).to_have_text("Market Town")
    expect(summary_value(olivia, "Email address")).to_have_text("ngozi.example@young.example.org")
    expect(summary_value(olivia, "Name shown to others")).to_have_text("Ngo (first name only)")
    expect(olivia.page.get_by_text("Nobody is linked now.")).to_be_visible()


# 4 ---------------------------------------------------------------------------------------------------


def test_organiser_merges_two_records_for_the_same_young_person(new_visitor, live_server):
    olivia, organiser = signed_in_organiser(new_visitor, live_server, "Osian Organiser")
    surname = unique_surname("Trevithick")
    born = date(2008, 9, 2)
    first = add_young_person(live_server, organiser["email"], first_name="Kit", last_name=surname, date_of_birth=born, district="Hillside")
    second = add_young_person(live_server, organiser["email"], first_name="Kit", last_name=surname, date_of_birth=born,
                              email="kit.example@young.example.org", do_not_publish=True)
    name = f"Kit {surname}"

    olivia.click(olivia.service_navigation().get_by_role("link", name="Young people", exact=True))
    olivia.follow("Find possible duplicates")
    expect(olivia.h1()).to_have_text("Possible duplicates")
    pairs = olivia.page.get_by_role("table", name="Pairs of records that may be the same young person").locator("tbody").get_by_role("row")
    expect(pairs.first).to_be_visible()
    ours = pairs.filter(has_text=surname)
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text("Same name and date of birth")
    expect(ours).to_contain_text("born 2 Sep 2008")

    olivia.click(ours.get_by_role("link", name=f"Compare {name} and {name}", exact=True))
    expect(olivia.h1()).to_have_text("Compare and merge")
    expect(olivia.page.get_by_role("heading", level=2, name=name)).to_have_count(2)
    keep = olivia.page.get_by_role("group", name="Which record do you want to keep?")
    expect(keep.get_by_role("radio")).to_have_count(2)

    olivia.press("Merge records")
    expect(olivia.page).to_have_title(re.compile(r"^Error: Compare and merge"))
    expect(olivia.error_summary().get_by_role("link", name="Select the record to keep")).to_be_visible()
    error_beside(olivia, keep, "Select the record to keep")

    keep.get_by_role("radio").first.check()
    olivia.press("Merge records")

    expect(olivia.banner()).to_contain_text(f"Records merged. Everything attached to both now belongs to {name}'s record.")
    expect(olivia.h1()).to_have_text(name)
    assert olivia.path == f"/young-people/{first['public_id']}", olivia.path
    # gaps filled from the other record, and the stricter safety choice kept
    expect(summary_value(olivia, "District")).to_have_text("Hillside")
    expect(summary_value(olivia, "Email address")).to_have_text("kit.example@young.example.org")
    expect(olivia.page.locator(".govuk-warning-text")).to_contain_text("Do not publish: never show Kit")

    # The merged-away record's address leads to the kept record.
    olivia.visit(f"/young-people/{second['public_id']}")
    assert olivia.path == f"/young-people/{first['public_id']}", olivia.path
    expect(olivia.banner()).to_contain_text("This record was merged into another one. You are now looking at the record that was kept.")

    olivia.follow("Back to young people")
    olivia.follow("Find possible duplicates")
    expect(olivia.h1()).to_have_text("Possible duplicates")
    expect(olivia.page.get_by_role("main")).not_to_contain_text(surname)


# 5 ---------------------------------------------------------------------------------------------------


def test_nominator_sees_only_first_names_and_ages_of_their_young_people(new_visitor, live_server):
    from cpevents.accounts.models import user_by_email
    from cpevents.young_people.queries import linked_to

    nominator = live_server.account("nominator")
    with live_db(live_server):
        people = linked_to(user_by_email(nominator["email"]))
        expected = [(p.shown_name, str(p.age)) for p in people]
        hidden_surnames = {p.last_name for p in people if p.last_name not in p.shown_name}
        shown_surnames = {p.last_name for p in people if p.last_name in p.shown_name}
        one_record = people[0].public_id
    assert len(people) >= 1

    nadia = new_visitor("nominator")
    sign_in(nadia, live_server, nominator)
    nadia.follow("Young people you work with")
    expect(nadia.h1()).to_have_text("Young people you work with")
    expect(nadia.page.get_by_text("These are the young people the participation team has linked to you.")).to_be_visible()
    rows = nadia.page.get_by_role("main").locator("tbody tr")
    expect(rows.locator("th")).to_have_text([name for name, _ in expected])
    expect(rows.locator("td:nth-child(2)")).to_have_text([age for _, age in expected])

    page_text = nadia.page.locator("body").inner_text()
    # A surname shows only for a young person who asked for their full name to be shown.
    for surname in hidden_surnames - shown_surnames:
        assert not re.search(rf"\b{re.escape(surname)}\b", page_text), f"surname {surname!r} shown to a nominator"

    response = nadia.visit("/young-people")
    assert response.status == 403
    expect(nadia.h1()).to_have_text("You cannot see this page")
    expect(nadia.page.get_by_role("main")).to_contain_text("Your account does not have access to this page.")

    response = nadia.visit(f"/young-people/{one_record}")
    assert response.status == 403
    expect(nadia.h1()).to_have_text("You cannot see this page")


# 6 ---------------------------------------------------------------------------------------------------


def test_email_page_updates_itself_while_a_batch_is_sending(new_visitor, live_server, smtp_sink):
    from cpevents.mail.services import queue_email, start_batch

    olivia, _ = signed_in_organiser(new_visitor, live_server, "Odile Organiser")

    smtp_sink.deliver()  # anything other tests left waiting goes first, so the counts are this test's
    batch_name = f"Awards evening reminders ({uuid.uuid4().hex[:6]})"
    addresses = [f"guest-{uuid.uuid4().hex[:8]}@young.example.org" for _ in range(3)]
    with live_db(live_server, request=True) as db:
        batch = start_batch(batch_name)
        for address, first_name in zip(addresses, ("Ava", "Leo", "Nia"), strict=True):
            queue_email("demo/invitation", to=address, subject="A reminder about the awards evening", batch=batch, first_name=first_name)
        db.session.commit()
    before = overall_counts(live_server)
    assert before.queued >= 3

    csp_problems = []
    olivia.page.on("console", lambda m: csp_problems.append(m.text) if "Content Security Policy" in m.text else None)
    progress_requests = []
    olivia.page.on("request", lambda r: progress_requests.append(r.url) if r.url.endswith("/emails/progress.json") else None)

    olivia.visit("/emails")
    expect(olivia.h1()).to_have_text("Email")
    waiting = count_paragraph(olivia, "waiting to send")
    expect(waiting).to_have_text(re.compile(rf"^\s*{before.queued}\s+waiting to send\s*$"))
    cell = batch_progress_cell(olivia, batch_name)
    expect(cell).to_have_text(re.compile(r"^\s*0 of 3 sent\s*$"))
    olivia.page.evaluate("window.__stillTheSamePage = true")

    smtp_sink.deliver()
    for address in addresses:
        assert len(smtp_sink.to(address)) == 1
    after = overall_counts(live_server)

    # No reload: static/js/email-progress.js fetches the counts and writes them into the page.
    expect(cell).to_have_text(re.compile(r"^\s*3 of 3 sent\s*$"), timeout=10_000)
    expect(waiting).to_have_text(re.compile(rf"^\s*{after.queued}\s+waiting to send\s*$"), timeout=10_000)
    expect(count_paragraph(olivia, "sent")).to_have_text(re.compile(rf"^\s*{after.sent}\s+sent\s*$"), timeout=10_000)
    assert olivia.page.evaluate("window.__stillTheSamePage === true"), "the page was reloaded"
    assert progress_requests, "the page never asked for progress"
    assert not csp_problems, csp_problems
