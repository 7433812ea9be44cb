"""Telling a young person they were nominated, and their "no thanks".

When an organiser accepts a file for judging (`review.file_accepted`, connected in
cpevents/wiring.py) the young person is told, unless one of these holds (first one wins):

- they have a contact restriction: nothing is sent until an organiser says so ("Tell the young
  person" on the file page, audited);
- a nominator said the young person does not know about the nomination (the "Does the young
  person know?" answer is reused as "I want to tell them in person first"): the service waits
  until that nominator says they have told them, or 14 days after acceptance (`nominees tell-due`,
  a daily job).

Telling means: a new personal link (older ones revoked) and an email with neutral subject, warm
words, no award and no outcome; or, without an email address, a letter with a QR code for an
organiser to hand to their linked worker. After "no thanks" nothing more is ever sent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cpevents.accounts.models import User, UserRole
from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.enums import Role
from cpevents.core.letters import LetterText
from cpevents.core.qr import qr_svg
from cpevents.core.time import utcnow
from cpevents.core.tokens import hash_token, new_token
from cpevents.core.urls import absolute_url
from cpevents.extensions import db
from cpevents.judging.models import DecisionKind, Panel, PanelText
from cpevents.judging.queries import latest_decisions
from cpevents.judging.redaction import without_surname
from cpevents.mail.services import queue_email
from cpevents.nominations.models import (
    DecisionAction,
    FileDecision,
    FileStatus,
    NominationFile,
    NominationStatus,
    YesNo,
)
from cpevents.nominations.services import nomination_withdrawn
from cpevents.nominees.models import (
    OWN_WORDS_MAX,
    PERSONAL_LINE_MAX,
    TELL_IN_PERSON_WAIT,
    Decision,
    NomineeLink,
    NomineeNotice,
    NoticeState,
)
from cpevents.young_people.letters import (
    LetterKind,
    WorkerLetter,
    link_if_workers,
    register_reprinter,
    send_letter,
)
from cpevents.young_people.models import NameShown, YoungPerson

SUBJECT = "Some good news for you"
DECLINED_SUBJECT = "An update about a nomination"
# The same for shortlisted and not: nothing in a subject says what was decided.
DECISION_SUBJECT = "An update for you"


class NomineeError(Exception):
    """A rule stopped the action; the message is for the person who asked."""


def notice_for(file: NominationFile) -> NomineeNotice | None:
    return db.session.execute(select(NomineeNotice).where(NomineeNotice.file_id == file.id)).scalar_one_or_none()


def wants_to_tell_in_person(file: NominationFile) -> bool:
    return any(n.young_person_knows == YesNo.NO for n in file.live_nominations)


def on_file_accepted(file: NominationFile, by=None) -> None:
    """Receiver of `review.file_accepted`. A file accepted again (after a new nomination) is not
    told twice."""
    if notice_for(file) is not None:
        return
    person = file.young_person
    if person.contact_restriction:
        state = NoticeState.WAITING_FOR_ORGANISER
    elif wants_to_tell_in_person(file):
        state = NoticeState.WAITING_FOR_NOMINATOR
    else:
        state = None
    notice = NomineeNotice(file_id=file.id, file=file, state=state or NoticeState.WAITING_FOR_NOMINATOR, accepted_at=utcnow())
    db.session.add(notice)
    if state is None:
        _tell(notice)


def issue_link(file: NominationFile) -> str:
    """A new personal link (256 random bits, only the hash kept); older links stop working."""
    now = utcnow()
    for link in db.session.execute(select(NomineeLink).where(NomineeLink.file_id == file.id, NomineeLink.revoked_at.is_(None))).scalars():
        link.revoked_at = now
    token = new_token()
    db.session.add(NomineeLink(file_id=file.id, token_hash=hash_token(token)))
    return absolute_url("nominees.open_link", token=token)


def _tell(notice: NomineeNotice, *, organiser_said_so: bool = False) -> None:
    file = notice.file
    person = file.young_person
    notice.told_at = utcnow()
    if person.email:
        link = issue_link(file)
        queue_email("nominees/told", to=person.email, subject=SUBJECT, secrets={"link": link}, name=person.preferred_name or person.first_name)
        notice.state = NoticeState.TOLD
        if may_email_decision(notice, organiser_said_so=organiser_said_so):  # told after the shortlist was released: the decision follows, same link
            _email_decision(notice, link)
    else:
        # No email: the letter goes to their linked workers as a PDF (issue 17), and stays on the
        # organisers' letters pages (printing there makes a fresh link).
        notice.state = NoticeState.LETTER_TO_HAND
        link = link_if_workers(person, issue_link, file)
        _letter(notice, LetterKind.NOMINATED, link)
        if may_letter_decision(notice, organiser_said_so=organiser_said_so):  # the decision follows, same link
            _letter_decision(notice, link)


def nominator_has_told(file: NominationFile, nominator) -> None:
    """The nominator says they told the young person in person: the service tells them now."""
    notice = notice_for(file)
    if notice is None or notice.state != NoticeState.WAITING_FOR_NOMINATOR:
        raise NomineeError("There is nothing waiting for you on this nomination")
    if not any(n.nominator_id == nominator.id and n.young_person_knows == YesNo.NO for n in file.live_nominations):
        raise NomineeError("This is not your nomination")
    _tell(notice)


def organiser_tells(file: NominationFile, *, by) -> None:
    """An organiser's say-so for a young person with a contact restriction (audited)."""
    notice = notice_for(file)
    if notice is None or notice.state != NoticeState.WAITING_FOR_ORGANISER:
        raise NomineeError("This young person is not waiting for an organiser")
    record(by, AuditAction.UPDATED, file, young_person=file.young_person, detail="Told the young person they were nominated (contact restriction: organiser's decision)")
    _tell(notice, organiser_said_so=True)


def tell_due(now: datetime | None = None) -> int:
    """Daily: those waiting for their nominator for 14 days are told now. Returns how many."""
    now = now or utcnow()
    waiting = db.session.execute(
        select(NomineeNotice).where(NomineeNotice.state == NoticeState.WAITING_FOR_NOMINATOR, NomineeNotice.accepted_at <= now - TELL_IN_PERSON_WAIT)
    ).scalars().all()
    told = 0
    for notice in waiting:
        if notice.file.young_person.contact_restriction:  # restricted after acceptance: an organiser decides
            notice.state = NoticeState.WAITING_FOR_ORGANISER
            continue
        _tell(notice)
        told += 1
    return told


def letter_qr(url: str):
    return qr_svg(url, "QR code for your own page")


# --- the personal link -------------------------------------------------------------------------------


def find_link(token: str) -> NomineeLink | None:
    if not token or len(token) > 100:
        return None
    link = db.session.execute(select(NomineeLink).where(NomineeLink.token_hash == hash_token(token))).scalar_one_or_none()
    return link if link_works(link) else None


def link_works(link: NomineeLink | None) -> bool:
    if link is None or link.revoked_at is not None:
        return False
    notice = notice_for(link.file)
    return notice is not None and notice.state in (NoticeState.TOLD, NoticeState.LETTER_TO_HAND) and link.file.status != FileStatus.MERGED


def say_no_thanks(file: NominationFile) -> None:
    """The young person said no: every nomination leaves judging (as when its nominator withdraws
    it, so judges' lists and scores follow), the file goes back out of judging, the nominators and
    organisers are told kindly, and nothing more is sent to the young person."""
    notice = notice_for(file)
    if notice is None or notice.state == NoticeState.DECLINED:
        return
    now = utcnow()
    nominations = list(file.live_nominations)
    nominators = {n.nominator for n in nominations}
    for nomination in nominations:
        nomination.status = NominationStatus.WITHDRAWN
        nomination.withdrawn_at = now
    file.status = FileStatus.TO_REVIEW
    db.session.add(FileDecision(file=file, action=DecisionAction.REOPENED, reason="The young person said no thanks: withdrawn from judging", by_id=None, at=now))
    notice.state = NoticeState.DECLINED
    notice.declined_at = now
    for link in db.session.execute(select(NomineeLink).where(NomineeLink.file_id == file.id, NomineeLink.revoked_at.is_(None))).scalars():
        link.revoked_at = now
    record(None, AuditAction.UPDATED, file, young_person=file.young_person, detail="The young person said no thanks through their link: withdrawn from judging")
    db.session.flush()
    for nomination in nominations:
        nomination_withdrawn.send(nomination)
    first_name = file.young_person.first_name
    for nominator in nominators:
        queue_email("nominees/declined_nominator", to=nominator.email, user=nominator, subject=DECLINED_SUBJECT, name=nominator.name, first_name=first_name,
                    event_name=file.event.name)
    organisers = db.session.execute(select(User).join(UserRole).where(UserRole.role == Role.ORGANISER, User.deactivated_at.is_(None))).scalars().all()
    url = absolute_url("review.file", public_id=file.public_id)
    for organiser in organisers:
        queue_email("nominees/declined_organiser", to=organiser.email, user=organiser, subject=DECLINED_SUBJECT, name=organiser.name, url=url,
                    event_name=file.event.name)


# --- the panel version, for the young person to read ---------------------------------------------------


def _panel_rows(file: NominationFile) -> list[tuple[str, datetime]]:
    ids = [n.id for n in file.live_nominations]
    if not ids:
        return []
    rows = db.session.execute(select(PanelText.text, PanelText.updated_at).where(PanelText.nomination_id.in_(ids)).order_by(PanelText.nomination_id)).tuples().all()
    return [(text, at) for text, at in rows if text and text.strip()]


def panel_version_complete(file: NominationFile) -> bool:
    return bool(file.live_nominations) and len(_panel_rows(file)) == len(file.live_nominations)


def approve_panel_version(file: NominationFile, *, by) -> None:
    """An organiser approves the panel version for the young person to read (audited)."""
    notice = notice_for(file)
    if notice is None or notice.state == NoticeState.DECLINED:
        raise NomineeError("This young person has not been told, or said no thanks")
    if not panel_version_complete(file):
        raise NomineeError("Write the panel version of every nomination first")
    notice.panel_version_approved_at = utcnow()
    notice.panel_version_approved_by_id = getattr(by, "id", None)
    record(by, AuditAction.UPDATED, file, young_person=file.young_person, detail="Approved the panel version for the young person to read")


def panel_version_for_nominee(file: NominationFile) -> list[str] | None:
    """The panel version, only when an organiser approved it and nothing changed since."""
    notice = notice_for(file)
    if notice is None or notice.panel_version_approved_at is None or not panel_version_complete(file):
        return None
    rows = _panel_rows(file)
    if any(at > notice.panel_version_approved_at for _text, at in rows):
        return None
    return [without_surname(text, file.young_person, True) for text, _at in rows]


def save_own_words(file: NominationFile, words: str) -> None:
    notice = notice_for(file)
    if notice is None or notice.state == NoticeState.DECLINED:
        raise NomineeError("This link no longer works")
    notice.own_words = words.strip()[:OWN_WORDS_MAX]


def own_words_for_judge(file: NominationFile, redacted: bool) -> str:
    """The young person's own words, as a judge reads them (the surname back-stop applies)."""
    notice = notice_for(file)
    if notice is None or notice.state == NoticeState.DECLINED or not notice.own_words:
        return ""
    return without_surname(notice.own_words, file.young_person, redacted)


def declined(file: NominationFile) -> bool:
    notice = notice_for(file)
    return notice is not None and notice.state == NoticeState.DECLINED


# --- their name, chosen by them -----------------------------------------------------------------------


def choose_name(file: NominationFile, *, name: str, shown: NameShown, pronunciation: str) -> None:
    """The young person chooses the name used for them, how it is shown (first name only, or with
    their surname: `shown_name` still never shows a do-not-publish young person's surname), and how
    to say it. Written to their record, audited as done by them on their link."""
    notice = notice_for(file)
    if notice is None or notice.state == NoticeState.DECLINED:
        raise NomineeError("This link no longer works")
    name = " ".join(name.split())
    if not name:
        raise NomineeError("Enter the name you want us to use")
    person: YoungPerson = file.young_person
    new = ("" if name == person.first_name else name, shown, " ".join(pronunciation.split()))
    if new == (person.preferred_name, person.name_shown, person.name_pronunciation):
        return
    person.preferred_name, person.name_shown, person.name_pronunciation = new
    record(None, AuditAction.UPDATED, person, young_person=person,
           detail="Their name, how it is shown and how to say it: chosen by the young person on their link")


# --- the shortlist decision reaches them -------------------------------------------------------------


def on_shortlist_released(panel: Panel, **_) -> None:
    """Receiver of judging's `shortlist_released`: each young person told about an accepted file
    gets the decision (shortlisted, or not this time with the organisers' words). Winners are not
    part of it. Never for one who said no thanks; by email only to those already told by email
    without a contact restriction; the others read it on their page, in their letter, or when an
    organiser (or their nominator) lets them be told."""
    decisions = latest_decisions(panel.id)
    notices = db.session.execute(
        select(NomineeNotice).join(NominationFile, NominationFile.id == NomineeNotice.file_id)
        .options(joinedload(NomineeNotice.file).joinedload(NominationFile.young_person))
        .where(NominationFile.event_id == panel.event_id, NominationFile.status == FileStatus.ACCEPTED, NomineeNotice.state != NoticeState.DECLINED)
        .order_by(NomineeNotice.id)
    ).scalars().all()
    now = utcnow()
    for notice in notices:
        shortlist = decisions.get((notice.file_id, DecisionKind.SHORTLIST))
        shortlisted = bool(shortlist and shortlist.chosen)
        notice.decision = Decision.SHORTLISTED if shortlisted else Decision.NOT_THIS_TIME
        notice.decided_at = now
        notice.decision_message = "" if shortlisted else panel.not_shortlisted_message
        _send_decision(notice)


def may_email_decision(notice: NomineeNotice, *, organiser_said_so: bool = False) -> bool:
    """A decision not sent yet, to someone told by email; a contact restriction needs an organiser's say-so."""
    person = notice.file.young_person
    return (notice.decision is not None and notice.decision_sent_at is None and notice.state == NoticeState.TOLD
            and bool(person.email) and (organiser_said_so or not person.contact_restriction))


def _send_decision(notice: NomineeNotice) -> None:
    if may_email_decision(notice):
        _email_decision(notice)
    elif may_letter_decision(notice):
        _letter_decision(notice)


def may_letter_decision(notice: NomineeNotice, *, organiser_said_so: bool = False) -> bool:
    """The same rule for a young person without email, told by a letter through their worker."""
    person = notice.file.young_person
    return (notice.decision is not None and notice.decision_sent_at is None and notice.state == NoticeState.LETTER_TO_HAND
            and not person.email and (organiser_said_so or not person.contact_restriction))


# --- letters through a worker (issue 17) ---------------------------------------------------------------


def letter_text(notice: NomineeNotice, kind: LetterKind, url: str) -> LetterText:
    """The "you have been nominated" email or the decision email, as a letter: the same words."""
    person = notice.file.young_person
    hello = f"Hello {person.preferred_name or person.first_name},"
    share = "This link is just for you. Please do not share it."
    if kind == LetterKind.DECISION and notice.decision is not None:
        if notice.decision == Decision.SHORTLISTED:
            words = ["The panel has read about you and put you on the shortlist for the PROUD Awards. Well done.",
                     "You will get an invitation to the awards evening, if it has not reached you already."]
        else:
            words = ["The panel has made its decision. You were not shortlisted this time."] + ([notice.decision_message] if notice.decision_message else [])
        if notice.personal_line:
            words.append(notice.personal_line)
        if notice.decision != Decision.SHORTLISTED:
            words.append("Thank you for being part of the PROUD Awards. Someone nominated you because of the good things you do, and that has not changed.")
        words.append("Read it on your own page.")
        return LetterText(heading="An update for you", greeting=hello, paragraphs=words, link=url, after_link=share)
    return LetterText(
        heading="Some good news for you", greeting=hello,
        paragraphs=["We have some good news. Someone who knows you has nominated you for a PROUD Award, because of something good you have done. "
                    "We wanted you to know.", "Read more on your own page."],
        link=url, after_link="You do not have to do anything. If you would rather not be part of it, you can say no thanks on that page, "
                             "and nobody will mind. " + share)


def _letter(notice: NomineeNotice, kind: LetterKind, url: str) -> None:
    file = notice.file
    send_letter(file.young_person, kind, letter_text(notice, kind, url), event=file.event, subject_id=file.id, about="their nomination")


def _letter_decision(notice: NomineeNotice, link: str | None = None) -> None:
    """Sent once a worker has it; with no worker linked it waits on the organisers' lists (and is
    marked sent when the nominee letters page prints it, as before)."""
    link = link or link_if_workers(notice.file.young_person, issue_link, notice.file)
    _letter(notice, LetterKind.DECISION, link)
    if link:
        notice.decision_sent_at = utcnow()


def reprint_letter(letter: WorkerLetter) -> LetterText | None:
    """A fresh link for a letter printed again (issue_link stops the older ones)."""
    file = db.session.get(NominationFile, letter.subject_id)
    notice = notice_for(file) if file is not None and file.young_person_id == letter.young_person_id else None
    if notice is None or notice.state == NoticeState.DECLINED or file is None or file.status == FileStatus.MERGED:
        return None
    return letter_text(notice, letter.kind, issue_link(file))


def _email_decision(notice: NomineeNotice, link: str | None = None) -> None:
    """Neutral subject; the decision and the link only in the body (the link sealed as a secret)."""
    file = notice.file
    person = file.young_person
    link = link or issue_link(file)
    queue_email("nominees/decision", to=person.email, subject=DECISION_SUBJECT, secrets={"link": link}, name=person.first_or_preferred,
                shortlisted=notice.decision == Decision.SHORTLISTED, message=notice.decision_message, personal_line=notice.personal_line)
    notice.decision_sent_at = utcnow()


def decision_waits_for_organiser(notice: NomineeNotice | None) -> bool:
    """A told young person with a contact restriction: the decision is emailed (or, without email,
    sent as a letter through their worker) only when an organiser says so."""
    if notice is None or notice.decision is None or notice.decision_sent_at is not None or not notice.file.young_person.contact_restriction:
        return False
    has_email = bool(notice.file.young_person.email)
    return (notice.state == NoticeState.TOLD and has_email) or (notice.state == NoticeState.LETTER_TO_HAND and not has_email)


def organiser_sends_decision(file: NominationFile, *, by) -> None:
    notice = notice_for(file)
    if notice is None or not decision_waits_for_organiser(notice):
        raise NomineeError("There is no decision waiting for an organiser on this file")
    record(by, AuditAction.UPDATED, file, young_person=file.young_person, detail="Sent the shortlist decision to the young person (contact restriction: organiser's decision)")
    if file.young_person.email:
        _email_decision(notice)
    else:
        _letter_decision(notice)


def decision_in_letter(file: NominationFile) -> NomineeNotice | None:
    """A letter printed for a young person without email carries the decision, once made."""
    notice = notice_for(file)
    if notice is None or notice.decision is None or notice.state != NoticeState.LETTER_TO_HAND:
        return None
    notice.decision_sent_at = notice.decision_sent_at or utcnow()
    return notice


def set_personal_line(file: NominationFile, line: str, *, by) -> None:
    """An organiser's optional personal line, read with the decision (kept to PERSONAL_LINE_MAX)."""
    notice = notice_for(file)
    if notice is None or notice.state == NoticeState.DECLINED:
        raise NomineeError("This young person has not been told, or said no thanks")
    notice.personal_line = " ".join(line.split())[:PERSONAL_LINE_MAX]
    record(by, AuditAction.UPDATED, file, young_person=file.young_person, detail="Wrote a personal line for the young person's decision")


def connect_signals() -> None:
    """Called once from cpevents/wiring.py."""
    from cpevents.judging.services import shortlist_released
    from cpevents.nominations.review import file_accepted

    file_accepted.connect(on_file_accepted, weak=False)
    shortlist_released.connect(on_shortlist_released, weak=False)
    register_reprinter(LetterKind.NOMINATED, reprint_letter)
    register_reprinter(LetterKind.DECISION, reprint_letter)


