"""The event page as a short task list by stage: nominations, judging, invitations, the night,
after. Each task links to the page that does it and says its state in the GOV.UK task list's
words ("Not started", "In progress" with what is left, "Done"). The counts come from the same
domain queries as the organiser's to-do (cpevents/home/todo.py): a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import func, select

from cpevents.core.time import london, utcnow
from cpevents.events.models import Event, WindowState
from cpevents.extensions import db

NOT_STARTED, IN_PROGRESS, DONE, CANNOT_START, INFO = "not_started", "in_progress", "done", "cannot_start", "info"


@dataclass
class Task:
    title: str
    href: str | None
    state: str
    status: str = ""  # the words in the status column; by default the state's own words
    hint: str = ""

    def as_item(self) -> dict:
        """The item for govukTaskList."""
        item: dict[str, Any] = {"title": {"text": self.title}}
        if self.href:
            item["href"] = self.href
        if self.hint:
            item["hint"] = {"text": self.hint}
        words = self.status or {NOT_STARTED: "Not started", IN_PROGRESS: "In progress", DONE: "Done", CANNOT_START: "Cannot start yet", INFO: ""}[self.state]
        if self.state == NOT_STARTED:
            item["status"] = {"tag": {"text": words, "classes": "govuk-tag--blue"}}
        elif self.state == IN_PROGRESS:
            item["status"] = {"tag": {"text": words, "classes": "govuk-tag--light-blue"}}
        elif self.state == CANNOT_START:
            item["status"] = {"text": words, "classes": "govuk-task-list__status--cannot-start-yet"}
        else:
            item["status"] = {"text": words}
        return item


@dataclass
class Stage:
    key: str
    title: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def items(self) -> list[dict]:
        return [t.as_item() for t in self.tasks]


def _count_task(title: str, href: str, count: int, words: str, *, started: bool, hint: str = "") -> Task:
    """A task that is done when nothing is left: "3 to match" while some are, "Done" after."""
    if count:
        return Task(title, href, IN_PROGRESS, f"{count} {words}", hint)
    return Task(title, href, DONE if started else NOT_STARTED, "" if started else "Nothing yet", hint)


def _dates(event: Event, now: datetime) -> Task:
    pid = event.public_id
    window = event.window_state(now)
    if window == WindowState.OPEN:
        dates = Task("Change the nomination dates", url_for("events.window", public_id=pid), IN_PROGRESS, "Open",
                     f"From {london(event.nominations_open_at, '%-d %B %Y')} until midnight at the end of {event.nominations_last_day:%-d %B %Y}, UK time.")
    elif window == WindowState.NOT_YET:
        dates = Task("Change the nomination dates", url_for("events.window", public_id=pid), DONE, "Opens " + london(event.nominations_open_at, "%-d %B %Y"),
                     f"From {london(event.nominations_open_at, '%-d %B %Y')} until midnight at the end of {event.nominations_last_day:%-d %B %Y}, UK time.")
    elif window == WindowState.CLOSED:
        dates = Task("Change the nomination dates", url_for("events.window", public_id=pid), DONE, "Closed",
                     f"From {london(event.nominations_open_at, '%-d %B %Y')} until midnight at the end of {event.nominations_last_day:%-d %B %Y}, UK time.")
    else:
        dates = Task("Set the nomination dates", url_for("events.window", public_id=pid), NOT_STARTED, hint="Nominators can send nominations only between these dates.")
    return dates


def _nominations(event: Event, now: datetime) -> Stage:
    from cpevents.nominations import queries
    from cpevents.nominations.models import FileStatus, Nomination, NominationFile, NominationStatus

    pid = event.public_id
    stage = Stage("nominations", "Nominations", [_dates(event, now)])
    sent = db.session.execute(
        select(func.count()).select_from(Nomination).where(Nomination.event_id == event.id, Nomination.status == NominationStatus.SENT)
    ).scalar_one()
    files = db.session.execute(
        select(func.count()).select_from(NominationFile).where(NominationFile.event_id == event.id, NominationFile.status != FileStatus.MERGED)
    ).scalar_one()
    stage.tasks.append(_count_task("Match nominations to young people", url_for("review.to_match", public_id=pid),
                                   queries.to_match_by_event(event.id).get(event.id, 0), "to match", started=bool(sent)))
    stage.tasks.append(_count_task("Safety answers to review", url_for("review.index", public_id=pid, flagged="y"),
                                   queries.safety_to_review_by_event(event.id).get(event.id, 0), "to review", started=bool(files)))
    stage.tasks.append(_count_task(f"Review the nominations for {event.name}", url_for("review.index", public_id=pid),
                                   queries.files_to_review_by_event(event.id).get(event.id, 0), "to review", started=bool(files),
                                   hint=f"{files} file{'s' if files != 1 else ''}: accept each for judging, or say why it is not eligible."))
    return stage


def _judging(event: Event) -> Stage:
    from cpevents.judging.models import Panel, PanelJudge
    from cpevents.judging.queries import judges_behind_by_event

    stage = Stage("judging", "Judging")
    href = url_for("judging.panel", public_id=event.public_id)
    panel = db.session.execute(select(Panel).where(Panel.event_id == event.id)).scalar_one_or_none()
    judges = 0
    if panel is not None:
        judges = db.session.execute(select(func.count()).select_from(PanelJudge).where(PanelJudge.panel_id == panel.id)).scalar_one()
    if panel is None or not judges:
        task = Task("Judging: panel, scores, ranking and winners", href, NOT_STARTED, hint="Choose the judges and what they score, then give them files.")
    elif panel.shortlist_released_at is not None:
        task = Task("Judging: panel, scores, ranking and winners", href, DONE, "Shortlist released",
                    hint=f"Shortlist released on {london(panel.shortlist_released_at, '%-d %B %Y')}.")
    else:
        behind = judges_behind_by_event(event.id).get(event.id, 0)
        task = Task("Judging: panel, scores, ranking and winners", href, IN_PROGRESS,
                    f"{behind} judge{'s' if behind != 1 else ''} behind" if behind else "In progress",
                    hint=f"{judges} judge{'s' if judges != 1 else ''} on the panel.")
    stage.tasks.append(task)
    return stage


def _invitations(event: Event, now: datetime) -> Stage:
    from cpevents.invitations import queries

    pid = event.public_id
    stage = Stage("invitations", "Invitations")
    counts = queries.counts(event.id)
    if counts.invited:
        hint = f"{counts.invited} invited: {counts.coming} coming, {counts.not_replied} not replied."
        state = DONE if not counts.not_replied and not counts.unsent else IN_PROGRESS
        status = f"{counts.unsent} not sent" if counts.unsent else ("Done" if state == DONE else f"{counts.not_replied} not replied")
        stage.tasks.append(Task("Invitations and guest list", url_for("invitations.index", public_id=pid), state, status, hint))
    else:
        stage.tasks.append(Task("Invitations and guest list", url_for("invitations.index", public_id=pid), NOT_STARTED,
                                hint="Invite young people, from the shortlist or one by one."))
    if counts.invited:
        stage.tasks.append(_count_task("Guests waiting for your approval", url_for("invitations.index", public_id=pid, show="to_approve"),
                                       counts.to_approve, "to approve", started=True))
        stage.tasks.append(_count_task("Invitation letters to print and hand over", url_for("invitations.letters", public_id=pid),
                                       counts.letters, "to print", started=True))
        from cpevents.invitations.models import InvitationSettings

        reply_by = db.session.execute(select(InvitationSettings.reply_by).where(InvitationSettings.event_id == event.id)).scalar_one_or_none()
        href = url_for("invitations.index", public_id=pid, show="not_replied")
        if reply_by is None:
            stage.tasks.append(Task("Not replied after the reply-by date", href, INFO, "No reply-by date", "Set one in the invitation settings."))
        elif now < reply_by:
            day = london(reply_by - timedelta(seconds=1), "%-d %B %Y")  # reply_by is midnight at the end of the day
            stage.tasks.append(Task("Not replied after the reply-by date", href, CANNOT_START, "Not yet", f"Replies are due by the end of {day}."))
        else:
            late = queries.late_replies_by_event(now, event.id).get(event.id, 0)
            stage.tasks.append(_count_task("Not replied after the reply-by date", href, late, "to chase", started=True))
    return stage


def _the_night(event: Event, now: datetime) -> Stage:
    from cpevents.door.models import EventDoorHelper
    from cpevents.door.queries import counts as door_counts

    pid = event.public_id
    stage = Stage("night", "The night")
    counts = door_counts(event)
    arrived = (f"Arrived: {counts.young_people_arrived} of {counts.young_people_expected} young people, "
               f"{counts.guests_arrived} of {counts.guests_expected} guests.")
    started = now >= event.starts_at
    stage.tasks.append(Task("Door list (check-in)", url_for("door.event_list", public_id=pid), IN_PROGRESS if started and not event.is_closed else INFO,
                            "Open" if started and not event.is_closed else "", arrived))
    stage.tasks.append(Task("Printable door list", url_for("door.print_list", public_id=pid), INFO))
    stage.tasks.append(_seating_task(event))
    helpers = db.session.execute(select(func.count(EventDoorHelper.id)).where(EventDoorHelper.event_id == event.id)).scalar_one()
    stage.tasks.append(Task(f"Door helpers ({helpers})", url_for("door.helpers", public_id=pid), DONE if helpers else NOT_STARTED,
                            "" if helpers else "None yet", "People who check guests in at the door with their phone."))
    return stage


def _seating_task(event: Event) -> Task:
    """Issue 18: tables, seating, name cards and the table plan."""
    from cpevents.seating.services import tables_of

    href = url_for("seating.index", public_id=event.public_id)
    tables = tables_of(event)
    if not tables:
        return Task("Tables, seating and name cards", href, NOT_STARTED, "No tables yet", "Seat each young person with their guests; print name cards and a table plan.")
    return Task("Tables, seating and name cards", href, DONE, f"{len(tables)} {'table' if len(tables) == 1 else 'tables'}")


def _after(event: Event, now: datetime) -> Stage:
    stage = Stage("after", "After the event")
    pid = event.public_id
    if event.is_closed:
        stage.tasks.append(Task("What young people told us (feedback)", url_for("feedback.show", public_id=pid), DONE,
                                "Closed", f"Closed on {london(event.closed_at)}. No more replies; attendance is final."))
    elif now >= event.starts_at:
        stage.tasks.append(Task("Close this event", url_for("feedback.close", public_id=pid), NOT_STARTED, "To do",
                                "When the event is over, close it: replies stop and young people get a feedback link."))
    else:
        stage.tasks.append(Task("Close the event and ask for feedback", None, CANNOT_START,
                                hint=f"You can do this once the event has started, on {london(event.starts_at, '%-d %B %Y')}. "
                                     "Replies then stop and young people get a feedback link."))
    return stage


def event_tasks(event: Event, now: datetime | None = None) -> list[Stage]:
    now = now or utcnow()
    stages = []
    if event.takes_nominations:
        stages += [_nominations(event, now), _judging(event)]
    else:
        # An event without award categories still offers its nomination dates, as the page always has.
        stages.append(Stage("nominations", "Nominations", [_dates(event, now)]))
    stages += [_invitations(event, now), _the_night(event, now), _after(event, now)]
    return stages


def event_page_stages(event: Event) -> dict[str, list[Stage]]:
    """Connected to cpevents.events.signals.event_page in create_app: the event page's task list."""
    return {"stages": event_tasks(event)}
