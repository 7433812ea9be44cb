"""Read-side queries: the guest list, its counts, the venue's needs summary, who may reply for whom."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from cpevents.extensions import db
from cpevents.invitations.models import (
    ACCESS,
    DEFAULT_GUESTS,
    DIETARY,
    Guest,
    GuestApproval,
    Invitation,
    InvitationSettings,
    InvitationStatus,
)
from cpevents.nominations.models import NominationFile
from cpevents.young_people.models import (
    YoungPerson,
    current_link_condition,
    current_young_person_ids,
    normalise_name,
)


def shortlisted_young_people(event) -> list[YoungPerson]:
    """The young people to invite "from the shortlist in one action": those whose file's latest
    shortlist decision on the event's judging panel is "shortlisted" (decisions are never
    overwritten, so the latest one counts). An event with no panel has no shortlist."""
    from cpevents.judging.models import DecisionKind, Panel
    from cpevents.judging.queries import latest_decisions

    panel = db.session.execute(select(Panel).where(Panel.event_id == event.id)).scalar_one_or_none()
    if panel is None:
        return []
    file_ids = [file_id for (file_id, kind), d in latest_decisions(panel.id).items() if kind == DecisionKind.SHORTLIST and d.chosen]
    if not file_ids:
        return []
    return list(db.session.execute(
        select(YoungPerson)
        .join(NominationFile, NominationFile.young_person_id == YoungPerson.id)
        .where(NominationFile.id.in_(file_ids), YoungPerson.merged_into_id.is_(None))
        .order_by(YoungPerson.last_name, YoungPerson.first_name)
    ).scalars().all())


def shortlisted_awards(invitation: Invitation) -> list[str]:
    """The awards the young person is shortlisted for at this event, to tell them why they are
    invited. None when the shortlist decision is not "shortlisted", and none from a file where a
    nominator said the young person does not know about their nomination (nothing about them is
    told to them that they have not been told by the person who nominated them). Two queries."""
    from cpevents.events.models import AwardCategory
    from cpevents.judging.models import DecisionKind, JudgingDecision
    from cpevents.nominations.models import Nomination, NominationStatus, YesNo

    files = db.session.execute(
        select(NominationFile.id, AwardCategory.name)
        .join(AwardCategory, NominationFile.category_id == AwardCategory.id)
        .where(NominationFile.event_id == invitation.event_id, NominationFile.young_person_id == invitation.young_person_id)
        .where(~exists().where(Nomination.file_id == NominationFile.id, Nomination.young_person_knows == YesNo.NO,
                               Nomination.status != NominationStatus.WITHDRAWN))
        .order_by(AwardCategory.position, AwardCategory.name)
    ).all()
    if not files:
        return []
    latest: dict[int, bool] = {}
    for file_id, chosen in db.session.execute(
        select(JudgingDecision.file_id, JudgingDecision.chosen)
        .where(JudgingDecision.file_id.in_([f for f, _ in files]), JudgingDecision.kind == DecisionKind.SHORTLIST)
        .order_by(JudgingDecision.at, JudgingDecision.id)
    ):
        latest[file_id] = chosen  # later decisions replace earlier ones
    return [name for file_id, name in files if latest.get(file_id)]


def is_worker_for(user, invitation: Invitation) -> bool:
    """A worker an organiser has linked to the young person (a current link). Nominating a
    young person never makes someone their worker."""
    return bool(db.session.execute(select(current_link_condition(user.id, invitation.young_person_id))).scalar())


def for_worker(user) -> Select:
    """Invitations a worker may reply to for the young people they are linked to, the newest
    first (a statement: the page pages it, years of invitations are too many for one page)."""
    return (
        select(Invitation)
        .options(joinedload(Invitation.young_person), joinedload(Invitation.event))
        .where(Invitation.young_person_id.in_(current_young_person_ids(user.id)))
        .order_by(Invitation.id.desc())
    )


FILTERS = {
    "": "Everyone",
    **{s.value: s.label for s in InvitationStatus},
    "flagged": "Do not publish or contact restriction",
    "to_approve": "Guests waiting for approval",
    "letter": "Needs a printed letter",
}


def guest_list_statement(event_id: int, *, q: str = "", show: str = "") -> Select:
    """Everyone on the list (searched, filtered), with their record, in guest-list order."""
    stmt = (
        select(Invitation)
        .join(YoungPerson, Invitation.young_person_id == YoungPerson.id)
        .options(joinedload(Invitation.young_person), joinedload(Invitation.replied_by))
        .where(Invitation.event_id == event_id)
        .order_by(YoungPerson.last_name, YoungPerson.first_name, Invitation.id)
    )
    if q:
        key = normalise_name(q)
        stmt = stmt.where(or_(YoungPerson.match_key.contains(key), func.lower(YoungPerson.district).contains(q.lower())))
    if show in {s.value for s in InvitationStatus}:
        stmt = stmt.where(Invitation.status == InvitationStatus(show))
    elif show == "flagged":
        stmt = stmt.where(or_(YoungPerson.do_not_publish.is_(True), YoungPerson.contact_restriction.is_(True)))
    elif show == "to_approve":
        stmt = stmt.where(exists().where(Guest.invitation_id == Invitation.id, Guest.approval == GuestApproval.TO_APPROVE))
    elif show == "letter":
        stmt = stmt.where(Invitation.letter_needed.is_(True))
    return stmt


def guest_list(event_id: int, *, q: str = "", show: str = "") -> list[Invitation]:
    """Everyone on the list, with their record and guests, in a constant number of queries."""
    invitations = list(db.session.execute(guest_list_statement(event_id, q=q, show=show)).unique().scalars().all())
    attach_guests(event_id, invitations)
    return invitations


EXPORT_BATCH = 500


def guest_list_batches(event_id: int) -> Iterator[list[Invitation]]:
    """The whole guest list in guest-list order for a download, EXPORT_BATCH invitations (with
    their records and guests) at a time: two queries a batch, and only one batch of records in
    memory, however long the list (issue 19)."""
    ids = db.session.execute(
        select(Invitation.id)
        .join(YoungPerson, Invitation.young_person_id == YoungPerson.id)
        .where(Invitation.event_id == event_id)
        .order_by(YoungPerson.last_name, YoungPerson.first_name, Invitation.id)
    ).scalars().all()
    for start in range(0, len(ids), EXPORT_BATCH):
        batch = ids[start : start + EXPORT_BATCH]
        loaded = {
            i.id: i
            for i in db.session.execute(
                select(Invitation).options(joinedload(Invitation.young_person), joinedload(Invitation.replied_by)).where(Invitation.id.in_(batch))
            ).unique().scalars()
        }
        invitations = [loaded[i] for i in batch if i in loaded]
        by_invitation: dict[int, list[Guest]] = {i.id: [] for i in invitations}
        for guest in db.session.execute(select(Guest).where(Guest.invitation_id.in_(batch)).order_by(Guest.invitation_id, Guest.position)).scalars():
            by_invitation[guest.invitation_id].append(guest)
        for invitation in invitations:
            set_committed_value(invitation, "guests", by_invitation[invitation.id])
        yield invitations


def attach_guests(event_id: int, invitations: list[Invitation], *, all_of_event: bool = True) -> None:
    """The guests of these invitations in one query (selectinload would send one query per 500
    invitations): every guest of the event for a whole list, or only these invitations' guests
    for one page of it."""
    by_invitation: dict[int, list[Guest]] = {i.id: [] for i in invitations}
    stmt = select(Guest).order_by(Guest.invitation_id, Guest.position)
    if all_of_event:
        stmt = stmt.join(Invitation, Guest.invitation_id == Invitation.id).where(Invitation.event_id == event_id)
    else:
        stmt = stmt.where(Guest.invitation_id.in_(list(by_invitation)))
    guests = db.session.execute(stmt).scalars().all()
    for guest in guests:
        if guest.invitation_id in by_invitation:
            by_invitation[guest.invitation_id].append(guest)
    for invitation in invitations:
        set_committed_value(invitation, "guests", by_invitation[invitation.id])


@dataclass
class Counts:
    invited: int = 0
    coming: int = 0
    guests_coming: int = 0
    not_coming: int = 0
    not_sure: int = 0
    not_replied: int = 0
    waiting: int = 0
    offered: int = 0
    unsent: int = 0
    letters: int = 0
    to_approve: int = 0

    guests_waiting: int = 0  # guests of young people coming, waiting for a place
    allowed_guests: int = 0  # guests the young people who have not said no may bring, in all

    @property
    def places(self) -> int:
        return self.coming + self.guests_coming

    @property
    def keeping_own_place(self) -> int:
        """Young people whose own place is kept for them: everyone on the list who has not said no."""
        return self.invited - self.not_coming

    @property
    def most_people(self) -> int:
        """The most people who could come if everyone who has not said no came with every guest allowed."""
        return self.keeping_own_place + self.allowed_guests


def counts(event_id: int) -> Counts:
    result = Counts()
    rows = db.session.execute(
        select(Invitation.status, func.count(), func.sum(func.cast(Invitation.sent_at.is_(None) & Invitation.letter_needed.is_(False), db.Integer)),
               func.sum(func.cast(Invitation.letter_needed, db.Integer)))
        .where(Invitation.event_id == event_id).group_by(Invitation.status)
    ).all()
    for status, n, unsent, letters in rows:
        result.invited += n
        result.unsent += unsent or 0
        result.letters += letters or 0
        setattr(result, status.value, getattr(result, status.value) + n)
    guests = db.session.execute(
        select(Guest.approval, Guest.waiting_since.is_(None), func.count())
        .join(Invitation, Guest.invitation_id == Invitation.id)
        .where(Invitation.event_id == event_id, Invitation.status == InvitationStatus.COMING)
        .group_by(Guest.approval, Guest.waiting_since.is_(None))
    ).all()
    for approval, has_place, n in guests:
        if approval != GuestApproval.CANNOT_COME:
            if has_place:
                result.guests_coming += n
            else:
                result.guests_waiting += n
        if approval == GuestApproval.TO_APPROVE:
            result.to_approve += n
    result.allowed_guests = db.session.execute(
        select(func.coalesce(func.sum(func.coalesce(Invitation.guest_allowance, InvitationSettings.guest_allowance, DEFAULT_GUESTS)), 0))
        .select_from(Invitation)
        .outerjoin(InvitationSettings, InvitationSettings.event_id == Invitation.event_id)
        .where(Invitation.event_id == event_id, Invitation.status != InvitationStatus.NOT_COMING)
    ).scalar_one()
    return result


def capacity_warning(event, c: Counts | None = None) -> str | None:
    """What the organiser needs to know when the list and the guest allowances can fill more than
    the event's places, with the numbers; None when everyone could come."""
    if event.capacity is None:
        return None
    c = c or counts(event.id)
    places, people = event.capacity, c.keeping_own_place
    if people > places:
        return (f"{people} young people are invited and have not said no, for {places} places. Not all of them can come: "
                f"once {places} have said yes, the others go on a waiting list. Add places, or invite fewer young people.")
    if c.most_people > places:
        left = places - people
        return (f"If everyone invited who has not said no came with every guest they may bring, that would be {c.most_people} people "
                f"for {places} places. Each of the {people} young people keeps their own place; their guests share the other {left} "
                f"place{'s' if left != 1 else ''}, first come first served, and the rest wait for a place.")
    return None


@dataclass
class NeedsSummary:
    """Counted per person coming (each young person and each guest with a place), not per reply."""

    people: int  # young people coming
    guests: int  # their guests with a place
    dietary: list[tuple[str, int]]  # (need, people)
    access: list[tuple[str, int]]
    travel_help: int  # replies (a young person and their guests travel together) asking for help
    travel_people: int  # people in those replies
    other_dietary: list[str]
    other_access: list[str]
    no_dietary: int = 0  # people with no food and drink need

    @property
    def meals(self) -> int:
        return self.people + self.guests


def needs_summary(event_id: int) -> NeedsSummary:
    """For the venue: counts of people only, no names. "Something else" answers are listed in
    alphabetical order, not next to anyone. Two queries, whatever the number of replies."""
    people = db.session.execute(
        select(Invitation.id, Invitation.dietary, Invitation.dietary_other, Invitation.access, Invitation.access_other, Invitation.travel_help)
        .where(Invitation.event_id == event_id, Invitation.status == InvitationStatus.COMING)
    ).all()
    guests = db.session.execute(
        select(Guest.invitation_id, Guest.dietary, Guest.dietary_other, Guest.access, Guest.access_other)
        .join(Invitation, Guest.invitation_id == Invitation.id)
        .where(Invitation.event_id == event_id, Invitation.status == InvitationStatus.COMING, Guest.approval != GuestApproval.CANNOT_COME,
               Guest.waiting_since.is_(None))
    ).all()
    dietary: Counter[str] = Counter()
    access: Counter[str] = Counter()
    other_dietary: list[str] = []
    other_access: list[str] = []
    no_dietary = 0
    needs = [row._tuple()[1:5] for row in people] + [row._tuple()[1:5] for row in guests]
    for diet, diet_other, acc, acc_other in needs:
        codes = [c for c in (diet or "").split(",") if c]
        dietary.update(c for c in codes if c != "other")
        access.update(c for c in (acc or "").split(",") if c and c != "other")
        no_dietary += not codes
        if diet_other:
            other_dietary.append(diet_other)
        if acc_other:
            other_access.append(acc_other)
    travelling = {row[0] for row in people if row[5]}
    return NeedsSummary(
        people=len(people),
        guests=len(guests),
        dietary=[(label, dietary[code]) for code, label in DIETARY if code != "other"],
        access=[(label, access[code]) for code, label in ACCESS if code != "other"],
        travel_help=len(travelling),
        travel_people=len(travelling) + sum(1 for g in guests if g[0] in travelling),
        other_dietary=sorted(other_dietary, key=str.casefold),
        other_access=sorted(other_access, key=str.casefold),
        no_dietary=no_dietary,
    )


def find_to_add(event_id: int, q: str, limit: int = 20) -> list[tuple[YoungPerson, bool]]:
    """Young people whose name matches, and whether each is on the list already."""
    key = normalise_name(q)
    if not key:
        return []
    on_list = select(Invitation.young_person_id).where(Invitation.event_id == event_id)
    people = db.session.execute(
        select(YoungPerson, YoungPerson.id.in_(on_list))
        .where(YoungPerson.match_key.contains(key), YoungPerson.merged_into_id.is_(None))
        .order_by(YoungPerson.last_name, YoungPerson.first_name)
        .limit(limit)
    ).all()
    return [(person, bool(listed)) for person, listed in people]


def for_letters(event_id: int) -> list[Invitation]:
    return list(db.session.execute(
        select(Invitation).options(joinedload(Invitation.young_person), joinedload(Invitation.event))
        .where(Invitation.event_id == event_id, Invitation.letter_needed.is_(True)).order_by(Invitation.id)
    ).scalars().all())


# --- the organiser's to-do (cpevents/home/todo.py): one grouped query per line -------------------


def _grouped(stmt, event_id: int | None) -> dict[int, int]:
    if event_id is not None:
        stmt = stmt.where(Invitation.event_id == event_id)
    return dict(db.session.execute(stmt.group_by(Invitation.event_id)).tuples().all())


def guests_to_approve_by_event(event_id: int | None = None) -> dict[int, int]:
    """Guests of young people who are coming that wait for an organiser's approval (the young
    person has a contact restriction), per event: the guest list's "to approve" count."""
    stmt = (
        select(Invitation.event_id, func.count(Guest.id))
        .join(Guest, Guest.invitation_id == Invitation.id)
        .where(Invitation.status == InvitationStatus.COMING, Guest.approval == GuestApproval.TO_APPROVE)
    )
    return _grouped(stmt, event_id)


def letters_by_event(event_id: int | None = None) -> dict[int, int]:
    """Invitations with no email address waiting for a printed letter, per event."""
    return _grouped(select(Invitation.event_id, func.count()).where(Invitation.letter_needed.is_(True)), event_id)


def late_replies_by_event(now, event_id: int | None = None) -> dict[int, int]:
    """Invitations still not replied to after the event's reply-by date, for events that have not
    started yet (someone to chase), per event."""
    from cpevents.events.models import Event
    from cpevents.invitations.models import InvitationSettings

    stmt = (
        select(Invitation.event_id, func.count())
        .join(InvitationSettings, InvitationSettings.event_id == Invitation.event_id)
        .join(Event, Event.id == Invitation.event_id)
        .where(Invitation.status == InvitationStatus.NOT_REPLIED, InvitationSettings.reply_by.is_not(None),
               InvitationSettings.reply_by <= now, Event.starts_at > now)
    )
    return _grouped(stmt, event_id)
