"""Public registration for an event's audiences (professionals, councillors, ...), the personal
cancel link, and the organisers' audience and registration pages."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user

from cpevents.core import ratelimits
from cpevents.core.access import load_or_404, public, require, roles_required, token_link
from cpevents.core.enums import Role
from cpevents.core.exports import download
from cpevents.core.forms import add_error, answer
from cpevents.core.security import private_link_headers
from cpevents.core.time import london, utcnow
from cpevents.core.views import Done, form_page
from cpevents.events.models import Event
from cpevents.extensions import db, limiter
from cpevents.mail.texts import texts_enabled
from cpevents.registrations import queries, services
from cpevents.registrations.forms import AudienceForm, CancelForm, OrganiserCancelForm, RegisterForm
from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus

bp = Blueprint("registrations", __name__)
DONE = "registered"


def _event(public_id) -> Event:
    return load_or_404(Event, public_id=str(public_id))


# --- the public registration page ------------------------------------------------------------------


def _places(counts: list[queries.AudienceCount]) -> dict[str, str]:
    """Each audience's places in words, for the hint under its choice: "12 places left", "Waiting
    list only"; nothing for an audience with no limit."""
    said = {}
    for count in counts:
        if count.free is None:
            continue
        said[count.audience.public_id] = "Waiting list only" if count.full else f"{count.free} {'place' if count.free == 1 else 'places'} left"
    return said


def _too_many(event: Event, form: RegisterForm, valid: bool) -> str | None:
    """The limits on registering, counted here rather than by a decorator so that someone who
    reaches one keeps what they typed and is told when to try again. Per client address (generous:
    a whole office may register from one address), and per event and email address (each try can
    send an email to that address's owner; only complete tries count, so fixing a
    mistake costs nothing there)."""
    config = current_app.config
    when = ratelimits.hit(config["RATELIMIT_REGISTER_ADDRESS"], "register-address", get_remote_address())
    if when:
        return (f"Too many registrations have been sent from your network in a short time. "
                f"Try again after {ratelimits.try_again_at(when)}: your answers are kept")
    if valid:
        key = services.email_key(answer(form.email.data))
        when = ratelimits.hit(config["RATELIMIT_REGISTER_EMAIL"], "register-email", str(event.public_id), key)
        if when:
            return f"This email address has been used to register for this event too many times. Try again after {ratelimits.try_again_at(when)}"
    return None


@bp.route("/events/<uuid:public_id>/register", methods=["GET", "POST"])
@public
def register(public_id):
    event = _event(public_id)
    counts = queries.audience_counts(event)
    every = [c.audience for c in counts]
    open_audiences = [a for a in every if a.registration_open]
    refusal = services.registration_refusal(event)
    if refusal or not open_audiences:
        return render_template("registrations/closed.html", event=event, reason=refusal or "Registration is not open for this event"), (200 if request.method == "GET" else 400)
    form = RegisterForm(audiences=open_audiences, closed=[a for a in every if not a.registration_open])
    if not texts_enabled():
        form.without_texts()
    page = {"event": event, "form": form, "places": _places(counts)}
    if request.method == "GET":
        if len(open_audiences) == 1:
            form.audience.data = open_audiences[0].public_id
        return render_template("registrations/register.html", **page)
    valid = form.validate_on_submit()
    too_many = _too_many(event, form, valid)
    if too_many:
        form.email.errors = list(form.email.errors or []) + [too_many]
        return render_template("registrations/register.html", **page), 429
    if not valid:
        return render_template("registrations/register.html", **page), 400
    try:
        services.register(event, answer(form.chosen()), form.details())
    except services.RegistrationError as error:
        add_error(form.audience, str(error))
        return render_template("registrations/register.html", **page), 400
    db.session.commit()
    # Only what was typed: the next page must read the same whether the address was new or had
    # registered already (outcome.duplicate), so it shows nothing that came from the database.
    session[DONE] = {"event": event.public_id, "email": form.details().email}
    return redirect(url_for("registrations.registered", public_id=event.public_id))


@bp.get("/events/<uuid:public_id>/register/done")
@public
def registered(public_id):
    """"Check your email", the same for a new registration and for an address already registered
    (whose owner is emailed instead): whether there is a place is said only in the email."""
    event = _event(public_id)
    state = session.get(DONE)
    if not isinstance(state, dict) or state.get("event") != event.public_id or not state.get("email"):
        return redirect(url_for("registrations.register", public_id=event.public_id))
    return render_template("registrations/registered.html", event=event, email=state["email"])


@bp.get("/events/<uuid:public_id>/calendar.ics")
@public
def calendar(public_id):
    """The event in a calendar file: only what the public registration page shows anyway."""
    event = _event(public_id)
    require(bool(queries.audiences(event)), 404)
    return Response(services.event_calendar(event), mimetype="text/calendar", headers={"Content-Disposition": 'attachment; filename="event.ics"'})


# --- the personal cancel link ----------------------------------------------------------------------------


@bp.route("/registrations/cancel/<token>", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit)
def cancel(token):
    """Opening the link changes nothing (mail scanners open links): a button confirms."""
    registration = services.find_by_cancel_token(token)
    if registration is None:
        return private_link_headers(Response(render_template("registrations/link_does_not_work.html"), status=404))
    event = registration.event
    form = CancelForm()
    too_late = services.registration_refusal(event) in (services.EVENT_CLOSED, services.EVENT_STARTED)
    if request.method == "POST" and not too_late and form.validate_on_submit():
        services.cancel_registration(registration)
        db.session.commit()
        return private_link_headers(Response(render_template("registrations/cancelled.html", event=event)))
    return private_link_headers(Response(render_template("registrations/cancel.html", event=event, registration=registration, form=form, too_late=too_late),
                                         status=400 if request.method == "POST" else 200))


# --- organisers ---------------------------------------------------------------------------------------------


def _audience(event: Event, audience_id) -> EventAudience:
    audience = load_or_404(EventAudience, public_id=str(audience_id))
    require(audience.event_id == event.id, 404)
    return audience


@bp.get("/events/<uuid:public_id>/registrations")
@roles_required(Role.ORGANISER)
def index(public_id):
    event = _event(public_id)
    require(event.can_manage(current_user))
    counts = queries.audience_counts(event)
    rows = queries.registrations(event)
    by_audience: dict[int, list[Registration]] = {c.audience.id: [] for c in counts}
    for registration in rows:
        by_audience.setdefault(registration.audience_id, []).append(registration)
    return render_template("registrations/index.html", event=event, counts=counts, by_audience=by_audience)


@bp.get("/events/<uuid:public_id>/registrations.csv")
@roles_required(Role.ORGANISER)
def export(public_id):
    event = _event(public_id)
    require(event.can_manage(current_user))
    names = {a.id: a.name for a in queries.audiences(event)}
    header = ["Audience", "Status", "Name", "Organisation", "Role or job title", "Email address", "Access needs", "Food and drink needs", "Registered",
              "Waiting since", "Cancelled"]
    event_id = event.id

    def batches():  # streamed, a batch of registrations at a time (issue 19); starts with a byte-order mark
        yield [header]
        for registrations in queries.registration_batches(event_id):
            yield [(
                names.get(r.audience_id, ""), r.status.label, r.name, r.organisation, r.role, r.email, r.access_needs, r.dietary_needs,
                london(r.created_at, "%Y-%m-%d %H:%M"), london(r.waiting_since, "%Y-%m-%d %H:%M"), london(r.cancelled_at, "%Y-%m-%d %H:%M"),
            ) for r in registrations]

    return download(batches, "csv", "registrations", "Registrations")


@bp.route("/events/<uuid:public_id>/audiences/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new_audience(public_id):
    event = _event(public_id)
    require(event.can_manage(current_user))
    form = AudienceForm()

    def add() -> Done:
        audience = services.add_audience(event, **form.fields())
        return Done(url_for("events.show", public_id=event.public_id), f"Audience “{audience.name}” added.")

    return form_page(form, "registrations/audience_form.html", add, fails=(services.RegistrationError,), error_field="name",
                     event=event, audience=None)


@bp.route("/events/<uuid:public_id>/audiences/<uuid:audience_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit_audience(public_id, audience_id):
    event = _event(public_id)
    audience = _audience(event, audience_id)
    require(audience.can_manage(current_user))
    if request.method == "GET":
        form = AudienceForm(obj=audience, kind=audience.kind.value, registration="open" if audience.registration_open else "closed")
    else:
        form = AudienceForm()

    def save() -> Done:
        promoted = services.update_audience(audience, **form.fields())
        extra = f" {len(promoted)} {'person' if len(promoted) == 1 else 'people'} on the waiting list now {'has a place' if len(promoted) == 1 else 'have places'} and will get an email." if promoted else ""
        return Done(url_for("events.show", public_id=event.public_id), f"Audience “{audience.name}” saved.{extra}")

    return form_page(form, "registrations/audience_form.html", save, fails=(services.RegistrationError,), error_field="name",
                     event=event, audience=audience)


@bp.route("/registrations/<uuid:public_id>/cancel", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def organiser_cancel(public_id):
    registration = load_or_404(Registration, public_id=str(public_id))
    require(registration.can_manage(current_user))
    event = registration.event
    form = OrganiserCancelForm()
    if registration.status == RegistrationStatus.CANCELLED:
        return render_template("registrations/organiser_cancel.html", event=event, registration=registration, form=form)

    def cancel_it() -> Done:
        promoted = services.cancel_registration(registration, by=current_user, now=utcnow())
        extra = f" {promoted[0].name} from the waiting list now has the place and will get an email." if promoted else ""
        return Done(url_for("registrations.index", public_id=event.public_id), f"Registration for {registration.name} cancelled. They will get an email.{extra}")

    return form_page(form, "registrations/organiser_cancel.html", cancel_it, event=event, registration=registration)
