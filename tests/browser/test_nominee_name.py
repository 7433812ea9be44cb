"""A young person chooses their name, how it is shown and how to say it, on a phone (375 x 667):
a blank name is refused beside the field with what they typed kept, then saved. axe checks every
page on arrival (issue 16, part A)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_nominated import PHONE, _accepted_file
from tests.browser.test_records_and_email import unique_surname


def test_a_young_person_chooses_their_name_on_a_phone(new_visitor, live_server, smtp_sink):
    surname = unique_surname("Okafor")
    email = f"remi.{surname.lower()}@young.example.org"
    _accepted_file(live_server, surname, email)
    link = smtp_sink.link(smtp_sink.wait_for(email)[0])

    remi = new_visitor("young person")
    remi.page.set_viewport_size(PHONE)
    remi.visit(link)
    expect(remi.field("The name you want us to use")).to_have_value("Remi")
    assert remi.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A blank name is refused beside the field; the hint they typed is kept.
    remi.fill("The name you want us to use", "   ")
    remi.fill("How to say your name (optional)", "Reh-mee")
    remi.press("Save my name")
    expect(remi.error_summary()).to_contain_text("Enter the name you want us to use")
    expect(remi.page.locator("#name-error")).to_contain_text("Enter the name you want us to use")
    expect(remi.field("How to say your name (optional)")).to_have_value("Reh-mee")
    assert remi.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    remi.fill("The name you want us to use", "Remington")
    remi.page.get_by_label("My first name and my surname", exact=True).check()
    remi.press("Save my name")
    expect(remi.banner()).to_contain_text("We will use your name the way you chose")
    expect(remi.h1()).to_have_text("Well done, Remington")
    expect(remi.field("How to say your name (optional)")).to_have_value("Reh-mee")
    expect(remi.page.get_by_label("My first name and my surname", exact=True)).to_be_checked()
