"""The public winners page (issue 16): only winners who said yes to the council website, never
anyone marked do not publish, erased or contact-restricted, never a nominee who did not win,
nothing before the results, nothing once unpublished; and it follows every change at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations.consents import change_choices, mark_needs_agreement, record_agreement
from cpevents.invitations.models import ConsentHow, ConsentKind, Invitation
from cpevents.judging.models import DecisionKind
from cpevents.nominees.models import NomineeNotice, NoticeState
from cpevents.public.models import WinnersPage
from cpevents.public.winners import unpublish_winners_page
from cpevents.young_people.models import NameShown
from tests.factories import csrf_from, make_user, post_form, queries_for, sign_in
from tests.judging.helpers import accepted_file, setup_panel
from tests.public.helpers import another_winner, consent, decide, own_words, win, world

NOT_FOUND = 404


def page_of(client, event):
    return client.get(f"/winners/{event.public_id}")


def text_of(client, event) -> str:
    response = page_of(client, event)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- never shown (the leak tests) --------------------------------------------------------------------


def test_a_winner_without_consent_is_never_shown(client):
    organiser, event, panel, _ = world()
    hidden = another_winner(event, panel, organiser, first="Zelda")
    consent(hidden, organiser, website=False, **{ConsentKind.USE_SOCIAL: True, ConsentKind.USE_PRESS: True})
    body = text_of(client, event)
    assert "Ava" in body
    assert "Zelda" not in body and "Hiddensurname" not in body


def test_a_winner_who_was_never_invited_is_not_shown(client):
    organiser, event, panel, _ = world()
    another_winner(event, panel, organiser, first="Zelda")
    assert "Zelda" not in text_of(client, event)


def test_withdrawing_consent_after_publishing_takes_them_off_at_once(client):
    organiser, event, panel, file = world()
    assert "Ava" in text_of(client, event)
    invitation = db.session.execute(select(Invitation).filter_by(young_person_id=file.young_person_id)).scalar_one()
    change_choices(invitation, {ConsentKind.USE_WEBSITE: False}, how=ConsentHow.LINK)
    db.session.commit()
    response = page_of(client, event)
    assert "Ava" not in response.get_data(as_text=True)
    assert "I am proud of learning to cook" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_do_not_publish_is_never_shown_even_with_consent(client):
    organiser, event, panel, file = world()
    hidden = another_winner(event, panel, organiser, first="Zelda", do_not_publish=True)
    consent(hidden, organiser)
    assert "Zelda" not in text_of(client, event)
    # Marked after publishing: off the page at the next request.
    file.young_person.do_not_publish = True
    db.session.commit()
    assert "Ava" not in text_of(client, event)


def test_a_contact_restricted_winner_is_never_shown(client):
    organiser, event, panel, _ = world()
    hidden = another_winner(event, panel, organiser, first="Zelda")
    hidden.young_person.contact_restriction = True
    consent(hidden, organiser)
    assert "Zelda" not in text_of(client, event)


def test_under_13_needs_a_workers_agreement_before_being_shown(client):
    organiser, event, panel, _ = world()
    young = another_winner(event, panel, organiser, first="Zelda")
    young.young_person.date_of_birth = date(event.event_date.year - 12, 1, 1)
    invitation = consent(young, organiser)
    assert "Zelda" not in text_of(client, event)
    record_agreement(invitation, True, how=ConsentHow.WORKER, by=organiser)
    db.session.commit()
    assert "Zelda" in text_of(client, event)


def test_a_worker_marking_needs_agreement_hides_them_until_agreed(client):
    organiser, event, panel, file = world()
    invitation = db.session.execute(select(Invitation).filter_by(young_person_id=file.young_person_id)).scalar_one()
    mark_needs_agreement(invitation, True, how=ConsentHow.WORKER, by=organiser)
    db.session.commit()
    assert "Ava" not in text_of(client, event)


def test_nominees_who_did_not_win_are_never_named(client):
    organiser, event, panel, _ = world()
    shortlisted = accepted_file(event, organiser, make_user(Role.NOMINATOR), first="Quentin", last="Notwinner")
    decide(panel, shortlisted, DecisionKind.SHORTLIST, True, organiser)
    consent(shortlisted, organiser)
    overturned = accepted_file(event, organiser, make_user(Role.NOMINATOR), first="Rosalind", last="Overturned")
    win(panel, overturned, organiser)
    decide(panel, overturned, DecisionKind.WINNER, False, organiser)  # the latest decision counts
    consent(overturned, organiser)
    db.session.commit()
    body = text_of(client, event)
    assert "Quentin" not in body and "Rosalind" not in body


def test_an_erased_winner_is_not_shown(client):
    from cpevents.privacy.erasure import confirm_erasure, request_erasure

    organiser, event, panel, file = world()
    request = request_erasure(file.young_person, reason="Asked by email", by=organiser)
    confirm_erasure(request, by=make_user(Role.ORGANISER))
    db.session.commit()
    body = text_of(client, event)
    assert "Ava" not in body and "Erased" not in body


def test_a_winner_who_said_no_thanks_is_not_shown(client):
    organiser, event, panel, file = world()
    notice = db.session.execute(select(NomineeNotice).filter_by(file_id=file.id)).scalar_one()
    notice.state, notice.declined_at = NoticeState.DECLINED, utcnow()
    db.session.commit()
    assert "Ava" not in text_of(client, event)


def test_nothing_before_the_results_are_published(client):
    organiser, event, panel, _files, _judges = setup_panel(n_files=0, n_judges=0)
    file = accepted_file(event, organiser, first="Ava")
    win(panel, file, organiser)
    consent(file, organiser)
    # Even a page row marked published (it cannot be, through the service) shows nothing.
    db.session.add(WinnersPage(event_id=event.id, published_at=utcnow(), published_by_id=organiser.id))
    db.session.commit()
    response = page_of(client, event)
    assert response.status_code == NOT_FOUND and "Ava" not in response.get_data(as_text=True)
    assert event.name not in client.get("/winners").get_data(as_text=True)


def test_an_unpublished_page_is_404_with_no_hint_it_exists(client):
    organiser, event, panel, _ = world()
    assert page_of(client, event).status_code == 200
    unpublish_winners_page(event, by=organiser)
    db.session.commit()
    response = page_of(client, event)
    assert response.status_code == NOT_FOUND
    assert response.headers["Cache-Control"] == "no-store"
    unknown = client.get("/winners/00000000-0000-4000-8000-000000000000")
    assert unknown.status_code == NOT_FOUND
    assert response.get_data(as_text=True) == unknown.get_data(as_text=True)  # the same page: nothing says it exists
    assert event.name not in client.get("/winners").get_data(as_text=True)


def test_never_published_is_404(client):
    organiser, event, panel, _ = world(publish=False)
    assert page_of(client, event).status_code == NOT_FOUND


def test_the_page_says_nothing_of_how_many_are_not_shown(client):
    """A hidden winner changes nothing on the page: the same bytes with or without them."""
    organiser, event, panel, _ = world()
    before = text_of(client, event)
    hidden = another_winner(event, panel, organiser, first="Zelda", category=1)
    consent(hidden, organiser, website=False)
    another_winner(event, panel, organiser, first="Yusuf")  # same award as Ava, never invited
    assert text_of(client, event) == before


# --- what is shown ---------------------------------------------------------------------------------


def test_first_name_award_and_own_words_are_shown(client):
    organiser, event, panel, file = world()
    response = page_of(client, event)
    body = response.get_data(as_text=True)
    assert "Ava" in body and "Shownsurname" not in body
    assert file.category.name in body
    assert "I am proud of learning to cook for my friends." in body
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_full_name_only_when_they_chose_it(client):
    organiser, event, panel, file = world()
    file.young_person.name_shown = NameShown.FULL_NAME
    db.session.commit()
    assert "Ava Shownsurname" in text_of(client, event)


def test_their_preferred_name_is_used(client):
    organiser, event, panel, file = world()
    file.young_person.preferred_name = "Avs"
    db.session.commit()
    body = text_of(client, event)
    assert "Avs" in body


def test_a_surname_in_their_own_words_is_taken_out_unless_they_chose_their_full_name(client):
    organiser, event, panel, _ = world()
    file = another_winner(event, panel, organiser, first="Bea", last="Kowalczyk")
    consent(file, organiser)
    own_words(file, "Bea Kowalczyk says thank you to her carers.")
    body = text_of(client, event)
    assert "Kowalczyk" not in body and "[surname removed] says thank you" in body


def test_the_list_shows_only_published_pages(client):
    organiser, event, panel, _ = world()
    body = client.get("/winners").get_data(as_text=True)
    assert event.name in body and f"/winners/{event.public_id}" in body


def test_the_page_costs_the_same_queries_however_many_winners(client):
    organiser, event, panel, _ = world()
    one = queries_for(client, f"/winners/{event.public_id}")
    for name in ("Bea", "Cal", "Dev", "Eli"):
        consent(another_winner(event, panel, organiser, first=name, category=1), organiser)
    assert queries_for(client, f"/winners/{event.public_id}") == one


# --- organisers ----------------------------------------------------------------------------------------


def test_organisers_preview_who_is_shown_and_who_is_not_and_why(client):
    organiser, event, panel, _ = world(publish=False)
    consent(another_winner(event, panel, organiser, first="Zelda"), organiser, website=False)
    another_winner(event, panel, organiser, first="Yusuf", do_not_publish=True)
    another_winner(event, panel, organiser, first="Xena")
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    body = client.get(f"/events/{event.public_id}/winners-page").get_data(as_text=True)
    assert "Ava" in body and "I am proud of learning to cook" in body
    assert "Zelda Hiddensurname" in body and "Did not say yes to their photos and story on the council website" in body
    assert "Yusuf Hiddensurname" in body and "Marked do not publish" in body
    assert "Xena Hiddensurname" in body and "Not invited to this event" in body


def test_publish_is_a_post_after_a_confirm_page_and_is_audited(client):
    organiser, event, panel, _ = world(publish=False)
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    confirm = client.get(f"/events/{event.public_id}/winners-page/publish")
    assert confirm.status_code == 200 and "Ava" in confirm.get_data(as_text=True)
    assert page_of(client, event).status_code == NOT_FOUND  # opening the confirm page changed nothing
    assert client.post(f"/events/{event.public_id}/winners-page/publish", data={}).status_code == 400  # no CSRF token
    assert page_of(client, event).status_code == NOT_FOUND
    response = post_form(client, f"/events/{event.public_id}/winners-page/publish", {})
    assert response.status_code == 302
    assert page_of(client, event).status_code == 200
    response = post_form(client, f"/events/{event.public_id}/winners-page/unpublish", {})
    assert response.status_code == 302
    assert page_of(client, event).status_code == NOT_FOUND
    details = db.session.execute(select(AuditEntry.detail).where(AuditEntry.subject_type == "events", AuditEntry.subject_id == event.id)).scalars().all()
    assert "Winners page published" in details and "Winners page unpublished" in details
    assert all(e is None for e in db.session.execute(
        select(AuditEntry.young_person_id).where(AuditEntry.subject_type == "events", AuditEntry.subject_id == event.id)).scalars())


def test_publishing_before_the_results_is_refused_beside_the_button(client):
    organiser, event, panel, _files, _judges = setup_panel(n_files=0, n_judges=0)
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    page = client.get(f"/events/{event.public_id}/winners-page/publish")
    assert page.status_code == 200 and "not published yet" in page.get_data(as_text=True)
    token = csrf_from(client.get(f"/events/{event.public_id}/winners-page").get_data(as_text=True) + client.get("/account").get_data(as_text=True))
    response = client.post(f"/events/{event.public_id}/winners-page/publish", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Publish the results first" in response.get_data(as_text=True)
    assert db.session.execute(select(WinnersPage).filter_by(event_id=event.id)).scalar_one_or_none() is None


def test_an_event_without_a_panel_shows_the_organiser_page(client):
    from tests.nominations.test_journey import open_event

    event = open_event()
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    assert client.get(f"/events/{event.public_id}/winners-page").status_code == 200


def test_other_roles_cannot_reach_the_organiser_pages(client, app):
    organiser, event, panel, _ = world(publish=False)
    paths = [f"/events/{event.public_id}/winners-page", f"/events/{event.public_id}/winners-page/publish",
             f"/events/{event.public_id}/winners-page/unpublish"]
    for role in (Role.NOMINATOR, Role.JUDGE, Role.CHAMPION, Role.BOARD, Role.DOOR_HELPER):
        c = app.test_client()
        sign_in(c, make_user(role, totp=role == Role.BOARD))
        for path in paths:
            assert c.get(path).status_code == 403, (role, path)
        token = csrf_from(c.get("/account").get_data(as_text=True))
        for path in paths[1:]:
            assert c.post(path, data={"csrf_token": token}).status_code == 403, (role, path)
    assert page_of(client, event).status_code == NOT_FOUND
    stranger = app.test_client()
    for path in paths:
        response = stranger.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
