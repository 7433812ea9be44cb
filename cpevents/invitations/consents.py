"""Consents (issue 16): separate choices, each recorded with when, how and by whom, and able to be
withdrawn at any time.

The Invitation (and Guest) hold the current state, which the door list, the presenter's lists and
exports read; every change writes a ConsentRecord. Photo consents count only once a worker's or
carer's agreement is recorded, for a young person under 13 on the day of the event or one their
worker or an organiser has marked as needing it (docs/issue16-G.md).
"""

from __future__ import annotations

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import db
from cpevents.invitations.models import (
    AGREEMENT_AGE,
    CONSENT_COLUMNS,
    ConsentHow,
    ConsentKind,
    ConsentRecord,
    Guest,
    Invitation,
    NameRead,
)

PHOTO_KINDS = tuple(CONSENT_COLUMNS)  # photos at the event and every use afterwards


def under_agreement_age(invitation: Invitation) -> bool:
    day = invitation.event.starts_at.astimezone(LONDON).date()
    return invitation.young_person.age_on(day) < AGREEMENT_AGE


def agreement_needed(invitation: Invitation) -> bool:
    return invitation.needs_agreement or under_agreement_age(invitation)


def waiting_for_agreement(invitation: Invitation) -> bool:
    return agreement_needed(invitation) and invitation.agreed_at is None


def counts(invitation: Invitation, kind: ConsentKind) -> bool:
    """A photo consent that counts: given, and agreed to where agreement is needed. Until then, no."""
    return bool(getattr(invitation, CONSENT_COLUMNS[kind])) and not waiting_for_agreement(invitation)


def refresh(invitation: Invitation) -> None:
    """Keep the stored `photos_ok` (what the door reads) in step with the answers and the rule."""
    invitation.photos_ok = counts(invitation, ConsentKind.PHOTOS)


def _answer(value) -> str:
    if isinstance(value, NameRead):
        return value.value
    return "yes" if value else "no"


def _has_record(invitation: Invitation, kind: ConsentKind, guest: Guest | None) -> bool:
    return db.session.query(ConsentRecord.id).filter_by(invitation_id=invitation.id, kind=kind,
                                                        guest_id=guest.id if guest else None).first() is not None


def set_consents(invitation: Invitation, answers: dict, *, how: ConsentHow, by=None,
                 guests: dict[Guest, bool] | None = None) -> list[ConsentRecord]:
    """Apply the answers given ({ConsentKind: bool or NameRead}; guests: {guest: photos yes/no}).
    A record is written for each answer that changes, and for each first answer."""
    db.session.flush()
    now = utcnow()
    written = []

    def write(kind, value, guest=None):
        rec = ConsentRecord(invitation_id=invitation.id, guest_id=guest.id if guest else None, kind=kind,
                            answer=_answer(value), recorded_at=now, how=how, by_id=getattr(by, "id", None))
        db.session.add(rec)
        written.append(rec)

    for kind, value in answers.items():
        if kind == ConsentKind.NAME_READ:
            current = invitation.name_read
            value = NameRead(value)
            if current != value or not _has_record(invitation, kind, None):
                invitation.name_read = value
                write(kind, value)
        elif kind in CONSENT_COLUMNS:
            column = CONSENT_COLUMNS[kind]
            if bool(getattr(invitation, column)) != bool(value) or not _has_record(invitation, kind, None):
                setattr(invitation, column, bool(value))
                write(kind, bool(value))
        else:
            raise ValueError(f"not an answer a person gives: {kind}")
    for guest, value in (guests or {}).items():
        if guest.invitation_id != invitation.id and guest.invitation is not invitation:
            raise ValueError("a guest of another invitation")
        if guest.photo_consent != bool(value) or not _has_record(invitation, ConsentKind.PHOTOS, guest):
            guest.photo_consent = bool(value)
            write(ConsentKind.PHOTOS, bool(value), guest)
    refresh(invitation)
    db.session.flush()
    return written


def record_agreement(invitation: Invitation, agreed: bool, *, how: ConsentHow, by) -> ConsentRecord:
    """A worker's or carer's agreement to the photo consents (or its withdrawal)."""
    invitation.agreed_at = utcnow() if agreed else None
    rec = ConsentRecord(invitation_id=invitation.id, kind=ConsentKind.AGREEMENT, answer=_answer(agreed),
                        recorded_at=utcnow(), how=how, by_id=getattr(by, "id", None))
    db.session.add(rec)
    refresh(invitation)
    db.session.flush()
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person,
           detail="Worker's or carer's agreement " + ("recorded" if agreed else "withdrawn"))
    return rec


def mark_needs_agreement(invitation: Invitation, needed: bool, *, how: ConsentHow, by) -> ConsentRecord:
    invitation.needs_agreement = needed
    rec = ConsentRecord(invitation_id=invitation.id, kind=ConsentKind.NEEDS_AGREEMENT, answer=_answer(needed),
                        recorded_at=utcnow(), how=how, by_id=getattr(by, "id", None))
    db.session.add(rec)
    refresh(invitation)
    db.session.flush()
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person,
           detail="Marked as needing a worker's agreement" if needed else "No longer needs a worker's agreement")
    return rec


def history(invitation: Invitation) -> list[ConsentRecord]:
    return list(db.session.scalars(db.select(ConsentRecord).where(ConsentRecord.invitation_id == invitation.id)
                                   .order_by(ConsentRecord.recorded_at, ConsentRecord.id)))


SUBJECT_CHOICES_CHANGED = "Choices changed for an invitation"  # neutral: says nothing of who or why


def change_choices(invitation: Invitation, answers: dict, *, how: ConsentHow, by=None,
                   guests: dict[Guest, bool] | None = None) -> list[ConsentRecord]:
    """A change made after the reply (given or withdrawn): applied at once, recorded, audited, and
    the organisers are told (their email names no one; the invitation page says who)."""
    written = set_consents(invitation, answers, how=how, by=by, guests=guests)
    if not written:
        return written
    changes = ", ".join(sorted({r.kind.label + (" (a guest)" if r.guest_id else "") + ": " + r.answer for r in written}))
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail=f"Choices changed ({how.label}): {changes}")
    _tell_organisers(invitation)
    return written


def _tell_organisers(invitation: Invitation) -> None:
    from sqlalchemy import select

    from cpevents.accounts.models import User, UserRole
    from cpevents.core.enums import Role
    from cpevents.core.urls import absolute_url
    from cpevents.mail.services import queue_email

    organisers = db.session.execute(
        select(User).join(UserRole).where(UserRole.role == Role.ORGANISER, User.deactivated_at.is_(None)).order_by(User.id)
    ).scalars().unique().all()
    url = absolute_url("invitations.show", public_id=invitation.public_id)
    for organiser in organisers:
        queue_email("invitations/choices_changed", to=organiser.email, user=organiser, subject=SUBJECT_CHOICES_CHANGED,
                    name=organiser.name, event_name=invitation.event.name, url=url)
