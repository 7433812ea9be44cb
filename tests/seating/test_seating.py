"""Name cards and seating (issue 18): the first pass, moving by hand, what the cards and the table
plan must never show, the door list's table, and bad input never a 500."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.invitations.models import AgeGroup, InvitationStatus
from cpevents.registrations.models import (
    AudienceKind,
    EventAudience,
    Registration,
    RegistrationStatus,
)
from cpevents.seating import services
from cpevents.seating.models import PartySeat
from cpevents.seating.parties import (
    load_parties,
    name_cards,
    seating_plan,
    table_plan,
    without_surname,
)
from cpevents.young_people.models import NameShown
from tests.door.helpers import coming, door_event, door_helper
from tests.factories import csrf_from, make_user, post_form, queries_for, sign_in


@pytest.fixture
def tonight(app):
    return door_event()


def _tables(event, *spec):
    """spec: (name, seats, near_door)"""
    tables = [services.add_table(event, name=name, seats=seats, near_door=near) for name, seats, near in spec]
    db.session.commit()
    return tables


def _registered(event, name, access=""):
    audience = db.session.query(EventAudience).filter_by(event_id=event.id, name="Councillors").one_or_none()
    if audience is None:
        audience = EventAudience(event_id=event.id, name="Councillors", kind=AudienceKind.COUNCILLORS, capacity=10, position=9, registration_open=True)
        db.session.add(audience)
        db.session.flush()
    email = name.replace(" ", ".").lower() + "@example.org"
    registration = Registration(event_id=event.id, audience_id=audience.id, name=name, email=email, email_key=email, access_needs=access,
                                status=RegistrationStatus.CONFIRMED)
    db.session.add(registration)
    db.session.commit()
    return registration


def _where(event) -> dict[str, str]:
    """party key -> table name"""
    tables, _ = seating_plan(event)
    return {p.key: t.table.name for t in tables for p in t.parties}


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- the first pass -------------------------------------------------------------------------------------


def test_first_pass_keeps_parties_together_and_fills_tables(tonight):
    event, organiser = tonight
    _tables(event, ("1", 6, False), ("2", 6, False), ("3", 6, False))
    three = [coming(event, organiser, guests=[("Mum", AgeGroup.ADULT), ("Ted", AgeGroup.CHILD)]) for _ in range(2)]  # 3 each
    two = [coming(event, organiser, guests=[("Nan", AgeGroup.ADULT)]) for _ in range(3)]  # 2 each
    result = services.first_pass(event, by=organiser)
    db.session.commit()
    assert len(result.seated) == 5 and not result.not_seated
    where = _where(event)
    # Every party sits at one table (a seat belongs to the party, so it is never split) ...
    assert set(where) == {"i-" + i.public_id for i in three + two}
    tables, _ = seating_plan(event)
    # ... and tables fill up rather than spread thin: 12 people in two full tables.
    assert sorted(t.taken for t in tables) == [0, 6, 6]


def test_first_pass_puts_access_needs_near_the_door(tonight):
    event, organiser = tonight
    _tables(event, ("1", 6, False), ("2", 6, True))
    plain = coming(event, organiser, guests=[("Mum", AgeGroup.ADULT)])
    wheelchair = coming(event, organiser, guests=[("Dad", AgeGroup.ADULT)])
    wheelchair.access = "wheelchair"
    guest_needs = coming(event, organiser, guests=[("Grandad", AgeGroup.ADULT)])
    guest_needs.guests[0].access = "near_exit"  # a guest's need seats the whole party by the door
    db.session.commit()
    councillor = _registered(event, "Cllr Priya Shah", access="Step-free route")
    services.first_pass(event, by=organiser)
    db.session.commit()
    where = _where(event)
    assert where["i-" + wheelchair.public_id] == "2"
    assert where["i-" + guest_needs.public_id] == "2"
    assert where["r-" + councillor.public_id] == "2"
    assert where["i-" + plain.public_id] == "1"


def test_a_party_too_big_for_any_table_is_listed_not_split(client, tonight):
    event, organiser = tonight
    _tables(event, ("1", 4, False))
    big = coming(event, organiser, guests=[(f"Cousin {n}", AgeGroup.CHILD) for n in range(5)])  # 6 people
    small = coming(event, organiser, guests=[])
    result = services.first_pass(event, by=organiser)
    db.session.commit()
    assert [p.key for p, _ in result.not_seated] == ["i-" + big.public_id]
    assert result.not_seated[0][1] == services.TOO_BIG
    assert db.session.query(PartySeat).filter_by(invitation_id=big.id).count() == 0
    assert _where(event) == {"i-" + small.public_id: "1"}
    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}/seating").get_data(as_text=True)
    assert "Could not seat" in page and "Too many people for any table" in page


def test_first_pass_is_the_same_every_time(tonight):
    event, organiser = tonight
    _tables(event, ("1", 5, False), ("2", 5, True), ("3", 4, False))
    for guests in (2, 0, 3, 1, 1, 2):
        coming(event, organiser, guests=[(f"G{n}", AgeGroup.ADULT) for n in range(guests)])
    services.first_pass(event, by=organiser)
    first = _where(event)
    db.session.rollback()
    services.first_pass(event, by=organiser)
    assert _where(event) == first


def test_running_the_first_pass_again_keeps_changes_made_by_hand(tonight):
    event, organiser = tonight
    one, two = _tables(event, ("1", 6, False), ("2", 6, False))
    first = coming(event, organiser, guests=[("Mum", AgeGroup.ADULT)])
    services.first_pass(event, by=organiser)
    db.session.commit()
    assert _where(event)["i-" + first.public_id] == "1"
    services.move_party(event, "i-" + first.public_id, two, by=organiser)
    db.session.commit()
    late = coming(event, organiser, guests=[])
    result = services.first_pass(event, by=organiser)
    db.session.commit()
    where = _where(event)
    assert where["i-" + first.public_id] == "2"  # the hand move stays
    assert where["i-" + late.public_id] in {"1", "2"} and [p.key for p, _ in result.seated] == ["i-" + late.public_id]


def test_people_not_coming_are_not_parties(tonight):
    event, organiser = tonight
    coming(event, organiser, status=InvitationStatus.NOT_COMING)
    yes = coming(event, organiser, guests=[])
    assert [p.key for p in load_parties(event)] == ["i-" + yes.public_id]


# --- moving by hand ---------------------------------------------------------------------------------------


def test_moving_a_party_to_a_full_table_is_refused_in_plain_words(client, tonight):
    event, organiser = tonight
    one, two = _tables(event, ("1", 3, False), ("2", 6, False))
    sitting = coming(event, organiser, guests=[("Mum", AgeGroup.ADULT)])
    moving = coming(event, organiser, first_name="Ayo", last_name="Bello", guests=[("Dad", AgeGroup.ADULT)])
    services.move_party(event, "i-" + sitting.public_id, one, by=organiser)
    services.move_party(event, "i-" + moving.public_id, two, by=organiser)
    db.session.commit()
    sign_in(client, organiser)
    response = post_form(client, f"/events/{event.public_id}/seating/move", {"party": "i-" + moving.public_id, "table": one.public_id},
                         get_path=f"/events/{event.public_id}/seating")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Table 1 is full for this party: it has 1 free seat and Ayo B comes with 2 people" in page
    assert "govuk-error-summary" in page
    assert f'<option value="{one.public_id}" selected>' in page  # the table chosen stays chosen
    assert _where(event)["i-" + moving.public_id] == "2"
    # A party that fits moves, and is marked as moved by hand.
    response = post_form(client, f"/events/{event.public_id}/seating/move", {"party": "i-" + sitting.public_id, "table": two.public_id},
                         get_path=f"/events/{event.public_id}/seating")
    assert response.status_code == 302
    assert _where(event)["i-" + sitting.public_id] == "2"
    assert db.session.query(PartySeat).filter_by(invitation_id=sitting.id).one().by_hand


def test_a_table_cannot_shrink_below_the_people_seated(client, tonight):
    event, organiser = tonight
    (table,) = _tables(event, ("1", 6, False))
    invitation = coming(event, organiser, guests=[("Mum", AgeGroup.ADULT), ("Dad", AgeGroup.ADULT)])
    services.move_party(event, "i-" + invitation.public_id, table, by=organiser)
    db.session.commit()
    sign_in(client, organiser)
    path = f"/seating/tables/{table.public_id}/edit"
    response = post_form(client, path, {"name": "1", "seats": "2"})
    assert response.status_code == 400
    assert "3 people sit at this table" in response.get_data(as_text=True)
    db.session.refresh(table)
    assert table.seats == 6


@pytest.mark.parametrize("seats", ["0", "-3", "2.5", "six", "", "99999999999999999999", "\x00", "٣"])
def test_bad_seats_get_a_message_never_a_500(client, tonight, seats):
    event, organiser = tonight
    sign_in(client, organiser)
    response = post_form(client, f"/events/{event.public_id}/seating/tables/new", {"name": "Top table", "seats": seats})
    assert response.status_code in (302, 400)
    if seats != "٣":  # an Arabic-Indic three is a whole number to Python; either way, never a 500
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "Seats must be a whole number" in page or "Enter how many seats" in page
        assert 'value="Top table"' in page  # what was typed stays


def test_table_names_are_unique_per_event_and_bad_moves_are_refused(client, tonight):
    event, organiser = tonight
    _tables(event, ("1", 6, False))
    sign_in(client, organiser)
    response = post_form(client, f"/events/{event.public_id}/seating/tables/new", {"name": "1", "seats": "8"})
    assert response.status_code == 400 and "There is already a table called" in response.get_data(as_text=True)
    seating = f"/events/{event.public_id}/seating"
    for data in ({"party": "nonsense", "table": "none"}, {"party": "i-x", "table": "not-a-table"}, {}, {"party": "\x00" * 500}):
        assert post_form(client, seating + "/move", data, get_path=seating).status_code == 400
    token = csrf_from(client.get(seating).get_data(as_text=True))
    assert client.post(seating + "/first-pass", data={"csrf_token": "wrong"}).status_code == 400
    assert client.post(seating + "/first-pass", data={"csrf_token": token}).status_code == 302


def test_removing_a_table_leaves_its_parties_without_a_table(client, tonight):
    event, organiser = tonight
    (table,) = _tables(event, ("1", 6, False))
    invitation = coming(event, organiser, guests=[])
    services.first_pass(event, by=organiser)
    db.session.commit()
    sign_in(client, organiser)
    response = post_form(client, f"/seating/tables/{table.public_id}/remove", {})
    assert response.status_code == 302
    _, unseated = seating_plan(event)
    assert [p.key for p in unseated] == ["i-" + invitation.public_id]


def test_a_table_of_another_event_is_refused(tonight):
    event, organiser = tonight
    other, _ = door_event(organiser=organiser)
    (elsewhere,) = _tables(other, ("1", 6, False))
    invitation = coming(event, organiser, guests=[])
    with pytest.raises(services.SeatingError):
        services.move_party(event, "i-" + invitation.public_id, elsewhere, by=organiser)


# --- what name cards and the table plan must never show ---------------------------------------------------------


def _seat_all(event, organiser):
    _tables(event, ("1", 12, False))
    services.first_pass(event, by=organiser)
    db.session.commit()


def test_name_cards_show_a_surname_only_where_chosen(client, tonight):
    event, organiser = tonight
    coming(event, organiser, first_name="Amara", last_name="Okafor", name_shown=NameShown.FULL_NAME, guests=[("Grace Okafor", AgeGroup.ADULT)])
    coming(event, organiser, first_name="Ben", last_name="Whitlock", guests=[("Marion Whitlock", AgeGroup.ADULT), ("Tom (brother)", AgeGroup.CHILD)])
    coming(event, organiser, first_name="Chloe", last_name="Hartigan", name_shown=NameShown.FULL_NAME, do_not_publish=True,
           guests=[("Jo Hartigan", AgeGroup.ADULT)])
    coming(event, organiser, first_name="Dev", last_name="Pemberton", preferred_name="Dee", name_shown=NameShown.FULL_NAME,
           contact_restriction=True, guests=[])
    _seat_all(event, organiser)
    names = sorted(card.name for card in name_cards(event))
    assert names == sorted(["Amara Okafor", "Grace Okafor", "Ben", "Marion", "Tom (brother)", "Chloe", "Jo", "Dee"])
    sign_in(client, organiser)
    response = client.get(f"/events/{event.public_id}/seating/name-cards.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    text = _pdf_text(response.data)
    for never in ("Whitlock", "Hartigan", "Pemberton", "Dev "):
        assert never not in text
    assert "Amara Okafor" in text and "Table 1" in text
    reader = PdfReader(io.BytesIO(response.data))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297  # A4


def test_the_table_plan_has_no_surnames_and_no_names_for_do_not_publish(client, tonight):
    event, organiser = tonight
    coming(event, organiser, first_name="Amara", last_name="Okafor", name_shown=NameShown.FULL_NAME, guests=[("Grace Okafor", AgeGroup.ADULT)])
    coming(event, organiser, first_name="Chloe", last_name="Hartigan", do_not_publish=True, guests=[("Jo (foster carer)", AgeGroup.ADULT)])
    coming(event, organiser, first_name="Eli", last_name="Fairweather", contact_restriction=True, guests=[])
    _registered(event, "Cllr Priya Shah")
    _seat_all(event, organiser)
    plan = table_plan(event)
    assert sorted(plan[0].names) == sorted(["Amara", "Grace", "Reserved (2 seats)", "Reserved (1 seat)", "Cllr Priya"])
    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}/seating/table-plan").get_data(as_text=True)
    for never in ("Okafor", "Hartigan", "Chloe", "foster carer", "Eli", "Fairweather", "Shah"):
        assert never not in page
    assert "@media print" in client.get("/static/css/table-plan.css").get_data(as_text=True)


def test_erasing_a_young_person_takes_their_seat(tonight):
    from cpevents.privacy.erasure import _erase_young_person

    event, organiser = tonight
    invitation = coming(event, organiser, first_name="Zara", guests=[("Mum", AgeGroup.ADULT)])
    _seat_all(event, organiser)
    _erase_young_person(invitation.young_person)
    db.session.commit()
    assert db.session.query(PartySeat).count() == 0
    assert name_cards(event) == []


def test_removing_an_invitation_takes_its_seat(tonight):
    from cpevents.invitations.services import remove_invitation

    event, organiser = tonight
    invitation = coming(event, organiser, guests=[])
    _seat_all(event, organiser)
    remove_invitation(invitation, by=organiser)
    db.session.commit()
    assert db.session.query(PartySeat).count() == 0


def test_without_surname():
    assert without_surname("Marion Hallam", "Hallam") == "Marion"
    assert without_surname("Jo (foster carer)", "Hallam") == "Jo (foster carer)"
    assert without_surname("Sue O'Neil-Smith", "O'Neil-Smith") == "Sue"
    assert without_surname("Hallam", "Hallam") == "Guest"


# --- the door list shows the table -------------------------------------------------------------------------


def test_the_door_list_shows_each_partys_table_with_a_fixed_number_of_queries(client, tonight):
    event, organiser = tonight
    _tables(event, ("3", 8, False), ("Top table", 8, True))
    first = coming(event, organiser, first_name="Iris", guests=[])
    councillor = _registered(event, "Cllr Mark Ellis")
    services.first_pass(event, by=organiser)
    db.session.commit()
    sign_in(client, door_helper(event))
    page = client.get(f"/door/events/{event.public_id}").get_data(as_text=True)
    assert "Table 3" in page
    few = queries_for(client, f"/door/events/{event.public_id}")
    for _ in range(6):
        coming(event, organiser, guests=[])
    _registered(event, "Cllr Ann Other")
    services.first_pass(event, by=organiser)
    db.session.commit()
    assert queries_for(client, f"/door/events/{event.public_id}") == few
    printed = client.get(f"/door/events/{event.public_id}/print").get_data(as_text=True)
    assert "<th scope=\"col\">Table</th>" in printed and "Table 3" in printed
    # Scanning a young person's code at the door shows their table too.
    assert "Table 3" in client.get(f"/door/{first.door_code}").get_data(as_text=True)
    assert councillor.public_id in page


# --- who may ---------------------------------------------------------------------------------------------------


def test_only_organisers_reach_seating(client, tonight):
    event, organiser = tonight
    (table,) = _tables(event, ("1", 6, False))
    for role in (Role.DOOR_HELPER, Role.NOMINATOR, Role.JUDGE, Role.CHAMPION, Role.BOARD):
        c = client.application.test_client()
        sign_in(c, make_user(role, totp=role == Role.BOARD))
        for path in (f"/events/{event.public_id}/seating", f"/events/{event.public_id}/seating/name-cards.pdf",
                     f"/events/{event.public_id}/seating/table-plan", f"/seating/tables/{table.public_id}/edit"):
            assert c.get(path).status_code == 403, (role, path)
    stranger = client.application.test_client()
    response = stranger.get(f"/events/{event.public_id}/seating")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    sign_in(client, organiser)
    assert client.get("/events/00000000-0000-0000-0000-000000000000/seating").status_code == 404
    assert client.get("/seating/tables/00000000-0000-0000-0000-000000000000/edit").status_code == 404


def test_the_event_page_links_to_seating(client, tonight):
    event, organiser = tonight
    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert f"/events/{event.public_id}/seating" in page
