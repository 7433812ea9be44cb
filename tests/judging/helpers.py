"""Factories for judging tests: an event with accepted files, a panel and its judges."""

from __future__ import annotations

from datetime import date

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.judging.models import Assignment, ConflictType, PanelJudge, Score
from cpevents.judging.services import create_panel
from cpevents.nominations.models import FileStatus, Nomination, NominationStatus, YesNo
from cpevents.nominations.review import match_nomination
from cpevents.young_people.models import CareStatus, WorkerRelationship
from cpevents.young_people.services import create_young_person
from tests.factories import make_user
from tests.nominations.test_journey import open_event


def accepted_file(event, organiser, nominator=None, *, first="Kai", last="Mensah", district="Riverside", category=0,
                  achievement="Kai started a coding club at Hillside Academy and teaches eight younger pupils.",
                  background="Organisers-only background: moved placement in spring.", do_not_publish=False):
    nominator = nominator or make_user(Role.NOMINATOR, name="Nadia Worker")
    person = create_young_person({"first_name": first, "last_name": last, "date_of_birth": date(2010, 2, 14),
                                  "care_status": CareStatus.IN_CARE, "district": district, "do_not_publish": do_not_publish}, by=organiser)
    nomination = Nomination(event_id=event.id, nominator_id=nominator.id, category_id=event.categories[category].id, status=NominationStatus.SENT,
                            first_name=first, last_name=last, date_of_birth=date(2010, 2, 14), care_status=CareStatus.IN_CARE,
                            district=district, relationship_type=WorkerRelationship.SOCIAL_WORKER, worked_with_recently=True,
                            achievement=achievement, background=background, young_person_knows=YesNo.YES, public_concern=YesNo.NO)
    db.session.add(nomination)
    db.session.flush()
    file = match_nomination(nomination, person, by=organiser)
    file.status = FileStatus.ACCEPTED
    db.session.commit()
    return file


def setup_panel(n_files=2, n_judges=2, event=None):
    organiser = make_user(Role.ORGANISER, totp=True, name="Olivia Organiser")
    event = event or open_event()
    panel = create_panel(event, by=organiser)
    files = [accepted_file(event, organiser, first=f"Young{i}", last=f"Surname{i}") for i in range(n_files)]
    judges = []
    for i in range(n_judges):
        user = make_user(Role.JUDGE, name=f"Judge Number{i}")
        judge = PanelJudge(panel=panel, user_id=user.id)
        db.session.add(judge)
        judges.append(judge)
    db.session.commit()
    return organiser, event, panel, files, judges


def assign(panel, file, judge) -> Assignment:
    a = Assignment(panel_id=panel.id, file_id=file.id, judge_id=judge.id)
    db.session.add(a)
    db.session.commit()
    return a


def submitted(panel, file, judge, values) -> Assignment:
    """An assignment with no conflict and these scores (one per criterion) submitted."""
    from cpevents.core.time import utcnow

    a = Assignment(panel_id=panel.id, file_id=file.id, judge_id=judge.id, conflict=ConflictType.NONE, conflict_declared_at=utcnow(),
                   saved_at=utcnow(), submitted_at=utcnow())
    for criterion, value in zip(panel.criteria, values, strict=True):
        a.scores.append(Score(criterion_id=criterion.id, value=value))
    db.session.add(a)
    db.session.commit()
    return a


def ready_to_release(event, panel, files, judge=None):
    """Close the nomination window and give every file one submitted score, so the shortlist
    results may be released (see `queries.release_check`)."""
    from datetime import timedelta

    from cpevents.core.time import utcnow

    event.nominations_open_at, event.nominations_close_at = utcnow() - timedelta(days=40), utcnow() - timedelta(days=1)
    if judge is None:
        judge = PanelJudge(panel=panel, user_id=make_user(Role.JUDGE, name="Judge Release").id)
        db.session.add(judge)
    db.session.commit()
    for file in files:
        submitted(panel, file, judge, tuple(3 for _ in panel.criteria))
    return judge
