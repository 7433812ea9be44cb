"""The running order: awards moved up and down with plain forms (no JavaScript), bad input
answered in words (never a 500), the winner marked for organisers only, and the link from the
organisers' event page."""

from __future__ import annotations

import uuid

import pytest

from cpevents.core.enums import Role
from cpevents.events.models import AwardCategory
from cpevents.extensions import db
from tests.factories import csrf_from, make_user, sign_in
from tests.stage.helpers import awards_night, nominee


@pytest.fixture
def night():
    return awards_night(awards=("Starting college", "First job", "Going the extra mile"))


def _order(night) -> list[str]:
    db.session.expire_all()
    return [c.name for c in db.session.execute(
        db.select(AwardCategory).where(AwardCategory.event_id == night.event.id).order_by(AwardCategory.position, AwardCategory.id)
    ).scalars()]


def _move(client, night, award, direction, token=None):
    page = f"/events/{night.event.public_id}/running-order"
    token = token if token is not None else csrf_from(client.get(page).get_data(as_text=True))
    return client.post(f"{page}/{award.public_id}/move", data={"csrf_token": token, "direction": direction})


def _follow(client, response) -> str:
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_awards_move_up_and_down_with_plain_forms(client, night):
    sign_in(client, night.organiser)
    page = client.get(f"/events/{night.event.public_id}/running-order").get_data(as_text=True)
    # Plain forms: a button in a POST form, no script needed. The first has no "up", the last no "down".
    assert page.count('name="direction" value="up"') == 2 and page.count('name="direction" value="down"') == 2
    first, second, third = night.awards
    assert "moved down" in _follow(client, _move(client, night, first, "down"))
    assert _order(night) == ["First job", "Starting college", "Going the extra mile"]
    _move(client, night, third, "up")
    assert _order(night) == ["First job", "Going the extra mile", "Starting college"]
    page = client.get(f"/events/{night.event.public_id}/running-order").get_data(as_text=True)
    assert page.index("1. First job") < page.index("2. Going the extra mile") < page.index("3. Starting college")


def test_moving_the_first_up_or_the_last_down_is_refused_in_words(client, night):
    sign_in(client, night.organiser)
    first, _second, third = night.awards
    assert "Starting college is already first" in _follow(client, _move(client, night, first, "up"))
    assert "Going the extra mile is already last" in _follow(client, _move(client, night, third, "down"))
    assert "Choose whether to move the award up or down" in _follow(client, _move(client, night, first, "sideways"))
    assert _order(night) == ["Starting college", "First job", "Going the extra mile"]


def test_awards_sharing_a_position_get_one_each_when_moved(client, night):
    for award in night.awards:
        award.position = 0
    db.session.commit()
    sign_in(client, night.organiser)
    _move(client, night, night.awards[2], "up")
    assert _order(night) == ["Starting college", "Going the extra mile", "First job"]
    assert sorted(c.position for c in night.awards) == [0, 1, 2]


def test_bad_award_ids_and_missing_tokens_are_never_a_500(client, night):
    sign_in(client, night.organiser)
    base = f"/events/{night.event.public_id}/running-order"
    token = csrf_from(client.get(base).get_data(as_text=True))
    other = awards_night(awards=("Someone else's award",))
    for award_id in (uuid.uuid4(), other.awards[0].public_id):
        assert client.post(f"{base}/{award_id}/move", data={"csrf_token": token, "direction": "up"}).status_code == 404
        assert client.get(f"{base}/{award_id}/sheet").status_code == 404
        assert client.get(f"{base}/{award_id}/sheet.pdf").status_code == 404
        assert client.post(f"{base}/{award_id}/sealed", data={"csrf_token": token}).status_code == 404
    assert client.get(f"{base}/not-a-uuid/sheet").status_code == 404
    assert client.get(f"/events/{uuid.uuid4()}/running-order").status_code == 404
    # No token: refused (the app's CSRF check answers 400 before the view), nothing moved.
    assert _move(client, night, night.awards[1], "up", token="").status_code == 400
    assert _order(night) == ["Starting college", "First job", "Going the extra mile"]


def test_the_winner_is_marked_for_organisers_with_who_is_coming(client, night):
    award = night.awards[0]
    nominee(night, award, first_name="Wyn", last_name="Ashby", winner=True)
    nominee(night, award, first_name="Xan", last_name="Brook")
    sign_in(client, night.organiser)
    page = client.get(f"/events/{night.event.public_id}/running-order").get_data(as_text=True)
    row = page[page.index("Wyn Ashby"):page.index("</tr>", page.index("Wyn Ashby"))]
    assert "Winner" in row
    assert "Winner" not in page[page.index("Xan Brook"):page.index("</tr>", page.index("Xan Brook"))]
    assert "No winner chosen yet" in page  # the other awards


def test_the_event_page_links_to_the_running_order(client, night):
    sign_in(client, night.organiser)
    page = client.get(f"/events/{night.event.public_id}").get_data(as_text=True)
    assert f'href="/events/{night.event.public_id}/running-order"' in page


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.JUDGE, Role.DOOR_HELPER, Role.CHAMPION, Role.BOARD])
def test_nobody_but_organisers_sees_a_sheet_or_the_winner(client, night, role):
    award = night.awards[0]
    nominee(night, award, first_name="Yara", winner=True)
    sign_in(client, make_user(role, totp=True))
    base = f"/events/{night.event.public_id}"
    for path in ("/running-order", f"/running-order/{award.public_id}/sheet", f"/running-order/{award.public_id}/sheet.pdf",
                 f"/running-order/{award.public_id}/sealed", "/photographers-list", "/photographers-list.pdf"):
        response = client.get(base + path)
        assert response.status_code == 403 and "Yara" not in response.get_data(as_text=True)
