"""Bad input (issue 13, item 7c): any ?page= on any paged list gets a page, never a server error.
A number past the end shows the last page; zero, negative or not a number shows the first."""

from __future__ import annotations

import inspect

import pytest

from cpevents.core.enums import Role
from cpevents.core.paging import MOST_PAGES, clamp_page
from tests.factories import make_user, sign_in
from tests.nominations.test_journey import open_event

ODD_PAGES = ["99999999999999999999", "9" * 5000, "-1", "-99999999999999999999", "0", "abc", "1.5", "", " 2 ", "1e9", "²", "٣", "%00"]

# Every list that reads ?page= (the test below fails when a new one is not added here).
PAGED = {
    "young_people.index": "/young-people",
    "people.index": "/people",
    "emails.index": "/emails",
    "achievements.celebrated": "/achievements",
    "review.index": "/events/{event}/nominations",
    "events.index": "/events",
    "champions.directory": "/champions",
    "invitations.mine": "/your-invitations",
    "home.nominator": "/nominator",
    "letters.index": "/letters",
    "invitations.index": "/events/{event}/invitations",
}


def test_every_paged_list_is_tested(app):
    reads_page = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if any(reads in inspect.getsource(view) for reads in ("requested_page(", 'args.get("page"', "paged("))
    }
    assert reads_page == set(PAGED)


@pytest.fixture
def organiser_client(client):
    sign_in(client, make_user(Role.ORGANISER, Role.NOMINATOR, totp=True))  # a nominator's own lists too
    return client


@pytest.mark.parametrize("endpoint", list(PAGED))
def test_any_page_number_gets_a_page(organiser_client, endpoint):
    path = PAGED[endpoint].format(event=open_event().public_id)
    for value in ODD_PAGES:
        response = organiser_client.get(path, query_string={"page": value})
        assert response.status_code == 200, (path, value, response.status_code)
    response = organiser_client.get(path, query_string={"q": "x", "page": "99999999999999999999"})
    assert response.status_code in (200, 400)


def test_a_page_past_the_end_is_the_last_page(organiser_client):
    for n in range(55):
        make_user(Role.JUDGE, name=f"Paged Judge {n:02d}", password=None)
    first = organiser_client.get("/people?role=judge&page=-5").get_data(as_text=True)
    assert "Page 1 of 2" in first
    last = organiser_client.get("/people?role=judge&page=99999999999999999999").get_data(as_text=True)
    assert "Page 2 of 2" in last and 'rel="prev"' in last and 'href="/people?role=judge&amp;page=1"' in last
    assert "Paged Judge 00" in last  # the oldest, on the last page: the rows are there, not an empty page


def test_clamp_page():
    assert clamp_page(MOST_PAGES, total=120, size=50) == 3
    assert clamp_page(0, total=120, size=50) == 1
    assert clamp_page(2, total=0, size=50) == 1
