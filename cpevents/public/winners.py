"""Who an event's public winners page shows, and publishing it (issue 16).

Worked out on every request, never stored: a winner is shown only when every rule below says
yes, so withdrawing consent, "do not publish", an erasure or a "no thanks" takes them off the
page at the next request. The rules, in the order organisers see the reasons:

- the results are published, and the file's latest winner decision is "chosen";
- the file is still accepted for judging, and the young person did not say "no thanks";
- the young person is not erased, not "do not publish", and has no contact restriction;
- they were invited to this event, and the "photos and story on the council website" consent
  counts (`invitations.consents.counts`: given, and a worker's or carer's agreement recorded
  where one is needed).

The public page shows, for each winner shown, their award, their name as they chose it
(`YoungPerson.shown_name`: first name only unless they chose their full name) and their own
words, if they gave any. It never says how many are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.time import utcnow
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.invitations import consents
from cpevents.invitations.models import ConsentKind, Invitation
from cpevents.judging.models import DecisionKind, Panel
from cpevents.judging.queries import latest_decisions
from cpevents.judging.redaction import without_surname
from cpevents.nominations.models import FileStatus, NominationFile
from cpevents.nominees.models import NomineeNotice, NoticeState
from cpevents.public.models import WinnersPage
from cpevents.young_people.models import NameShown


class WinnersPageError(Exception):
    """A publish or unpublish the rules refuse, in words for the organiser."""


@dataclass(frozen=True)
class Winner:
    """One winner as the public page shows them."""

    award: str
    name: str
    own_words: str


@dataclass(frozen=True)
class NotShown:
    """One winner the page does not show, and why (organisers only)."""

    file: NominationFile
    award: str
    reason: str


@dataclass(frozen=True)
class Sorted:
    shown: list[Winner]
    not_shown: list[NotShown]


# The reasons, in plain words for organisers.
REASON_WITHDRAWN = "No longer being judged (the nomination was withdrawn)"
REASON_NO_THANKS = "Said no thanks to the nomination"
REASON_ERASED = "Their details were erased on request"
REASON_DO_NOT_PUBLISH = "Marked do not publish"
REASON_CONTACT_RESTRICTION = "Has a contact restriction"
REASON_NOT_INVITED = "Not invited to this event, so never asked"
REASON_NEEDS_AGREEMENT = "Said yes, but a worker's or carer's agreement is not recorded yet"
REASON_NO_CONSENT = "Did not say yes to their photos and story on the council website"


def panel_for(event: Event) -> Panel | None:
    return db.session.execute(select(Panel).where(Panel.event_id == event.id)).scalar_one_or_none()


def results_published(panel: Panel | None) -> bool:
    return panel is not None and panel.results_published_at is not None


def page_for(event: Event) -> WinnersPage | None:
    return db.session.execute(select(WinnersPage).where(WinnersPage.event_id == event.id)).scalar_one_or_none()


def _reason(file: NominationFile, invitation: Invitation | None, notice: NomineeNotice | None) -> str | None:
    """Why this winner is not shown, or None when they are."""
    person = file.young_person
    if file.status != FileStatus.ACCEPTED:
        return REASON_WITHDRAWN
    if notice is not None and notice.state == NoticeState.DECLINED:
        return REASON_NO_THANKS
    if person.is_erased:
        return REASON_ERASED
    if person.do_not_publish:
        return REASON_DO_NOT_PUBLISH
    if person.contact_restriction:
        return REASON_CONTACT_RESTRICTION
    if invitation is None:
        return REASON_NOT_INVITED
    if consents.counts(invitation, ConsentKind.USE_WEBSITE):
        return None
    if invitation.use_website and consents.waiting_for_agreement(invitation):
        return REASON_NEEDS_AGREEMENT
    return REASON_NO_CONSENT


def _own_words(file: NominationFile, notice: NomineeNotice | None) -> str:
    """Their words, with the surname back-stop unless they chose their full name."""
    words = (notice.own_words if notice else "").strip()
    person = file.young_person
    return without_surname(words, person, person.name_shown != NameShown.FULL_NAME) if words else ""


def sort_winners(event: Event, panel: Panel | None = None) -> Sorted:
    """Every winner of the event, shown or not (with the reason). Nothing before the results are
    published. A fixed number of queries, however many winners there are."""
    panel = panel if panel is not None else panel_for(event)
    if panel is None or panel.results_published_at is None:
        return Sorted([], [])
    winner_ids = {file_id for (file_id, kind), d in latest_decisions(panel.id).items() if kind == DecisionKind.WINNER and d.chosen}
    if not winner_ids:
        return Sorted([], [])
    files = db.session.execute(
        select(NominationFile).options(joinedload(NominationFile.young_person), joinedload(NominationFile.category))
        .where(NominationFile.id.in_(winner_ids), NominationFile.event_id == event.id)
    ).scalars().all()
    people = {f.young_person_id for f in files}
    invitations = {
        i.young_person_id: i for i in db.session.execute(
            select(Invitation).options(joinedload(Invitation.event), joinedload(Invitation.young_person))
            .where(Invitation.event_id == event.id, Invitation.young_person_id.in_(people))
        ).scalars()
    }
    notices = {n.file_id: n for n in db.session.execute(select(NomineeNotice).where(NomineeNotice.file_id.in_(winner_ids))).scalars()}

    def order(f: NominationFile):
        c = f.category
        return (c is None, c.position if c else 0, c.id if c else 0, f.young_person.shown_name.lower(), f.id)

    shown, not_shown = [], []
    for file in sorted(files, key=order):
        award = file.category.name if file.category else "An award"
        notice = notices.get(file.id)
        reason = _reason(file, invitations.get(file.young_person_id), notice)
        if reason is None:
            shown.append(Winner(award=award, name=file.young_person.shown_name, own_words=_own_words(file, notice)))
        else:
            not_shown.append(NotShown(file=file, award=award, reason=reason))
    return Sorted(shown, not_shown)


def is_public(event: Event) -> bool:
    """The page may be seen: published by an organiser, and the results published."""
    page = page_for(event)
    return page is not None and page.is_published and results_published(panel_for(event))


def published_events() -> list[Event]:
    """Events whose winners page anyone may read, newest first."""
    return list(db.session.execute(
        select(Event).join(WinnersPage, WinnersPage.event_id == Event.id).join(Panel, Panel.event_id == Event.id)
        .where(WinnersPage.published_at.is_not(None), Panel.results_published_at.is_not(None))
        .order_by(Event.starts_at.desc(), Event.id.desc())
    ).scalars())


# --- publishing -------------------------------------------------------------------------------------


def publish_winners_page(event: Event, *, by) -> WinnersPage:
    if not results_published(panel_for(event)):
        raise WinnersPageError("Publish the results first. The winners page can only be published after the results.")
    page = page_for(event)
    if page is None:
        page = WinnersPage(event_id=event.id)
        db.session.add(page)
    if page.is_published:
        raise WinnersPageError("The winners page is already published")
    page.published_at, page.published_by_id = utcnow(), by.id
    db.session.flush()
    record(by, AuditAction.UPDATED, event, detail="Winners page published")
    return page


def unpublish_winners_page(event: Event, *, by) -> WinnersPage:
    page = page_for(event)
    if page is None or not page.is_published:
        raise WinnersPageError("The winners page is not published")
    page.published_at, page.published_by_id = None, None
    page.unpublished_at, page.unpublished_by_id = utcnow(), by.id
    db.session.flush()
    record(by, AuditAction.UPDATED, event, detail="Winners page unpublished")
    return page
