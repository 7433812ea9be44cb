"""Factories for the winners page tests: an event whose results are published, its winners, and
their invitations with the "council website" consent given or not."""

from __future__ import annotations

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations.consents import set_consents
from cpevents.invitations.models import ConsentHow, ConsentKind
from cpevents.invitations.services import invite
from cpevents.judging.models import DecisionKind, JudgingDecision
from cpevents.nominees.models import NomineeNotice, NoticeState
from cpevents.public.winners import publish_winners_page
from tests.factories import make_user
from tests.judging.helpers import accepted_file, setup_panel


def decide(panel, file, kind: DecisionKind, chosen: bool, by) -> None:
    db.session.add(JudgingDecision(panel_id=panel.id, file_id=file.id, kind=kind, chosen=chosen, reason="Panel agreed", by_id=by.id, at=utcnow()))


def win(panel, file, by) -> None:
    decide(panel, file, DecisionKind.SHORTLIST, True, by)
    decide(panel, file, DecisionKind.WINNER, True, by)


def consent(file, organiser, website: bool = True, **others):
    """Invite the file's young person and record their answer about the council website."""
    invitation = invite(file.event, file.young_person, by=organiser)
    answers = {ConsentKind.USE_WEBSITE: website}
    answers.update(others)
    set_consents(invitation, answers, how=ConsentHow.LINK)
    db.session.commit()
    return invitation


def own_words(file, words: str) -> None:
    db.session.add(NomineeNotice(file_id=file.id, state=NoticeState.TOLD, own_words=words))
    db.session.commit()


def results_out(panel) -> None:
    panel.shortlist_released_at = panel.results_published_at = utcnow()
    db.session.commit()


def world(*, publish: bool = True):
    """An event with one shown winner (Ava Shown: consent given, own words), results published
    and (by default) the winners page published. Returns (organiser, event, panel, shown_file)."""
    organiser, event, panel, _files, _judges = setup_panel(n_files=0, n_judges=0)
    file = accepted_file(event, organiser, first="Ava", last="Shownsurname")
    win(panel, file, organiser)
    consent(file, organiser)
    own_words(file, "I am proud of learning to cook for my friends.")
    results_out(panel)
    if publish:
        publish_winners_page(event, by=organiser)
        db.session.commit()
    return organiser, event, panel, file


def another_winner(event, panel, organiser, *, first: str, last: str = "Hiddensurname", category: int = 0, **kw):
    file = accepted_file(event, organiser, make_user(Role.NOMINATOR), first=first, last=last, category=category, **kw)
    win(panel, file, organiser)
    db.session.commit()
    return file
