"""Something to keep (issue 16), on a phone (375 x 667): after the results are published, a nominee
opens their link, reads their keepsake page, downloads their certificate, and the page prints without
the header, footer or help box. Before publication the same page only says when it will be ready.
axe checks every page on arrival."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_records_and_email import live_db, unique_surname

PHONE = {"width": 375, "height": 667}


def _nominee(live_server, surname: str, email: str) -> dict:
    """A new awards evening (its own panel) with one told nominee whom the panel chose as a winner."""
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.judging.models import DecisionKind
    from cpevents.judging.services import create_panel, decide
    from cpevents.nominations.models import Nomination, NominationStatus, YesNo
    from cpevents.nominations.review import accept_file, match_nomination
    from cpevents.young_people.models import CareStatus, WorkerRelationship
    from cpevents.young_people.services import create_young_person

    with live_db(live_server, request=True) as db:
        organiser = user_by_email("organiser@demo.example.org")
        nominator = user_by_email("nominator@demo.example.org")
        event = create_event(kind=EventKind.PROUD_AWARDS, name=f"Awards evening {uuid.uuid4().hex[:6]}", starts_at=utcnow() - timedelta(days=2), venue="County Hall",
                             capacity=100, description="", min_age=11, max_age=25, by=organiser)
        person = create_young_person({"first_name": "Nia", "last_name": surname, "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE},
                                     by=organiser)
        person.email = email
        nomination = Nomination(event_id=event.id, nominator_id=nominator.id, category_id=event.categories[3].id, status=NominationStatus.SENT,
                                first_name="Nia", last_name=surname, date_of_birth=date(2009, 6, 1), care_status=CareStatus.IN_CARE,
                                relationship_type=WorkerRelationship.SOCIAL_WORKER, worked_with_recently=True,
                                achievement="Nia painted a mural for the children's ward.", young_person_knows=YesNo.YES, public_concern=YesNo.NO)
        db.session.add(nomination)
        db.session.flush()
        file = match_nomination(nomination, person, by=organiser)
        accept_file(file, reason="", by=organiser)
        panel = create_panel(event, by=organiser)
        decide(panel, file, DecisionKind.SHORTLIST, True, "Strong", by=organiser)
        decide(panel, file, DecisionKind.WINNER, True, "The panel's choice", by=organiser)
        panel.shortlist_released_at = utcnow()
        db.session.commit()
        return {"panel": panel.id, "award": event.categories[3].name, "date": event.event_date.strftime("%-d %B %Y")}


def _publish(live_server, panel_id: int) -> None:
    from cpevents.core.time import utcnow
    from cpevents.judging.models import Panel

    with live_db(live_server) as db:
        db.session.get(Panel, panel_id).results_published_at = utcnow()
        db.session.commit()


def test_a_nominee_keeps_their_certificate_on_a_phone(new_visitor, live_server, smtp_sink):
    surname = unique_surname("Okoro")
    email = f"nia.{surname.lower()}@young.example.org"
    facts = _nominee(live_server, surname, email)
    link = smtp_sink.link(smtp_sink.wait_for(email)[0])

    nia = new_visitor("young person")
    nia.page.set_viewport_size(PHONE)
    nia.visit(link)
    assert nia.path == "/nominated"
    nia.follow("See your certificate and what to keep")
    expect(nia.h1()).to_have_text("Something to keep")
    main = nia.page.locator("main")
    expect(main).to_contain_text(f"after the awards evening on {facts['date']}")
    expect(main).not_to_contain_text("winner")
    expect(main).not_to_contain_text(facts["award"])
    expect(nia.page.get_by_role("link", name="Download your certificate (PDF)")).to_have_count(0)

    _publish(live_server, facts["panel"])
    nia.visit("/nominated/keepsake")
    expect(nia.h1()).to_have_text("Congratulations, Nia: you won")
    expect(main).to_contain_text(facts["award"])
    assert nia.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with nia.page.expect_download() as download:
        nia.page.get_by_role("link", name="Download your certificate (PDF)").click()
    assert download.value.suggested_filename.startswith("proud-awards-Nia-")
    text = PdfReader(io.BytesIO(download.value.path().read_bytes())).pages[0].extract_text()
    assert "Nia" in text and surname not in text and facts["award"] in text

    # On paper: only the keepsake, no header, footer or help box.
    nia.page.emulate_media(media="print")
    expect(nia.page.locator("header.govuk-template__header")).to_be_hidden()
    expect(nia.page.locator("footer.govuk-footer")).to_be_hidden()
    expect(nia.page.locator("#young-people-help")).to_be_hidden()
    expect(nia.h1()).to_be_visible()
