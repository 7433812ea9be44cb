"""Demo invitations for the PROUD Awards (demo) evening (called once from cpevents.demo.seed_demo).

80 young people are invited (the shortlist first, then others with a nomination file) to 180
places. Every young person invited keeps their own place until they say no, so 7 say no and the
other 73 keep theirs; their guests share the 107 places left. 50 are coming with 2 guests and 7
with 1 guest (107 guests, so every place is taken or kept), and 3 more are coming whose 5 guests
are on the waiting list for a place. The rest are not sure yet (5) or have not replied (8): their
own places are still theirs, so the demo `rsvp_link` young person who says "Yes" gets a place,
and any guests they name wait. A few have no email address and wait for a printed letter.
Idempotent: the list is made once; every run prints a fresh working personal link for one young
person who has not replied yet.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select

from cpevents.core.checks import known
from cpevents.core.time import utcnow
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.invitations import consents, services
from cpevents.invitations.models import (
    ACCESS,
    DIETARY,
    AgeGroup,
    ConsentHow,
    ConsentKind,
    Guest,
    GuestApproval,
    Invitation,
    InvitationStatus,
    NameRead,
    ReplyHow,
)
from cpevents.invitations.queries import shortlisted_young_people
from cpevents.nominations.models import NominationFile
from cpevents.young_people.models import YoungPerson

EVENT = "PROUD Awards (demo)"
GUEST_NAMES = ["Mum", "Dad", "Nan", "Grandad", "Aunt Sue", "Uncle Ray", "Jo (foster carer)", "Sam (carer)", "Priya (personal adviser)", "Leah (friend)",
               "Tom (brother)", "Mia (sister)", "Ben (friend)", "Chris (key worker)"]
INVITED = 80
COMING_TWO, COMING_ONE = 50, 7  # 73 young people keep their places + 50*2 + 7*1 guests = 180 places
GUESTS_WAIT = (2, 2, 1)  # coming, with these guests waiting for a place
NOT_COMING, NOT_SURE = 7, 5


def seed_invitations(organiser, nominator) -> dict:
    event = db.session.execute(select(Event).where(Event.name == EVENT)).scalar_one_or_none()
    if event is None:
        return {"invitations": 0, "rsvp_link": None}
    settings = services.settings_for(event)
    existing = db.session.execute(select(Invitation).where(Invitation.event_id == event.id)).scalars().all()
    if not existing:
        settings.reply_by = event.starts_at - timedelta(days=21)
        existing = _make(event, organiser, nominator)
    target = next((i for i in existing if i.status == InvitationStatus.NOT_REPLIED and not i.check_identity and i.young_person.email), None)
    link = services.issue_link(target) if target else None
    letters = _worker_letters(event, existing, organiser)
    db.session.flush()
    return {"invitations": len(existing), "rsvp_link": link, "worker_letters": letters}


def _worker_letters(event, invitations: Sequence[Invitation], organiser) -> int:
    """Issue 17: the invitees without email whose letter went out had it sent to their workers
    (the demo nominator, Nadia, is linked to the first 40 young people) as a PDF; those with no
    worker are on the organisers' list as "no worker linked"; every third is handed over already.
    Idempotent: once invitation letters exist for this event, nothing is added."""
    from cpevents.young_people.letters import (
        LetterKind,
        WorkerLetter,
        link_if_workers,
        mark_handed_over,
    )

    if db.session.execute(select(WorkerLetter.id).where(WorkerLetter.event_id == event.id, WorkerLetter.kind == LetterKind.INVITATION).limit(1)).first() is not None:
        return 0
    made = 0
    for index, invitation in enumerate(i for i in invitations if not i.young_person.email and i.sent_at is not None):
        services.send_worker_letter(invitation, LetterKind.INVITATION, link_if_workers(invitation.young_person, services.issue_link, invitation))
        made += 1
        if index % 3 == 2:
            db.session.flush()
            for letter in db.session.execute(select(WorkerLetter).where(WorkerLetter.subject_id == invitation.id, WorkerLetter.kind == LetterKind.INVITATION)).scalars():
                mark_handed_over(letter, by=organiser)
    return made


def _people(event) -> list[YoungPerson]:
    people = list(shortlisted_young_people(event))
    seen = {p.id for p in people}
    with_files = db.session.execute(
        select(YoungPerson).join(NominationFile, NominationFile.young_person_id == YoungPerson.id).where(NominationFile.event_id == event.id).order_by(YoungPerson.id)
    ).scalars().all()
    people += [p for p in with_files if p.id not in seen]
    return people[:INVITED]


def _make(event, organiser, nominator) -> list[Invitation]:
    rng = random.Random(7)  # noqa: S311 - repeatable demo data, not a secret
    now = utcnow()
    people = _people(event)
    invitations = []
    for index, person in enumerate(people):
        invitation = known(services.invite(event, person, by=organiser), "each person is listed once")
        if person.email:
            invitation.sent_at = now - timedelta(days=10)
        else:
            invitation.letter_needed = index % 3 == 0
            invitation.sent_at = None if invitation.letter_needed else now - timedelta(days=9)  # letters already printed
        invitations.append(invitation)
    plan = ([("coming", 2)] * COMING_TWO + [("coming", 1)] * COMING_ONE + [("guests_wait", n) for n in GUESTS_WAIT] + [("no", 0)] * NOT_COMING + [("not_sure", 0)] * NOT_SURE)
    plan += [("none", 0)] * (len(invitations) - len(plan))
    rng.shuffle(plan)
    for number, (invitation, (answer, guests)) in enumerate(zip(invitations, plan, strict=False)):
        if answer == "none":
            continue
        how = rng.choice([ReplyHow.LINK, ReplyHow.LINK, ReplyHow.LINK, ReplyHow.WORKER, ReplyHow.ORGANISER])
        invitation.replied_at = now - timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 23))
        invitation.replied_how = how
        invitation.replied_by_id = {ReplyHow.LINK: None, ReplyHow.WORKER: nominator.id, ReplyHow.ORGANISER: organiser.id}[how]
        if answer in ("no", "not_sure"):
            invitation.status = InvitationStatus.NOT_COMING if answer == "no" else InvitationStatus.NOT_SURE
            continue
        invitation.status = InvitationStatus.COMING
        waiting_since = None
        if answer == "guests_wait":
            waiting_since = invitation.replied_at = now - timedelta(hours=5 + number % 7)
        restricted = invitation.young_person.contact_restriction
        for position in range(guests):
            invitation.guests.append(Guest(name=rng.choice(GUEST_NAMES), age_group=AgeGroup.CHILD if rng.random() < 0.15 else AgeGroup.ADULT, position=position,
                                           approval=GuestApproval.TO_APPROVE if restricted else GuestApproval.CONFIRMED, waiting_since=waiting_since,
                                           dietary=rng.choice([c for c, _ in DIETARY if c != "other"]) if rng.random() < 0.25 else "",
                                           access=rng.choice(["step_free", "wheelchair", "quiet_space"]) if rng.random() < 0.06 else ""))
        if rng.random() < 0.35:
            invitation.dietary = rng.choice([c for c, _ in DIETARY if c != "other"])
        if rng.random() < 0.05:
            invitation.dietary = ",".join(filter(None, [invitation.dietary, "other"]))
            invitation.dietary_other = "Coeliac: no gluten at all"
        if rng.random() < 0.15:
            invitation.access = rng.choice([c for c, _ in ACCESS if c != "other"])
        if rng.random() < 0.2:
            invitation.travel_help, invitation.travel_details = True, rng.choice(["A taxi from home", "Someone to meet us at the station", "A parking space near the door"])
        invitation.photo_consent = rng.random() < 0.6 and not invitation.young_person.do_not_publish
        invitation.name_read = rng.choice([NameRead.FIRST_NAME, NameRead.FIRST_NAME, NameRead.FULL_NAME, NameRead.NO_NAME])
        invitation.check_identity = restricted and number % 2 == 0
        invitation.photos_ok = invitation.photo_consent
        for guest in invitation.guests:
            guest.photo_consent = guest.age_group == AgeGroup.ADULT and rng.random() < 0.7
    db.session.flush()
    _consent_states(invitations, organiser, nominator)
    return invitations


def _consent_states(invitations: list[Invitation], organiser, nominator) -> None:
    """Issue 16: one of each consent state, with its history: given, refused, withdrawn after
    being given, and given but waiting for a worker's or carer's agreement."""
    plain = [i for i in invitations if i.status == InvitationStatus.COMING and not (i.young_person.do_not_publish or i.young_person.contact_restriction)]
    if len(plain) < 4:
        return
    given, refused, withdrawn, waiting = plain[:4]
    consents.set_consents(given, {ConsentKind.PHOTOS: True, ConsentKind.NAME_READ: NameRead.FULL_NAME, ConsentKind.USE_WEBSITE: True,
                                  ConsentKind.USE_ANNUAL_REPORT: True}, how=ConsentHow.LINK)
    consents.set_consents(refused, {ConsentKind.PHOTOS: False, ConsentKind.USE_WEBSITE: False, ConsentKind.USE_SOCIAL: False}, how=ConsentHow.PHONE, by=organiser)
    consents.set_consents(withdrawn, {ConsentKind.PHOTOS: True, ConsentKind.USE_SOCIAL: True}, how=ConsentHow.LINK)
    consents.set_consents(withdrawn, {ConsentKind.PHOTOS: False, ConsentKind.USE_SOCIAL: False}, how=ConsentHow.LINK)
    consents.set_consents(waiting, {ConsentKind.PHOTOS: True, ConsentKind.USE_PRESS: True}, how=ConsentHow.WORKER, by=nominator)
    consents.mark_needs_agreement(waiting, True, how=ConsentHow.WORKER, by=nominator)
