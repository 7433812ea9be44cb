"""Factories for nominee tests: a file ready for an organiser to accept, and the nominee's link."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app
from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.mail.models import OutboxMessage
from cpevents.mail.personal_links import unseal
from cpevents.nominations.models import Nomination, NominationStatus, YesNo
from cpevents.nominations.review import accept_file, match_nomination
from cpevents.young_people.models import CareStatus, WorkerRelationship
from cpevents.young_people.services import create_young_person
from tests.factories import make_user
from tests.nominations.test_journey import open_event

ACHIEVEMENT = "Kai started a coding club at Hillside Academy and teaches eight younger pupils."


def file_to_accept(*, email: str = "kai.young@example.org", knows: YesNo = YesNo.YES, contact_restriction: bool = False, event=None, first="Kai"):
    organiser = make_user(Role.ORGANISER, totp=True, name="Olivia Organiser")
    nominator = make_user(Role.NOMINATOR, name="Nadia Worker")
    event = event or open_event()
    person = create_young_person({"first_name": first, "last_name": "Mensah", "date_of_birth": date(2010, 2, 14), "care_status": CareStatus.IN_CARE,
                                  "district": "Riverside", "contact_restriction": contact_restriction}, by=organiser)
    person.email = email
    nomination = Nomination(event_id=event.id, nominator_id=nominator.id, category_id=event.categories[0].id if event.categories else None,
                            status=NominationStatus.SENT, first_name=first, last_name="Mensah", date_of_birth=date(2010, 2, 14),
                            care_status=CareStatus.IN_CARE, district="Riverside", relationship_type=WorkerRelationship.SOCIAL_WORKER,
                            worked_with_recently=True, achievement=ACHIEVEMENT, background="Organisers only.", young_person_knows=knows,
                            not_known_reason="I want to tell them myself" if knows == YesNo.NO else "", public_concern=YesNo.NO)
    db.session.add(nomination)
    db.session.flush()
    file = match_nomination(nomination, person, by=organiser)
    db.session.commit()
    return file, organiser, nominator


def accept(file, organiser):
    with current_app.test_request_context():
        accept_file(file, reason="", by=organiser)
    db.session.commit()


def emails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.execute(select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)).scalars())


def link_in(message: OutboxMessage) -> str:
    """The personal link's path, as the worker would fill it in."""
    (url,) = unseal(message.sealed_links).values()
    return re.sub(r"^https?://[^/]+", "", url)
