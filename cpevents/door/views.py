"""The door on the night: the door list on a phone, the QR code page, check-in and out, late guests,
the printable list; and the organisers' pages that give out door helpers and door notes.

Who may do what (see cpevents.door.models): organisers open any event's door list on any day, to
prepare; a door helper opens only the events they are given, only on the day. Anyone checks people
in only on the event's day and never once it is closed.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cpevents.accounts.services import AccountError
from cpevents.core.access import load_or_404, public, require, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import add_error, answer
from cpevents.core.time import utcnow
from cpevents.door import queries, services, taps
from cpevents.door.forms import DoorHelperForm, DoorNoteForm, LateGuestForm
from cpevents.door.models import (
    EventDoorHelper,
    can_check_in,
    can_open_door_list,
    is_door_day,
    is_door_helper_for,
    is_door_organiser,
)
from cpevents.events.models import Event
from cpevents.extensions import csrf, db
from cpevents.invitations.models import AgeGroup, Guest, Invitation, InvitationStatus
from cpevents.seating.queries import event_seats

bp = Blueprint("door", __name__)

DOOR_ROLES = (Role.ORGANISER, Role.DOOR_HELPER)


@bp.app_template_global("door_counts")
def door_counts(event):
    return queries.counts(event)


@bp.app_template_filter("door_count_row")
def door_count_row(audience: tuple[str, int, int]) -> dict:
    """One audience's arrived-of-expected, as a summary list row."""
    name, arrived, held = audience
    return {"key": {"text": name}, "value": {"text": f"{arrived} of {held}"}}


@bp.app_template_global("door_helper_count")
def door_helper_count(event):
    from sqlalchemy import func

    return db.session.execute(select(func.count(EventDoorHelper.id)).where(EventDoorHelper.event_id == event.id)).scalar_one()


def _refused(message: str, event=None, status: int = 403):
    return render_template("door/refused.html", message=message, event=event), status


def _door_event(public_id) -> Event:
    """The event, if this person may open its door list; otherwise a 403 page in plain words."""
    event = load_or_404(Event, public_id=str(public_id))
    g.door_event_date = event.event_date
    if not can_open_door_list(current_user, event):
        if is_door_helper_for(current_user, event):
            abort(make_response(*_refused(services.NOT_TODAY + f": {event.event_date:%A %-d %B %Y}.", event)))
        abort(make_response(*_refused("You are not helping at the door of this event. Ask an organiser if you should be.")))
    return event


@bp.after_request
def door_event_date(response):
    """The door list tells the service worker its event's day: the worker saves the page on the
    phone in a cache named by that day, only on that day, and deletes it the day after
    (cpevents/static/js/door-sw.js)."""
    if request.endpoint == "door.event_list" and response.status_code == 200 and "door_event_date" in g:
        response.headers["X-Door-Event-Date"] = g.door_event_date.isoformat()
    return response


def _search() -> str | None:
    """The door list's search words, carried by each button so a tap returns to the same search."""
    q = request.values.get("q", "").replace("\x00", "")[:80].strip()
    return q or None


def _back(invitation: Invitation):
    """Back to where the tap came from: the QR code's page, or the row on the door list (with the
    same search)."""
    if request.values.get("back") == "code":
        return redirect(url_for("door.code", door_code=invitation.door_code))
    return redirect(url_for("door.event_list", public_id=invitation.event.public_id, q=_search(), _anchor="p-" + invitation.public_id))


def _valid_post() -> bool:
    from cpevents.core.forms import ConfirmForm

    return ConfirmForm().validate_on_submit()


# --- the door list ------------------------------------------------------------------------------


@bp.get("/door/events/<uuid:public_id>")
@roles_required(*DOOR_ROLES)
def event_list(public_id):
    event = _door_event(public_id)
    q = request.args.get("q", "").replace("\x00", "")[:80]
    seats = event_seats(event)  # issue 18: every party's table, one query for the whole list
    rows = queries.door_list(event, q, seats)
    return render_template("door/list.html", event=event, rows=rows, registered=queries.registered_list(event, q, seats), q=q.strip(), counts=queries.counts(event),
                           can_check_in=can_check_in(current_user, event), is_day=is_door_day(event),
                           organiser=is_door_organiser(current_user))


@bp.get("/door/events/<uuid:public_id>/print")
@roles_required(*DOOR_ROLES)
def print_list(public_id):
    event = _door_event(public_id)
    seats = event_seats(event)
    return render_template("door/print.html", event=event, rows=queries.door_list(event, seats=seats), registered=queries.registered_list(event, seats=seats),
                           counts=queries.counts(event), printed_at=utcnow())


@bp.get("/door/<uuid:door_code>")
@roles_required(*DOOR_ROLES)
def code(door_code):
    """The QR code in the confirmation email: one invitation's check-in page."""
    invitation = db.session.execute(select(Invitation).where(Invitation.door_code == str(door_code))).scalar_one_or_none()
    if invitation is None:
        return render_template("door/unknown_code.html"), 404
    event = invitation.event
    if not is_door_organiser(current_user):
        if not is_door_helper_for(current_user, event):
            return _refused(services.OTHER_EVENT + ". Check the event on their confirmation, or speak to an organiser.")
        if not is_door_day(event):
            return _refused(services.NOT_TODAY + f": {event.event_date:%A %-d %B %Y}.", event)
    if invitation.status != InvitationStatus.COMING:
        return render_template("door/code.html", event=event, invitation=invitation, row=None, message=services.NOT_VALID)
    return render_template("door/code.html", event=event, invitation=invitation, row=queries.door_row(invitation), message=None,
                           counts=queries.counts(event), can_check_in=can_check_in(current_user, event), is_day=is_door_day(event),
                           organiser=is_door_organiser(current_user))


# --- checking in and out ------------------------------------------------------------------------


def _door_invitation(public_id) -> Invitation:
    invitation = load_or_404(Invitation, public_id=str(public_id))
    require(can_open_door_list(current_user, invitation.event))
    return invitation


def _door_guest(public_id) -> Guest:
    guest = load_or_404(Guest, public_id=str(public_id))
    require(can_open_door_list(current_user, guest.invitation.event))
    return guest


def _run(back, action):
    """Call one service; commit; flash what happened (or why nothing did); then `back`, the
    redirect to the row the tap came from."""
    if not _valid_post():
        flash("Something went wrong: nothing was changed. Try again.")
        return back
    try:
        message, changed = action()
    except services.DoorError as error:
        db.session.rollback()
        flash(str(error) + ".")
        return back
    db.session.commit()
    flash(message, "success" if changed else "message")
    return back


@bp.post("/door/invitations/<uuid:public_id>/check-in")
@roles_required(*DOOR_ROLES)
def check_in(public_id):
    invitation = _door_invitation(public_id)
    with_guests = request.form.get("who") != "young_person"

    def action():
        result = services.check_in(invitation, by=current_user, with_guests=with_guests)
        return result.message(), result.changed

    return _run(_back(invitation), action)


@bp.post("/door/invitations/<uuid:public_id>/check-out")
@roles_required(*DOOR_ROLES)
def check_out(public_id):
    invitation = _door_invitation(public_id)
    name = services.door_name(invitation.young_person)

    def action():
        done = services.check_out(invitation, by=current_user)
        return (f"{name} is no longer checked in." if done else f"{name} was not checked in: nothing changed."), done

    return _run(_back(invitation), action)


@bp.post("/door/guests/<uuid:guest_id>/check-in")
@roles_required(*DOOR_ROLES)
def check_in_guest(guest_id):
    guest = _door_guest(guest_id)

    def action():
        result = services.check_in_guest(guest, by=current_user)
        return result.message(), result.changed

    return _run(_back(guest.invitation), action)


@bp.post("/door/guests/<uuid:guest_id>/check-out")
@roles_required(*DOOR_ROLES)
def check_out_guest(guest_id):
    guest = _door_guest(guest_id)

    def action():
        done = services.check_out_guest(guest, by=current_user)
        return (f"{guest.name} is no longer checked in." if done else f"{guest.name} was not checked in: nothing changed."), done

    return _run(_back(guest.invitation), action)


def _door_registration(public_id):
    from cpevents.registrations.models import Registration

    registration = load_or_404(Registration, public_id=str(public_id))
    require(can_open_door_list(current_user, registration.event))
    return registration


def _registration_row(registration):
    """Back to their row on the door list."""
    return redirect(url_for("door.event_list", public_id=registration.event.public_id, q=_search(), _anchor="r-" + registration.public_id))


@bp.post("/door/registrations/<uuid:public_id>/check-in")
@roles_required(*DOOR_ROLES)
def check_in_registration(public_id):
    registration = _door_registration(public_id)

    def action():
        result = services.check_in_registration(registration, by=current_user)
        return result.message(), result.changed

    return _run(_registration_row(registration), action)


@bp.post("/door/registrations/<uuid:public_id>/check-out")
@roles_required(*DOOR_ROLES)
def check_out_registration(public_id):
    registration = _door_registration(public_id)
    name = registration.name

    def action():
        done = services.check_out_registration(registration, by=current_user)
        return (f"{name} is no longer checked in." if done else f"{name} was not checked in: nothing changed."), done

    return _run(_registration_row(registration), action)


@bp.route("/door/invitations/<uuid:public_id>/late-guest", methods=["GET", "POST"])
@roles_required(*DOOR_ROLES)
def late_guest(public_id):
    invitation = _door_invitation(public_id)
    event = invitation.event
    name = services.door_name(invitation.young_person)
    back = "code" if request.values.get("back") == "code" else ""
    form = LateGuestForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            guest = services.add_late_guest(invitation, name=answer(form.name.data), age_group=AgeGroup(form.age_group.data), by=current_user)
        except services.DoorError as error:
            db.session.rollback()
            flash(str(error) + ".")
            return _back(invitation)
        db.session.commit()
        flash(f"{guest.name} added as {name}'s guest and checked in.", "success")
        return _back(invitation)
    status = 400 if request.method == "POST" else 200
    return render_template("door/late_guest.html", event=event, invitation=invitation, name=name, form=form, back=back, q=_search(),
                           can_check_in=can_check_in(current_user, event)), status


@bp.route("/door/guests/<uuid:guest_id>/remove", methods=["GET", "POST"])
@roles_required(*DOOR_ROLES)
def remove_late_guest(guest_id):
    """A guest added at the door by mistake: a page asks first, the button removes them."""
    guest = _door_guest(guest_id)
    invitation = guest.invitation
    if request.method == "POST":
        def action():
            name = services.remove_late_guest(guest, by=current_user)
            return f"{name} removed from {services.door_name(invitation.young_person)}'s guests.", True

        return _run(_back(invitation), action)
    return render_template("door/remove_guest.html", event=invitation.event, invitation=invitation, guest=guest, name=services.door_name(invitation.young_person),
                           back_url=_back(invitation).location, back="code" if request.args.get("back") == "code" else "", q=_search(),
                           can_check_in=can_check_in(current_user, invitation.event))


# --- the door list offline: taps sent from the phone, the service worker, the manifest -----------


def _taps_refused(message: str, status: int):
    return jsonify({"error": message}), status


@bp.post("/door/events/<uuid:public_id>/taps")
@roles_required(*DOOR_ROLES)
@csrf.exempt  # checked below, so a missing token is answered in JSON rather than the HTML error page
def send_taps(public_id):
    """Taps made on a phone (perhaps offline), sent as JSON with the CSRF token in the X-CSRFToken
    header. Answers each tap: recorded, already (sent before, or nothing to change) or refused, in
    plain words. See cpevents.door.taps."""
    from flask_wtf.csrf import ValidationError, validate_csrf

    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        return _taps_refused("Your session has expired or the page is out of date: open the door list again while online, then the taps are sent.", 400)
    event = load_or_404(Event, public_id=str(public_id))
    if not can_check_in(current_user, event):
        if not can_open_door_list(current_user, event) and not is_door_helper_for(current_user, event):
            return _taps_refused("You are not helping at the door of this event. Ask an organiser if you should be.", 403)
        if event.is_closed:
            return _taps_refused(services.CLOSED + ".", 403)
        if event.is_cancelled:
            return _taps_refused(services.CANCELLED + ".", 403)
        return _taps_refused(services.NOT_TODAY + f": {event.event_date:%A %-d %B %Y}.", 403)
    payload = request.get_json(silent=True)
    try:
        sent = taps.parse(payload)
    except taps.BadTaps as error:
        return _taps_refused(str(error) + ".", 400)
    taps.forget_old_taps()
    db.session.commit()
    results = []
    for tap in sent:
        if taps.already_sent(tap):
            results.append(taps.Outcome(tap.id, "already", taps.ALREADY_SENT))
            continue
        try:
            outcome = taps.record_tap(event, tap, by=current_user)
        except services.DoorError as error:
            db.session.rollback()
            results.append(taps.Outcome(tap.id, "refused", str(error) + "."))
            continue
        except IntegrityError:  # the same tap, recorded by another request meanwhile
            db.session.rollback()
            results.append(taps.Outcome(tap.id, "already", taps.ALREADY_SENT))
            continue
        db.session.commit()
        results.append(outcome)
    counts = queries.counts(event)
    return jsonify({"results": [r.as_json() for r in results],
                    "counts": {"young_people": f"{counts.young_people_arrived} of {counts.young_people_expected}",
                               "guests": f"{counts.guests_arrived} of {counts.guests_expected}"}})


@bp.get("/door/sw.js")
@public
def service_worker():
    """The door list's service worker (hand-written, cpevents/static/js/door-sw.js), served from
    /door/ so that its scope is the door pages and nothing else. Public: it holds no data, and the
    browser fetches it again to look for updates, signed in or not."""
    response = current_app.send_static_file("js/door-sw.js")
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/door/"
    return response


@bp.get("/door/manifest.webmanifest")
@public
def manifest():
    """The web app manifest: the door list installs as an app that opens at /door/."""
    data = {
        "name": f"Door list – {current_app.config['SERVICE_NAME']}",
        "short_name": "Door list",
        "start_url": url_for("door.start"),
        "scope": url_for("door.start"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b0c0c",
        "icons": [{"src": url_for("static", filename="images/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    response = jsonify(data)
    response.headers["Content-Type"] = "application/manifest+json"
    return response


@bp.get("/door/")
@roles_required(*DOOR_ROLES)
def start():
    """Where the installed app opens: the door helper's events (offline, the service worker shows
    the door list last opened instead)."""
    if current_user.has_role(Role.DOOR_HELPER):
        return redirect(url_for("home.door_helper"))
    return redirect(url_for("home.index"))


# --- organisers: door helpers and door notes ------------------------------------------------------


@bp.route("/events/<uuid:public_id>/door-helpers", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def helpers(public_id):
    event = load_or_404(Event, public_id=str(public_id))
    form = DoorHelperForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                helper = services.add_door_helper(event, name=answer(form.name.data), email=answer(form.email.data), by=current_user)
            except (services.DoorError, AccountError) as error:
                add_error(form.email, str(error))
            else:
                db.session.commit()
                flash(f"{helper.user.name} can check people in at the door on {event.event_date:%-d %B %Y}. We have emailed them.", "success")
                return redirect(url_for("door.helpers", public_id=event.public_id))
        return render_template("door/helpers.html", event=event, form=form, helpers=queries.helpers_for(event), remove=_confirm()), 400
    return render_template("door/helpers.html", event=event, form=form, helpers=queries.helpers_for(event), remove=_confirm())


def _confirm():
    from cpevents.core.forms import ConfirmForm

    return ConfirmForm(formdata=None)


@bp.post("/door-helpers/<uuid:public_id>/remove")
@roles_required(Role.ORGANISER)
def remove_helper(public_id):
    helper = load_or_404(EventDoorHelper, public_id=str(public_id))
    event, name = helper.event, helper.user.name
    if _valid_post():
        services.remove_door_helper(helper, by=current_user)
        db.session.commit()
        flash(f"{name} no longer helps at the door of {event.name}.", "success")
    return redirect(url_for("door.helpers", public_id=event.public_id))


@bp.route("/invitations/<uuid:public_id>/door-note", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def door_note(public_id):
    invitation = load_or_404(Invitation, public_id=str(public_id))
    form = DoorNoteForm()
    if request.method == "POST":
        if form.validate_on_submit():
            services.set_door_note(invitation, form.note.data or "", by=current_user)
            db.session.commit()
            flash("Door note saved." if invitation.door_note else "Door note removed.", "success")
            return redirect(url_for("invitations.show", public_id=invitation.public_id))
        return render_template("door/note.html", invitation=invitation, event=invitation.event, person=invitation.young_person, form=form), 400
    form.note.data = invitation.door_note
    return render_template("door/note.html", invitation=invitation, event=invitation.event, person=invitation.young_person, form=form)
