"""The door list without signal (issue 18), in headless Chromium on a phone-sized screen: a door
helper opens the door list (the service worker saves it), the signal goes (Playwright's offline
mode), they check in three parties and add a late guest, reload the page with no signal (the
service worker serves it, the rows say "waiting to send"), the signal comes back, and every tap is
recorded once on the server with the counts right. A second helper's offline tap for the same
person as the first helper's records one check-in, at the earlier of the two times.

Service workers need a secure context: the live server is on 127.0.0.1, which counts."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.test_records_and_email import live_db, sign_in, unique_surname

PHONE = {"width": 390, "height": 844}


def _tea(live_server, surname: str, *helper_emails: str) -> dict:
    """Four young people coming to today's Celebration tea (demo), and the helpers at its door."""
    from sqlalchemy import select

    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.door.models import EventDoorHelper
    from cpevents.events.models import Event
    from cpevents.invitations import services
    from cpevents.invitations.models import AgeGroup, Guest, InvitationStatus, ReplyHow
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    tag = surname.rsplit("-", 1)[1].lower()
    with live_db(live_server) as db:
        organiser = user_by_email("organiser@demo.example.org")
        event = db.session.execute(select(Event).where(Event.name == "Celebration tea (demo)")).scalar_one()
        made: dict = {"event": event.public_id, "invitations": {}}
        for key, first, guests in (("ada", f"Ada{tag}", ["Mum", "Kit (brother)"]), ("bo", f"Bo{tag}", []), ("cy", f"Cy{tag}", ["Gran"]),
                                   ("di", f"Di{tag}", [])):
            person = create_young_person({"first_name": first, "last_name": surname, "date_of_birth": date(2007, 5, 1),
                                          "care_status": CareStatus.CARE_LEAVER}, by=organiser)
            invitation = services.invite(event, person, by=organiser)
            invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, utcnow() - timedelta(days=4), ReplyHow.LINK
            for position, name in enumerate(guests, start=1):
                invitation.guests.append(Guest(name=name, age_group=AgeGroup.ADULT, position=position))
            db.session.flush()
            made[key] = f"{first} {surname[0]}"
            made["invitations"][key] = invitation.public_id
        for email in helper_emails:
            db.session.add(EventDoorHelper(event_id=event.id, user_id=user_by_email(email).id))
        db.session.commit()
        return made


def _state(live_server, invitation_ids) -> dict:
    """What the server holds for these invitations: check-in times, guests, taps."""
    from sqlalchemy import func, select

    from cpevents.door.models import DoorTap
    from cpevents.invitations.models import Invitation

    with live_db(live_server) as db:
        state = {}
        for key, public_id in invitation_ids.items():
            invitation = db.session.execute(select(Invitation).where(Invitation.public_id == public_id)).scalar_one()
            state[key] = {
                "in": invitation.checked_in_at,
                "guests": {g.name: g.checked_in_at for g in invitation.guests},
                "late": [g.name for g in invitation.guests if g.added_at_door],
                "taps": db.session.execute(select(func.count(DoorTap.id)).where(DoorTap.target == public_id)).scalar_one(),
                "tap_times": sorted(db.session.execute(select(DoorTap.tapped_at).where(DoorTap.target == public_id)).scalars()),
            }
        return state


def _not_coming(live_server, public_id: str) -> None:
    from sqlalchemy import select

    from cpevents.invitations.models import Invitation, InvitationStatus

    with live_db(live_server) as db:
        db.session.execute(select(Invitation).where(Invitation.public_id == public_id)).scalar_one().status = InvitationStatus.NOT_COMING
        db.session.commit()


def _open_ready(helper, path: str):
    """Open the door list with signal and wait until the phone has saved it for use without."""
    helper.visit(path)
    expect(helper.page.locator("html")).to_have_attribute("data-door-offline", "ready", timeout=15_000)


def _row(helper, name: str):
    return helper.page.locator(".govuk-summary-card", has=helper.page.get_by_role("heading", name=name, exact=True))


def _tap(helper, button: str):
    """A tap with no signal: the page stays, the row says so."""
    helper.page.get_by_role("button", name=button, exact=True).click()


def _waiting(helper) -> int:
    return int(helper.page.locator("#door-offline").get_attribute("data-waiting") or 0)


def test_the_door_list_works_without_signal_and_every_tap_is_recorded_once(new_visitor, live_server):
    first = live_server.make_account("door_helper", name="Dee Door")
    second = live_server.make_account("door_helper", name="Eli Entrance")
    names = _tea(live_server, unique_surname("Okafor"), first["email"], second["email"])
    path = f"/door/events/{names['event']}"

    helper = new_visitor("first helper")
    helper.page.set_viewport_size(PHONE)
    sign_in(helper, live_server, first)
    _open_ready(helper, path)
    counts = helper.page.locator("#counts + .govuk-summary-list")
    young_before = counts.locator(".govuk-summary-list__row", has_text="Young people").locator("dd").inner_text()
    arrived, expected = (int(n) for n in re.findall(r"\d+", young_before))

    # No signal. Three parties, one of them without their guest, and a late guest.
    helper.page.context.set_offline(True)
    expect(helper.page.locator("#door-offline-status")).to_contain_text("No signal")
    _tap(helper, f"Check in {names['ada']} and 2 guests")
    expect(_row(helper, names["ada"])).to_contain_text("waiting to send")
    _tap(helper, f"Check in {names['bo']}")
    _tap(helper, f"Check in {names['cy']} only")
    expect(_row(helper, names["cy"])).to_contain_text("waiting to send")
    helper.page.get_by_role("link", name=f"Add a late guest for {names['bo']}").click()
    helper.page.get_by_label("Guest's name").fill("Uncle Femi")
    helper.page.get_by_role("button", name="Add the guest (sent when the signal comes back)").click()
    expect(_row(helper, names["bo"])).to_contain_text("Added Uncle Femi")
    expect(helper.page.locator("#door-offline-status")).to_contain_text("4 taps are waiting to send")
    assert _state(live_server, names["invitations"])["ada"]["in"] is None  # nothing has reached the server

    # The page again, still with no signal: the service worker has it, and the taps are still waiting.
    response = helper.visit(path)
    assert response is not None and response.from_service_worker
    expect(helper.h1()).to_have_text("Door list: Celebration tea (demo)")
    for key in ("ada", "bo", "cy"):
        expect(_row(helper, names[key])).to_contain_text("waiting to send")
    expect(helper.page.locator("#door-offline-status")).to_contain_text("4 taps are waiting to send")

    # The signal comes back: the taps go by themselves.
    helper.page.context.set_offline(False)
    expect(helper.page.locator("#door-offline-status")).to_contain_text("4 taps sent", timeout=15_000)
    assert _waiting(helper) == 0
    state = _state(live_server, names["invitations"])
    assert state["ada"]["in"] and all(state["ada"]["guests"].values()) and state["ada"]["taps"] == 1
    assert state["bo"]["in"] and state["bo"]["late"] == ["Uncle Femi"] and state["bo"]["guests"]["Uncle Femi"] and state["bo"]["taps"] == 2
    assert state["cy"]["in"] and state["cy"]["guests"]["Gran"] is None and state["cy"]["taps"] == 1
    assert state["di"]["in"] is None and state["di"]["taps"] == 0

    # A reload with signal: the counts are right (three more young people, three more guests).
    helper.visit(path)
    young = counts.locator(".govuk-summary-list__row", has_text="Young people").locator("dd")
    expect(young).to_have_text(f"{arrived + 3} of {expected}")
    expect(_row(helper, names["ada"])).not_to_contain_text("waiting to send")

    # Two helpers, both with no signal, both check in Di: one check-in, at the earlier tap's time.
    other = new_visitor("second helper")
    other.page.set_viewport_size(PHONE)
    sign_in(other, live_server, second)
    _open_ready(other, path)
    other.page.context.set_offline(True)
    helper.page.context.set_offline(True)
    expect(other.page.locator("#door-offline-status")).to_contain_text("No signal")
    _tap(other, f"Check in {names['di']}")  # the earlier tap
    expect(_row(other, names["di"])).to_contain_text("waiting to send")
    helper.page.wait_for_timeout(1100)
    expect(helper.page.locator("#door-offline-status")).to_contain_text("No signal")
    _tap(helper, f"Check in {names['di']}")  # the later one, sent first
    helper.page.context.set_offline(False)
    expect(helper.page.locator("#door-offline-status")).to_contain_text("1 tap sent", timeout=15_000)
    later = _state(live_server, names["invitations"])["di"]["in"]
    assert later is not None
    other.page.context.set_offline(False)
    expect(other.page.locator("#door-offline-status")).to_contain_text("1 tap sent", timeout=15_000)
    di = _state(live_server, names["invitations"])["di"]
    assert di["taps"] == 2
    assert di["in"] == di["tap_times"][0] < later  # the earlier tap's time, not the first to arrive


def test_what_the_phone_keeps_goes_the_day_after_and_at_sign_out(new_visitor, live_server):
    account = live_server.make_account("door_helper", name="Fay Foyer")
    names = _tea(live_server, unique_surname("Mensah"), account["email"])
    path = f"/door/events/{names['event']}"
    helper = new_visitor("door helper")  # a wide screen: the Sign out button is in view
    sign_in(helper, live_server, account)
    _open_ready(helper, path)
    page = helper.page
    assert any(key.startswith("door-page-") for key in page.evaluate("caches.keys()"))

    # A door list and a tap left from an earlier day: gone the next time the door list is opened.
    page.evaluate("""async () => {
        const cache = await caches.open("door-page-2000-01-01");
        await cache.put("/door/events/00000000-0000-0000-0000-000000000000", new Response("an old door list"));
        await DoorTaps.put({id: "old-tap", kind: "check_in", target: "00000000-0000-0000-0000-000000000000", at: 946728000000,
                            event: "00000000-0000-0000-0000-000000000000", date: "2000-01-01", list: "/door/events/x", status: "waiting"});
    }""")
    assert "door-page-2000-01-01" in page.evaluate("caches.keys()")
    _open_ready(helper, path)
    assert "door-page-2000-01-01" not in page.evaluate("caches.keys()")
    assert page.evaluate("DoorTaps.all().then((taps) => taps.map((t) => t.id))") == []

    # Searching with no signal filters the saved list on the phone.
    page.context.set_offline(True)
    helper.fill("Search by first name", names["cy"].split()[0].lower())
    page.get_by_role("button", name="Search", exact=True).click()
    expect(_row(helper, names["cy"])).to_be_visible()
    expect(_row(helper, names["ada"])).to_be_hidden()
    expect(page.locator("#door-offline-status")).to_contain_text("1 person with a first name starting")
    page.context.set_offline(False)
    helper.visit(path)

    # A tap the server refuses (the invitation was taken off the list meanwhile) says why, on its row.
    page.context.set_offline(True)
    expect(page.locator("#door-offline-status")).to_contain_text("No signal")
    _tap(helper, f"Check in {names['bo']}")
    _not_coming(live_server, names["invitations"]["bo"])
    page.context.set_offline(False)
    status = page.locator("#door-offline-status")
    expect(status).to_contain_text(f"Check in {names['bo']}: Not on the list: speak to an organiser.", timeout=15_000)
    expect(_row(helper, names["bo"])).to_contain_text("Not recorded: Not on the list: speak to an organiser.")
    expect(page.get_by_role("button", name=f"Check in {names['bo']}", exact=True)).to_be_visible()
    page.get_by_role("button", name="Clear these messages").click()
    expect(status).to_be_hidden()

    # Signing out deletes the saved pages, the taps and the service worker.
    helper.press("Sign out")
    expect(helper.h1()).to_contain_text("signed out")
    page.wait_for_function("caches.keys().then((keys) => keys.length === 0)", timeout=10_000)
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    assert page.evaluate("indexedDB.databases().then((d) => d.map((x) => x.name))") == []
