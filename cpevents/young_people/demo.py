"""Demo data for issue 17 (texts through GOV.UK Notify): a young person with a mobile number who
agreed to texts, and one whose number Notify refused. The demo has no Notify key, so nothing is
texted: the record only shows the number, the agreement and the warning. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.young_people.models import YoungPerson

# Ofcom's drama range (07700 900000 to 900999): never a real person's phone.
DEMO_MOBILE = "+447700900461"
DEMO_REFUSED_MOBILE = "+447700900999"


def seed_texts(organiser) -> dict:
    people = db.session.execute(
        select(YoungPerson).where(YoungPerson.created_by_id == organiser.id, YoungPerson.merged_into_id.is_(None),
                                  YoungPerson.contact_restriction.is_(False), YoungPerson.do_not_publish.is_(False))
        .order_by(YoungPerson.id).limit(12)
    ).scalars().all()
    if len(people) < 12:
        return {}
    agreed = next((p for p in people if p.mobile == DEMO_MOBILE), None) or people[10]
    refused = next((p for p in people if p.mobile == DEMO_REFUSED_MOBILE), None) or people[11]
    if not agreed.mobile:
        agreed.mobile, agreed.mobile_agreed_at, agreed.mobile_agreed_by_id = DEMO_MOBILE, utcnow(), organiser.id
    if not refused.mobile:
        refused.mobile, refused.mobile_agreed_at, refused.mobile_agreed_by_id = DEMO_REFUSED_MOBILE, utcnow(), organiser.id
        refused.mobile_failed = "invalid number"
    db.session.flush()
    return {"young_person_with_mobile": agreed.public_id, "young_person_texts_failed": refused.public_id}
