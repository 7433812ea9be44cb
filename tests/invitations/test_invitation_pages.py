"""Issue 20: the venue's needs summary counts people, not replies; the young person's invitation
says what the evening is and why they are invited; the needs page opens "Something else" boxes
only when chosen, asks what travel help is needed, and every "Change" link says what it changes."""

from __future__ import annotations

import re

from cpevents.core.enums import Role
from cpevents.events.models import AwardCategory
from cpevents.extensions import db
from cpevents.invitations import services
from cpevents.invitations.models import AgeGroup, InvitationStatus, ReplyHow
from cpevents.invitations.services import Reply
from cpevents.nominations.models import FileStatus, Nomination, NominationStatus, YesNo
from cpevents.young_people.models import CareStatus, WorkerRelationship
from tests.factories import make_user, sign_in
from tests.invitations.helpers import error_text, invited, make_event, open_link, post


def _number(html: str, label: str) -> int:
    match = re.search(re.escape(label) + r'</th><td class="govuk-table__cell govuk-table__cell--numeric">(\d+)<', html)
    assert match, label
    return int(match.group(1))


# --- the venue's needs summary --------------------------------------------------------------------


def test_the_needs_summary_counts_meals_and_needs_per_person_not_per_reply(client):
    event, organiser = make_event(capacity=None)
    family, alone = invited(event, organiser), invited(event, organiser)
    services.record_reply(family, Reply(
        attending=InvitationStatus.COMING, guests=[("Mum", AgeGroup.ADULT), ("Leo", AgeGroup.CHILD)], dietary=["vegetarian"], travel_help=True,
        travel_details="A taxi", guest_needs=[{"dietary": ["vegetarian"], "access": ["wheelchair"]}, {"dietary": ["nut_allergy"]}],
    ), by=organiser, how=ReplyHow.ORGANISER)
    services.record_reply(alone, Reply(attending=InvitationStatus.COMING), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    sign_in(client, organiser)
    html = client.get(f"/events/{event.public_id}/invitations/needs").get_data(as_text=True)
    assert "Meals: <strong>4</strong>" in html
    assert _number(html, "Vegetarian") == 2 and _number(html, "Nut allergy") == 1 and _number(html, "No food or drink needs") == 1
    assert _number(html, "Wheelchair space") == 1
    assert "Help with travel: <strong>1</strong> group (3 people)" in html


def test_a_guest_waiting_for_a_place_is_not_a_meal(client):
    event, organiser = make_event(capacity=2)
    person = invited(event, organiser)
    services.record_reply(person, Reply(attending=InvitationStatus.COMING, guests=[("Mum", AgeGroup.ADULT), ("Dad", AgeGroup.ADULT)],
                                        guest_needs=[{"dietary": ["vegan"]}, {"dietary": ["halal"]}]), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    sign_in(client, organiser)
    html = client.get(f"/events/{event.public_id}/invitations/needs").get_data(as_text=True)
    assert "Meals: <strong>2</strong>" in html and _number(html, "Vegan") == 1 and _number(html, "Halal") == 0


def test_the_guest_list_export_carries_each_guests_own_needs(client):
    event, organiser = make_event()
    person = invited(event, organiser)
    services.record_reply(person, Reply(attending=InvitationStatus.COMING, guests=[("Mum", AgeGroup.ADULT)], guest_needs=[{"dietary": ["vegan"]}]),
                          by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    sign_in(client, organiser)
    assert "Mum (adult; Vegan)" in client.get(f"/events/{event.public_id}/invitations.csv").data.decode("utf-8-sig")


def test_a_worker_records_each_guests_needs_on_the_reply_page(client):
    event, organiser = make_event(capacity=None)
    person = invited(event, organiser)
    sign_in(client, organiser)
    path = f"/invitations/{person.public_id}/reply"
    response = post(client, path, {"attending": "yes", "guest_count": "1", "guest1_name": "Mum", "guest1_age": "adult", "guest1_dietary": ["other"],
                                   "guest1_dietary_other": "", "travel_help": "no", "name_read": "first_name"})
    assert response.status_code == 400 and "Tell us guest 1&#39;s other food and drink needs" in error_text(response)
    assert 'value="Mum"' in response.get_data(as_text=True)
    response = post(client, path, {"attending": "yes", "guest_count": "1", "guest1_name": "Mum", "guest1_age": "adult", "guest1_dietary": ["other"],
                                   "guest1_dietary_other": "No mushrooms", "travel_help": "no", "name_read": "first_name"})
    assert response.status_code == 302, error_text(response)
    db.session.expire_all()
    assert person.guests[0].dietary_words == "No mushrooms"


# --- the young person's invitation page -------------------------------------------------------------


def _shortlisted(event, organiser, invitation, *, knows=YesNo.YES):
    from cpevents.judging.models import DecisionKind
    from cpevents.judging.services import create_panel, decide
    from cpevents.nominations.review import match_nomination

    category = AwardCategory(event_id=event.id, name="Overcoming Adversity", position=1)
    db.session.add(category)
    panel = create_panel(event, by=organiser)
    person = invitation.young_person
    nomination = Nomination(event_id=event.id, nominator_id=make_user(Role.NOMINATOR).id, status=NominationStatus.SENT, first_name=person.first_name,
                            last_name=person.last_name, date_of_birth=person.date_of_birth, care_status=CareStatus.IN_CARE,
                            relationship_type=WorkerRelationship.CARER, young_person_knows=knows)
    db.session.add(nomination)
    db.session.flush()
    file = match_nomination(nomination, person, by=organiser)
    file.status, file.category_id = FileStatus.ACCEPTED, category.id
    db.session.flush()
    decide(panel, file, DecisionKind.SHORTLIST, True, "Strong file", by=organiser)
    db.session.commit()


def test_the_invitation_says_what_the_evening_is_why_they_are_invited_and_that_it_is_free(client):
    event, organiser = make_event()
    event.description = "Awards, music and a buffet dinner.\n\nWe pay for taxis."
    invitation = invited(event, organiser)
    _shortlisted(event, organiser, invitation)
    open_link(client, invitation)
    html = client.get("/invitation").get_data(as_text=True)
    assert "You have been shortlisted for the Overcoming Adversity award" in html
    assert "<p class=\"govuk-body\">Awards, music and a buffet dinner.</p>" in html and "<p class=\"govuk-body\">We pay for taxis.</p>" in html
    assert "It is free for you and your guests" in html and "There is food and drink" in html and "We can help you get there and home again" in html


def test_the_award_is_not_shown_when_the_nominator_said_the_young_person_does_not_know(client):
    event, organiser = make_event()
    unaware = invited(event, organiser)
    _shortlisted(event, organiser, unaware, knows=YesNo.NO)
    open_link(client, unaware)
    html = client.get("/invitation").get_data(as_text=True)
    assert "Your invitation" in html and "shortlisted" not in html and "Overcoming Adversity" not in html


def test_the_award_is_hidden_from_a_contact_restricted_young_persons_link(client):
    from cpevents.judging.models import DecisionKind, Panel
    from cpevents.judging.services import decide
    from cpevents.nominations.review import match_nomination

    event, organiser = make_event()
    first = invited(event, organiser)
    _shortlisted(event, organiser, first)
    restricted = invited(event, organiser, contact_restriction=True)
    panel = db.session.execute(db.select(Panel).where(Panel.event_id == event.id)).scalar_one()
    category = db.session.execute(db.select(AwardCategory).where(AwardCategory.event_id == event.id, AwardCategory.name == "Overcoming Adversity")).scalar_one()
    person = restricted.young_person
    nomination = Nomination(event_id=event.id, nominator_id=make_user(Role.NOMINATOR).id, status=NominationStatus.SENT, first_name=person.first_name,
                            last_name=person.last_name, date_of_birth=person.date_of_birth, care_status=CareStatus.IN_CARE,
                            relationship_type=WorkerRelationship.CARER, young_person_knows=YesNo.YES)
    db.session.add(nomination)
    db.session.flush()
    file = match_nomination(nomination, person, by=organiser)
    file.status, file.category_id = FileStatus.ACCEPTED, category.id
    db.session.flush()
    decide(panel, file, DecisionKind.SHORTLIST, True, "Strong file", by=organiser)
    db.session.commit()
    open_link(client, restricted)
    html = client.get("/invitation").get_data(as_text=True)
    assert "Your invitation" in html and "shortlisted" not in html and "County Hall" not in html


# --- the needs page and check your answers --------------------------------------------------------------


def _to_needs(client, invitation, guests=1):
    open_link(client, invitation)
    assert post(client, "/invitation/can-you-come", {"attending": "yes"}).status_code == 302
    data = {"guest_count": str(guests)}
    for i in range(1, guests + 1):
        data[f"guest{i}_name"], data[f"guest{i}_age"] = f"Guest{i}", "adult"
    response = post(client, "/invitation/guests", data)
    assert response.status_code == 302, error_text(response)


def test_other_boxes_open_only_when_something_else_is_chosen_and_travel_help_asks_what_is_needed(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    _to_needs(client, invitation)
    html = client.get("/invitation/your-needs").get_data(as_text=True)
    # GOV.UK conditional reveal: the box sits inside the "Something else" choice and is hidden until it is ticked.
    assert re.search(r'value="other"[^>]*data-aria-controls="conditional-dietary-\d+"', html)
    assert re.search(r'class="govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden" id="conditional-dietary-\d+">\s*<div class="govuk-form-group">\s*<label class="govuk-label" for="dietary_other"', html)
    assert re.search(r'value="yes"[^>]*data-aria-controls="conditional-travel_help"', html)
    assert 'for="travel_details"' in html and "What help with travel do you need?" in html
    response = post(client, "/invitation/your-needs", {"dietary": ["other"], "dietary_other": "", "travel_help": "yes", "travel_details": "",
                                                      "name_read": "first_name"})
    assert response.status_code == 400
    errors = error_text(response)
    assert "Tell us your other food and drink needs" in errors and "Tell us what help with travel is needed" in errors
    page = response.get_data(as_text=True)
    # With the error, the box is open (its choice is ticked), not hidden.
    assert re.search(r'class="govuk-checkboxes__conditional" id="conditional-dietary-\d+"', page)


def test_the_guests_page_asks_each_guests_own_needs(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    post(client, "/invitation/can-you-come", {"attending": "yes"})
    html = client.get("/invitation/guests").get_data(as_text=True)
    assert "Guest 1: food and drink needs" in html and "Guest 1: access needs" in html


def test_every_change_link_says_what_it_changes(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    _to_needs(client, invitation)
    response = post(client, "/invitation/your-needs", {"dietary": ["vegan"], "travel_help": "yes", "travel_details": "A taxi from home",
                                                      "name_read": "first_name"})
    assert response.status_code == 302, error_text(response)
    html = client.get("/invitation/check-your-answers").get_data(as_text=True)
    hidden = re.findall(r'Change<span class="govuk-visually-hidden"> ([^<]+)</span>', html)
    assert hidden == ["if you can come", "your guests and their needs", "your food and drink needs", "your access needs",
                      "the help with travel you need", "whether photos of you may be taken",
                      "where photos and a story may be used afterwards", "how your name is read out on stage"]
    assert len(set(hidden)) == len(hidden)
    assert "Yes: A taxi from home" in html
    assert post(client, "/invitation/check-your-answers", {}).status_code == 302
    db.session.expire_all()
    assert invitation.travel_details == "A taxi from home" and invitation.status == InvitationStatus.COMING


# --- issue 19: round trips on the busiest page a young person sees ---------------------------------


def _selects(client, path: str) -> list[str]:
    from sqlalchemy import event

    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engines[None], "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engines[None], "before_cursor_execute", note)
    return seen


def test_the_invitation_page_is_one_query_when_there_is_no_file_and_guests_come_in_it(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    services.record_reply(invitation, Reply(attending=InvitationStatus.COMING, guests=[("Mum", AgeGroup.ADULT), ("Leo", AgeGroup.CHILD)]),
                          by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    open_link(client, invitation)
    html = client.get("/invitation").get_data(as_text=True)
    assert "shortlisted" not in html and "Mum" in html and "Leo" in html
    # The link, the invitation, the young person, the event, its settings, the guests and whether
    # there is a nomination file (none, so no award to look for): one statement.
    assert len(_selects(client, "/invitation")) == 1
    shortlisted = invited(event, organiser)
    _shortlisted(event, organiser, shortlisted)
    open_link(client, shortlisted)
    assert len(_selects(client, "/invitation")) == 3  # the visit, then the file and its decisions
    assert "You have been shortlisted for the Overcoming Adversity award" in client.get("/invitation").get_data(as_text=True)
