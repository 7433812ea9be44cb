"""Issue 13, item 2: a self-registered account is pending until an organiser approves it, or its
confirmed address is on a trusted domain. A pending account can write and send nominations and
see its own, nothing else about any young person."""

import pytest
from sqlalchemy import select

from cpevents.accounts.models import ApprovedDomain, User, user_by_email
from cpevents.accounts.services import AccountError, add_approved_domain, change_roles
from cpevents.core.enums import Role
from cpevents.extensions import db
from tests.core.test_access_rules import LINKED_PAGES, ROLE_PAGES, _ids
from tests.factories import PASSWORD, csrf_from, make_user, post_form, sign_in


def _register(client, smtp_sink, email, confirm=True) -> User:
    details = {"name": "Pat Pending", "email": email, "organisation": "Sunrise Fostering", "job_title": "Supervising social worker",
               "purpose": "nominate", "password": PASSWORD}
    assert post_form(client, "/register", details).status_code == 302
    if confirm:
        link = smtp_sink.link(smtp_sink.wait_for(email)[0])
        page = client.get(link)
        client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    db.session.expire_all()
    return user_by_email(email)


def test_a_self_registered_account_waits_for_approval_and_says_what_happens_next(client, smtp_sink):
    user = _register(client, smtp_sink, "pat@sunrise-fostering.example.net")
    assert not user.is_approved and user.status_label == "Waiting for approval"
    sign_in(client, user)
    home = client.get("/nominator").get_data(as_text=True)
    assert "Your account is waiting for approval" in home and "Young people you work with" not in home
    for path in ("/your-young-people", "/your-invitations", "/achievements", "/champions"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "waiting for approval" in response.get_data(as_text=True)
    assert client.get("/nominate").status_code == 200  # nominating is open to them


def test_a_pending_account_is_refused_on_every_page_but_its_own_nominations(client):
    ids = _ids()
    pending = make_user(Role.NOMINATOR, Role.CHAMPION, approved=False)
    sign_in(client, pending)
    allowed_when_pending = {"/nominator", "/nominate"}
    for path, allowed in list(ROLE_PAGES.items()) + [(p, roles) for p, (roles, _rule) in LINKED_PAGES.items()]:
        if not allowed & {Role.NOMINATOR, Role.CHAMPION}:
            continue
        response = client.get(path.format(**ids))
        if path in allowed_when_pending:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 403, path


def test_a_confirmed_address_on_a_trusted_domain_is_approved_at_once(client, smtp_sink):
    organiser = make_user(Role.ORGANISER)
    add_approved_domain("council.example.gov.uk", "Our staff", by=organiser)
    db.session.commit()
    user = _register(client, smtp_sink, "sam.worker@council.example.gov.uk", confirm=False)
    assert not user.is_approved  # the address is not proven yet
    link = smtp_sink.link(smtp_sink.wait_for(user.email)[0])
    client.post(link, data={"csrf_token": csrf_from(client.get(link).get_data(as_text=True))})
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.is_approved and user.approved_via_domain == "council.example.gov.uk" and user.approved_by_id is None
    # a look-alike domain is not the trusted one
    other = _register(client, smtp_sink, "x@evilcouncil.example.gov.uk")
    assert not other.is_approved


def test_adding_a_domain_approves_confirmed_accounts_already_waiting_on_it(client, smtp_sink):
    waiting = make_user(Role.NOMINATOR, email="a@partner.example.org", approved=False)
    unconfirmed = make_user(Role.NOMINATOR, email="b@partner.example.org", approved=False, verified=False)
    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)
    response = post_form(client, "/people/domains", {"domain": "Partner.Example.org", "description": "Partner agency"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, waiting.id).is_approved and db.session.get(User, waiting.id).approved_by_id == organiser.id
    assert not db.session.get(User, unconfirmed.id).is_approved
    row = db.session.execute(select(ApprovedDomain)).scalar_one()
    assert row.domain == "partner.example.org" and row.added_by_id == organiser.id and row.added_at is not None
    assert smtp_sink.wait_for("a@partner.example.org")[0]["subject"] == "Your account is ready"


@pytest.mark.parametrize(
    "domain,message",
    [("gmail.com", "public email service"), ("not a domain", "Enter a domain like council.gov.uk"), ("", "Enter the email domain")],
)
def test_a_bad_or_public_domain_is_refused_beside_the_field(client, domain, message):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    response = post_form(client, "/people/domains", {"domain": domain, "description": "Someone"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and 'value="Someone"' in html
    assert db.session.execute(select(ApprovedDomain)).first() is None


def test_an_organiser_approves_an_account_and_who_and_when_is_recorded(client, smtp_sink):
    pending = make_user(Role.NOMINATOR, name="Pat Pending", approved=False)
    organiser = make_user(Role.ORGANISER, totp=True, name="Olive Organiser")
    sign_in(client, organiser)
    assert "Pat Pending" in client.get("/organiser").get_data(as_text=True)
    assert "Pat Pending" in client.get("/people?status=pending").get_data(as_text=True)
    page = client.get(f"/people/{pending.public_id}").get_data(as_text=True)
    assert "waiting for approval" in page
    assert client.post(f"/people/{pending.public_id}/approve", data={"csrf_token": csrf_from(page)}).status_code == 302
    db.session.expire_all()
    approved = db.session.get(User, pending.id)
    assert approved.is_approved and approved.approved_by_id == organiser.id
    assert "by Olive Organiser" in client.get(f"/people/{pending.public_id}").get_data(as_text=True)
    assert smtp_sink.wait_for(pending.email)[0]["subject"] == "Your account is ready"


def test_a_pending_account_cannot_be_given_another_role_before_approval():
    organiser = make_user(Role.ORGANISER)
    pending = make_user(Role.NOMINATOR, approved=False)
    with pytest.raises(AccountError, match="waiting for approval"):
        change_roles(pending, {Role.NOMINATOR, Role.JUDGE}, by=organiser)


def test_invited_accounts_are_approved_by_the_organiser_who_invited_them(client):
    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)
    post_form(client, "/people/invite", {"name": "Jo Judge", "email": "jo@example.org", "roles": ["judge"]})
    user = user_by_email("jo@example.org")
    assert user.is_approved and user.approved_by_id == organiser.id
