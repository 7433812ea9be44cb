"""Each role's home page: what this person can do next."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.accounts.queries import new_registrations, waiting_for_approval
from cpevents.core.access import roles_required, signed_in
from cpevents.core.enums import Role
from cpevents.core.paging import paged
from cpevents.core.templating import HOMES
from cpevents.events.queries import open_for_nominations
from cpevents.home.todo import todo_lines
from cpevents.judging.outcomes import status_for_nominator
from cpevents.nominations.queries import nominations_by

bp = Blueprint("home", __name__)

NOMINATIONS_PAGE_SIZE = 50  # a nominator's own nominations, newest first


@bp.get("/home")
@signed_in
def index():
    for role, endpoint, _text in HOMES:
        if current_user.has_role(role):
            return redirect(url_for(endpoint))
    return render_template("home/no_role.html")


@bp.get("/organiser")
@roles_required(Role.ORGANISER)
def organiser():
    registrations, registration_count = new_registrations()
    pending, pending_count = waiting_for_approval()
    return render_template("home/organiser.html", todo=todo_lines(), registrations=registrations, registration_count=registration_count,
                           pending=pending, pending_count=pending_count)


@bp.get("/nominator")
@roles_required(Role.NOMINATOR, pending_ok=True)
def nominator():
    listed = paged(nominations_by(current_user), NOMINATIONS_PAGE_SIZE)
    nominations = listed.rows
    statuses = {n.id: status_for_nominator(n) for n in nominations}
    return render_template("home/nominator.html", nominations=nominations, statuses=statuses, open_events=open_for_nominations(),
                           page=listed.page, pages=listed.pages)


@bp.get("/judge")
@roles_required(Role.JUDGE)
def judge():
    from cpevents.judging.queries import JUDGE_LIST_SHOW, judge_items

    items = judge_items(current_user)
    show = request.args.get("show", "all")
    show = show if show in dict(JUDGE_LIST_SHOW) else "all"  # anything else typed into the address: show all
    awards = sorted({i.assignment.file.category for i in items if i.assignment.file.category}, key=lambda c: (c.position, c.id))
    award = next((c for c in awards if c.public_id == request.args.get("award")), None)
    shown = [i for i in items if (show == "all" or i.to_do == (show == "to_do")) and (award is None or i.assignment.file.category_id == award.id)]
    return render_template("home/judge.html", assignments=[i.assignment for i in items], items=shown, show=show, shows=JUDGE_LIST_SHOW,
                           awards=awards, award=award, to_do=sum(i.to_do for i in items))


@bp.get("/champion")
@roles_required(Role.CHAMPION)
def champion():
    return render_template("home/champion.html")


@bp.get("/board")
@roles_required(Role.BOARD)
def board():
    return render_template("home/board.html")


@bp.get("/door-helper")
@roles_required(Role.DOOR_HELPER)
def door_helper():
    from cpevents.door.queries import helper_events

    return render_template("home/door_helper.html", events=helper_events(current_user))
