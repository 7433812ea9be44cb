"""A young person told they were nominated, on a phone (375 x 667): they open the link from the
email, read the page (no award, no outcome), add a few words for the panel, and say no thanks after a confirm page. axe checks
every page on arrival."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from tests.browser.test_records_and_email import live_db, unique_surname

PHONE = {"width": 375, "height": 667}


def _accepted_file(live_server, surname: str, email: str) -> dict:
    from cpevents.accounts.models import user_by_email
    from cpevents.core.enums import Role
    from cpevents.events.models import Event
    from cpevents.nominations.models import Nomination, NominationStatus, YesNo
    from cpevents.nominations.review import accept_file, match_nomination
    from cpevents.young_people.models import CareStatus, WorkerRelationship
    from cpevents.young_people.services import create_young_person

    with live_db(live_server, request=True) as db:
        organiser = user_by_email("organiser@demo.example.org")
        nominator = user_by_email("nominator@demo.example.org")
        assert organiser.has_role(Role.ORGANISER)
        event = next(e for e in db.session.execute(db.select(Event).order_by(Event.id)).scalars() if e.categories)
        person = create_young_person({"first_name": "Remi", "last_name": surname, "date_of_birth": date(2010, 5, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
        person.email = email
        nomination = Nomination(event_id=event.id, nominator_id=nominator.id, category_id=event.categories[0].id, status=NominationStatus.SENT,
                                first_name="Remi", last_name=surname, date_of_birth=date(2010, 5, 1), care_status=CareStatus.IN_CARE,
                                relationship_type=WorkerRelationship.SOCIAL_WORKER, worked_with_recently=True,
                                achievement="Remi ran a bake sale for the food bank.", young_person_knows=YesNo.YES, public_concern=YesNo.NO)
        db.session.add(nomination)
        db.session.flush()
        file = match_nomination(nomination, person, by=organiser)
        accept_file(file, reason="", by=organiser)
        db.session.commit()
        return {"file": file.id, "award": event.categories[0].name}


def test_a_young_person_reads_and_says_no_thanks_on_a_phone(new_visitor, live_server, smtp_sink):
    surname = unique_surname("Adeyemi")
    email = f"remi.{surname.lower()}@young.example.org"
    facts = _accepted_file(live_server, surname, email)

    message = smtp_sink.wait_for(email)[0]
    assert message["subject"] == "Some good news for you"
    link = smtp_sink.link(message)
    assert link.startswith("/n/")

    remi = new_visitor("young person")
    remi.page.set_viewport_size(PHONE)
    remi.visit(link)
    assert remi.path == "/nominated"  # the token is gone from the address
    expect(remi.h1()).to_have_text("Well done, Remi")
    main = remi.page.locator("main")
    expect(main).to_contain_text("nominated you")
    expect(main).not_to_contain_text(facts["award"])
    expect(main).not_to_contain_text("bake sale")
    assert remi.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A few words of their own: too many are refused beside the field, and nothing typed is lost.
    long = "I baked" + " a lot" * 90
    remi.fill("Your words for the panel (optional)", long)
    remi.press("Save my words")
    expect(remi.error_summary()).to_contain_text("500 characters or fewer")
    expect(remi.field("Your words for the panel (optional)")).to_have_value(long)
    remi.fill("Your words for the panel (optional)", "I liked helping the food bank.")
    remi.press("Save my words")
    expect(remi.banner()).to_contain_text("The panel will read your words")
    expect(remi.field("Your words for the panel (optional)")).to_have_value("I liked helping the food bank.")

    remi.follow("No thanks")
    expect(remi.h1()).to_have_text("Are you sure you want to say no thanks?")
    remi.press("Yes, no thanks")
    expect(remi.h1()).to_contain_text("Thank you for telling us")

    from cpevents.nominations.models import NominationFile, NominationStatus

    with live_db(live_server) as db:
        file = db.session.get(NominationFile, facts["file"])
        assert file.live_nominations == [] and all(n.status == NominationStatus.WITHDRAWN for n in file.nominations)
    assert smtp_sink.wait_for("nominator@demo.example.org")
