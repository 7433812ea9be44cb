"""Organisers: set up the panel, invite judges, criteria, share out files, remind judges,
shortlist and choose winners (recorded, never overwritten), release and publish results."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from cpevents.accounts.models import user_by_email
from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.judging.models import Assignment, DecisionKind, JudgingDecision, Panel, PanelJudge
from tests.factories import make_user, post_form, sign_in
from tests.judging.helpers import accepted_file, assign, ready_to_release, setup_panel, submitted
from tests.nominations.test_journey import open_event


def test_organiser_sets_up_a_panel_with_the_usual_criteria(client):
    event = open_event()
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    path = f"/events/{event.public_id}/judging"
    assert "Set up judging" in client.get(path).get_data(as_text=True)
    r = post_form(client, path, {"min_scores": "none"})
    assert r.status_code == 400 and "The fewest scores must be a whole number from 1 to 20" in r.get_data(as_text=True)
    assert post_form(client, path, {"min_scores": "2"}).status_code == 302
    panel = db.session.execute(select(Panel).where(Panel.event_id == event.id)).scalar_one()
    assert [(c.name, c.weight) for c in panel.criteria] == [("Effort and determination", 2), ("Difference it made", 2), ("Inspiring others", 1)]
    page = client.get(path).get_data(as_text=True)
    assert "Effort and determination (weight 2)" in page

    r = post_form(client, f"/events/{event.public_id}/judging/criteria/new", {"name": "Kindness", "description": "", "weight": "11"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Say what the scores mean" in body and "The weight must be a whole number from 1 to 10" in body
    assert 'value="Kindness"' in body  # what was typed is kept
    assert post_form(client, f"/events/{event.public_id}/judging/criteria/new", {"name": "Kindness", "description": "1 to 5", "weight": "3"}).status_code == 302
    db.session.refresh(panel)
    kindness = panel.criteria[-1]
    r = post_form(client, f"/judging/criteria/{kindness.public_id}", {"name": "Kindness to others", "description": "1 to 5", "weight": "1"})
    assert r.status_code == 302
    db.session.refresh(kindness)
    assert (kindness.name, kindness.weight) == ("Kindness to others", 1)


def test_inviting_a_judge_by_email(client, smtp_sink):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=0)
    sign_in(client, organiser)
    path = f"/events/{event.public_id}/judging/judges/new"
    r = post_form(client, path, {"name": "", "email": "not an email"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Enter their full name" in body and "Enter an email address in the correct format" in body
    r = post_form(client, path, {"name": "Tia Young", "email": "tia@example.org", "young_judge": "y"})
    assert r.status_code == 302
    tia = user_by_email("tia@example.org")
    assert tia.has_role(Role.JUDGE) and tia.password_hash is None
    judge = db.session.execute(select(PanelJudge).where(PanelJudge.user_id == tia.id)).scalar_one()
    assert judge.young_judge and judge.sees_redacted
    mail = smtp_sink.wait_for("tia@example.org")
    assert mail[0]["subject"] == "You have been invited to an account" and "/set-password/" in smtp_sink.link(mail[0])

    existing = make_user(Role.NOMINATOR, email="sam@example.org")
    assert post_form(client, path, {"name": "Sam", "email": "SAM@example.org"}).status_code == 302
    db.session.refresh(existing)
    assert existing.roles == {Role.NOMINATOR, Role.JUDGE}
    assert smtp_sink.wait_for("sam@example.org")[0]["subject"] == "You have been added to a judging panel"
    r = post_form(client, path, {"name": "Sam", "email": "sam@example.org"})
    assert r.status_code == 400 and "already on the panel" in r.get_data(as_text=True)

    r = post_form(client, f"/judging/judges/{judge.public_id}", {"blind": "y"})
    assert r.status_code == 302
    db.session.refresh(judge)
    assert not judge.young_judge and judge.blind and judge.sees_redacted


def test_spreading_files_gives_each_at_least_n_judges_evenly(client, smtp_sink):
    organiser, event, panel, files, judges = setup_panel(n_files=6, n_judges=4)
    sign_in(client, organiser)
    path = f"/events/{event.public_id}/judging/assign"
    r = post_form(client, path, {"method": "spread", "per_file": "0"}, get_path=f"/events/{event.public_id}/judging")
    assert r.status_code == 400 and "Judges per file must be a whole number from 1 to 20" in r.get_data(as_text=True)
    r = post_form(client, path, {"method": "spread", "per_file": "2"}, get_path=f"/events/{event.public_id}/judging")
    assert r.status_code == 302
    rows = db.session.execute(select(Assignment).where(Assignment.panel_id == panel.id)).scalars().all()
    assert Counter(a.file_id for a in rows) == {f.id: 2 for f in files}
    assert sorted(Counter(a.judge_id for a in rows).values()) == [3, 3, 3, 3]
    assert smtp_sink.wait_for(judges[0].user.email)[0]["subject"] == "Nominations are ready for you to read"
    # Again: nothing new.
    post_form(client, path, {"method": "spread", "per_file": "2"}, get_path=f"/events/{event.public_id}/judging")
    assert db.session.execute(select(db.func.count()).select_from(Assignment).where(Assignment.panel_id == panel.id)).scalar_one() == 12


def test_assigning_all_to_all_and_by_award(client):
    organiser, event, panel, files, judges = setup_panel(n_files=2, n_judges=3)
    other_award = accepted_file(event, organiser, first="Other", last="Award", category=1)
    sign_in(client, organiser)
    path, page = f"/events/{event.public_id}/judging/assign", f"/events/{event.public_id}/judging"
    r = post_form(client, path, {"method": "category"}, get_path=page)
    assert r.status_code == 400 and "Select the award" in r.get_data(as_text=True) and "Select at least one judge" in r.get_data(as_text=True)
    r = post_form(client, path, {"method": "category", "category": event.categories[1].public_id, "judges": [judges[0].public_id]}, get_path=page)
    assert r.status_code == 302
    rows = db.session.execute(select(Assignment.file_id, Assignment.judge_id).where(Assignment.panel_id == panel.id)).all()
    assert rows == [(other_award.id, judges[0].id)]
    assert post_form(client, path, {"method": "all"}, get_path=page).status_code == 302
    assert db.session.execute(select(db.func.count()).select_from(Assignment).where(Assignment.panel_id == panel.id)).scalar_one() == 9


def test_progress_and_reminders_to_judges_behind(client, smtp_sink):
    organiser, event, panel, files, judges = setup_panel(n_files=2, n_judges=2)
    submitted(panel, files[0], judges[0], (3, 3, 3))
    submitted(panel, files[1], judges[0], (3, 3, 3))
    assign(panel, files[0], judges[1])
    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}/judging").get_data(as_text=True)
    assert "Judge Number0" in page and "<strong>1</strong>" in page
    r = post_form(client, f"/events/{event.public_id}/judging/reminders", {}, get_path=f"/events/{event.public_id}/judging")
    assert r.status_code == 302
    mail = smtp_sink.wait_for(judges[1].user.email)
    assert mail[0]["subject"] == "A reminder about your judging" and "1 nomination" in smtp_sink.text(mail[0])
    smtp_sink.deliver()
    assert smtp_sink.to(judges[0].user.email) == []


def tags(html: str) -> list[str]:
    """The words in the page's status tags (the nominator's list shows each status as a tag)."""
    return [t for t in re.findall(r'<strong class="govuk-tag[^"]*">\s*([^<]+?)\s*</strong>', html) if t != "Beta"]


def _decide(client, file, kind, chosen, reason):
    return post_form(client, f"/judging/files/{file.public_id}/{kind}", {f"{kind}-chosen": chosen, f"{kind}-reason": reason},
                     get_path=f"/judging/files/{file.public_id}")


def test_decisions_are_recorded_not_overwritten_and_audited(client):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=1)
    file = files[0]
    sign_in(client, organiser)
    r = _decide(client, file, "shortlist", "yes", "")
    assert r.status_code == 400 and "Enter the reason for this decision" in r.get_data(as_text=True)
    r = _decide(client, file, "winner", "yes", "Best in the award")
    assert r.status_code == 400 and "Shortlist this young person before choosing them as a winner" in r.get_data(as_text=True)
    assert _decide(client, file, "shortlist", "yes", "Top of the ranking").status_code == 302
    assert _decide(client, file, "shortlist", "no", "Panel changed its mind").status_code == 302
    assert _decide(client, file, "shortlist", "yes", "Back on after a second reading").status_code == 302
    assert _decide(client, file, "winner", "yes", "Unanimous").status_code == 302
    rows = db.session.execute(select(JudgingDecision).where(JudgingDecision.file_id == file.id).order_by(JudgingDecision.id)).scalars().all()
    assert [(d.kind, d.chosen) for d in rows] == [(DecisionKind.SHORTLIST, True), (DecisionKind.SHORTLIST, False), (DecisionKind.SHORTLIST, True), (DecisionKind.WINNER, True)]
    assert all(d.by_id == organiser.id for d in rows)
    page = client.get(f"/judging/files/{file.public_id}").get_data(as_text=True)
    assert "Panel changed its mind" in page and "Unanimous" in page
    ranking = client.get(f"/events/{event.public_id}/judging/ranking").get_data(as_text=True)
    assert ">Winner<" in ranking
    details = db.session.execute(select(AuditEntry.detail).where(AuditEntry.young_person_id == file.young_person_id)).scalars().all()
    assert details.count("shortlist decision: yes") == 2 and "shortlist decision: no" in details and "winner decision: yes" in details


def test_releasing_the_shortlist_tells_each_nominator_with_a_neutral_subject(client, app, smtp_sink):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=0)
    chosen_nominator = make_user(Role.NOMINATOR, email="chosen-nominator@example.org")
    other_nominator = make_user(Role.NOMINATOR, email="other-nominator@example.org")
    shortlisted = accepted_file(event, organiser, chosen_nominator, first="Ava", last="Short")
    not_chosen = accepted_file(event, organiser, other_nominator, first="Ben", last="Long")
    sign_in(client, organiser)
    _decide(client, shortlisted, "shortlist", "yes", "High score")
    _decide(client, shortlisted, "winner", "yes", "SECRET-WINNER-REASON")
    n = app.test_client()
    sign_in(n, chosen_nominator)
    assert tags(n.get("/nominator").get_data(as_text=True)) == ["Being judged"]  # nothing before release

    ready_to_release(event, panel, [shortlisted, not_chosen])  # nominations closed, every file scored
    r = post_form(client, f"/events/{event.public_id}/judging/release-shortlist", {"not_shortlisted_message": "Thank you: there were many strong nominations."})
    assert r.status_code == 302
    good = smtp_sink.wait_for("chosen-nominator@example.org")[0]
    bad = smtp_sink.wait_for("other-nominator@example.org")[0]
    assert good["subject"] == bad["subject"] == "Update on your PROUD Awards nomination"
    assert "Ava has been shortlisted" in smtp_sink.text(good) and "winner" not in smtp_sink.text(good).split("where the winners")[0].lower()
    assert "Ben has not been shortlisted this time" in smtp_sink.text(bad)
    assert tags(n.get("/nominator").get_data(as_text=True)) == ["Shortlisted"]
    m = app.test_client()
    sign_in(m, other_nominator)
    assert tags(m.get("/nominator").get_data(as_text=True)) == ["Not shortlisted this time"]
    # The shortlist is now fixed.
    r = _decide(client, not_chosen, "shortlist", "yes", "Late change")
    assert r.status_code == 400 and "can no longer change" in r.get_data(as_text=True)

    # Results only after the awards evening has started.
    r = post_form(client, f"/events/{event.public_id}/judging/publish-results", {}, get_path=f"/events/{event.public_id}/judging", follow_redirects=True)
    assert "Winners are secret until the awards evening" in r.get_data(as_text=True)
    assert tags(n.get("/nominator").get_data(as_text=True)) == ["Shortlisted"]
    event.starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    post_form(client, f"/events/{event.public_id}/judging/publish-results", {}, get_path=f"/events/{event.public_id}/judging")
    assert tags(n.get("/nominator").get_data(as_text=True)) == ["Winner"]
    assert tags(m.get("/nominator").get_data(as_text=True)) == ["Not shortlisted this time"]
