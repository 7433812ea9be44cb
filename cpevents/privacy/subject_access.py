"""Subject access: everything the service holds about one person, gathered in one place.

`young_person_data(person)` and `account_data(user)` build a plain dict (the machine-readable
`data.json`), with sections that `summary.html` shows in the same order. `own_data(person)` is the
part a young person sees for themselves through their personal link (no staff-only notes).
`everything_zip(data)` packs the summary and the JSON into one ZIP, in memory.

What is never gathered: password hashes, second-factor secrets, recovery codes, the hashes of
personal links and account tokens, door codes, sealed links, and email bodies (they can hold a
personal link). The audit trail is copied as it stands: it holds ids and field names only.
"""

from __future__ import annotations

import enum
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

from flask import current_app, render_template
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from cpevents.accounts.models import FailedSignIn, User, UserSession
from cpevents.achievements.models import Achievement
from cpevents.audit.models import AuditAction, AuditEntry
from cpevents.audit.services import record
from cpevents.champions.models import Champion, ChampionPledge
from cpevents.core.time import london, utcnow
from cpevents.extensions import db
from cpevents.invitations.models import ConsentRecord, Invitation
from cpevents.judging.models import (
    Assignment,
    DecisionKind,
    JudgingDecision,
    Panel,
    PanelJudge,
    PanelText,
)
from cpevents.judging.outcomes import status_for_nominator
from cpevents.mail.models import OutboxMessage
from cpevents.nominations.models import Nomination, NominationFile
from cpevents.nominees.models import NomineeNotice
from cpevents.registrations.models import Registration
from cpevents.young_people.models import YoungPerson, YoungPersonWorker
from cpevents.young_people.queries import merged_ids

# Section keys in the order the summary shows them, with a heading and a sentence on what it is.
YOUNG_PERSON_SECTIONS = [
    ("record", "The record", "What we hold on the young person's record."),
    ("merged_records", "Records merged into this one", "Duplicate records that were joined to this one."),
    ("worker_links", "Workers linked to them", "Who an organiser linked to them, when, and by whom."),
    ("nominations", "Nominations about them", "What nominators wrote, and what happened to it."),
    ("invitations", "Invitations", "Replies, guests, needs and choices (consents), with when and who recorded them."),
    ("achievements", "Achievements", "Small achievements recorded by their workers."),
    ("certificates", "Certificates made", "Each time someone made a certificate for one of their achievements."),
    ("emails", "Emails sent to them", "The subject and date only: the words of an email can hold a personal link."),
    ("texts", "Text messages sent to them", "The date only: the words of a text hold a personal link."),
    ("access_audit", "Who looked at or changed the record", "The audit trail, newest first."),
]
ACCOUNT_SECTIONS = [
    ("account", "The account", "What we hold on the account."),
    ("roles", "Roles", "What the account may do."),
    ("nominations_written", "Nominations they wrote", "Their own words, and what happened to each nomination."),
    ("registrations", "Event registrations", "Places booked with the same email address."),
    ("champion", "Corporate Parenting Champion", "Their champion application, pledges and actions."),
    ("judging", "Judging", "Panels they sat on and what they declared."),
    ("achievements_recorded", "Achievements they recorded", "When and what kind; the young person is not named here."),
    ("worker_links", "Young people they were linked to", "How many links, when; the young people are not named here."),
    ("sign_in_history", "Sign-in history", "Sessions and failed sign-ins we still hold."),
    ("emails", "Emails sent to them", "The subject and date only: the words of an email can hold a link."),
    ("account_audit", "Changes to the account", "The audit trail of the account."),
]
OWN_SECTIONS = [
    ("record", "About you", "What is on your record."),
    ("invitations", "Your invitations", "Your replies, your guests, what you need, and your choices."),
    ("achievements", "Your achievements", "Things you did that your workers recorded."),
    ("worker_links", "Workers who can see your record", "The workers an organiser linked to you."),
]


# --- small helpers ------------------------------------------------------------------------------------


def _when(value) -> str | None:
    """Datetimes as ISO 8601 UTC (machine-readable); the summary shows them in UK time."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _label(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return getattr(value, "label", None) or str(value.value).replace("_", " ").capitalize()
    return str(value)


def _name(user) -> str | None:
    """Who did something: their name and organisation, or "the young person" / the system."""
    if user is None:
        return None
    return f"{user.name} ({user.organisation})" if user.organisation else user.name


def _yes_no(value) -> str | None:
    return None if value is None else ("Yes" if value else "No")


def _users(ids) -> dict[int | None, User]:
    """The people by id, to look up ids that may be None (no one did it): .get(None) is None."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u for u in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}


def _emails_to(address: str) -> list[dict]:
    if not address:
        return []
    rows = db.session.execute(
        select(OutboxMessage.subject, OutboxMessage.created_at, OutboxMessage.sent_at, OutboxMessage.status)
        .where(func.lower(OutboxMessage.to_address) == address.strip().lower())
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    return [{"subject": r.subject, "queued_at": _when(r.created_at), "sent_at": _when(r.sent_at), "status": _label(r.status)} for r in rows]


def _audit(entries: Sequence[AuditEntry]) -> list[dict]:
    return [
        {"at": _when(e.at), "who": _name(e.actor) or "The service, or the young person through their link", "action": _label(e.action),
         "what": e.subject_type.replace("_", " "), "detail": e.detail}
        for e in entries
    ]


# --- a young person -------------------------------------------------------------------------------------


def _record(person: YoungPerson, *, staff: bool) -> dict:
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_name": person.preferred_name,
        "date_of_birth": _when(person.date_of_birth),
        "care_status": _label(person.care_status),
        "district": person.district,
        "email": person.email,
        "mobile_number": person.mobile,
        "agreed_to_texts_at": _when(person.mobile_agreed_at),
        "texts_to_this_number_failed": person.mobile_failed,
        "name_shown": _label(person.name_shown),
        "how_to_say_their_name": person.name_pronunciation,
        "reference": person.reference,
    }
    if staff:
        creator = db.session.get(User, person.created_by_id) if person.created_by_id else None
        data.update({
            "do_not_publish": _yes_no(person.do_not_publish),
            "contact_restriction": _yes_no(person.contact_restriction),
            "contact_restriction_note": person.contact_restriction_note,
            "record_created_at": _when(person.created_at),
            "record_created_by": _name(creator),
            "agreement_to_texts_recorded_by": _name(person.mobile_agreed_by),
            "record_last_changed_at": _when(person.updated_at),
        })
    return data


def _worker_links(ids: list[int], *, staff: bool) -> list[dict]:
    links = db.session.execute(
        select(YoungPersonWorker)
        .options(joinedload(YoungPersonWorker.user), joinedload(YoungPersonWorker.linked_by))
        .where(YoungPersonWorker.young_person_id.in_(ids))
        .order_by(YoungPersonWorker.linked_at, YoungPersonWorker.id)
    ).scalars().all()
    enders = _users(link.ended_by_id for link in links)
    rows = []
    for link in links:
        row = {"worker": _name(link.user), "relationship": _label(link.relationship_type), "linked_at": _when(link.linked_at)}
        if staff:
            row.update({"linked_by": _name(link.linked_by), "renewed_at": _when(link.renewed_at), "expires_at": _when(link.expires_at),
                        "ended_at": _when(link.ended_at), "ended_by": _name(enders.get(link.ended_by_id))})
        else:
            row["still_linked"] = _yes_no(link.is_current)
        rows.append(row)
    return rows


def _outcomes(file_ids: set[int]) -> dict[int, str]:
    """The organisers' view of each file's outcome (shortlisted, winner), from the latest decisions."""
    if not file_ids:
        return {}
    decisions = db.session.execute(
        select(JudgingDecision).where(JudgingDecision.file_id.in_(file_ids)).order_by(JudgingDecision.at, JudgingDecision.id)
    ).scalars().all()
    latest = {}
    for d in decisions:
        latest[(d.file_id, d.kind)] = d
    published = dict(db.session.execute(
        select(NominationFile.id, Panel.results_published_at).join(Panel, Panel.event_id == NominationFile.event_id).where(NominationFile.id.in_(file_ids))
    ).tuples().all())
    outcome = {}
    for file_id in file_ids:
        shortlist, winner = latest.get((file_id, DecisionKind.SHORTLIST)), latest.get((file_id, DecisionKind.WINNER))
        if winner is not None and winner.chosen:
            outcome[file_id] = "Winner" + ("" if published.get(file_id) else " (not announced yet)")
        elif shortlist is not None:
            outcome[file_id] = "Shortlisted" if shortlist.chosen else "Not shortlisted"
        else:
            outcome[file_id] = "No decision yet"
    return outcome


def _nominations_about(ids: list[int]) -> list[dict]:
    nominations = db.session.execute(
        select(Nomination)
        .options(joinedload(Nomination.nominator), joinedload(Nomination.event), joinedload(Nomination.category),
                 joinedload(Nomination.file).joinedload(NominationFile.category))
        .where(Nomination.young_person_id.in_(ids))
        .order_by(Nomination.submitted_at, Nomination.id)
    ).scalars().all()
    panel_texts = dict(db.session.execute(
        select(PanelText.nomination_id, PanelText.text).where(PanelText.nomination_id.in_([n.id for n in nominations] or [0]))
    ).tuples().all())
    outcomes = _outcomes({n.file_id for n in nominations if n.file_id})
    notices = {x.file_id: x for x in db.session.execute(
        select(NomineeNotice).where(NomineeNotice.file_id.in_({n.file_id for n in nominations if n.file_id} or {0}))
    ).scalars()}
    rows = []
    for n in nominations:
        file = n.file
        rows.append({
            "event": n.event.name,
            "award": (file.category.name if file and file.category else None) or (n.category.name if n.category else None),
            "nominator": n.nominator.name if n.nominator else None,
            "nominator_organisation": n.nominator.organisation if n.nominator else None,
            "nominator_relationship": _label(n.relationship_type),
            "status": _label(n.status),
            "sent_at": _when(n.submitted_at),
            "withdrawn_at": _when(n.withdrawn_at),
            "name_as_typed": n.young_person_name,
            "date_of_birth_as_typed": _when(n.date_of_birth),
            "what_they_achieved": n.achievement,
            "background": n.background,
            "young_person_knows": _label(n.young_person_knows),
            "why_not_known": n.not_known_reason,
            "public_concern": _label(n.public_concern),
            "public_concern_details": n.public_concern_details,
            "contact_restriction_details": n.contact_restriction_details,
            "version_the_panel_read": panel_texts.get(n.id),
            "file_status": _label(file.status) if file else None,
            "not_eligible_reason": file.not_eligible_reason if file else None,
            "outcome": outcomes.get(n.file_id) if n.file_id else None,
            # Issue 16: whether and when they were told, and whether they said no thanks.
            "telling_them": _label(notices[n.file_id].state) if n.file_id in notices else None,
            "told_at": _when(notices[n.file_id].told_at) if n.file_id in notices else None,
            "said_no_thanks_at": _when(notices[n.file_id].declined_at) if n.file_id in notices else None,
            "their_own_words": notices[n.file_id].own_words if n.file_id in notices else None,
            # The shortlist decision as they read it, and an organiser's personal line to them.
            "decision_told_to_them": _label(notices[n.file_id].decision) if n.file_id in notices else None,
            "decision_message": notices[n.file_id].decision_message if n.file_id in notices else None,
            "personal_line": notices[n.file_id].personal_line if n.file_id in notices else None,
            "decision_sent_at": _when(notices[n.file_id].decision_sent_at) if n.file_id in notices else None,
        })
    return rows


def _needs(obj) -> dict:
    return {"food_and_drink": obj.dietary_words, "access": obj.access_words}


def _invitations(ids: list[int], *, staff: bool) -> list[dict]:
    invitations = db.session.execute(
        select(Invitation)
        .options(joinedload(Invitation.event), joinedload(Invitation.replied_by), selectinload(Invitation.guests))
        .where(Invitation.young_person_id.in_(ids))
        .order_by(Invitation.created_at, Invitation.id)
    ).scalars().all()
    people = _users([g.decided_by_id for i in invitations for g in i.guests] + [i.checked_in_by_id for i in invitations] + [i.added_by_id for i in invitations])
    history: dict[int, list[dict]] = {}
    if invitations:
        for rec in db.session.execute(select(ConsentRecord).where(ConsentRecord.invitation_id.in_([i.id for i in invitations]))
                                      .order_by(ConsentRecord.recorded_at, ConsentRecord.id)).scalars():
            history.setdefault(rec.invitation_id, []).append(
                {"choice": _label(rec.kind), "about_a_guest": _yes_no(rec.guest_id is not None), "answer": rec.answer,
                 "recorded_at": _when(rec.recorded_at), "how": _label(rec.how)})
    rows = []
    for inv in invitations:
        recorded_by = _name(inv.replied_by) if inv.replied_by else ("You, through your personal link" if not staff else "The young person, through their personal link")
        recorded = {"recorded_at": _when(inv.replied_at), "recorded_by": recorded_by if inv.replied_at else None, "how": _label(inv.replied_how)}
        row = {
            "event": inv.event.name,
            "event_date": _when(inv.event.starts_at),
            "status": _label(inv.status),
            "replied_at": _when(inv.replied_at),
            "replied_by": recorded["recorded_by"],
            "replied_how": recorded["how"],
            "needs": {**_needs(inv), "travel_help": _yes_no(inv.travel_help), "travel_details": inv.travel_details},
            "consents": [
                {"choice": "Photos may be taken", "answer": _yes_no(inv.photo_consent), **recorded},
                {"choice": "How their name is read out", "answer": _label(inv.name_read), **recorded},
                {"choice": "Photos and story on the council website", "answer": _yes_no(inv.use_website)},
                {"choice": "Photos and story on social media", "answer": _yes_no(inv.use_social)},
                {"choice": "Photos and story in the press", "answer": _yes_no(inv.use_press)},
                {"choice": "Photos and story in the annual report", "answer": _yes_no(inv.use_annual_report)},
            ],
            "consent_history": history.get(inv.id, []),
            "guests": [
                {"name": g.name, "age_group": _label(g.age_group), "approval": _label(g.approval), **_needs(g),
                 **({"decided_by": _name(people.get(g.decided_by_id)), "decided_at": _when(g.decided_at)} if staff else {}),
                 "photos": _yes_no(g.photo_consent), "waiting_for_a_place": _yes_no(g.waiting_for_place), "checked_in_at": _when(g.checked_in_at)}
                for g in inv.guests
            ],
            "checked_in_at": _when(inv.checked_in_at),
        }
        if staff:
            row.update({"invited_at": _when(inv.created_at), "invited_by": _name(people.get(inv.added_by_id)), "sent_at": _when(inv.sent_at),
                        "check_its_you": _yes_no(inv.check_identity), "door_note": inv.door_note,
                        "checked_in_by": _name(people.get(inv.checked_in_by_id))})
        rows.append(row)
    return rows


def _achievements(ids: list[int]) -> list[dict]:
    achievements = db.session.execute(
        select(Achievement).options(joinedload(Achievement.recorded_by)).where(Achievement.young_person_id.in_(ids))
        .order_by(Achievement.achieved_on, Achievement.id)
    ).scalars().all()
    return [
        {"achieved_on": _when(a.achieved_on), "area": _label(a.area), "what": a.description, "celebrated_with": a.celebrated_with,
         "recorded_by": _name(a.recorded_by), "recorded_at": _when(a.created_at)}
        for a in achievements
    ]


def _certificates(ids: list[int]) -> list[dict]:
    """Certificates are made on demand and not stored: each one made is in the audit trail."""
    rows = db.session.execute(
        select(AuditEntry, Achievement)
        .options(joinedload(AuditEntry.actor))
        .join(Achievement, Achievement.id == AuditEntry.subject_id)
        .where(AuditEntry.young_person_id.in_(ids), AuditEntry.subject_type == Achievement.__tablename__, AuditEntry.detail == "certificate downloaded")
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return [{"made_at": _when(e.at), "made_by": _name(e.actor), "for_achievement": f"{_when(a.achieved_on)}: {a.description}"} for e, a in rows]


def young_person_data(person: YoungPerson) -> dict:
    """Everything held about one young person (and any records merged into theirs), for organisers."""
    ids = merged_ids(person)
    merged = db.session.execute(select(YoungPerson).where(YoungPerson.id.in_(ids[1:] or [0])).order_by(YoungPerson.id)).scalars().all()
    trail = db.session.execute(
        select(AuditEntry).options(joinedload(AuditEntry.actor)).where(AuditEntry.young_person_id.in_(ids)).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).scalars().all()
    return {
        "kind": "young_person",
        "title": f"Everything we hold about {person.full_name}",
        "service": current_app.config["SERVICE_NAME"],
        "council": current_app.config["COUNCIL_NAME"],
        "made_at": _when(utcnow()),
        "record": _record(person, staff=True),
        "merged_records": [{**_record(m, staff=True), "merged_at": _when(m.merged_at)} for m in merged],
        "worker_links": _worker_links(ids, staff=True),
        "nominations": _nominations_about(ids),
        "invitations": _invitations(ids, staff=True),
        "achievements": _achievements(ids),
        "certificates": _certificates(ids),
        "emails": [e for address in sorted({p.email for p in [person, *merged] if p.email}) for e in _emails_to(address)],
        "texts": [e for number in sorted({p.mobile for p in [person, *merged] if p.mobile}) for e in _emails_to(number)],
        "access_audit": _audit(trail),
        "not_included": [
            "Feedback answers: they are anonymous and cannot be linked to anyone.",
            "Judges' scores: they are about the nomination, not the young person, and are kept for the panel's decisions.",
            "The words of emails: they can hold a personal link. The subject and date of each email are listed.",
            "Personal links and door codes: they are secret keys, not information about the young person.",
        ],
    }


def own_data(person: YoungPerson) -> dict:
    """What a young person sees for themselves: their record without the notes staff keep to
    keep them safe, their invitations, achievements and who their linked workers are."""
    ids = merged_ids(person)
    return {
        "kind": "own",
        "title": "What we hold about you",
        "service": current_app.config["SERVICE_NAME"],
        "council": current_app.config["COUNCIL_NAME"],
        "made_at": _when(utcnow()),
        "record": _record(person, staff=False),
        "invitations": _invitations(ids, staff=False),
        "achievements": _achievements(ids),
        "worker_links": _worker_links(ids, staff=False),
    }


# --- an account --------------------------------------------------------------------------------------


def _nominations_written(user: User) -> list[dict]:
    nominations = db.session.execute(
        select(Nomination).options(joinedload(Nomination.event), joinedload(Nomination.category), joinedload(Nomination.file))
        .where(Nomination.nominator_id == user.id)
        .order_by(Nomination.created_at, Nomination.id)
    ).scalars().all()
    return [
        {"event": n.event.name, "award": n.category.name if n.category else None, "status": _label(n.status), "started_at": _when(n.created_at),
         "sent_at": _when(n.submitted_at), "withdrawn_at": _when(n.withdrawn_at),
         # The young person is someone else: their first name only, to tell nominations apart.
         "young_person_first_name": n.first_name, "your_relationship": _label(n.relationship_type),
         "what_they_achieved": n.achievement, "background": n.background, "what_happened": status_for_nominator(n)}
        for n in nominations
    ]


def _registrations(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Registration).options(joinedload(Registration.event), joinedload(Registration.audience))
        .where(func.lower(Registration.email) == user.email.lower()).order_by(Registration.created_at, Registration.id)
    ).scalars().all()
    return [
        {"event": r.event.name, "as": r.audience.name, "name": r.name, "organisation": r.organisation, "role": r.role, "email": r.email, "mobile_number": r.mobile, "agreed_to_texts_at": _when(r.mobile_agreed_at),
         "access_needs": r.access_needs, "dietary_needs": r.dietary_needs, "status": _label(r.status), "registered_at": _when(r.created_at),
         "cancelled_at": _when(r.cancelled_at), "checked_in_at": _when(r.checked_in_at)}
        for r in rows
    ]


def _champion(user: User) -> list[dict]:
    champions = db.session.execute(
        select(Champion)
        .options(joinedload(Champion.service), joinedload(Champion.decided_by), selectinload(Champion.pledges).selectinload(ChampionPledge.actions))
        .where(or_(Champion.user_id == user.id, func.lower(Champion.email) == user.email.lower()))
        .order_by(Champion.submitted_at, Champion.id)
    ).scalars().all()
    return [
        {"name": c.name, "email": c.email, "job_title": c.job_title, "service": c.service.name, "pledge_words": c.pledge_words,
         "status": _label(c.status), "applied_at": _when(c.submitted_at), "decided_at": _when(c.decided_at), "decided_by": _name(c.decided_by),
         "decline_reason": c.decline_reason, "approved_at": _when(c.approved_at), "expires_at": _when(c.expires_at),
         "pledges": [{"pledge": _label(p.kind), "actions": [{"done_on": _when(a.done_on), "what": a.what} for a in p.actions]} for p in c.pledges]}
        for c in champions
    ]


def _judging(user: User) -> list[dict]:
    judges = db.session.execute(
        select(PanelJudge).options(joinedload(PanelJudge.panel).joinedload(Panel.event)).where(PanelJudge.user_id == user.id).order_by(PanelJudge.id)
    ).scalars().all()
    assignments = db.session.execute(
        select(Assignment).where(Assignment.judge_id.in_([j.id for j in judges] or [0])).order_by(Assignment.assigned_at, Assignment.id)
    ).scalars().all()
    by_judge: dict[int, list[Assignment]] = {}
    for a in assignments:
        by_judge.setdefault(a.judge_id, []).append(a)
    return [
        {"event": j.panel.event.name, "added_to_panel_at": _when(j.added_at), "care_experienced_judge": _yes_no(j.young_judge),
         "files_assigned": [{"assigned_at": _when(a.assigned_at), "conflict_declared": _label(a.conflict), "conflict_note": a.conflict_note,
                             "conflict_declared_at": _when(a.conflict_declared_at), "your_comment": a.comment, "submitted_at": _when(a.submitted_at)}
                            for a in by_judge.get(j.id, [])]}
        for j in judges
    ]


def account_data(user: User) -> dict:
    """Everything held about one account (a nominator, judge, champion, organiser...). Never the
    password hash, the second-factor secret, recovery codes or any token."""
    approver = db.session.get(User, user.approved_by_id) if user.approved_by_id else None
    inviter = db.session.get(User, user.invited_by_id) if user.invited_by_id else None
    sessions = db.session.execute(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.created_at)).scalars().all()
    failures = db.session.execute(select(FailedSignIn.at).where(FailedSignIn.user_id == user.id).order_by(FailedSignIn.at)).scalars().all()
    achievements = db.session.execute(
        select(Achievement.achieved_on, Achievement.area, Achievement.created_at).where(Achievement.recorded_by_id == user.id).order_by(Achievement.created_at)
    ).all()
    links = db.session.execute(
        select(YoungPersonWorker).where(YoungPersonWorker.user_id == user.id).order_by(YoungPersonWorker.linked_at)
    ).scalars().all()
    trail = db.session.execute(
        select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(AuditEntry.subject_type == User.__tablename__, AuditEntry.subject_id == user.id).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).scalars().all()
    return {
        "kind": "account",
        "title": f"Everything we hold about {user.name}",
        "service": current_app.config["SERVICE_NAME"],
        "council": current_app.config["COUNCIL_NAME"],
        "made_at": _when(utcnow()),
        "account": {
            "name": user.name, "email": user.email, "organisation": user.organisation, "job_title": user.job_title,
            "account_created_at": _when(user.created_at), "invited_by": _name(inviter), "email_verified_at": _when(user.email_verified_at),
            "approved_at": _when(user.approved_at), "approved_by": _name(approver), "approved_by_email_domain": user.approved_via_domain,
            "wants_to_be_a_champion": _yes_no(user.wants_champion), "second_factor_set_up_at": _when(user.totp_enabled_at),
            "last_sign_in_at": _when(user.last_sign_in_at), "emails_could_not_be_delivered_since": _when(user.email_undeliverable_at),
            "deactivated_at": _when(user.deactivated_at), "status": user.status_label,
        },
        "roles": [{"role": _label(role)} for role in user.sorted_roles],
        "nominations_written": _nominations_written(user),
        "registrations": _registrations(user),
        "champion": _champion(user),
        "judging": _judging(user),
        "achievements_recorded": [{"achieved_on": _when(a.achieved_on), "area": _label(a.area), "recorded_at": _when(a.created_at)} for a in achievements],
        "worker_links": [{"relationship": _label(link.relationship_type), "linked_at": _when(link.linked_at), "ended_at": _when(link.ended_at),
                          "still_linked": _yes_no(link.is_current)} for link in links],
        "sign_in_history": [{"signed_in_at": _when(s.created_at), "last_seen_at": _when(s.last_seen_at), "signed_out_at": _when(s.ended_at)} for s in sessions]
        + [{"failed_sign_in_at": _when(at)} for at in failures],
        "emails": _emails_to(user.email),
        "account_audit": _audit(trail),
        "not_included": [
            "The password, second-factor secret and recovery codes: we keep only one-way scrambled versions, and they are not information about the person.",
            "Links and tokens sent by email: they are secret keys.",
            "The words of emails: they can hold a link. The subject and date of each email are listed.",
            "Young people named in their nominations and records: that is someone else's information (first names only, to tell nominations apart).",
        ],
    }


# --- packing -------------------------------------------------------------------------------------------


def sections_for(data: dict) -> list[tuple[str, str, str]]:
    return {"young_person": YOUNG_PERSON_SECTIONS, "account": ACCOUNT_SECTIONS, "own": OWN_SECTIONS}[data["kind"]]


def to_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def summary_html(data: dict) -> str:
    return render_template("privacy/summary.html", data=data, sections=sections_for(data))


def everything_zip(data: dict) -> bytes:
    """summary.html (readable opened straight from the ZIP: no links to the service, styles
    inside) and data.json."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.html", summary_html(data))
        archive.writestr("data.json", to_json(data))
    return buffer.getvalue()


def record_export(subject, *, by, young_person=None, detail: str = "") -> None:
    """The download goes in the audit trail (no personal data in the entry)."""
    record(by, AuditAction.EXPORTED, subject, young_person=young_person, detail=detail)


def london_text(value: str | None) -> str:
    """An ISO time from the data, as people read it in the summary."""
    if not value:
        return ""
    if "T" not in value:
        return date.fromisoformat(value).strftime("%-d %B %Y")
    return london(datetime.fromisoformat(value))
