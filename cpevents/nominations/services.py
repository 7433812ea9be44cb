"""Nominations: the verbs."""

from __future__ import annotations

from blinker import Signal

from cpevents.core.time import utcnow
from cpevents.core.urls import absolute_url
from cpevents.events.models import Eligibility, Event, check_eligibility
from cpevents.extensions import db
from cpevents.mail.services import queue_email
from cpevents.nominations.models import Nomination, NominationStatus, YesNo


class NominationError(Exception):
    """A rule stopped the change; the message is for the nominator."""


def start_nomination(event: Event, *, by) -> Nomination:
    if not event.nominations_open():
        raise NominationError("Nominations are closed")
    nomination = Nomination(event_id=event.id, nominator_id=by.id, status=NominationStatus.DRAFT)
    nomination.event = event
    db.session.add(nomination)
    db.session.flush()
    return nomination


LOCKED_MESSAGE = "This nomination has been accepted for judging, so it can no longer be changed"

# The pages of the journey, in order (the views give each its form and template).
PAGES = ("young-person", "you", "category", "achievement", "background", "safety")


def save_answers(nomination: Nomination, answers: dict, *, page: str | None = None) -> None:
    """Save one page's answers into the nomination (a draft, or a sent one being changed)."""
    if not nomination.event.nominations_open():
        raise NominationError("Nominations are closed")
    if nomination.is_locked:
        raise NominationError(LOCKED_MESSAGE)
    for name, value in answers.items():
        setattr(nomination, name, value)
    if page in PAGES and (nomination.furthest_page not in PAGES or PAGES.index(page) > PAGES.index(nomination.furthest_page)):
        nomination.furthest_page = page
    if nomination.young_person_knows == YesNo.YES:
        nomination.not_known_reason = ""
    if nomination.public_concern == YesNo.NO:
        nomination.public_concern_details = ""


def eligibility(nomination: Nomination) -> Eligibility | None:
    """None until the answers it needs have been given."""
    if nomination.category is None or nomination.date_of_birth is None or nomination.care_status is None or nomination.worked_with_recently is None:
        return None
    return check_eligibility(
        nomination.category,
        date_of_birth=nomination.date_of_birth,
        care_status=nomination.care_status.value,
        worked_with_recently=nomination.worked_with_recently,
    )


def missing_answers(nomination: Nomination) -> list[tuple[str, str]]:
    """(step, what is missing) for every question still to answer."""
    missing = []
    if not (nomination.first_name and nomination.last_name and nomination.date_of_birth and nomination.care_status):
        missing.append(("young-person", "The young person’s details"))
    if nomination.relationship_type is None or nomination.worked_with_recently is None:
        missing.append(("you", "How you know them"))
    if nomination.category is None:
        missing.append(("category", "The award"))
    if not nomination.achievement.strip():
        missing.append(("achievement", "What they have achieved"))
    if nomination.young_person_knows is None or nomination.public_concern is None:
        missing.append(("safety", "The safety questions"))
    return missing


def page_after(nomination: Nomination, page: str, *, from_check: bool) -> str | None:
    """Where a nominator goes after saving `page`: the next page in order, or None for checking
    their answers (after the last page, when they came from there, or once the nomination is sent)."""
    if from_check or nomination.status == NominationStatus.SENT:
        return None
    index = PAGES.index(page)
    return PAGES[index + 1] if index + 1 < len(PAGES) else None


FIRST_PAGE = ""  # page_before's answer for the first page: back to the nominator's home


def page_before(nomination: Nomination, page: str, *, from_check: bool) -> str | None:
    """Where "Back" on `page` goes: None for checking the answers (when they came from there or
    the nomination is sent), FIRST_PAGE on the first page, else the page before it."""
    if from_check or nomination.status == NominationStatus.SENT:
        return None
    index = PAGES.index(page)
    return PAGES[index - 1] if index > 0 else FIRST_PAGE


def choose_category(nomination: Nomination, category) -> None:
    """Set the award category; NominationError (the reasons, for the category field) when the
    young person is not eligible for it. The caller rolls back on the error."""
    nomination.category = category
    result = eligibility(nomination)
    if result is not None and not result.eligible:
        raise NominationError(" ".join(result.reasons))


def first_unanswered_page(nomination: Nomination) -> str | None:
    """Where a draft continues: the first page with a question still to answer, or the first
    page after the furthest one saved (so an optional page left empty is not asked again).
    None when every page is done: the nominator goes to check their answers."""
    missing = {page for page, _ in missing_answers(nomination)}
    furthest = PAGES.index(nomination.furthest_page) if nomination.furthest_page in PAGES else None
    for index, page in enumerate(PAGES):
        if page in missing or (furthest is not None and index > furthest):
            return page
    return None


def submit_nomination(nomination: Nomination, *, by) -> None:
    if not nomination.event.nominations_open():
        raise NominationError("Nominations are closed")
    if nomination.is_locked:
        raise NominationError(LOCKED_MESSAGE)
    if missing_answers(nomination):
        raise NominationError("Answer every question before you send the nomination")
    result = eligibility(nomination)
    if result is not None and not result.eligible:
        raise NominationError(" ".join(result.reasons))
    first_time = nomination.status == NominationStatus.DRAFT
    nomination.status = NominationStatus.SENT
    nomination.submitted_at = nomination.submitted_at or utcnow()
    if nomination.file_id is None:
        # The same name and date of birth as one record: straight into that young person's file,
        # when the nominator is approved and the file still waits for review. Anything else
        # waits for an organiser to match it. Either way the nominator is told the same thing
        # and is never linked to the young person by this.
        from cpevents.nominations.review import (
            can_match_automatically,
            exact_match,
            match_nomination,
        )

        person = exact_match(nomination)
        if person is not None and can_match_automatically(nomination, person):
            match_nomination(nomination, person, by=by, reason=f"Nomination by {by.name} (same name and date of birth)")
    if first_time:
        queue_email(
            "nominations/sent",
            to=by.email,
            user=by,
            subject="Thank you for your nomination",
            name=by.name,
            first_name=nomination.first_name,
            event_name=nomination.event.name,
            category=nomination.category.name,
            last_day=nomination.event.nominations_last_day,
            link=absolute_url("home.nominator"),
        )


# Packages above this one (judging) react when a sent nomination is withdrawn from its file:
# nomination_withdrawn.send(nomination), connected in cpevents/wiring.py.
nomination_withdrawn = Signal("nomination-withdrawn")


def withdraw_nomination(nomination: Nomination) -> None:
    if not nomination.event.nominations_open():
        raise NominationError("Nominations are closed, so it can no longer be withdrawn here. Contact the participation team.")
    nomination.status = NominationStatus.WITHDRAWN
    nomination.withdrawn_at = utcnow()
    db.session.flush()
    nomination_withdrawn.send(nomination)


# Packages above this one (achievements) tidy what points at a draft before it goes:
# draft_deleting.send(nomination, by=by), connected in cpevents/wiring.py.
draft_deleting = Signal("nomination-draft-deleting")


def delete_draft(nomination: Nomination, *, by) -> None:
    """A draft never sent is the nominator's own to throw away, whether or not nominations are
    still open. A sent nomination is withdrawn instead, so the organisers' records stay whole."""
    if nomination.status != NominationStatus.DRAFT:
        raise NominationError("Only a draft that has not been sent can be deleted")
    draft_deleting.send(nomination, by=by)
    db.session.delete(nomination)
    db.session.flush()
