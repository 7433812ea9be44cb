"""Organiser review: one file per young person, matching, decisions with reasons, exports."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.nominations.models import (
    DecisionAction,
    FileStatus,
    Nomination,
    NominationFile,
    NominationStatus,
    YesNo,
)
from cpevents.nominations.review import match_nomination
from cpevents.young_people.models import CareStatus, WorkerRelationship, YoungPerson
from cpevents.young_people.services import create_young_person, merge_young_people
from tests.factories import csrf_from, make_user, post_form, queries_for, sign_in
from tests.nominations.test_journey import open_event


def sent_nomination(event, nominator=None, **fields) -> Nomination:
    values = {"first_name": "Kai", "last_name": "Mensah", "date_of_birth": date(2010, 2, 14), "care_status": CareStatus.IN_CARE,
              "relationship_type": WorkerRelationship.SOCIAL_WORKER, "worked_with_recently": True, "achievement": "Started a coding club.",
              "background": "Moved placement in spring.", "young_person_knows": YesNo.YES, "public_concern": YesNo.NO, **fields}
    nomination = Nomination(event_id=event.id, nominator_id=(nominator or make_user(Role.NOMINATOR)).id, status=NominationStatus.SENT,
                            category_id=event.categories[0].id, **values)
    from cpevents.core.time import utcnow

    nomination.submitted_at = utcnow()
    db.session.add(nomination)
    db.session.commit()
    return nomination


@pytest.fixture
def organiser_client(client):
    organiser = make_user(Role.ORGANISER, totp=True, name="Olu Organiser")
    sign_in(client, organiser)
    client.organiser = organiser
    return client


def _person(organiser, **fields):
    person = create_young_person({"first_name": "Kai", "last_name": "Mensah", "date_of_birth": date(2010, 2, 14), "care_status": CareStatus.IN_CARE, **fields}, by=organiser)
    db.session.commit()
    return person


def test_two_nominations_of_the_same_young_person_are_one_file(organiser_client):
    event = open_event()
    person = _person(organiser_client.organiser)
    first, second = sent_nomination(event), sent_nomination(event, achievement="Helped younger children read.")
    for n in (first, second):
        match_nomination(n, person, by=organiser_client.organiser)
    db.session.commit()
    files = db.session.execute(select(NominationFile)).scalars().all()
    assert len(files) == 1 and len(files[0].live_nominations) == 2
    page = organiser_client.get(f"/nomination-files/{files[0].public_id}").get_data(as_text=True)
    assert "Started a coding club." in page and "Helped younger children read." in page and "2 nominations" in page


def test_unmatched_nomination_waits_for_an_organiser(organiser_client):
    event = open_event()
    person = _person(organiser_client.organiser, first_name="Kai", last_name="Mensah-Owusu")
    nomination = sent_nomination(event)  # name differs from the record: a likely match, not exact
    queue = organiser_client.get(f"/events/{event.public_id}/nominations/to-match").get_data(as_text=True)
    assert "Kai Mensah" in queue
    page = organiser_client.get(f"/nominations/{nomination.public_id}/match").get_data(as_text=True)
    assert "Kai Mensah-Owusu, born 14 February 2010" in page
    empty = organiser_client.post(f"/nominations/{nomination.public_id}/match", data={"csrf_token": csrf_from(page)})
    assert empty.status_code == 400 and "Select a record, or make a new one" in empty.get_data(as_text=True)
    done = organiser_client.post(f"/nominations/{nomination.public_id}/match", data={"csrf_token": csrf_from(page), "person": person.public_id})
    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination.id)
    assert nomination.young_person_id == person.id and done.headers["Location"] == f"/nomination-files/{nomination.file.public_id}"


def test_organiser_makes_a_new_record_from_a_nomination(organiser_client):
    event = open_event()
    nomination = sent_nomination(event, first_name="Brand", last_name="Newperson", contact_restriction_details="Mother must not know")
    page = organiser_client.get(f"/nominations/{nomination.public_id}/match").get_data(as_text=True)
    organiser_client.post(f"/nominations/{nomination.public_id}/match", data={"csrf_token": csrf_from(page), "person": "new"})
    person = db.session.execute(select(YoungPerson).where(YoungPerson.last_name == "Newperson")).scalar_one()
    assert person.contact_restriction and person.contact_restriction_note == "Mother must not know"


def test_flagged_file_needs_safety_review_before_judging(organiser_client):
    event = open_event()
    person = _person(organiser_client.organiser)
    nomination = sent_nomination(event, public_concern=YesNo.YES, public_concern_details="Press interest in the family")
    file = match_nomination(nomination, person, by=organiser_client.organiser)
    db.session.commit()
    path = f"/nomination-files/{file.public_id}"
    refused = post_form(organiser_client, f"{path}/accept", {"accept-reason": ""}, get_path=path)
    assert refused.status_code == 400 and "Review the safety answers before accepting" in refused.get_data(as_text=True)
    no_reason = post_form(organiser_client, f"{path}/safety-reviewed", {"safety-reason": ""}, get_path=path)
    assert no_reason.status_code == 400 and "Enter the reason" in no_reason.get_data(as_text=True)
    post_form(organiser_client, f"{path}/safety-reviewed", {"safety-reason": "Spoke to the social worker: first name only on stage"}, get_path=path)
    accepted = post_form(organiser_client, f"{path}/accept", {"accept-reason": ""}, get_path=path)
    assert accepted.status_code == 302
    db.session.expire_all()
    file = db.session.get(NominationFile, file.id)
    assert file.status == FileStatus.ACCEPTED
    assert [d.action for d in file.decisions][:2] == [DecisionAction.ACCEPTED, DecisionAction.FLAGS_CLEARED]


def test_not_eligible_tells_each_nominator_why(organiser_client, app, smtp_sink):
    event = open_event()
    person = _person(organiser_client.organiser)
    nominator = make_user(Role.NOMINATOR)
    nomination = sent_nomination(event, nominator=nominator)
    file = match_nomination(nomination, person, by=organiser_client.organiser)
    db.session.commit()
    path = f"/nomination-files/{file.public_id}"
    post_form(organiser_client, f"{path}/not-eligible", {"ineligible-reason": "Kai moved out of the county's care before the year began."}, get_path=path)
    email = smtp_sink.wait_for(nominator.email)[0]
    assert email["subject"] == "About your nomination" and "moved out of the county" in smtp_sink.text(email)
    c = app.test_client()
    sign_in(c, nominator)
    home = c.get("/nominator").get_data(as_text=True)
    assert "Not eligible" in home and "moved out of the county" in home


def test_change_award_and_split_a_file(organiser_client):
    event = open_event()
    person = _person(organiser_client.organiser)
    nomination = sent_nomination(event)
    file = match_nomination(nomination, person, by=organiser_client.organiser)
    db.session.commit()
    path = f"/nomination-files/{file.public_id}"
    sport = event.categories[2]
    post_form(organiser_client, f"{path}/award", {"award-category": sport.public_id, "award-reason": "Mostly about football"}, get_path=path)
    db.session.expire_all()
    assert db.session.get(NominationFile, file.id).category_id == sport.id
    page = organiser_client.get(path).get_data(as_text=True)
    moved = organiser_client.post(f"/nominations/{nomination.public_id}/move-out", data={"csrf_token": csrf_from(page)})
    assert moved.headers["Location"] == f"/nominations/{nomination.public_id}/match"
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).file_id is None


def test_merging_records_merges_their_files(organiser_client):
    organiser = organiser_client.organiser
    event = open_event()
    a, b = _person(organiser), _person(organiser, first_name="Kaii")
    match_nomination(sent_nomination(event), a, by=organiser)
    match_nomination(sent_nomination(event, first_name="Kaii"), b, by=organiser)
    db.session.commit()
    merge_young_people(a, b, by=organiser)
    db.session.commit()
    files = db.session.execute(select(NominationFile)).scalars().all()
    live = [f for f in files if f.status != FileStatus.MERGED]
    assert len(live) == 1 and len(live[0].live_nominations) == 2


def test_exports_neutralise_formulas_and_leave_out_background_unless_asked(organiser_client):
    event = open_event()
    sent_nomination(event, achievement="=HYPERLINK(\"http://evil.example\")", background="Private background")
    csv_text = organiser_client.get(f"/events/{event.public_id}/nominations.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[1][rows[0].index("What they achieved")].startswith("'=")
    assert "Private background" not in csv_text and "Background for organisers" not in rows[0]
    with_background = organiser_client.get(f"/events/{event.public_id}/nominations.csv?background=y").get_data().decode("utf-8-sig")
    assert "Private background" in with_background
    xlsx = organiser_client.get(f"/events/{event.public_id}/nominations.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [cell.value for cell in sheet[2]]
    assert any(isinstance(v, str) and v.startswith("'=") for v in values)


def test_daily_summary_is_one_email_per_organiser(app, smtp_sink):
    organiser = make_user(Role.ORGANISER)
    event = open_event()
    sent_nomination(event)
    sent_nomination(event)
    result = app.test_cli_runner().invoke(args=["nominations", "daily-summary"])
    assert result.exit_code == 0, result.output
    emails = smtp_sink.wait_for(organiser.email)
    assert len(emails) == 1 and emails[0]["subject"] == "New nominations today" and ": 2" in smtp_sink.text(emails[0])


def test_list_and_file_pages_use_a_fixed_number_of_queries(organiser_client):
    organiser = organiser_client.organiser
    event = open_event()
    counts, file_counts = [], []
    for batch in (2, 25):
        file = None
        for i in range(batch):
            person = _person(organiser, first_name=f"Name{batch}x{i}")
            file = match_nomination(sent_nomination(event, first_name=f"Name{batch}x{i}"), person, by=organiser)
            match_nomination(sent_nomination(event, first_name=f"Name{batch}x{i}"), person, by=organiser)
        db.session.commit()
        counts.append(queries_for(organiser_client, f"/events/{event.public_id}/nominations"))
        file_counts.append(queries_for(organiser_client, f"/nomination-files/{file.public_id}"))
    assert counts[0] == counts[1], counts
    assert file_counts[0] == file_counts[1], file_counts


def test_viewing_a_file_is_audited(organiser_client):
    from cpevents.audit.models import AuditAction, AuditEntry

    event = open_event()
    person = _person(organiser_client.organiser)
    file = match_nomination(sent_nomination(event), person, by=organiser_client.organiser)
    db.session.commit()
    organiser_client.get(f"/nomination-files/{file.public_id}")
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.subject_type == "nomination_files")).scalar_one()
    assert entry.action == AuditAction.VIEWED and entry.young_person_id == person.id


def test_demo_nominations_make_files_with_flags_and_one_not_eligible(app):
    from cpevents.events.models import Event

    app.test_cli_runner().invoke(args=["seed-demo"])
    event = db.session.execute(select(Event).where(Event.name == "PROUD Awards (demo)")).scalar_one()
    files = db.session.execute(select(NominationFile).where(NominationFile.event_id == event.id)).scalars().all()
    assert 80 <= len(files) <= 90
    assert sum(f.needs_flag_review for f in files) == 2
    assert sum(f.status == FileStatus.NOT_ELIGIBLE for f in files) == 1
    assert any(len(f.live_nominations) == 3 for f in files)
    drafts = db.session.execute(select(Nomination).where(Nomination.status == NominationStatus.DRAFT)).scalars().all()
    assert 2 <= len(drafts) <= 10


def test_the_nominations_download_streams_every_nomination_once_in_batches(organiser_client, monkeypatch):
    """Issue 19: read EXPORT_BATCH nominations at a time while the file is sent."""
    from cpevents.nominations import queries as nomination_queries

    monkeypatch.setattr(nomination_queries, "EXPORT_BATCH", 2)
    event = open_event()
    for n in range(5):
        sent_nomination(event, achievement=f"Achievement number {n}")
    rows = list(csv.reader(io.StringIO(organiser_client.get(f"/events/{event.public_id}/nominations.csv").get_data().decode("utf-8-sig"))))
    column = rows[0].index("What they achieved")
    assert sorted(r[column] for r in rows[1:]) == [f"Achievement number {n}" for n in range(5)]
    sheet = load_workbook(io.BytesIO(organiser_client.get(f"/events/{event.public_id}/nominations.xlsx").get_data())).active
    assert sheet.max_row == 6


def test_the_list_counts_and_flags_each_file_from_its_own_events_nominations_only(organiser_client):
    """Issue 19: the list's per-file counts group only this event's nominations (faster on years
    of data); a young person nominated at two events has each count and flag from its own event."""
    from cpevents.nominations import queries

    organiser = organiser_client.organiser
    this_year, last_year = open_event(), open_event(name="PROUD Awards 2029")
    person = _person(organiser)
    for n in (sent_nomination(this_year), sent_nomination(this_year, achievement="Helped younger children read.")):
        match_nomination(n, person, by=organiser)
    match_nomination(sent_nomination(last_year, public_concern=YesNo.YES), person, by=organiser)
    db.session.commit()
    (row,), total = queries.files(this_year.id)
    assert total == 1 and row.nominations == 2 and row.flagged is False
    (row,), total = queries.files(last_year.id)
    assert total == 1 and row.nominations == 1 and row.flagged is True
    assert [r.nominations for r in queries.files(this_year.id, flagged=True)[0]] == []
    assert [r.nominations for r in queries.files(last_year.id, flagged=True)[0]] == [1]
