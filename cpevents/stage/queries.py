"""What the running order, the presenter's sheets and the photographer's list show.

Who is on a presenter's sheet: the young people whose file (accepted for judging, in this award)
is shortlisted by the latest shortlist decision, and whose invitation to this event says they are
coming. Nobody else: not the people not shortlisted, not those who said no or have not replied,
not an erased or merged record.

How each is named (`read_out`): the name they chose to have read (Invitation.name_read) from the
name they go by (YoungPerson.preferred_name, else their first name). A surname only when they
chose their full name, and never for a young person marked do not publish or with a contact
restriction. "Do not read a name": no name at all on the sheet.

The winner: known to these queries only when asked (`with_winners=True`, the organisers' running
order page and the sealed sheet). The plain sheet is built without it, so nothing on it (words,
order, marks) can depend on who won. Each list is in the order of the names the presenter reads.

A fixed number of queries per page, however many awards and people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from cpevents.core.checks import known
from cpevents.events.models import AwardCategory, Event
from cpevents.extensions import db
from cpevents.invitations.models import Guest, GuestApproval, Invitation, InvitationStatus, NameRead
from cpevents.judging.models import DecisionKind, Panel, PanelText
from cpevents.judging.queries import latest_decisions
from cpevents.nominations.models import FileStatus, Nomination, NominationFile, NominationStatus
from cpevents.stage.models import SealedPrint
from cpevents.young_people.models import YoungPerson

CITATION_LENGTH = 280
NO_CITATION = "No panel version of the nomination yet: ask an organiser for a few words to read."


def read_out(person: YoungPerson, name_read: NameRead) -> str:
    """The words the presenter reads for this young person ("" for "do not read a name")."""
    if name_read == NameRead.NO_NAME:
        return ""
    first = person.first_or_preferred
    if name_read == NameRead.FULL_NAME and not (person.do_not_publish or person.contact_restriction):
        return f"{first} {person.last_name}"
    return first


def citation(text: str, limit: int = CITATION_LENGTH) -> str:
    """The start of the panel version, cut at a sentence (or a word) to about `limit` characters."""
    words = " ".join((text or "").split())
    if len(words) <= limit:
        return words
    cut = words[:limit]
    stop = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if stop >= limit // 2:
        return cut[: stop + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…"


def _without(words: str, name: str, instead: str) -> str:
    name = name.strip()
    if not name:
        return words
    return re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", instead, words, flags=re.IGNORECASE)


def citation_for(text: str, person: YoungPerson, read_as: str) -> str:
    """The citation as the presenter reads it: a surname they did not choose to have read is taken
    out, and for "do not read a name" so is the name they go by. (Panel versions should name
    nobody but the first name; this makes sure, in case one slipped through.)"""
    words = " ".join((text or "").split())
    if person.last_name and read_as != f"{person.first_or_preferred} {person.last_name}":
        words = " ".join(_without(words, person.last_name, "").split())
    if not read_as:
        for name in {person.first_name, person.preferred_name}:
            words = _without(words, name, "this young person")
    return citation(words)


@dataclass
class Nominee:
    """One shortlisted young person coming, as a sheet shows them."""

    key: str  # the invitation's public id: stable, says nothing about the person
    read_as: str  # the words to read, "" for "do not read a name"
    name_read: NameRead
    how_to_say: str
    photos: bool  # may be photographed
    do_not_publish: bool
    contact_restriction: bool
    citation: str
    sort_name: str
    full_name: str  # organisers' own page only; never on a sheet
    young_person_id: int  # for the audit entry of a sealed printing; never shown
    winner: bool = False  # filled in only for the organisers' page and the sealed sheet

    @property
    def marks(self) -> list[str]:
        marks = []
        if self.do_not_publish:
            marks.append("DO NOT PUBLISH")
        if self.contact_restriction:
            marks.append("Check with an organiser before reading")
        if not self.photos:
            marks.append("No photos")
        return marks

    @property
    def name_words(self) -> str:
        """What the sheet prints as the name line."""
        if self.name_read == NameRead.NO_NAME:
            return "Do not read a name"
        return self.read_as


@dataclass
class AwardSlot:
    category: AwardCategory
    number: int  # 1-based place in the running order
    nominees: list[Nominee] = field(default_factory=list)
    not_coming: int = 0  # shortlisted, not coming (not on the sheet)
    winner_chosen: bool = False  # with_winners only
    winner_not_coming: bool = False  # with_winners only: a winner who is not on tonight's list
    prints: list[SealedPrint] = field(default_factory=list)

    @property
    def winners(self) -> list[Nominee]:
        return [n for n in self.nominees if n.winner]


def awards(event: Event) -> list[AwardCategory]:
    return list(db.session.execute(
        select(AwardCategory).where(AwardCategory.event_id == event.id).order_by(AwardCategory.position, AwardCategory.id)
    ).scalars())


def _panel(event: Event) -> Panel | None:
    return db.session.execute(select(Panel).where(Panel.event_id == event.id)).scalar_one_or_none()


def _gone(person: YoungPerson) -> bool:
    return person.is_merged or person.is_erased


def running_order(event: Event, *, with_winners: bool, only: AwardCategory | None = None) -> list[AwardSlot]:
    """Every award in order with its shortlisted young people coming (or just `only`)."""
    categories = awards(event)
    slots = {c.id: AwardSlot(category=c, number=i) for i, c in enumerate(categories, start=1)}
    if only is not None:
        slots = {only.id: slots[only.id]}
    panel = _panel(event)
    if panel is None or not slots:
        return list(slots.values())
    decisions = latest_decisions(panel.id)
    shortlisted = {f for (f, kind), d in decisions.items() if kind == DecisionKind.SHORTLIST and d.chosen}
    winners = {f for (f, kind), d in decisions.items() if kind == DecisionKind.WINNER and d.chosen} & shortlisted
    files = [] if not shortlisted else db.session.execute(
        select(NominationFile).options(joinedload(NominationFile.young_person))
        .where(NominationFile.event_id == event.id, NominationFile.status == FileStatus.ACCEPTED,
               NominationFile.id.in_(sorted(shortlisted)), NominationFile.category_id.in_(list(slots)))
    ).scalars().all()
    files = [f for f in files if not _gone(f.young_person)]
    people = [f.young_person_id for f in files]
    invitations = {} if not people else {
        i.young_person_id: i for i in db.session.execute(
            select(Invitation).where(Invitation.event_id == event.id, Invitation.young_person_id.in_(people),
                                     Invitation.status == InvitationStatus.COMING)
        ).scalars()
    }
    texts = _first_panel_texts([f.id for f in files])
    for file in files:
        slot = slots[known(file.category_id, "the query keeps files in one of these awards")]
        is_winner = with_winners and file.id in winners
        if with_winners and is_winner:
            slot.winner_chosen = True
        invitation = invitations.get(file.young_person_id)
        if invitation is None:
            slot.not_coming += 1
            if is_winner:
                slot.winner_not_coming = True
            continue
        person = file.young_person
        text = texts.get(file.id, "")
        read_as = read_out(person, invitation.name_read)
        slot.nominees.append(Nominee(
            key=invitation.public_id, read_as=read_as, name_read=invitation.name_read,
            how_to_say=person.name_pronunciation if invitation.name_read != NameRead.NO_NAME else "",
            photos=invitation.photos_ok and not (person.do_not_publish or person.contact_restriction),
            do_not_publish=person.do_not_publish, contact_restriction=person.contact_restriction,
            citation=citation_for(text, person, read_as) if text else NO_CITATION, sort_name=person.first_or_preferred.casefold(),
            full_name=person.full_name, young_person_id=person.id, winner=is_winner,
        ))
    for slot in slots.values():
        # Ordered by the name they go by, then the invitation's random id: never by anything the
        # panel decided.
        slot.nominees.sort(key=lambda n: (n.sort_name, n.key))
    if with_winners:
        for p in db.session.execute(
            select(SealedPrint).options(joinedload(SealedPrint.printed_by))
            .where(SealedPrint.event_id == event.id, SealedPrint.category_id.in_(list(slots)))
            .order_by(SealedPrint.printed_at.desc(), SealedPrint.id.desc())
        ).scalars():
            slots[p.category_id].prints.append(p)
    return list(slots.values())


def _first_panel_texts(file_ids: list[int]) -> dict[int, str]:
    """For each file, the panel version of its first live nomination that has one. Never the
    nominator's own words: only what an organiser approved for the panel is read aloud."""
    if not file_ids:
        return {}
    rows = db.session.execute(
        select(Nomination.file_id, PanelText.text)
        .join(PanelText, PanelText.nomination_id == Nomination.id)
        .where(Nomination.file_id.in_(sorted(file_ids)), Nomination.status == NominationStatus.SENT, func.trim(PanelText.text) != "")
        .order_by(Nomination.file_id, Nomination.submitted_at, Nomination.id)
    ).all()
    found: dict[int, str] = {}
    for file_id, text in rows:
        found.setdefault(file_id, text)
    return found


# --- the photographer's list ---------------------------------------------------------------------


@dataclass
class PhotoRow:
    name: str  # the shown name: no surname unless chosen, never for do not publish
    who: str  # "Young person" or "Guest of <first name>"
    photos: bool
    why_not: str = ""


def photographers_list(event: Event) -> tuple[list[PhotoRow], list[PhotoRow]]:
    """Everyone coming, young people and their guests: (may be photographed, may not). A young
    person marked do not publish or with a contact restriction, and everyone in their party, may
    not, whatever they answered. Two queries."""
    rows = db.session.execute(
        select(Invitation, YoungPerson).join(YoungPerson, Invitation.young_person_id == YoungPerson.id)
        .where(Invitation.event_id == event.id, Invitation.status == InvitationStatus.COMING)
    ).all()
    ids = [i.id for i, _p in rows]
    guests: dict[int, list[Guest]] = {}
    if ids:
        for g in db.session.execute(
            select(Guest).where(Guest.invitation_id.in_(ids), Guest.approval != GuestApproval.CANNOT_COME, Guest.waiting_since.is_(None))
            .order_by(Guest.position, Guest.id)
        ).scalars():
            guests.setdefault(g.invitation_id, []).append(g)
    yes: list[PhotoRow] = []
    no: list[PhotoRow] = []
    for invitation, person in sorted(rows, key=lambda r: (r[1].first_or_preferred.casefold(), r[0].public_id)):
        if _gone(person):
            continue
        name = person.first_or_preferred if person.contact_restriction else person.shown_name
        guarded = person.do_not_publish or person.contact_restriction
        if person.do_not_publish:
            row = PhotoRow(name, "Young person", False, "DO NOT PUBLISH: speak to an organiser")
        elif guarded:
            row = PhotoRow(name, "Young person", False, "Speak to an organiser")
        elif invitation.photos_ok:
            row = PhotoRow(name, "Young person", True)
        else:
            row = PhotoRow(name, "Young person", False, "Said no to photos")
        (yes if row.photos else no).append(row)
        for g in guests.get(invitation.id, []):
            who = f"Guest of {person.first_or_preferred}"
            if guarded:
                guest = PhotoRow(g.name, who, False, "DO NOT PUBLISH: speak to an organiser" if person.do_not_publish else "Speak to an organiser")
            elif g.photo_consent:
                guest = PhotoRow(g.name, who, True)
            else:
                guest = PhotoRow(g.name, who, False, "Said no to photos")
            (yes if guest.photos else no).append(guest)
    return yes, no
