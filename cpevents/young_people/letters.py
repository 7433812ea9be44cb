"""Letters for young people without email (issue 17): every message meant for them also reaches
their linked workers, as an email with the letter attached as a PDF to print or pass on.

- The email has a neutral subject and says only that a letter for <first name> is ready. The
  personal link is in the PDF alone (as a QR code and as the address to type): it goes to
  queue_email as a secret, the PDF is made by the outbox worker when it sends, and nothing of the
  letter stays in the outbox afterwards (cpevents/mail/services.py).
- Each letter is a row here (`worker_letters`), one per worker it went to, or one with no worker
  when none is linked: organisers see them all on one list (/letters) until handed over.
- Printing again makes a fresh link and the old one stops: the package that owns the link
  (invitations, feedback, nominees) registers a reprinter for its kinds (`REPRINTERS`, connected
  from cpevents/wiring.py), since this lower package cannot import them.

Contact restrictions are the callers' rules, as for email: invitations leave the venue out;
nominees send nothing until an organiser says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app
from sqlalchemy import ForeignKey, Select, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.enums import LabelledEnum, enum_column
from cpevents.core.letters import LetterText, letter_pdf
from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model, db
from cpevents.mail.services import queue_email
from cpevents.young_people.models import YoungPerson

SUBJECT = "A letter to pass on"


class LetterKind(LabelledEnum):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder to reply to an invitation"
    FEEDBACK = "feedback", "Feedback link after the event"
    NOMINATED = "nominated", "You have been nominated"
    DECISION = "decision", "Shortlist decision"
    CHANGE_NOTICE = "change_notice", "An event changed or was cancelled"


class WorkerLetter(PublicId, Model):
    """One letter for a young person without email, emailed to one worker (or to nobody: no
    worker linked). `subject_id` is the invitation (invitation, reminder, feedback) or the
    nomination file (nominated, decision) it is about: the reprinter for its kind loads it."""

    __tablename__ = "worker_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    kind: Mapped[LetterKind] = mapped_column(enum_column(LetterKind, "letter_kind"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column()
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handed_over_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    young_person: Mapped[YoungPerson] = relationship()
    event = relationship("Event")
    worker = relationship("User", foreign_keys=[worker_id])

    def __repr__(self) -> str:  # no personal data in logs
        return f"<WorkerLetter {self.id} {self.kind}>"


# A reprinter makes a fresh link (the old one stops) and returns the letter's words with it.
Reprinter = Callable[[WorkerLetter], LetterText | None]
REPRINTERS: dict[LetterKind, Reprinter] = {}


def register_reprinter(kind: LetterKind, reprinter: Reprinter) -> None:
    REPRINTERS[kind] = reprinter


def current_workers(person: YoungPerson) -> list:
    """The workers an organiser linked, whose link is current and whose account is active and approved."""
    return [link.user for link in person.current_worker_links if link.user.is_active and link.user.is_approved]


def link_if_workers(person: YoungPerson, make_link: Callable[..., str], *args) -> str:
    """A personal link only when a worker will get the letter: with no worker linked, the letter
    waits on the organisers' list and its link is made when they print it."""
    return make_link(*args) if current_workers(person) else ""


def send_letter(person: YoungPerson, kind: LetterKind, text: LetterText, *, event=None, subject_id: int, about: str,
                batch=None) -> list[WorkerLetter]:
    """Email the letter to each of the young person's workers (the link in the PDF only), or, with
    no worker linked, put it on the organisers' list. `text.link` is the personal link (a URL);
    `about` is a neutral phrase for the email ("the Summer party", "their nomination")."""
    url = text.link
    letter_words = LetterText(heading=text.heading, greeting=text.greeting, paragraphs=text.paragraphs, link="link" if url else "",
                              after_link=text.after_link, signed=text.signed)
    made = []
    workers = current_workers(person)
    for worker in workers:
        queue_email("young_people/letter_ready", to=worker.email, user=worker, subject=SUBJECT, batch=batch, worker_name=worker.name,
                    first_name=person.first_or_preferred, about=about, secrets={"link": url} if url else None,
                    letter=(f"{kind.value}-letter.pdf", letter_words))
        made.append(WorkerLetter(young_person_id=person.id, young_person=person, kind=kind, event_id=getattr(event, "id", None), subject_id=subject_id,
                                 worker_id=worker.id))
    if not workers:
        made.append(WorkerLetter(young_person_id=person.id, young_person=person, kind=kind, event_id=getattr(event, "id", None), subject_id=subject_id))
    db.session.add_all(made)
    return made


# --- the organisers' list -----------------------------------------------------------------------------------


def to_hand_over() -> Select:
    """Every letter not handed over yet, all kinds and events, newest first: a statement the page
    shows a page at a time (letters nobody marks as handed over pile up over the years)."""
    return (
        select(WorkerLetter).where(WorkerLetter.handed_over_at.is_(None))
        .options(joinedload(WorkerLetter.young_person), joinedload(WorkerLetter.event), joinedload(WorkerLetter.worker))
        .order_by(WorkerLetter.created_at.desc(), WorkerLetter.id.desc())
    )


def count_to_hand_over() -> int:
    from sqlalchemy import func

    return db.session.execute(select(func.count(WorkerLetter.id)).where(WorkerLetter.handed_over_at.is_(None))).scalar_one()


class LetterError(Exception):
    """The letter cannot be printed again; the message is for the organiser."""


def print_again(letter: WorkerLetter, *, by) -> bytes:
    """A fresh link (the old one stops) in a new PDF, made for this answer only and never stored."""
    reprinter = REPRINTERS.get(letter.kind)
    text = reprinter(letter) if reprinter else None
    if text is None:
        raise LetterError("This letter can no longer be printed: the invitation or nomination it was about has gone, or the young person said no thanks.")
    letter.printed_at = utcnow()
    record(by, AuditAction.UPDATED, letter.young_person, young_person=letter.young_person, detail=f"Printed a letter again ({letter.kind.label}): a new link, the old one stops")
    config = current_app.config
    return letter_pdf(text, service_name=config["SERVICE_NAME"], council_name=config.get("COUNCIL_NAME", ""))


def mark_handed_over(letter: WorkerLetter, *, by) -> None:
    if letter.handed_over_at is None:
        letter.handed_over_at = utcnow()
        letter.handed_over_by_id = by.id
        record(by, AuditAction.UPDATED, letter.young_person, young_person=letter.young_person, detail=f"Letter handed over ({letter.kind.label})")


def move_on_merge(keep: YoungPerson, merge: YoungPerson) -> None:
    for letter in db.session.execute(select(WorkerLetter).where(WorkerLetter.young_person_id == merge.id)).scalars():
        letter.young_person_id = keep.id
        letter.young_person = keep
