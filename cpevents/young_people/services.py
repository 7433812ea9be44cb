"""Young people: the verbs. Every read of a record by a person and every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from blinker import Signal
from sqlalchemy import select, update

from cpevents.accounts.models import User, user_by_email
from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.cache import PartCache, current_version, watch
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.young_people.letters import move_on_merge
from cpevents.young_people.models import (
    LINK_LIFETIME,
    WorkerRelationship,
    YoungPerson,
    YoungPersonWorker,
    normalise_name,
)

EDITABLE = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "care_status",
    "district",
    "email",
    "name_shown",
    "do_not_publish",
    "contact_restriction",
    "contact_restriction_note",
)


class YoungPersonError(Exception):
    """A rule stopped the change; the message is for the organiser."""


def _apply(person: YoungPerson, fields: dict, by: User | None = None) -> list[str]:
    changed = []
    for name in EDITABLE:
        if name in fields and getattr(person, name) != fields[name]:
            setattr(person, name, fields[name])
            changed.append(name)
    if not person.contact_restriction:
        if person.contact_restriction_note:
            changed.append("contact_restriction_note")
        person.contact_restriction_note = ""
    person.match_key = normalise_name(person.first_name + person.last_name)
    if "mobile" in fields:
        changed += _apply_mobile(person, fields["mobile"], bool(fields.get("mobile_agreed")), by)
    return changed


def _apply_mobile(person: YoungPerson, mobile: str, agreed: bool, by: User | None) -> list[str]:
    """Issue 17: the mobile number (normalised +447...) and their agreement to texts, recorded
    when and by whom. A new number clears an earlier "texts failed"; no number, no agreement."""
    changed = []
    if person.mobile != mobile:
        person.mobile = mobile
        person.mobile_failed = ""
        changed.append("mobile")
    agreed = agreed and bool(mobile)
    if agreed and person.mobile_agreed_at is None:
        person.mobile_agreed_at, person.mobile_agreed_by_id = utcnow(), getattr(by, "id", None)
        changed.append("agreed to texts")
    elif not agreed and person.mobile_agreed_at is not None:
        person.mobile_agreed_at, person.mobile_agreed_by_id = None, None
        changed.append("agreed to texts")
    return changed


def mark_number_refused(number: str, reason: str = "") -> None:
    """Connected to cpevents.mail.signals.number_refused: Notify refused this number for good,
    so every record with it says texts to it failed (shown on the record)."""
    db.session.execute(update(YoungPerson).where(YoungPerson.mobile == number).values(mobile_failed=reason[:100] or "failed"))


def create_young_person(fields: dict, *, by: User) -> YoungPerson:
    person = YoungPerson(created_by_id=by.id)
    _apply(person, fields, by)
    db.session.add(person)
    db.session.flush()
    record(by, AuditAction.CREATED, person, young_person=person)
    return person


def update_young_person(person: YoungPerson, fields: dict, *, by: User) -> list[str]:
    changed = sorted(set(_apply(person, fields, by)))
    if changed:
        # field names only: the audit trail never copies personal data
        record(by, AuditAction.UPDATED, person, young_person=person, detail=", ".join(changed))
    return changed


def view_young_person(person: YoungPerson, *, by: User) -> None:
    record(by, AuditAction.VIEWED, person, young_person=person)


def link_worker(person: YoungPerson, email: str, relationship: WorkerRelationship, *, by: User) -> YoungPersonWorker:
    """An organiser's decision that this worker needs to see this young person: recorded in the
    audit trail, for 12 months unless renewed. The only way a worker link is ever made."""
    worker = user_by_email(email)
    if worker is None or not worker.is_active:
        raise YoungPersonError("There is no active account with that email address. Ask them to register first.")
    return link_account(person, worker, relationship, by=by)


def link_account(person: YoungPerson, worker: User, relationship: WorkerRelationship, *, by: User) -> YoungPersonWorker:
    if not worker.is_active:
        raise YoungPersonError(f"{worker.name}'s account is deactivated")
    if not worker.is_approved:
        raise YoungPersonError(f"{worker.name}'s account is waiting for approval. Check who they are and approve it on their page in People first.")
    if not worker.has_any_role(Role.NOMINATOR, Role.CHAMPION, Role.ORGANISER):
        raise YoungPersonError("Only nominators, champions and organisers can be linked to a young person")
    link = next((link for link in person.worker_links if link.user_id == worker.id), None)
    if link is not None and link.is_current:
        raise YoungPersonError(f"{worker.name} is already linked to this young person")
    now = utcnow()
    if link is None:
        link = YoungPersonWorker(user_id=worker.id)
        person.worker_links.append(link)
    link.relationship_type = relationship
    link.linked_at = now
    link.linked_by_id = by.id
    link.expires_at = now + LINK_LIFETIME
    link.renewed_at = None
    link.ended_at = None
    link.ended_by_id = None
    db.session.flush()
    record(by, AuditAction.WORKER_LINKED, person, young_person=person, detail=f"user {worker.id} until {link.expires_at:%Y-%m-%d}")
    return link


def renew_worker_link(link: YoungPersonWorker, *, by: User) -> None:
    """Another 12 months from today, for a link that is current or has run out (not one an
    organiser ended: link them again instead)."""
    if link.ended_at is not None:
        raise YoungPersonError("This link was ended. Link the worker again if they still need it.")
    now = utcnow()
    link.renewed_at = now
    link.expires_at = now + LINK_LIFETIME
    record(by, AuditAction.WORKER_LINKED, link.young_person, young_person=link.young_person,
           detail=f"renewed: user {link.user_id} until {link.expires_at:%Y-%m-%d}")


def unlink_worker(link: YoungPersonWorker, *, by: User) -> None:
    """End a link now. The row stays (the audit trail and the record's page say who it was)."""
    person = link.young_person
    if link.ended_at is None:
        link.ended_at = utcnow()
        link.ended_by_id = by.id
        record(by, AuditAction.WORKER_UNLINKED, person, young_person=person, detail=f"user {link.user_id}")


# --- duplicates and merging ------------------------------------------------------------------------


@dataclass
class PossibleDuplicate:
    first: YoungPerson
    second: YoungPerson
    reason: str


def _similar(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a, b)
    # real_quick_ratio() and quick_ratio() are cheap upper bounds of ratio(): most pairs stop
    # there (issue 19: at 30,000 young people the full ratio of every same-birthday pair took seconds).
    return matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


def _swapped(a: date, b: date) -> bool:
    return a != b and a.year == b.year and a.day == b.month and a.month == b.day


@dataclass
class _Row:
    id: int
    date_of_birth: date
    match_key: str
    first: str  # normalised once, not once per comparison
    preferred: str
    last: str


# The pairs found (ids and reasons, nothing else) are kept per worker until any young person's
# record changes: every flush or bulk UPDATE/DELETE of YoungPerson gives this data version a new
# token (cpevents/core/cache.py), so a merge, an erasure, a new record or a changed name or
# birthday is seen on the next request. Issue 19: at 30,000 young people the comparison takes
# over a second; the page now pays it once per change, not on every visit.
DUPLICATES_VERSION = "young_people"
_pairs_cache = PartCache(size=4)


def watch_data() -> None:
    """Called once from cpevents/wiring.py when the app is built."""
    watch(DUPLICATES_VERSION, YoungPerson)


def find_duplicates() -> list[PossibleDuplicate]:
    """Same normalised name and date of birth, or a close match: a similar name with the same
    date of birth, or the same name with day and month swapped. Then the people in a pair are
    loaded in one query. Three queries at most, whatever the number of young people."""
    version = current_version(DUPLICATES_VERSION)
    found = _pairs_cache.get(version) if version else None
    if found is None:
        found = _duplicate_pairs()
        if version:
            _pairs_cache.put(version, found)
    ids = {person_id for pair in found for person_id in pair}
    people = {p.id: p for p in db.session.execute(select(YoungPerson).where(YoungPerson.id.in_(ids))).scalars()} if ids else {}
    pairs = [PossibleDuplicate(people[a], people[b], reason) for (a, b), reason in found.items() if a in people and b in people]
    return sorted(pairs, key=lambda d: (d.first.last_name.lower(), d.first.first_name.lower()))


def _duplicate_pairs() -> dict[tuple[int, int], str]:
    """Compared on plain rows (ids, names, dates: no records loaded), only between people who
    could match."""
    rows = [
        _Row(id_, dob, key, normalise_name(first), normalise_name(preferred), normalise_name(last))
        for id_, dob, key, first, preferred, last in db.session.execute(
            select(YoungPerson.id, YoungPerson.date_of_birth, YoungPerson.match_key, YoungPerson.first_name, YoungPerson.preferred_name,
                   YoungPerson.last_name)
            .where(YoungPerson.merged_into_id.is_(None)).order_by(YoungPerson.id)
        )
    ]
    by_dob: dict[date, list[_Row]] = {}
    by_name: dict[str, list[_Row]] = {}
    for row in rows:
        by_dob.setdefault(row.date_of_birth, []).append(row)
        by_name.setdefault(row.match_key, []).append(row)
    found: dict[tuple[int, int], str] = {}
    for group in by_dob.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.match_key == b.match_key:
                    found[(a.id, b.id)] = "Same name and date of birth"
                elif _similar(a.match_key, b.match_key) or (a.last == b.last and b.first in {a.preferred, a.first}):
                    found[(a.id, b.id)] = "Similar name, same date of birth"
    for group in by_name.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if _swapped(a.date_of_birth, b.date_of_birth):
                    found[(a.id, b.id)] = "Same name, day and month of birth swapped"
    return found


# Sent as young_person_merged.send(keep, merge=merge) inside merge_young_people, before the
# merged record is marked. Each domain that attaches rows to a young person connects a receiver
# that moves its rows from the merged record to the kept one, through connect_merge(), from its
# connect_signals() called by cpevents/wiring.py (never at import time).
young_person_merged = Signal("young-person-merged")

# Every foreign key column that points at young_people ("table.column"), and who deals with it
# on a merge. tests/young_people/test_merge_handlers.py fails for a column missing here.
MERGE_HANDLERS: dict[str, str] = {
    "young_person_workers.young_person_id": "merge_young_people: current links move to the kept record",
    "young_people.merged_into_id": "merge_young_people: set on the merged record",
    "audit_entries.young_person_id": "stays: each record keeps its own trail; queries.merged_ids() shows both",
    "worker_letters.young_person_id": "merge_young_people: letters to hand over move to the kept record (letters.move_on_merge)",
}


def connect_merge(receiver: Callable[..., None], *columns: str) -> None:
    """Connect `receiver(keep, merge=...)` to young_person_merged, as the handler for these
    foreign key columns ("table.column") that point at young_people."""
    young_person_merged.connect(receiver, weak=False)
    for column in columns:
        MERGE_HANDLERS[column] = f"{receiver.__module__}.{receiver.__qualname__}"


def merge_young_people(keep: YoungPerson, merge: YoungPerson, *, by: User) -> None:
    if keep.id == merge.id:
        raise YoungPersonError("Choose two different records")
    if keep.is_merged or merge.is_merged:
        raise YoungPersonError("One of these records has already been merged")
    # Fill gaps in the kept record; never overwrite what it has.
    for name in ("preferred_name", "district", "email"):
        if not getattr(keep, name) and getattr(merge, name):
            setattr(keep, name, getattr(merge, name))
    if not keep.mobile and merge.mobile:  # the number comes with its agreement and any failure (issue 17)
        keep.mobile, keep.mobile_agreed_at, keep.mobile_agreed_by_id, keep.mobile_failed = (
            merge.mobile, merge.mobile_agreed_at, merge.mobile_agreed_by_id, merge.mobile_failed)
    # Safety flags: the stricter choice wins, and no note is lost.
    keep.do_not_publish = keep.do_not_publish or merge.do_not_publish
    if merge.contact_restriction:
        keep.contact_restriction = True
        notes = [n for n in (keep.contact_restriction_note, merge.contact_restriction_note) if n]
        keep.contact_restriction_note = "\n".join(dict.fromkeys(notes))
    # Current links move across with their end dates; ended and run-out ones stay behind.
    kept = {link.user_id: link for link in keep.worker_links}
    for link in list(merge.worker_links):
        if not link.is_current:
            continue
        mine = kept.get(link.user_id)
        if mine is None:
            keep.worker_links.append(
                YoungPersonWorker(user_id=link.user_id, relationship_type=link.relationship_type, linked_at=link.linked_at,
                                  linked_by_id=link.linked_by_id, expires_at=link.expires_at, renewed_at=link.renewed_at)
            )
        elif not mine.is_current or mine.expires_at < link.expires_at:
            mine.relationship_type, mine.linked_at, mine.linked_by_id = link.relationship_type, link.linked_at, link.linked_by_id
            mine.expires_at, mine.renewed_at, mine.ended_at, mine.ended_by_id = link.expires_at, link.renewed_at, None, None
        link.ended_at = utcnow()
        link.ended_by_id = by.id
    move_on_merge(keep, merge)
    young_person_merged.send(keep, merge=merge)
    merge.merged_into_id = keep.id
    merge.merged_at = utcnow()
    record(by, AuditAction.MERGED, keep, young_person=keep, detail=f"kept {keep.id}, merged {merge.id} into it")
    record(by, AuditAction.MERGED, merge, young_person=merge, detail=f"merged into {keep.id}")
