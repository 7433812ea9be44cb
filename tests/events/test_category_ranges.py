"""Issue 20, bug 4: an award category can never be wider than its event. The category form
refuses it beside the field, the event form will not narrow the event below its categories, and
a nomination is refused for a young person outside the event's ages even if old data has a wider
category."""

from datetime import timedelta

from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.events.models import AwardCategory, check_eligibility
from cpevents.extensions import db
from cpevents.nominations.models import Nomination, NominationStatus
from tests.events.test_events import EVENT_FORM, _event, organiser_client  # noqa: F401
from tests.factories import make_user, post_form, sign_in
from tests.nominations.test_journey import ANSWERS, open_event

CATEGORY = {"name": "Young adults", "description": "For the older ones.", "care_status_rule": "either"}


def _beside(html: str, field: str, message: str) -> bool:
    """The message is in the field's own error message (its id is `<field>-error`)."""
    start = html.find(f'id="{field}-error"')
    return start != -1 and message in html[start:start + 400]


def test_category_older_than_the_event_is_refused_beside_the_field(organiser_client):  # noqa: F811 - organiser_client is the fixture imported above
    event = _event(organiser_client.organiser)  # ages 11 to 25
    response = post_form(organiser_client, f"/events/{event.public_id}/categories/new", {**CATEGORY, "min_age": "18", "max_age": "30"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _beside(html, "max_age", "Oldest age must be 25 or less: the event is for ages 11 to 25")
    assert 'value="30"' in html and 'value="Young adults"' in html  # what was typed is kept
    assert db.session.execute(select(AwardCategory).where(AwardCategory.name == "Young adults")).scalar_one_or_none() is None


def test_category_younger_than_the_event_is_refused_beside_the_field(organiser_client):  # noqa: F811 - organiser_client is the fixture imported above
    event = _event(organiser_client.organiser)
    response = post_form(organiser_client, f"/events/{event.public_id}/categories/new", {**CATEGORY, "min_age": "8", "max_age": ""})
    assert response.status_code == 400
    assert _beside(response.get_data(as_text=True), "min_age", "Youngest age must be 11 or more: the event is for ages 11 to 25")


def test_one_sided_category_age_outside_the_event_is_refused(organiser_client):  # noqa: F811 - organiser_client is the fixture imported above
    event = _event(organiser_client.organiser)
    path = f"/events/{event.public_id}/categories/new"
    too_old = post_form(organiser_client, path, {**CATEGORY, "min_age": "27", "max_age": ""})
    assert too_old.status_code == 400 and _beside(too_old.get_data(as_text=True), "min_age", "Youngest age must be 25 or less")
    too_young = post_form(organiser_client, path, {**CATEGORY, "min_age": "", "max_age": "9"})
    assert too_young.status_code == 400 and _beside(too_young.get_data(as_text=True), "max_age", "Oldest age must be 11 or more")


def test_category_inside_the_event_still_saves(organiser_client):  # noqa: F811 - organiser_client is the fixture imported above
    event = _event(organiser_client.organiser)
    edit = f"/events/{event.public_id}/categories/{event.categories[0].public_id}/edit"
    assert post_form(organiser_client, edit, {**CATEGORY, "min_age": "16", "max_age": "25"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(AwardCategory, event.categories[0].id).age_range == (16, 25)


def test_event_cannot_be_narrowed_below_its_categories(organiser_client):  # noqa: F811 - organiser_client is the fixture imported above
    event = _event(organiser_client.organiser)
    category = event.categories[0]
    category.min_age, category.max_age = 16, 24
    db.session.commit()
    edit = f"/events/{event.public_id}/edit"
    narrower = post_form(organiser_client, edit, {**EVENT_FORM, "min_age": "18", "max_age": "21"})
    html = narrower.get_data(as_text=True)
    assert narrower.status_code == 400
    assert _beside(html, "min_age", f"{category.name} is for ages 16 to 24")
    assert _beside(html, "max_age", f"{category.name} is for ages 16 to 24")
    assert 'value="21"' in html
    db.session.expire_all()
    assert db.session.get(type(event), event.id).max_age == 25
    # Narrowing to exactly the category's ages is fine.
    assert post_form(organiser_client, edit, {**EVENT_FORM, "min_age": "16", "max_age": "24"}).status_code == 302


def test_old_wider_category_does_not_let_an_older_young_person_through(app):
    event = open_event()  # ages 11 to 25
    category = event.categories[0]
    category.min_age, category.max_age = 18, 30  # saved before categories were checked
    db.session.commit()
    born = event.event_date - timedelta(days=27 * 366)  # 27 on the day
    result = check_eligibility(category, date_of_birth=born, care_status="care_leaver", worked_with_recently=True)
    assert not result.eligible and "aged 18 to 25" in result.reasons[0]
    assert category.age_range == (18, 25)


def test_nomination_of_a_27_year_old_is_refused_even_in_an_old_wider_category(client):
    event = open_event()
    category = event.categories[0]
    category.min_age, category.max_age = 18, 30
    db.session.commit()
    nominator = make_user(Role.NOMINATOR)
    sign_in(client, nominator)
    born = event.event_date - timedelta(days=27 * 366)
    nomination = Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.DRAFT)
    db.session.add(nomination)
    db.session.commit()
    base = f"/nominations/{nomination.public_id}"
    young_person = {**ANSWERS["young-person"], "date_of_birth": [str(born.day), str(born.month), str(born.year)], "care_status": "care_leaver"}
    assert post_form(client, f"{base}/young-person", young_person).status_code == 302
    assert post_form(client, f"{base}/you", ANSWERS["you"]).status_code == 302
    refused = post_form(client, f"{base}/category", {"category": category.public_id})
    assert refused.status_code == 400 and "aged 18 to 25" in refused.get_data(as_text=True)
    # Even if the category had been saved before (old data), sending is refused.
    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination.id)
    nomination.category_id = category.id
    db.session.commit()
    for slug in ("achievement", "safety"):
        assert post_form(client, f"{base}/{slug}", ANSWERS[slug]).status_code == 302
    sent = post_form(client, f"{base}/check", {})
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status == NominationStatus.DRAFT
    assert "aged 18 to 25" in client.get(sent.headers["Location"]).get_data(as_text=True)
