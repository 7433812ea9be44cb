"""The demo has a young person with a mobile number and agreement, and one whose texts failed
(issue 17); the demo has no Notify key, so the record only shows them."""

from __future__ import annotations

from sqlalchemy import select

from cpevents.extensions import db
from cpevents.young_people.demo import DEMO_MOBILE, DEMO_REFUSED_MOBILE
from cpevents.young_people.models import YoungPerson


def test_demo_young_people_with_mobile_numbers_are_made_once_and_shown(app, client):
    from cpevents.accounts.models import User
    from cpevents.demo import seed_demo
    from tests.factories import sign_in

    with app.test_request_context():
        first = seed_demo()
        db.session.commit()
        second = seed_demo()
        db.session.commit()
    assert first["young_person_with_mobile"] == second["young_person_with_mobile"]
    agreed = db.session.execute(select(YoungPerson).where(YoungPerson.mobile == DEMO_MOBILE)).scalar_one()
    refused = db.session.execute(select(YoungPerson).where(YoungPerson.mobile == DEMO_REFUSED_MOBILE)).scalar_one()
    assert agreed.can_be_texted and refused.mobile_failed == "invalid number"
    organiser = db.session.execute(select(User).where(User.email == "organiser@demo.example.org")).scalar_one()
    sign_in(client, organiser, password="demo organiser password")  # noqa: S106 - the demo's published password
    html = client.get(f"/young-people/{agreed.public_id}").get_data(as_text=True)
    assert "07700 900461" in html and "agreed to texts" in html and "Texts are not set up" in html
    html = client.get(f"/young-people/{refused.public_id}").get_data(as_text=True)
    assert "Texts to this number failed: invalid number" in html
