"""Every route declares who may use it, and each role is refused where it does not belong."""

import pytest

from cpevents.core.access import ACCESS_ATTR
from cpevents.core.enums import Role
from tests.conftest import make_user, sign_in

# GET pages that belong to organisers only (people pages need a real person, added below).
ROLE_PAGES = {
    "/organiser": {Role.ORGANISER},
    "/nominator": {Role.NOMINATOR},
    "/judge": {Role.JUDGE},
    "/champion": {Role.CHAMPION},
    "/board": {Role.BOARD},
    "/people": {Role.ORGANISER},
    "/people/invite": {Role.ORGANISER},
    "/people/{person}": {Role.ORGANISER},
}
ROLE_POSTS = {
    "/people/invite": {Role.ORGANISER},
    "/people/{person}/roles": {Role.ORGANISER},
    "/people/{person}/deactivate": {Role.ORGANISER},
    "/people/{person}/reactivate": {Role.ORGANISER},
    "/people/{person}/resend-invitation": {Role.ORGANISER},
}


def test_every_route_declares_an_access_rule(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not getattr(view, ACCESS_ATTR, None):
            missing.append(f"{rule.rule} ({rule.endpoint})")
    assert not missing, f"routes without an access rule: {missing}"


def test_every_role_restricted_route_is_in_the_role_table(app):
    """A new organiser-only route must be added to the table above, so it gets tested."""
    listed = {path.replace("{person}", "<public_id>") for path in list(ROLE_PAGES) + list(ROLE_POSTS)}
    restricted = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and str(getattr(app.view_functions[rule.endpoint], ACCESS_ATTR)).startswith("roles:")
    }
    assert restricted <= listed, f"add these to ROLE_PAGES/ROLE_POSTS: {sorted(restricted - listed)}"


def test_person_urls_use_unguessable_ids(app):
    for rule in app.url_map.iter_rules():
        for argument in rule.arguments:
            assert not argument.endswith("_id") or argument == "public_id", f"{rule.rule} counts people by number"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_403_where_it_does_not_belong(client, role):
    person = make_user(Role.NOMINATOR)
    user = make_user(role, totp=role in {Role.ORGANISER, Role.BOARD})
    sign_in(client, user)
    for path, allowed in ROLE_PAGES.items():
        response = client.get(path.format(person=person.public_id))
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, path, response.status_code)
    for path, allowed in ROLE_POSTS.items():
        if role in allowed:
            continue
        response = client.post(path.format(person=person.public_id), data={})
        # CSRF is checked before the view; send a valid token so the role check is what refuses.
        page = client.get("/account")
        token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0] if 'name="csrf_token"' in page.get_data(as_text=True) else ""
        response = client.post(path.format(person=person.public_id), data={"csrf_token": token})
        assert response.status_code == 403, (role, path, response.status_code)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    person = make_user(Role.NOMINATOR)
    for path in list(ROLE_PAGES) + ["/account", "/home"]:
        response = client.get(path.format(person=person.public_id))
        assert response.status_code == 302, path
        assert "/sign-in" in response.headers["Location"]


def test_unknown_person_is_404_for_organisers(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    assert client.get("/people/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/people/1").status_code == 404


def test_deactivated_account_cannot_use_role_pages(client):
    from cpevents.extensions import db
    from cpevents.core.time import utcnow

    user = make_user(Role.JUDGE)
    sign_in(client, user)
    assert client.get("/judge").status_code == 200
    user.deactivated_at = utcnow()
    db.session.commit()
    response = client.get("/judge")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
