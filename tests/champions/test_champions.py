"""Applying to be a Corporate Parenting Champion, deciding, the 12-month term, pledges kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from cpevents.accounts.models import User, user_by_email
from cpevents.champions.models import (
    Champion,
    ChampionService,
    ChampionStatus,
    PledgeAction,
    PledgeKind,
)
from cpevents.champions.queries import active_services
from cpevents.champions.services import apply_signed_in, approve_champion
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from tests.factories import make_user, post_form, sign_in


def _service(name="Libraries") -> ChampionService:
    return db.session.execute(select(ChampionService).where(ChampionService.name == name)).scalar_one()


def _guest_answers(**change):
    answers = {
        "name": "Lee Librarian",
        "email": "lee.librarian@example.org",
        "job_title": "Library service manager",
        "service": _service().public_id,
        "pledges": ["work_experience", "help_at_events"],
        "pledge_words": "Two work experience places a year in the central library.",
    }
    answers.update(change)
    return answers


def _approved_champion(app, *, expires_in: timedelta | None = None, name="Chris Champion") -> tuple[User, Champion]:
    user = make_user(Role.CHAMPION, name=name)
    organiser = make_user(Role.ORGANISER)
    user.set_roles(set())  # the role comes from approval
    with app.test_request_context():
        champion = apply_signed_in(user, job_title="Officer", service=_service(), pledges=[PledgeKind.MENTOR, PledgeKind.SPEAK_UP], pledge_words="I will mentor.")
        approve_champion(champion, by=organiser)
    if expires_in is not None:
        champion.expires_at = utcnow() + expires_in
    db.session.commit()
    return user, champion


def test_the_default_services_are_there_for_people_to_choose():
    names = {s.name for s in active_services()}
    assert {"Children's Services", "Highways", "Libraries", "Elected Member", "Partner agency"} <= names


def test_someone_without_an_account_applies_confirms_and_is_approved_then_sets_a_password(app, client, smtp_sink):
    response = post_form(client, "/champions/apply", _guest_answers())
    assert response.status_code == 302 and response.headers["Location"].endswith("/champions/apply/check-your-email")
    champion = db.session.execute(select(Champion).where(Champion.email == "lee.librarian@example.org")).scalar_one()
    assert champion.status == ChampionStatus.UNCONFIRMED
    assert {p.kind for p in champion.pledges} == {PledgeKind.WORK_EXPERIENCE, PledgeKind.HELP_AT_EVENTS}

    (mail,) = smtp_sink.wait_for("lee.librarian@example.org")
    assert mail["subject"] == "Confirm your email address"
    link = smtp_sink.link(mail)
    assert "Confirm and send" in client.get(link).get_data(as_text=True)
    db.session.refresh(champion)
    assert champion.status == ChampionStatus.UNCONFIRMED  # opening the link changes nothing
    response = post_form(client, link, {})
    assert response.status_code == 302
    db.session.refresh(champion)
    assert champion.status == ChampionStatus.PENDING
    assert client.get(link).status_code == 404  # single use

    organiser = make_user(Role.ORGANISER, totp=True)
    staff = app.test_client()
    sign_in(staff, organiser)
    page = staff.get("/champions/applications").get_data(as_text=True)
    assert "Lee Librarian" in page
    smtp_sink.deliver()
    smtp_sink.clear()
    response = post_form(staff, f"/champions/applications/{champion.public_id}/approve", {}, get_path=f"/champions/applications/{champion.public_id}")
    assert response.status_code == 302
    db.session.refresh(champion)
    assert champion.status == ChampionStatus.APPROVED
    assert champion.expires_at - champion.approved_at == timedelta(days=365)
    account = user_by_email("lee.librarian@example.org")
    assert account.roles == {Role.CHAMPION} and account.password_hash is None
    mails = smtp_sink.wait_for("lee.librarian@example.org", count=2)
    subjects = {m["subject"] for m in mails}
    assert subjects == {"You have been invited to an account", "Welcome, Corporate Parenting Champion"}
    invitation = next(m for m in mails if m["subject"].startswith("You have been invited"))
    set_password = smtp_sink.link(invitation)
    response = post_form(client, set_password, {"password": "a long new champion password", "confirm": "a long new champion password"})
    assert response.status_code == 302
    db.session.refresh(account)
    assert account.password_hash is not None


def test_a_signed_in_nominator_applies_without_confirming_and_gets_the_role_added(app, client, smtp_sink):
    nominator = make_user(Role.NOMINATOR, name="Nadia Worker")
    sign_in(client, nominator)
    page = client.get("/champions/apply").get_data(as_text=True)
    assert 'name="email"' not in page and "Applying as Nadia Worker" in page
    answers = {k: v for k, v in _guest_answers().items() if k not in ("name", "email")}
    response = post_form(client, "/champions/apply", answers)
    assert response.status_code == 302 and response.headers["Location"].endswith("/champions/apply/sent")
    champion = db.session.execute(select(Champion).where(Champion.user_id == nominator.id)).scalar_one()
    assert champion.status == ChampionStatus.PENDING and champion.email == nominator.email
    smtp_sink.wait_for(nominator.email)
    # Applying twice is refused with a clear message.
    response = post_form(client, "/champions/apply", answers)
    assert response.status_code == 400 and "You have already applied" in response.get_data(as_text=True)

    organiser = make_user(Role.ORGANISER)
    with app.test_request_context():
        approve_champion(champion, by=organiser)
    db.session.commit()
    db.session.refresh(nominator)
    assert nominator.roles == {Role.NOMINATOR, Role.CHAMPION}
    welcome = smtp_sink.wait_for(nominator.email, count=2)[-1]
    assert welcome["subject"] == "Welcome, Corporate Parenting Champion"
    assert "Mentor" not in smtp_sink.text(welcome) and "Offer work experience" in smtp_sink.text(welcome)


def test_bad_application_input_is_explained_beside_each_field_and_kept(client):
    response = post_form(client, "/champions/apply", {"name": "  ", "email": "not an email", "job_title": "Officer", "pledge_words": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("Enter your full name", "Enter an email address in the correct format", "Select the service you work in",
                    "Select at least one thing you will do", "Tell us in your own words what you will do"):
        assert message in html
    assert 'value="not an email"' in html and 'value="Officer"' in html
    assert db.session.execute(select(func.count()).select_from(Champion)).scalar_one() == 0


def test_applying_again_without_an_account_tells_the_owner_and_saves_nothing_new(client, smtp_sink):
    post_form(client, "/champions/apply", _guest_answers())
    smtp_sink.wait_for("lee.librarian@example.org")
    smtp_sink.clear()
    response = post_form(client, "/champions/apply", _guest_answers(name="Someone Else"))
    assert response.status_code == 302  # the same page: it never tells who has applied
    (mail,) = smtp_sink.wait_for("lee.librarian@example.org")
    assert "already have an application" in smtp_sink.text(mail)
    assert db.session.execute(select(func.count()).select_from(Champion)).scalar_one() == 1


def test_approving_an_already_approved_champion_is_refused_and_changes_nothing(app, client, smtp_sink):
    user, champion = _approved_champion(app)
    expires = champion.expires_at
    smtp_sink.deliver()
    smtp_sink.clear()
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    response = post_form(client, f"/champions/applications/{champion.public_id}/approve", {}, get_path=f"/champions/applications/{champion.public_id}", follow_redirects=True)
    assert "Chris Champion has already been approved" in response.get_data(as_text=True)
    db.session.refresh(champion)
    assert champion.expires_at == expires
    smtp_sink.deliver()
    assert smtp_sink.to(user.email) == []


def test_declining_needs_a_reason_which_is_emailed(app, client, smtp_sink):
    applicant = make_user(Role.NOMINATOR)
    with app.test_request_context():
        champion = apply_signed_in(applicant, job_title="Officer", service=_service(), pledges=[PledgeKind.OTHER], pledge_words="Something")
    db.session.commit()
    smtp_sink.deliver()
    smtp_sink.clear()
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    path = f"/champions/applications/{champion.public_id}/decline"
    response = post_form(client, path, {"reason": "   "}, get_path=f"/champions/applications/{champion.public_id}")
    assert response.status_code == 400 and "Enter the reason, so we can tell them why" in response.get_data(as_text=True)
    db.session.refresh(champion)
    assert champion.status == ChampionStatus.PENDING
    response = post_form(client, path, {"reason": "We need a manager's agreement first."}, get_path=f"/champions/applications/{champion.public_id}")
    assert response.status_code == 302
    db.session.refresh(champion)
    assert champion.status == ChampionStatus.DECLINED
    (mail,) = smtp_sink.wait_for(applicant.email)
    assert "manager's agreement" in smtp_sink.text(mail) and "care" not in mail["subject"].lower()
    assert Role.CHAMPION not in applicant.roles
    response = post_form(client, f"/champions/applications/{champion.public_id}/approve", {}, get_path=f"/champions/applications/{champion.public_id}", follow_redirects=True)
    assert "already been declined" in response.get_data(as_text=True)


def test_an_expired_confirmation_link_shows_a_clear_page(client, smtp_sink):
    post_form(client, "/champions/apply", _guest_answers())
    link = smtp_sink.link(smtp_sink.wait_for("lee.librarian@example.org")[0])
    champion = db.session.execute(select(Champion)).scalar_one()
    champion.confirm_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)
    assert client.get("/champions/confirm/not-a-real-token").status_code == 404


def test_renewal_email_goes_once_a_month_before_and_the_role_ends_when_time_runs_out(app, smtp_sink):
    soon_user, soon = _approved_champion(app, expires_in=timedelta(days=20), name="Sam Soon")
    later_user, later = _approved_champion(app, expires_in=timedelta(days=200), name="Lou Later")
    gone_user, gone = _approved_champion(app, expires_in=timedelta(minutes=-5), name="Gil Gone")
    smtp_sink.deliver()
    smtp_sink.clear()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["champions", "renewals"])
    assert result.exit_code == 0, result.output
    assert "Renewal reminders queued: 1. Champions whose time ended: 1." in result.output
    (mail,) = smtp_sink.wait_for(soon_user.email)
    assert mail["subject"] == "Renew your Corporate Parenting Champion pledge"
    (ended,) = smtp_sink.wait_for(gone_user.email)
    assert "ended" in ended["subject"]
    assert smtp_sink.to(later_user.email) == []
    db.session.refresh(gone)
    db.session.refresh(gone_user)
    assert gone.status == ChampionStatus.LAPSED and Role.CHAMPION not in gone_user.roles
    smtp_sink.clear()
    result = runner.invoke(args=["champions", "renewals"])
    assert "Renewal reminders queued: 0. Champions whose time ended: 0." in result.output  # once only
    smtp_sink.deliver()
    assert smtp_sink.to(soon_user.email) == []


def test_a_champion_renews_in_the_last_month(app, client):
    user, champion = _approved_champion(app, expires_in=timedelta(days=20))
    before = champion.expires_at
    sign_in(client, user)
    page = client.get("/champion/pledges").get_data(as_text=True)
    assert "Renew for another 12 months" in page
    response = post_form(client, "/champion/renew", {}, get_path="/champion/pledges")
    assert response.status_code == 302
    db.session.refresh(champion)
    assert champion.expires_at - before == timedelta(days=365)
    assert "Renew for another 12 months" not in client.get("/champion/pledges").get_data(as_text=True)


def test_a_champion_records_what_they_did_against_a_pledge(app, client):
    user, champion = _approved_champion(app)
    pledge = champion.pledges[0]
    sign_in(client, user)
    path = f"/champion/pledges/{pledge.public_id}/record"
    future = utcnow().date() + timedelta(days=3)
    response = post_form(client, path, {"done_on": [str(future.day), str(future.month), str(future.year)], "what": "Mentored"})
    assert response.status_code == 400 and "The date must be today or in the past" in response.get_data(as_text=True)
    response = post_form(client, path, {"done_on": ["1", "2", "2025"], "what": ""})
    assert response.status_code == 400 and "Describe what you did" in response.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(PledgeAction)).scalar_one() == 0
    response = post_form(client, path, {"done_on": ["1", "2", "2025"], "what": "Met a care leaver every fortnight"})
    assert response.status_code == 302
    assert "Met a care leaver every fortnight" in client.get("/champion/pledges").get_data(as_text=True)
    # Someone else's pledge does not exist for this champion.
    other_user, other = _approved_champion(app, name="Other Champion")
    assert client.get(f"/champion/pledges/{other.pledges[0].public_id}/record").status_code == 404


def test_directory_for_signed_in_staff_and_coverage_for_the_board(app, client):
    _approved_champion(app, name="Chris Champion")
    pending_user = make_user(Role.NOMINATOR, name="Penny Pending")
    with app.test_request_context():
        apply_signed_in(pending_user, job_title="Officer", service=_service("Highways"), pledges=[PledgeKind.OTHER], pledge_words="x")
    db.session.commit()
    assert client.get("/champions").status_code == 302  # signed in only
    sign_in(client, make_user(Role.JUDGE))
    html = client.get("/champions").get_data(as_text=True)
    assert "Chris Champion" in html and "Penny Pending" not in html
    html = client.get(f"/champions?service={_service('Highways').public_id}").get_data(as_text=True)
    assert "Chris Champion" not in html and "no champions in this service yet" in html
    board = app.test_client()
    sign_in(board, make_user(Role.BOARD, totp=True))
    html = board.get("/champions/coverage").get_data(as_text=True)
    assert "No champions yet in:" in html and "Highways" in html


def test_organisers_keep_the_list_of_services(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    response = post_form(client, "/champions/services", {"name": "libraries"})
    assert response.status_code == 400 and "There is already a service called Libraries" in response.get_data(as_text=True)
    response = post_form(client, "/champions/services", {"name": "Waste and Recycling"})
    assert response.status_code == 302
    service = _service("Waste and Recycling")
    post_form(client, f"/champions/services/{service.public_id}/active", {}, get_path="/champions/services")
    db.session.refresh(service)
    assert service.active is False
    assert "Waste and Recycling is taken off the list" in client.get("/champions/services").get_data(as_text=True)
    assert "Waste and Recycling" not in client.get("/champions/apply").get_data(as_text=True)


def test_registration_points_would_be_champions_to_the_application(client):
    html = client.get("/register").get_data(as_text=True)
    assert "/champions/apply" in html
    good = {"name": "Ada Example", "email": "ada.example@example.org", "organisation": "Council", "job_title": "Officer",
            "purpose": "champion", "password": "a very long and unusual password"}
    post_form(client, "/register", good)
    assert "fill in the champion application" in client.get("/register/check-your-email").get_data(as_text=True)
