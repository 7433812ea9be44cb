"""Every route declares who may use it, and each role is refused where it does not belong."""

from datetime import UTC

import pytest

from cpevents.core.access import ACCESS_ATTR
from cpevents.core.enums import Role
from cpevents.extensions import db
from tests.factories import csrf_from, make_user, sign_in

ORGANISER = {Role.ORGANISER}
WORKERS = {Role.NOMINATOR, Role.CHAMPION}
DOOR = {Role.DOOR_HELPER}

# Every role-restricted route, with who may use it. Placeholders are filled by _ids().
ROLE_PAGES = {
    "/organiser": ORGANISER,
    "/nominator": {Role.NOMINATOR},
    "/judge": {Role.JUDGE},
    "/champion": {Role.CHAMPION},
    "/board": {Role.BOARD},
    "/door-helper": {Role.DOOR_HELPER},
    "/people": ORGANISER,
    "/people/invite": ORGANISER,
    "/people/{person}": ORGANISER,
    "/people/domains": ORGANISER,
    "/emails": ORGANISER,
    "/emails/progress.json": ORGANISER,
    "/emails/{message}": ORGANISER,
    "/young-people": ORGANISER,
    "/young-people/new": ORGANISER,
    "/young-people/duplicates": ORGANISER,
    "/young-people/{young_person}": ORGANISER,
    "/young-people/{young_person}/edit": ORGANISER,
    "/young-people/{young_person}/audit": ORGANISER,
    # Subject access (issue 14): everything held about one person, as a ZIP.
    "/young-people/{young_person}/everything-we-hold.zip": ORGANISER,
    "/people/{person}/everything-we-hold.zip": ORGANISER,
    "/young-people/merge/{young_person}/{other_young_person}": ORGANISER,
    "/your-young-people": WORKERS,
    "/events": ORGANISER,
    "/events/new": ORGANISER,
    "/events/{event}": ORGANISER,
    "/events/{event}/edit": ORGANISER,
    "/events/{event}/nomination-window": ORGANISER,
    "/events/{event}/categories/new": ORGANISER,
    "/events/{event}/categories/{category}/edit": ORGANISER,
    "/nominate": {Role.NOMINATOR},
    "/events/{event}/nominations": ORGANISER,
    "/events/{event}/nominations/to-match": ORGANISER,
    "/events/{event}/nominations.csv": ORGANISER,
    "/events/{event}/nominations.xlsx": ORGANISER,
    "/nomination-files/{file}": ORGANISER,
    # Nominees told they were nominated (issue 16, part H): letters for those without email.
    "/nominees/letters": ORGANISER,
    # Letters to hand over, every kind (issue 17).
    "/letters": ORGANISER,
    "/nominations/{unmatched}/match": ORGANISER,
    "/champions/applications": ORGANISER,
    "/champions/applications/{application}": ORGANISER,
    "/champions/services": ORGANISER,
    "/champions/coverage": {Role.ORGANISER, Role.BOARD},
    "/champion/pledges": {Role.CHAMPION},
    "/achievements": {Role.NOMINATOR, Role.CHAMPION, Role.ORGANISER},
    "/reports/objective": {Role.ORGANISER, Role.BOARD},
    "/reports/objective.xlsx": {Role.ORGANISER, Role.BOARD},
    "/organiser/retention": ORGANISER,  # issue 14: the retention schedule
    "/events/{event}/judging": ORGANISER,
    "/events/{event}/judging/judges/new": ORGANISER,
    "/judging/judges/{panel_judge}": ORGANISER,
    "/events/{event}/judging/criteria/new": ORGANISER,
    "/judging/criteria/{criterion}": ORGANISER,
    "/events/{event}/judging/conflicts": ORGANISER,
    "/events/{event}/judging/ranking": ORGANISER,
    "/events/{event}/judging/ranking.csv": ORGANISER,
    "/events/{event}/judging/ranking.xlsx": ORGANISER,
    "/judging/files/{file}": ORGANISER,
    "/judging/nominations/{sent_nomination}/panel-text": ORGANISER,
    "/events/{event}/judging/panel-versions": ORGANISER,
    "/events/{event}/judging/release-shortlist": ORGANISER,
    # Invitations (issue 7).
    "/events/{event}/invitations": ORGANISER,
    "/events/{event}/invitations/settings": ORGANISER,
    "/events/{event}/invitations/add": ORGANISER,
    "/events/{event}/invitations/send": ORGANISER,
    "/events/{event}/invitations/letters": ORGANISER,
    "/events/{event}/invitations.{guest_list_csv}": ORGANISER,
    "/events/{event}/invitations.{guest_list_xlsx}": ORGANISER,
    "/events/{event}/invitations/needs": ORGANISER,
    "/invitations/{invitation}": ORGANISER,
    "/your-invitations": WORKERS,
    # After the event: closing and feedback (issue 8).
    "/events/{event}/close": ORGANISER,
    "/events/{event}/feedback": ORGANISER,
    "/events/{event}/feedback/letters": ORGANISER,
    # "You said, we did" (issue 16).
    "/events/{event}/feedback/you-said-we-did": ORGANISER,
    "/events/{event}/feedback/you-said-we-did/check": ORGANISER,
    # The public winners page (issue 16): the organisers' side.
    "/events/{event}/winners-page": ORGANISER,
    "/events/{event}/winners-page/publish": ORGANISER,
    # Audiences and registration (issue 8).
    "/events/{event}/registrations": ORGANISER,
    "/events/{event}/registrations.csv": ORGANISER,
    "/events/{event}/audiences/new": ORGANISER,
    "/events/{event}/audiences/{audience}/edit": ORGANISER,
    "/registrations/{registration}/cancel": ORGANISER,
    # When an event changes, people hear about it (issue 17, part D).
    "/events/{event}/cancel": ORGANISER,
    "/events/{event}/changes/{event_change}": ORGANISER,
    # Messages to the people coming (issue 17, part E).
    "/events/{event}/messages": ORGANISER,
    "/events/{event}/messages/new": ORGANISER,
    "/events/{event}/messages/{event_message}": ORGANISER,
    # The running order, presenter's sheets and the photographer's list (issue 18).
    "/events/{event}/running-order": ORGANISER,
    "/events/{event}/running-order/{category}/sheet": ORGANISER,
    "/events/{event}/running-order/{category}/sheet.pdf": ORGANISER,
    "/events/{event}/running-order/{category}/sealed": ORGANISER,
    "/events/{event}/photographers-list": ORGANISER,
    "/events/{event}/photographers-list.pdf": ORGANISER,
    # Check-in at the door (issue 8): the organisers' side.
    "/events/{event}/door-helpers": ORGANISER,
    "/invitations/{invitation}/door-note": ORGANISER,
    # Name cards and seating (issue 18).
    "/events/{event}/seating": ORGANISER,
    "/events/{event}/seating/tables/new": ORGANISER,
    "/seating/tables/{seating_table}/edit": ORGANISER,
    "/seating/tables/{seating_table}/remove": ORGANISER,
    "/events/{event}/seating/name-cards.pdf": ORGANISER,
    "/events/{event}/seating/table-plan": ORGANISER,
    # Erasure on request (issue 14).
    "/erasure": ORGANISER,
    "/erasure/{erasure}": ORGANISER,
    "/young-people/{young_person}/erase": ORGANISER,
    "/people/{person}/erase": ORGANISER,
    "/registrations/{registration}/erase": ORGANISER,
    "/champions/applications/{application}/erase": ORGANISER,
}
ROLE_POSTS = {
    "/people/invite": ORGANISER,
    "/people/{person}/roles": ORGANISER,
    "/people/{person}/deactivate": ORGANISER,
    "/people/{person}/reactivate": ORGANISER,
    "/people/{person}/resend-invitation": ORGANISER,
    "/people/{person}/approve": ORGANISER,
    "/people/domains": ORGANISER,
    "/people/domains/{domain}/remove": ORGANISER,
    "/emails/{message}/retry": ORGANISER,
    "/emails/{message}/cancel": ORGANISER,
    "/letters/{letter}/print": ORGANISER,  # issue 17
    "/letters/{letter}/handed-over": ORGANISER,
    "/young-people/new": ORGANISER,
    "/young-people/{young_person}/edit": ORGANISER,
    "/young-people/{young_person}/workers": ORGANISER,
    "/young-people/{young_person}/workers/{link}/remove": ORGANISER,
    "/young-people/{young_person}/workers/{link}/renew": ORGANISER,
    "/young-people/merge/{young_person}/{other_young_person}": ORGANISER,
    "/events/new": ORGANISER,
    "/events/{event}/edit": ORGANISER,
    "/events/{event}/nomination-window": ORGANISER,
    "/events/{event}/categories/new": ORGANISER,
    "/events/{event}/categories/{category}/edit": ORGANISER,
    "/events/{event}/cancel": ORGANISER,
    "/events/{event}/changes/{event_change}": ORGANISER,
    "/events/{event}/changes/{event_change}/do-not-tell": ORGANISER,
    "/events/{event}/messages/new": ORGANISER,
    "/events/{event}/messages/send": ORGANISER,
    # The running order (issue 18): moving an award, printing a sealed sheet.
    "/events/{event}/running-order/{category}/move": ORGANISER,
    "/events/{event}/running-order/{category}/sealed": ORGANISER,
    "/nominate/{event}": {Role.NOMINATOR},
    "/nomination-files/{file}/accept": ORGANISER,
    "/nomination-files/{file}/not-eligible": ORGANISER,
    "/nomination-files/{file}/safety-reviewed": ORGANISER,
    "/nomination-files/{file}/award": ORGANISER,
    "/nomination-files/{file}/tell-young-person": ORGANISER,
    "/nomination-files/{file}/approve-panel-version": ORGANISER,
    "/nomination-files/{file}/personal-line": ORGANISER,  # issue 16, part A: a line to the young person with the decision
    "/nomination-files/{file}/send-decision": ORGANISER,  # a contact-restricted young person's decision, on an organiser's say-so
    "/nominees/letters": ORGANISER,
    "/nominations/{sent_nomination}/move-out": ORGANISER,
    "/nominations/{unmatched}/match": ORGANISER,
    "/champions/applications/{application}/approve": ORGANISER,
    "/champions/applications/{application}/decline": ORGANISER,
    "/champions/services": ORGANISER,
    "/champions/services/{service}/active": ORGANISER,
    "/champion/pledges/{pledge}/record": {Role.CHAMPION},
    "/champion/renew": {Role.CHAMPION},
    "/your-young-people/{young_person}/achievements/new": WORKERS,
    "/achievements/{achievement}/nominate/{event_id}": {Role.NOMINATOR},
    "/events/{event}/judging": ORGANISER,
    "/events/{event}/judging/judges/new": ORGANISER,
    "/judging/judges/{panel_judge}": ORGANISER,
    "/events/{event}/judging/criteria/new": ORGANISER,
    "/judging/criteria/{criterion}": ORGANISER,
    "/events/{event}/judging/assign": ORGANISER,
    "/events/{event}/judging/reminders": ORGANISER,
    "/events/{event}/judging/conflicts": ORGANISER,
    "/judging/files/{file}/shortlist": ORGANISER,
    "/judging/files/{file}/winner": ORGANISER,
    "/judging/nominations/{sent_nomination}/panel-text": ORGANISER,
    "/events/{event}/judging/release-shortlist": ORGANISER,
    "/events/{event}/judging/publish-results": ORGANISER,
    "/judging/{assignment}/conflict": {Role.JUDGE},
    "/judging/{assignment}": {Role.JUDGE},
    # Invitations (issue 7).
    "/events/{event}/invitations/settings": ORGANISER,
    "/events/{event}/invitations/add": ORGANISER,
    "/events/{event}/invitations/add-shortlist": ORGANISER,
    "/events/{event}/invitations/send": ORGANISER,
    "/events/{event}/invitations/letters": ORGANISER,
    "/invitations/{invitation}/allowance": ORGANISER,
    "/invitations/{invitation}/check-identity": ORGANISER,
    "/invitations/{invitation}/new-link": ORGANISER,
    "/invitations/{invitation}/remove": ORGANISER,
    "/invitations/{invitation}/guests/{guest}/approve": ORGANISER,
    "/invitations/{invitation}/guests/{guest}/refuse": ORGANISER,
    "/invitations/{invitation}/reply": ORGANISER | WORKERS,
    "/invitations/{invitation}/consents": ORGANISER | WORKERS,  # issue 16
    # After the event: closing and feedback (issue 8).
    "/events/{event}/close": ORGANISER,
    "/events/{event}/feedback/letters": ORGANISER,
    # "You said, we did" (issue 16).
    "/events/{event}/feedback/you-said-we-did": ORGANISER,
    "/events/{event}/feedback/you-said-we-did/check": ORGANISER,
    # The public winners page (issue 16).
    "/events/{event}/winners-page/publish": ORGANISER,
    "/events/{event}/winners-page/unpublish": ORGANISER,
    # Audiences and registration (issue 8).
    "/events/{event}/audiences/new": ORGANISER,
    "/events/{event}/audiences/{audience}/edit": ORGANISER,
    "/registrations/{registration}/cancel": ORGANISER,
    # Check-in at the door (issue 8).
    "/events/{event}/door-helpers": ORGANISER,
    "/door-helpers/{door_helper}/remove": ORGANISER,
    "/invitations/{invitation}/door-note": ORGANISER,
    "/door/invitations/{invitation}/check-in": ORGANISER | DOOR,
    "/door/invitations/{invitation}/check-out": ORGANISER | DOOR,
    "/door/guests/{guest}/check-in": ORGANISER | DOOR,
    "/door/guests/{guest}/check-out": ORGANISER | DOOR,
    "/door/invitations/{invitation}/late-guest": ORGANISER | DOOR,
    "/door/registrations/{registration}/check-in": ORGANISER | DOOR,
    "/door/registrations/{registration}/check-out": ORGANISER | DOOR,
    # Taps made on a phone without signal, sent later as JSON (issue 18).
    "/door/events/{event}/taps": ORGANISER | DOOR,
    # A guest added at the door by mistake (issue 20).
    "/door/guests/{guest}/remove": ORGANISER | DOOR,
    # Name cards and seating (issue 18).
    "/events/{event}/seating/tables/new": ORGANISER,
    "/seating/tables/{seating_table}/edit": ORGANISER,
    "/seating/tables/{seating_table}/remove": ORGANISER,
    "/events/{event}/seating/first-pass": ORGANISER,
    "/events/{event}/seating/move": ORGANISER,
    # Erasure on request (issue 14).
    "/erasure/{erasure}/confirm": ORGANISER,
    "/erasure/{erasure}/cancel": ORGANISER,
    "/young-people/{young_person}/erase": ORGANISER,
    "/people/{person}/erase": ORGANISER,
    "/registrations/{registration}/erase": ORGANISER,
    "/champions/applications/{application}/erase": ORGANISER,
}
# Achievement pages belong to the young person's own workers (and organisers): the role check
# (403) is tested here, the link check (404) in tests/achievements/test_achievements.py.
LINKED_PAGES = {
    "/your-young-people/{young_person}/achievements": (WORKERS, "/your-young-people/<uuid:public_id>/achievements"),
    "/achievements/{achievement}": (WORKERS | ORGANISER, "/achievements/<uuid:public_id>"),
    "/achievements/{achievement}/certificate.pdf": (WORKERS | ORGANISER, "/achievements/<uuid:public_id>/certificate.pdf"),
    # A judge's own assignment (another judge gets 404: tests/judging/test_judging.py).
    "/judging/{assignment}": ({Role.JUDGE}, "/judging/<uuid:public_id>"),
    "/judging/{assignment}/conflict": ({Role.JUDGE}, "/judging/<uuid:public_id>/conflict"),
    # Replying for a young person: their own workers and nominators only (others get 404:
    # tests/invitations/test_organisers.py).
    "/invitations/{invitation}/reply": (WORKERS | ORGANISER, "/invitations/<uuid:public_id>/reply"),
    "/invitations/{invitation}/consents": (WORKERS | ORGANISER, "/invitations/<uuid:public_id>/consents"),
    # The door: organisers, and door helpers given this event (on its day; a helper of another
    # event gets 403 too: tests/door/test_views.py).
    "/door/events/{event}": (ORGANISER | DOOR, "/door/events/<uuid:public_id>"),
    "/door/events/{event}/print": (ORGANISER | DOOR, "/door/events/<uuid:public_id>/print"),
    "/door/{door_code}": (ORGANISER | DOOR, "/door/<uuid:door_code>"),
    "/door/invitations/{invitation}/late-guest": (ORGANISER | DOOR, "/door/invitations/<uuid:public_id>/late-guest"),
    "/door/guests/{guest}/remove": (ORGANISER | DOOR, "/door/guests/<uuid:guest_id>/remove"),
    # Where the installed door list app opens (issue 18): a redirect to the helper's events.
    "/door/": (ORGANISER | DOOR, "/door/"),
}
# Nomination pages belong to one nominator: everyone else (other nominators included) gets 404.
OWNED_PAGES = {
    "/nominations/{nomination}/young-person": "/nominations/<uuid:public_id>/<slug>",
    "/nominations/{nomination}/check": "/nominations/<uuid:public_id>/check",
    "/nominations/{nomination}/sent": "/nominations/<uuid:public_id>/sent",
    "/nominations/{nomination}/withdraw": "/nominations/<uuid:public_id>/withdraw",
    "/nominations/{nomination}/continue": "/nominations/<uuid:public_id>/continue",
    "/nominations/{nomination}/delete": "/nominations/<uuid:public_id>/delete",
    "/nominations/{nomination}/told-them": "/nominations/<uuid:public_id>/told-them",
}
PLACEHOLDERS = {
    "{person}": "<uuid:public_id>",
    "{message}": "<uuid:public_id>",
    "{young_person}": "<uuid:public_id>",
    "{link}": "<uuid:link_id>",
    "{event}": "<uuid:public_id>",
    "{event_change}": "<uuid:change_id>",
    "{event_message}": "<uuid:message_id>",
    "{category}": "<uuid:category_id>",
    "{event_id}": "<uuid:event_id>",
    "{file}": "<uuid:public_id>",
    "{sent_nomination}": "<uuid:public_id>",
    "{unmatched}": "<uuid:public_id>",
    "{application}": "<uuid:public_id>",
    "{service}": "<uuid:public_id>",
    "{pledge}": "<uuid:public_id>",
    "{achievement}": "<uuid:public_id>",
    "{panel_judge}": "<uuid:public_id>",
    "{criterion}": "<uuid:public_id>",
    "{assignment}": "<uuid:public_id>",
    "{invitation}": "<uuid:public_id>",
    "{guest}": "<uuid:guest_id>",
    "{door_helper}": "<uuid:public_id>",
    "{door_code}": "<uuid:door_code>",
    "{guest_list_csv}": "<any(csv, xlsx):fmt>",
    "{guest_list_xlsx}": "<any(csv, xlsx):fmt>",
    "{audience}": "<uuid:audience_id>",
    "{registration}": "<uuid:public_id>",
    "{domain}": "<uuid:domain_id>",
    "{erasure}": "<uuid:public_id>",
    "{letter}": "<uuid:public_id>",
    "{seating_table}": "<uuid:public_id>",
}


def _rule_form(path: str) -> str:
    path = path.replace("/nominate/{event}", "/nominate/{event_id}").replace("nominations.csv", "nominations.<any(csv, xlsx):fmt>")
    path = path.replace("nominations.xlsx", "nominations.<any(csv, xlsx):fmt>")
    path = path.replace("ranking.csv", "ranking.<any(csv, xlsx):fmt>").replace("ranking.xlsx", "ranking.<any(csv, xlsx):fmt>")
    path = path.replace("merge/{young_person}/{other_young_person}", "merge/<uuid:first_id>/<uuid:second_id>")
    for placeholder, arg in PLACEHOLDERS.items():
        path = path.replace(placeholder, arg)
    return path


def _ids() -> dict:
    from datetime import date

    from cpevents.mail.services import queue_email
    from cpevents.young_people.models import CareStatus, WorkerRelationship
    from cpevents.young_people.services import create_young_person, link_worker

    organiser = make_user(Role.ORGANISER)
    worker = make_user(Role.NOMINATOR)
    fields = {"first_name": "Test", "last_name": "Person", "date_of_birth": date(2008, 1, 2), "care_status": CareStatus.IN_CARE}
    first = create_young_person(fields, by=organiser)
    second = create_young_person(fields, by=organiser)
    link = link_worker(first, worker.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
    from flask import current_app

    with current_app.test_request_context():
        message = queue_email("accounts/password_changed", to=worker.email, subject="Test", name="x")
    from datetime import datetime

    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event

    event = create_event(kind=EventKind.PROUD_AWARDS, name="Test awards", starts_at=datetime(2030, 3, 1, 18, tzinfo=UTC),
                         venue="", capacity=None, description="", min_age=11, max_age=25, by=organiser)
    from cpevents.nominations.models import Nomination, NominationStatus
    from cpevents.nominations.review import match_nomination

    sent = Nomination(event_id=event.id, nominator_id=worker.id, status=NominationStatus.SENT, first_name="Test", last_name="Person",
                      date_of_birth=date(2008, 1, 2), care_status=CareStatus.IN_CARE, relationship_type=WorkerRelationship.CARER)
    db.session.add(sent)
    db.session.flush()
    file = match_nomination(sent, first, by=organiser)
    unmatched = Nomination(event_id=event.id, nominator_id=worker.id, status=NominationStatus.SENT, first_name="Tess", last_name="Persson",
                           date_of_birth=date(2008, 1, 2), care_status=CareStatus.IN_CARE, relationship_type=WorkerRelationship.CARER)
    db.session.add(unmatched)
    db.session.commit()
    from cpevents.achievements.models import AchievementArea
    from cpevents.achievements.services import record_achievement
    from cpevents.champions.models import PledgeKind
    from cpevents.champions.queries import active_services
    from cpevents.champions.services import apply_signed_in

    service = active_services()[0]
    applicant = make_user(Role.NOMINATOR)
    with current_app.test_request_context():
        application = apply_signed_in(applicant, job_title="Officer", service=service, pledges=[PledgeKind.MENTOR], pledge_words="I will")
        achievement = record_achievement(first, by=worker, achieved_on=date(2025, 5, 1), area=AchievementArea.EDUCATION,
                                         description="Passed a test", celebrated_with="Their carer")
    db.session.commit()
    from cpevents.judging.models import Assignment, PanelJudge
    from cpevents.judging.services import create_panel
    from cpevents.nominations.models import FileStatus

    file.category_id, file.status = event.categories[0].id, FileStatus.ACCEPTED
    panel = create_panel(event, by=organiser)
    panel_judge = PanelJudge(panel=panel, user_id=make_user(Role.JUDGE).id)
    db.session.add(panel_judge)
    db.session.flush()
    assignment = Assignment(panel_id=panel.id, file_id=file.id, judge_id=panel_judge.id)
    db.session.add(assignment)
    db.session.commit()
    from cpevents.invitations.models import AgeGroup, InvitationStatus, ReplyHow
    from cpevents.invitations.services import Reply, invite, record_reply

    invitation = invite(event, first, by=organiser)
    record_reply(invitation, Reply(attending=InvitationStatus.COMING, guests=[("A guest", AgeGroup.ADULT)]), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    from cpevents.registrations.models import AudienceKind
    from cpevents.registrations.services import Details, add_audience, register

    audience = add_audience(event, name="Professionals", kind=AudienceKind.PROFESSIONALS, capacity=None, registration_open=True)
    with current_app.test_request_context():
        registration = register(event, audience, Details(name="Pat", email="pat.registered@example.org")).registration
    from cpevents.door.models import EventDoorHelper

    door_helper = EventDoorHelper(event_id=event.id, user_id=make_user(Role.DOOR_HELPER).id)
    db.session.add(door_helper)
    from cpevents.events.services import update_event

    event_change = update_event(event, venue="Another hall", by=organiser)
    from cpevents.notices.models import EventMessage, MessageGroup

    event_message = EventMessage(event_id=event.id, group=MessageGroup.COMING, group_name="Young people coming", subject="Hello", text="Hello")
    db.session.add(event_message)
    from cpevents.accounts.services import add_approved_domain

    domain, _ = add_approved_domain("partner.example.net", "A partner agency", by=organiser)
    from cpevents.privacy.erasure import request_erasure

    erasure = request_erasure(create_young_person(fields, by=organiser), reason="Request by email", by=organiser)
    from cpevents.young_people.letters import LetterKind, WorkerLetter

    letter = WorkerLetter(young_person_id=first.id, kind=LetterKind.INVITATION, event_id=event.id, subject_id=invitation.id)
    db.session.add(letter)
    from cpevents.seating.services import add_table

    seating_table = add_table(event, name="1", seats=8, near_door=True)
    db.session.commit()
    return {
        "seating_table": seating_table.public_id,
        "letter": letter.public_id,
        "erasure": erasure.public_id,
        "domain": domain.public_id,
        "audience": audience.public_id,
        "registration": registration.public_id,
        "door_helper": door_helper.public_id,
        "event_change": event_change.public_id,
        "event_message": event_message.public_id,
        "door_code": invitation.door_code,
        "invitation": invitation.public_id,
        "guest": invitation.guests[0].public_id,
        "guest_list_csv": "csv",
        "guest_list_xlsx": "xlsx",
        "panel_judge": panel_judge.public_id,
        "criterion": panel.criteria[0].public_id,
        "assignment": assignment.public_id,
        "application": application.public_id,
        "service": service.public_id,
        "pledge": application.pledges[0].public_id,
        "achievement": achievement.public_id,
        "event_id": event.public_id,
        "file": file.public_id,
        "sent_nomination": sent.public_id,
        "unmatched": unmatched.public_id,
        "event": event.public_id,
        "category": event.categories[0].public_id,
        "person": worker.public_id,
        "message": message.public_id,
        "young_person": first.public_id,
        "other_young_person": second.public_id,
        "link": link.public_id,
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
    listed = {_rule_form(path) for path in list(ROLE_PAGES) + list(ROLE_POSTS)} | set(OWNED_PAGES.values())
    listed |= {rule for _, rule in LINKED_PAGES.values()}
    restricted = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and str(getattr(app.view_functions[rule.endpoint], ACCESS_ATTR)).startswith("roles:")
    }
    assert restricted <= listed, f"add these to ROLE_PAGES/ROLE_POSTS: {sorted(restricted - listed)}"


def test_ids_in_urls_cannot_be_guessed_or_counted(app):
    """Every id in a URL is a random UUID (or a personal link's token), never a row number."""
    from werkzeug.routing.converters import UUIDConverter

    for rule in app.url_map.iter_rules():
        for argument, converter in rule._converters.items():
            if argument in {"token", "filename", "slug", "fmt"}:  # a slug names a page of a journey, not a record
                continue
            assert isinstance(converter, UUIDConverter), f"{rule.rule}: <{argument}> must be a UUID"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_403_where_it_does_not_belong(client, role):
    ids = _ids()
    user = make_user(role, totp=role in {Role.ORGANISER, Role.BOARD})
    sign_in(client, user)
    for path, allowed in ROLE_PAGES.items():
        response = client.get(path.format(**ids))
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, path, response.status_code)
    for path, allowed in ROLE_POSTS.items():
        if role in allowed:
            continue
        # CSRF is checked before the view; send a valid token so the role check is what refuses.
        token = csrf_from(client.get("/account").get_data(as_text=True))
        response = client.post(path.format(**ids), data={"csrf_token": token})
        assert response.status_code == 403, (role, path, response.status_code)
    for path, (allowed, _rule) in LINKED_PAGES.items():
        if role not in allowed:
            assert client.get(path.format(**ids)).status_code == 403, (role, path)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    ids = _ids()
    for path in list(ROLE_PAGES) + ["/account", "/home"]:
        response = client.get(path.format(**ids))
        assert response.status_code == 302, path
        assert "/sign-in" in response.headers["Location"]


def test_unknown_person_is_404_for_organisers(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    assert client.get("/people/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/people/1").status_code == 404


def test_deactivated_account_cannot_use_role_pages(client):
    from cpevents.core.time import utcnow
    from cpevents.extensions import db

    user = make_user(Role.JUDGE)
    sign_in(client, user)
    assert client.get("/judge").status_code == 200
    user.deactivated_at = utcnow()
    db.session.commit()
    response = client.get("/judge")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_nomination_belongs_to_its_nominator_only(client, app):
    """Another nominator gets 404 (the nomination does not exist for them); other roles get 403."""
    from cpevents.nominations.services import start_nomination, submit_nomination  # noqa: F401
    from tests.nominations.test_journey import open_event

    owner = make_user(Role.NOMINATOR)
    event = open_event()
    nomination = start_nomination(event, by=owner)
    db.session.commit()
    other = make_user(Role.NOMINATOR)
    sign_in(client, other)
    for path in OWNED_PAGES:
        assert client.get(path.format(nomination=nomination.public_id)).status_code == 404, path
    token = csrf_from(client.get("/account").get_data(as_text=True))
    assert client.post(f"/nominations/{nomination.public_id}/young-person", data={"csrf_token": token, "first_name": "X"}).status_code == 404
    for role in (Role.ORGANISER, Role.JUDGE, Role.CHAMPION, Role.BOARD):
        c = app.test_client()
        sign_in(c, make_user(role, totp=role in {Role.ORGANISER, Role.BOARD}))
        for path in OWNED_PAGES:
            assert c.get(path.format(nomination=nomination.public_id)).status_code == 403, (role, path)


# Public on purpose, for the load balancer and monitoring (issue 15): no personal data in either.
HEALTH_CHECKS = {"/healthz", "/healthz/ready"}
# Public on purpose (issue 16): an event's winners page, 404 unless an organiser published it
# after the results (tests/public/test_winners_page.py), and the list of published ones.
WINNERS_PAGES = {"/winners", "/winners/<uuid:public_id>"}


def test_health_checks_are_public(app):
    rules = {r.rule: r for r in app.url_map.iter_rules()}
    for path in HEALTH_CHECKS:
        assert getattr(app.view_functions[rules[path].endpoint], ACCESS_ATTR) == "public", path
    client = app.test_client()
    for path in HEALTH_CHECKS:
        assert client.get(path).status_code == 200, path


def test_winners_pages_are_public_and_nothing_else_new_is(app):
    rules = {r.rule: r for r in app.url_map.iter_rules()}
    for path in WINNERS_PAGES:
        assert getattr(app.view_functions[rules[path].endpoint], ACCESS_ATTR) == "public", path
    public_winners = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("winners.")
                      and getattr(app.view_functions[r.endpoint], ACCESS_ATTR) == "public"}
    assert public_winners == WINNERS_PAGES


# Public on purpose (issue 18): the door list's service worker and web app manifest hold no data;
# the browser fetches the worker again to look for updates, signed in or not.
DOOR_APP_FILES = {"/door/sw.js", "/door/manifest.webmanifest"}


def test_the_door_app_files_are_public_and_hold_nothing_personal(app):
    rules = {r.rule: r for r in app.url_map.iter_rules()}
    for path in DOOR_APP_FILES:
        assert getattr(app.view_functions[rules[path].endpoint], ACCESS_ATTR) == "public", path
    public_door = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("door.")
                   and getattr(app.view_functions[r.endpoint], ACCESS_ATTR) == "public"}
    assert public_door == DOOR_APP_FILES
