"""Random input to every form of the foundation never produces a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpevents.core.enums import Role
from cpevents.extensions import limiter
from tests.conftest import csrf_from, make_user, sign_in

# Any text at all, including control characters, huge strings and odd unicode.
values = st.one_of(st.text(max_size=400), st.sampled_from(["", " ", "\x00", "a@b", "x" * 5000, "organiser", "judge", "1e309", "%00", "<script>"]))

PUBLIC_FORMS = {
    "/sign-in": ["email", "password"],
    "/register": ["name", "email", "organisation", "job_title", "purpose", "password"],
    "/forgot-password": ["email"],
}
ORGANISER_FORMS = {
    "/people/invite": ["name", "email", "roles"],
    "/account/password": ["current", "password", "confirm"],
}
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _fuzz(client, path, fields, data, get_path=None):
    limiter.reset()
    page = client.get(get_path or path)
    token = csrf_from(page.get_data(as_text=True))
    payload = {"csrf_token": token}
    for field in fields:
        value = data.draw(values)
        payload[field] = [value, data.draw(values)] if field == "roles" else value
    response = client.post(path, data=payload)
    assert response.status_code < 500, (path, payload, response.status_code)


@pytest.mark.parametrize("path", list(PUBLIC_FORMS))
@SETTINGS
@given(data=st.data())
def test_public_forms_never_500(client, path, data):
    _fuzz(client, path, PUBLIC_FORMS[path], data)


@pytest.fixture
def organiser_client(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    return client


@SETTINGS
@given(data=st.data())
def test_signed_in_forms_never_500(organiser_client, data):
    person = make_user(Role.NOMINATOR)
    forms = {**ORGANISER_FORMS, f"/people/{person.public_id}/roles": ["roles"]}
    for path, fields in forms.items():
        get_path = f"/people/{person.public_id}" if path.endswith("/roles") else None
        _fuzz(organiser_client, path, fields, data, get_path=get_path)
    assert organiser_client.get("/organiser").status_code == 200  # still signed in
