"""Releasing the shortlist results is one irreversible step (issue 20, bug 2): refused while
nominations are open or files are unscored, confirmed on a page that says what will happen and
to whom, and nothing offers what can no longer be done afterwards."""

from __future__ import annotations

import pytest

from cpevents.extensions import db
from cpevents.judging.models import DecisionKind
from cpevents.judging.services import JudgingError, decide, release_shortlist
from cpevents.mail.models import OutboxMessage
from tests.factories import post_form, sign_in
from tests.judging.helpers import ready_to_release, setup_panel


def _queued() -> int:
    return db.session.query(OutboxMessage).count()


def test_release_is_refused_while_nominations_are_open_and_files_are_unscored(client):
    organiser, event, panel, files, judges = setup_panel(n_files=2, n_judges=1)
    assert event.nominations_open()
    sign_in(client, organiser)
    path = f"/events/{event.public_id}/judging/release-shortlist"
    page = client.get(path)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "You cannot release the shortlist results yet" in body and "Nominations are still open" in body
    assert "2 files with no submitted scores" in body
    for file in files:
        assert f'href="/judging/files/{file.public_id}"' in body and file.young_person.full_name in body
    assert "Release the results and email the nominators" not in body
    before = _queued()
    r = post_form(client, path, {})
    assert r.status_code == 400 and "Nominations are still open" in r.get_data(as_text=True)
    db.session.refresh(panel)
    assert panel.shortlist_released_at is None and _queued() == before


def test_the_service_refuses_too(app):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=1)
    with app.test_request_context(), pytest.raises(JudgingError, match="Nominations are still open"):
        release_shortlist(panel, by=organiser)
    ready_to_release(event, panel, [])  # window closed, but the file has no score
    with app.test_request_context(), pytest.raises(JudgingError, match="1 file has no submitted scores"):
        release_shortlist(panel, by=organiser)


def test_the_confirmation_page_says_what_happens_and_to_whom_then_nothing_offers_it_again(client):
    organiser, event, panel, files, judges = setup_panel(n_files=3, n_judges=1)
    ready_to_release(event, panel, files, judges[0])
    decide(panel, files[0], DecisionKind.SHORTLIST, True, "Top of the ranking", by=organiser)
    decide(panel, files[1], DecisionKind.SHORTLIST, False, "Lower down", by=organiser)
    db.session.commit()
    sign_in(client, organiser)
    panel_page = client.get(f"/events/{event.public_id}/judging").get_data(as_text=True)
    assert f'href="/events/{event.public_id}/judging/release-shortlist"' in panel_page  # a link to the page, not a one-click form
    assert f'action="/events/{event.public_id}/judging/release-shortlist"' not in panel_page
    path = f"/events/{event.public_id}/judging/release-shortlist"
    body = client.get(path).get_data(as_text=True)
    assert "we email 3 nominators (3 emails, one for each nomination) about 3 young people" in body
    assert "1 is told they are shortlisted and 2 are told they are not shortlisted this time" in body
    assert "1 young person has no shortlist decision" in body and files[2].young_person.full_name in body
    assert "This cannot be undone" in body
    assert _queued() == 0
    # the words for young people not shortlisted are required, start from a default, and must be plain
    assert "there were only a few places on the shortlist" in body
    r = post_form(client, path, {"not_shortlisted_message": "  "})
    assert r.status_code == 400 and "Write what young people who were not shortlisted will read" in r.get_data(as_text=True)
    r = post_form(client, path, {"not_shortlisted_message": "<b>Sorry</b>"})
    assert r.status_code == 400 and "plain words, without &lt; or &gt;" in r.get_data(as_text=True) and "&lt;b&gt;Sorry" in r.get_data(as_text=True)
    db.session.refresh(panel)
    assert panel.shortlist_released_at is None and _queued() == 0
    r = post_form(client, path, {"not_shortlisted_message": "Many strong nominations this year. Thank you."})
    assert r.status_code == 302
    db.session.refresh(panel)
    assert panel.shortlist_released_at is not None and _queued() == 3
    # Nothing offers what can no longer be done.
    again = client.get(path)
    assert again.status_code == 302
    panel_page = client.get(f"/events/{event.public_id}/judging").get_data(as_text=True)
    assert "release-shortlist" not in panel_page
    assert "publish-results" not in panel_page and "once it has started" in panel_page  # the evening has not started yet
    chosen = client.get(f"/judging/files/{files[0].public_id}").get_data(as_text=True)
    assert "Record shortlist decision" not in chosen and "can no longer change" in chosen
    assert "Record winner decision" in chosen  # a shortlisted young person can still be chosen as a winner
    not_chosen = client.get(f"/judging/files/{files[1].public_id}").get_data(as_text=True)
    assert "Record shortlist decision" not in not_chosen and "Record winner decision" not in not_chosen
    assert post_form(client, path, {}, get_path=f"/events/{event.public_id}/judging").status_code == 302
    assert _queued() == 3  # never twice
