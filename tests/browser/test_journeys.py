"""Journeys through the service in a real browser, read the way a person reads the page:
headings, labels, messages and links. Each page is checked with axe on arrival (see conftest)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

NEW_PASSWORD = "marble lantern orchard"


def unique_email(first_name: str) -> str:
    return f"{first_name.lower()}.{uuid.uuid4().hex[:10]}@example.org"


def error_beside(visitor, field_locator, message: str):
    """The field's GOV.UK error message: shown in its form group and read out with the field."""
    group = visitor.page.locator(".govuk-form-group--error").filter(has=field_locator)
    # (not the character count's own "You have 12 characters too many", styled as an error too)
    expect(group.locator(".govuk-error-message:not(.govuk-character-count__status)")).to_contain_text(message)
    expect(field_locator).to_have_accessible_description(re.compile(re.escape(message)))


def sign_in(visitor, live_server, account: dict, password: str | None = None):
    """Sign in from the sign-in page, with the second factor when the account has one."""
    expect(visitor.h1()).to_have_text("Sign in")
    visitor.fill("Email address", account["email"])
    visitor.fill("Password", password or account["password"])
    visitor.press("Sign in")
    if account.get("totp_secret"):
        expect(visitor.h1()).to_have_text("Enter the code from your authenticator app")
        visitor.fill("Code", live_server.totp_code(account["email"], account["totp_secret"]))
        visitor.press("Continue")


# 1 ---------------------------------------------------------------------------------------------------


def test_organiser_signs_in_with_second_factor_and_signs_out(visitor, live_server, second_factor_account):
    organiser = second_factor_account("organiser", name="Olivia Organiser")

    visitor.visit("/")
    expect(visitor.h1()).to_have_text("Celebrate children in care and care leavers")
    visitor.click(visitor.page.get_by_role("button", name="Sign in"))

    expect(visitor.h1()).to_have_text("Sign in")
    visitor.fill("Email address", organiser["email"])
    visitor.fill("Password", organiser["password"])
    visitor.press("Sign in")

    expect(visitor.h1()).to_have_text("Enter the code from your authenticator app")
    expect(visitor.page.get_by_text("Open the authenticator app on your phone")).to_be_visible()
    visitor.fill("Code", live_server.totp_code(organiser["email"], organiser["totp_secret"]))
    visitor.press("Continue")

    expect(visitor.h1()).to_have_text("Hello, Olivia Organiser")
    assert visitor.path == "/organiser"
    nav = visitor.service_navigation()
    expect(nav.get_by_role("link", name="People", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Organiser", exact=True)).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()

    visitor.click(nav.get_by_role("button", name="Sign out"))
    expect(visitor.h1()).to_have_text("You have signed out")
    expect(visitor.page.get_by_role("navigation", name="Menu")).to_have_count(0)

    visitor.visit("/organiser")
    assert visitor.path.startswith("/sign-in"), visitor.path
    expect(visitor.h1()).to_have_text("Sign in")


# 2 ---------------------------------------------------------------------------------------------------


def test_registration_with_email_verification(visitor, live_server, smtp_sink):
    email = unique_email("riley")

    visitor.visit("/register")
    expect(visitor.h1()).to_have_text("Create an account")

    visitor.press("Create account")
    expect(visitor.page).to_have_title(re.compile(r"^Error: Create an account"))
    summary = visitor.error_summary()
    expect(summary).to_be_visible()
    for message in ("Enter your full name", "Enter your work email address", "Enter the name of your organisation",
                    "Enter your job title", "Select what you want to do", "Enter a password"):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    error_beside(visitor, visitor.field("Full name"), "Enter your full name")
    error_beside(visitor, visitor.field("Work email address"), "Enter your work email address")
    error_beside(visitor, visitor.field("Organisation"), "Enter the name of your organisation")
    error_beside(visitor, visitor.field("Job title"), "Enter your job title")
    error_beside(visitor, visitor.page.get_by_role("group", name="What do you want to do?"), "Select what you want to do")
    error_beside(visitor, visitor.field("Create a password"), "Enter a password")

    visitor.fill("Full name", "Riley Worker")
    visitor.fill("Work email address", email)
    visitor.fill("Organisation", "Leaving care team")
    visitor.fill("Job title", "Personal adviser")
    visitor.page.get_by_label("Nominate young people for awards and record their achievements").check()
    visitor.fill("Create a password", "too short")
    visitor.press("Create account")

    expect(visitor.error_summary().get_by_role("link", name="Password must be 12 characters or more")).to_be_visible()
    error_beside(visitor, visitor.field("Create a password"), "Password must be 12 characters or more")
    expect(visitor.page.locator(".govuk-error-message")).to_have_count(1)
    expect(visitor.field("Full name")).to_have_value("Riley Worker")
    expect(visitor.field("Work email address")).to_have_value(email)
    expect(visitor.field("Organisation")).to_have_value("Leaving care team")
    expect(visitor.field("Job title")).to_have_value("Personal adviser")
    expect(visitor.page.get_by_label("Nominate young people for awards and record their achievements")).to_be_checked()

    visitor.fill("Create a password", NEW_PASSWORD)
    visitor.press("Create account")
    expect(visitor.h1()).to_have_text("Check your email")
    expect(visitor.page.get_by_role("main")).to_contain_text(f"We have sent an email to {email}")

    (message,) = smtp_sink.wait_for(email)
    assert message["subject"] == "Confirm your email address"
    assert "Riley Worker" in smtp_sink.text(message)
    visitor.visit(smtp_sink.link(message))
    expect(visitor.h1()).to_have_text("Confirm your email address")
    visitor.press("Confirm my email address")

    expect(visitor.h1()).to_have_text("Sign in")
    expect(visitor.banner()).to_contain_text("Your email address is confirmed. You can now sign in.")
    sign_in(visitor, live_server, {"email": email, "password": NEW_PASSWORD})

    expect(visitor.h1()).to_have_text("Hello, Riley Worker")
    expect(visitor.page.get_by_role("heading", level=2, name="Your nominations")).to_be_visible()
    # A new account waits for an organiser: it is told so, and sees nothing about any young person.
    expect(visitor.page.get_by_role("main")).to_contain_text("Your account is waiting for approval")
    expect(visitor.page.get_by_role("link", name="Young people you work with")).to_have_count(0)
    visitor.visit("/your-young-people")
    expect(visitor.h1()).to_have_text("Your account is waiting for approval")


# 3 ---------------------------------------------------------------------------------------------------


def test_password_reset(visitor, live_server, smtp_sink):
    # A nominator of this test's own, so the demo accounts are left as they were.
    person = live_server.make_account("nominator", name="Priya Patel", password="old copper kettle")

    visitor.visit("/sign-in")
    visitor.follow("I have forgotten my password")
    expect(visitor.h1()).to_have_text("Reset your password")
    visitor.fill("Email address", person["email"])
    visitor.press("Send me a link")

    expect(visitor.h1()).to_have_text("Check your email")
    expect(visitor.page.get_by_role("main")).to_contain_text(f"If {person['email']} has an account, we have sent it a link")
    (message,) = smtp_sink.wait_for(person["email"])
    assert message["subject"] == "Reset your password"
    link = smtp_sink.link(message)

    visitor.visit(link)
    expect(visitor.h1()).to_have_text("Choose a new password")
    expect(visitor.page.get_by_role("main")).to_contain_text(person["email"])
    visitor.fill("New password", NEW_PASSWORD)
    visitor.fill("Type the new password again", "marble lantern orchid")
    visitor.press("Save password")

    expect(visitor.error_summary()).to_contain_text("The passwords do not match. Type the same password twice")
    error_beside(visitor, visitor.field("Type the new password again"), "The passwords do not match. Type the same password twice")

    visitor.fill("New password", NEW_PASSWORD)
    visitor.fill("Type the new password again", NEW_PASSWORD)
    visitor.press("Save password")
    expect(visitor.h1()).to_have_text("Sign in")
    expect(visitor.banner()).to_contain_text("Your password is saved. Sign in with your email address and new password.")
    changed = smtp_sink.wait_for(person["email"], count=2)[-1]
    assert changed["subject"] == "Your password has been changed"

    sign_in(visitor, live_server, person)  # the old password no longer works
    expect(visitor.h1()).to_have_text("Sign in")
    error_beside(visitor, visitor.field("Email address"), "The email address or password is not right")

    sign_in(visitor, live_server, person, password=NEW_PASSWORD)
    expect(visitor.h1()).to_have_text("Hello, Priya Patel")
    expect(visitor.page.get_by_role("heading", level=2, name="Your nominations")).to_be_visible()

    response = visitor.visit(link)
    assert response.status == 404
    expect(visitor.h1()).to_have_text("This link has expired or has already been used")
    expect(visitor.page.get_by_role("link", name="Ask for a new link")).to_be_visible()


# 4 ---------------------------------------------------------------------------------------------------


def test_organiser_invites_a_judge_who_sets_a_password(new_visitor, live_server, smtp_sink):
    # An organiser of this test's own (with its own authenticator secret), so the demo
    # organiser's one-time codes are not used up.
    organiser = live_server.make_account("organiser", name="Owen Organiser", totp=True)
    judge_email = unique_email("jude")

    olivia = new_visitor("organiser")
    olivia.visit("/sign-in")
    sign_in(olivia, live_server, organiser)
    expect(olivia.h1()).to_have_text("Hello, Owen Organiser")

    olivia.click(olivia.service_navigation().get_by_role("link", name="People", exact=True))
    expect(olivia.h1()).to_have_text("People")
    olivia.follow("Invite someone")
    expect(olivia.h1()).to_have_text("Invite someone")
    olivia.fill("Full name", "Jude Panel")
    olivia.fill("Email address", judge_email)
    olivia.page.get_by_role("group", name="Roles").get_by_label("Judge", exact=True).check()
    olivia.press("Send invitation")

    expect(olivia.banner()).to_contain_text(f"Invitation sent to {judge_email}")
    expect(olivia.h1()).to_have_text("Jude Panel")
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text("Invited")
    expect(olivia.page.get_by_text("Jude Panel has not set a password yet.")).to_be_visible()
    expect(olivia.page.get_by_role("group", name="Roles").get_by_label("Judge", exact=True)).to_be_checked()

    (invitation,) = smtp_sink.wait_for(judge_email)
    assert invitation["subject"] == "You have been invited to an account"
    assert "Owen Organiser has invited you" in smtp_sink.text(invitation)

    jude = new_visitor("judge")
    jude.visit(smtp_sink.link(invitation))
    expect(jude.h1()).to_have_text("Set your password")
    expect(jude.page.get_by_role("main")).to_contain_text(f"Welcome, Jude Panel. Choose a password for {judge_email}.")
    jude.fill("New password", "violet harbour compass")
    jude.fill("Type the new password again", "violet harbour compass")
    jude.press("Save password")

    expect(jude.h1()).to_have_text("Sign in")
    expect(jude.banner()).to_contain_text("Your password is saved.")
    sign_in(jude, live_server, {"email": judge_email, "password": "violet harbour compass"})
    expect(jude.h1()).to_have_text("Hello, Jude Panel")
    expect(jude.page.get_by_role("heading", level=2, name="Nominations to score")).to_be_visible()
    expect(jude.service_navigation().get_by_role("link", name="People")).to_have_count(0)


# 5 ---------------------------------------------------------------------------------------------------


def test_board_member_lands_on_reports_and_nominator_cannot_see_people(new_visitor, live_server, second_factor_account):
    board = second_factor_account("board", name="Bea Board")
    bea = new_visitor("board")
    bea.visit("/sign-in")
    sign_in(bea, live_server, board)
    expect(bea.h1()).to_have_text("Hello, Bea Board")
    expect(bea.page).to_have_title(re.compile(r"^Reports"))
    expect(bea.page.get_by_role("heading", level=2, name="Reports")).to_be_visible()
    expect(bea.service_navigation().get_by_role("link", name="Reports", exact=True)).to_have_attribute("aria-current", "page")
    expect(bea.service_navigation().get_by_role("link", name="People")).to_have_count(0)

    nominator = live_server.account("nominator")
    nadia = new_visitor("nominator")
    nadia.visit("/sign-in")
    sign_in(nadia, live_server, nominator)
    expect(nadia.page.get_by_role("heading", level=2, name="Your nominations")).to_be_visible()
    response = nadia.visit("/people")
    assert response.status == 403
    expect(nadia.h1()).to_have_text("You cannot see this page")
    expect(nadia.page.get_by_role("main")).to_contain_text("Your account does not have access to this page.")


# 6 ---------------------------------------------------------------------------------------------------


def test_first_tab_on_sign_in_page_reaches_skip_link(visitor):
    visitor.visit("/sign-in")
    visitor.page.keyboard.press("Tab")
    skip = visitor.page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # visible once it has focus
    visitor.page.keyboard.press("Enter")
    expect(visitor.page.locator("#main-content")).to_be_focused()
