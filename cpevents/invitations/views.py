"""Organisers run the invitation list and guest list; workers reply for the young people they work
with. (The young person's own pages, behind the personal link, are in rsvp_views.py.)"""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm, add_error, answer
from cpevents.core.paging import paged
from cpevents.core.security import private_link_headers
from cpevents.core.views import Done, form_page
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.invitations import consents, exports, queries, services
from cpevents.invitations.forms import (
    ASKS,
    AddForm,
    AllowanceForm,
    FilterForm,
    FindForm,
    SendForm,
    SettingsForm,
    StaffChoicesForm,
    on_behalf_form,
)
from cpevents.invitations.models import ConsentHow, Guest, Invitation, InvitationStatus, ReplyHow
from cpevents.young_people.models import YoungPerson

bp = Blueprint("invitations", __name__)

MINE_PAGE_SIZE = 50  # a worker's invitations, newest first
GUEST_LIST_PAGE_SIZE = 100  # an event's guest list, in name order (searched and filtered too)

WORKERS = (Role.NOMINATOR, Role.CHAMPION)


def _event(public_id) -> Event:
    return load_or_404(Event, public_id=str(public_id))


def _invitation(public_id) -> Invitation:
    return load_or_404(Invitation, public_id=str(public_id))


def list_is_final(find_event):
    """Once an organiser closes an event its invitation list is final: a POST that would change
    it gets a plain message and changes nothing. Goes under the access rule, so a wrong role
    still gets its 403 first."""

    def decorator(view):
        @wraps(view)
        def wrapper(public_id, *args, **kwargs):
            if request.method == "POST":
                event = find_event(public_id)
                if event.is_closed:
                    flash("This event is closed, so its invitation list is final. Nothing was changed.")
                    return redirect(url_for("invitations.index", public_id=event.public_id))
                if event.is_cancelled:
                    flash("This event has been cancelled, so its invitation list is final. Nothing was changed.")
                    return redirect(url_for("invitations.index", public_id=event.public_id))
            return view(public_id, *args, **kwargs)

        return wrapper

    return decorator


_by_event = list_is_final(_event)
_by_invitation = list_is_final(lambda public_id: _invitation(public_id).event)


# --- the guest list -------------------------------------------------------------------------------


@bp.get("/events/<uuid:public_id>/invitations")
@roles_required(Role.ORGANISER)
def index(public_id):
    event = _event(public_id)
    form = FilterForm(request.args)
    form.show.choices = list(queries.FILTERS.items())
    q = form.q.data or "" if form.q.validate(form) else ""
    show = request.args.get("show", "") if request.args.get("show", "") in queries.FILTERS else ""
    form.show.data = show
    counts = queries.counts(event.id)
    # A page at a time (issue 19: a guest list of 600 coming was 330 ms and 380 KB on one page).
    listed = paged(queries.guest_list_statement(event.id, q=q, show=show), GUEST_LIST_PAGE_SIZE)
    queries.attach_guests(event.id, listed.rows, all_of_event=False)
    return render_template(
        "invitations/index.html",
        event=event,
        form=form,
        settings=services.read_settings(event),
        invitations=listed.rows,
        total=listed.total,
        page=listed.page,
        pages=listed.pages,
        counts=counts,
        capacity_warning=queries.capacity_warning(event, counts),
        filtered=bool(q or show),
        shortlist_form=ConfirmForm(formdata=None),
    )


@bp.route("/events/<uuid:public_id>/invitations/settings", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def settings(public_id):
    event = _event(public_id)
    settings = services.settings_for(event)
    form = SettingsForm()
    if request.method == "GET":
        form.guest_allowance.data = settings.guest_allowance
        form.offer_hours.data = settings.offer_hours
        form.asks.data = [name for name, _ in ASKS if getattr(settings, name)]
        day = settings.reply_by_day  # None when there is no reply_by
        if day:
            form.reply_by.data = day
            form.reply_by.raw_data = [str(day.day), str(day.month), str(day.year)]
        db.session.commit()

    def save() -> Done:
        asks = {name: name in (form.asks.data or []) for name, _ in ASKS}
        services.update_settings(settings, guest_allowance=answer(form.guest_allowance.data), reply_by=form.reply_by_utc(), asks=asks,
                                 offer_hours=answer(form.offer_hours.data))
        return Done(url_for("invitations.index", public_id=event.public_id), "Invitation settings saved.")

    return form_page(form, "invitations/settings.html", save, fails=(services.SettingsError,), error_field="reply_by", event=event)


@bp.route("/events/<uuid:public_id>/invitations/add", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
@_by_event
def add(public_id):
    event = _event(public_id)
    if request.method == "POST":
        form = AddForm()
        person = None
        if form.validate_on_submit():
            person = db.session.execute(db.select(YoungPerson).filter_by(public_id=form.person.data or "")).scalar_one_or_none()
        if person is None or person.is_merged:
            flash("That young person could not be found. Search again.")
            return redirect(url_for("invitations.add", public_id=event.public_id))
        try:
            added = services.invite(event, person, by=current_user)
        except services.InviteRefused as refused:
            db.session.rollback()
            flash(str(refused))
            return redirect(url_for("invitations.add", public_id=event.public_id, q=request.args.get("q", "")))
        db.session.commit()
        flash(f"{person.full_name} {'added to the list' if added else 'is on the list already'}.", "success")
        warning = queries.capacity_warning(event)
        if added and warning:
            flash(warning)
        return redirect(url_for("invitations.add", public_id=event.public_id, q=request.args.get("q", "")))
    find = FindForm(request.args)
    q = find.q.data or "" if find.validate() else ""
    status = 200 if not find.errors else 400
    return render_template("invitations/add.html", event=event, find=find, results=queries.find_to_add(event.id, q), q=q, add_form=AddForm(formdata=None)), status


@bp.post("/events/<uuid:public_id>/invitations/add-shortlist")
@roles_required(Role.ORGANISER)
@_by_event
def add_shortlist(public_id):
    event = _event(public_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if not queries.shortlisted_young_people(event):
            flash("There is no shortlist for this event yet. Organisers choose it on the event's judging page; you can add young people one by one meanwhile.")
        else:
            result = services.invite_shortlist(event, by=current_user)
            db.session.commit()
            added = result.added
            if added or not result.said_no_thanks:
                flash(f"{added} young {'person' if added == 1 else 'people'} added from the shortlist." if added else "Everyone on the shortlist is on the list already.", "success")
            for person in result.said_no_thanks:
                flash(services.said_no_thanks_message(person))
    return redirect(url_for("invitations.index", public_id=event.public_id))


@bp.route("/events/<uuid:public_id>/invitations/send", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
@_by_event
def send(public_id):
    event = _event(public_id)
    counts = queries.counts(event.id)
    form = SendForm()
    if request.method == "POST" and form.validate_on_submit():
        batch, emailed, letters = services.send_invitations(event, by=current_user)
        db.session.commit()
        flash(f"{emailed} invitation{'s' if emailed != 1 else ''} queued to send by email. "
              + (f"{letters} young {'person needs' if letters == 1 else 'people need'} a printed letter." if letters else ""), "success")
        return redirect(url_for("emails.index") if batch else url_for("invitations.index", public_id=event.public_id))
    unsent = [i for i in queries.guest_list(event.id) if i.sent_at is None and not i.letter_needed]
    by_email = sum(1 for i in unsent if i.young_person.email)
    return render_template("invitations/send.html", event=event, form=form, by_email=by_email, by_letter=len(unsent) - by_email, counts=counts,
                           settings=services.read_settings(event))


@bp.route("/events/<uuid:public_id>/invitations/letters", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
@_by_event
def letters(public_id):
    """Printing makes a new link for each letter, so the page is the answer to a POST (the links
    never appear in an address) and cannot be printed twice by accident."""
    event = _event(public_id)
    waiting = queries.for_letters(event.id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit() and waiting:
        made = services.letter_links(waiting, by=current_user)
        settings = services.settings_for(event)
        pages = [(inv, url, services.link_svg(url)) for inv, url in made]
        html = render_template("invitations/letters.html", event=event, letters=pages, settings=settings)
        db.session.commit()
        return private_link_headers(make_response(html))
    return render_template("invitations/letters_start.html", event=event, waiting=waiting, form=ConfirmForm(formdata=None))


@bp.get("/events/<uuid:public_id>/invitations.<any(csv, xlsx):fmt>")
@roles_required(Role.ORGANISER)
def export(public_id, fmt):
    event = _event(public_id)
    return exports.download_response(event.id, fmt, "guest-list")


@bp.get("/events/<uuid:public_id>/invitations/needs")
@roles_required(Role.ORGANISER)
def needs(public_id):
    event = _event(public_id)
    return render_template("invitations/needs.html", event=event, summary=queries.needs_summary(event.id))


# --- one invitation ---------------------------------------------------------------------------------------


def _show(invitation: Invitation, status: int = 200, allowance_form=None, new_link=None):
    settings = services.read_settings(invitation.event)
    if allowance_form is None:
        allowance_form = AllowanceForm(formdata=None)
        allowance_form.allowance.data = invitation.guest_allowance
    page = render_template(
        "invitations/show.html", invitation=invitation, person=invitation.young_person, event=invitation.event, settings=settings,
        form=allowance_form, action=ConfirmForm(formdata=None), new_link=new_link, new_link_svg=services.link_svg(new_link) if new_link else None,
    )
    response = make_response(page, status)
    return private_link_headers(response) if new_link else response


@bp.get("/invitations/<uuid:public_id>")
@roles_required(Role.ORGANISER)
def show(public_id):
    invitation = _invitation(public_id)
    from cpevents.audit.models import AuditAction
    from cpevents.audit.services import record

    record(current_user, AuditAction.VIEWED, invitation, young_person=invitation.young_person)
    response = _show(invitation)
    db.session.commit()  # committed after rendering: a commit expires every loaded row, and the page would load them all again (issue 19)
    return response


@bp.post("/invitations/<uuid:public_id>/allowance")
@roles_required(Role.ORGANISER)
@_by_invitation
def allowance(public_id):
    invitation = _invitation(public_id)
    form = AllowanceForm()
    if not form.validate_on_submit():
        return _show(invitation, 400, allowance_form=form)
    kept = len(invitation.guests_counted) + len(invitation.guests_waiting)
    if form.allowance.data is not None and form.allowance.data < kept:
        add_error(form.allowance, f"They have {kept} guests already. Remove guests from their reply first, or allow at least {kept}")
        return _show(invitation, 400, allowance_form=form)
    services.set_allowance(invitation, form.allowance.data, by=current_user)
    db.session.commit()
    flash("Guest allowance saved.", "success")
    warning = queries.capacity_warning(invitation.event)
    if warning:
        flash(warning)
    return redirect(url_for("invitations.show", public_id=invitation.public_id))


@bp.post("/invitations/<uuid:public_id>/check-identity")
@roles_required(Role.ORGANISER)
@_by_invitation
def check_identity(public_id):
    invitation = _invitation(public_id)
    if ConfirmForm().validate_on_submit():
        services.set_check_identity(invitation, not invitation.check_identity, by=current_user)
        db.session.commit()
        flash("“Check it's you” is on: the page asks for their date of birth first." if invitation.check_identity else "“Check it's you” is off.", "success")
    return redirect(url_for("invitations.show", public_id=invitation.public_id))


@bp.post("/invitations/<uuid:public_id>/new-link")
@roles_required(Role.ORGANISER)
@_by_invitation
def new_link(public_id):
    invitation = _invitation(public_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("invitations.show", public_id=invitation.public_id))
    url = services.revoke_and_resend(invitation, by=current_user)
    db.session.commit()
    if url is None:
        flash("The old links have stopped working. We have emailed a new link.", "success")
        return redirect(url_for("invitations.show", public_id=invitation.public_id))
    flash("The old links have stopped working. They have no email address: print this page and give it to their worker.", "success")
    return _show(invitation, new_link=url)


@bp.post("/invitations/<uuid:public_id>/remove")
@roles_required(Role.ORGANISER)
@_by_invitation
def remove(public_id):
    invitation = _invitation(public_id)
    event = invitation.event
    if ConfirmForm().validate_on_submit():
        name = invitation.young_person.full_name
        services.remove_invitation(invitation, by=current_user)
        db.session.commit()
        flash(f"{name} removed from the list. Their links no longer work.", "success")
    return redirect(url_for("invitations.index", public_id=event.public_id))


def _decide_guest(public_id, guest_id, approve: bool):
    invitation = _invitation(public_id)
    guest = load_or_404(Guest, public_id=str(guest_id))
    require(guest.invitation_id == invitation.id, 404)
    if ConfirmForm().validate_on_submit():
        services.decide_guest(guest, approve, by=current_user)
        db.session.commit()
        flash(f"{guest.name} {'is confirmed' if approve else 'cannot come. We have told the young person, kindly'}.", "success")
    return redirect(url_for("invitations.show", public_id=invitation.public_id))


@bp.post("/invitations/<uuid:public_id>/guests/<uuid:guest_id>/approve")
@roles_required(Role.ORGANISER)
@_by_invitation
def approve_guest(public_id, guest_id):
    return _decide_guest(public_id, guest_id, True)


@bp.post("/invitations/<uuid:public_id>/guests/<uuid:guest_id>/refuse")
@roles_required(Role.ORGANISER)
@_by_invitation
def refuse_guest(public_id, guest_id):
    return _decide_guest(public_id, guest_id, False)


# --- replying on someone's behalf (organisers: phone or paper; workers) ---------------------------------


@bp.get("/your-invitations")
@roles_required(*WORKERS)
def mine():
    listed = paged(queries.for_worker(current_user), MINE_PAGE_SIZE)
    return render_template("invitations/mine.html", invitations=listed.rows, page=listed.page, pages=listed.pages)


@bp.route("/invitations/<uuid:public_id>/reply", methods=["GET", "POST"])
@roles_required(Role.ORGANISER, *WORKERS)
def reply(public_id):
    invitation = _invitation(public_id)
    require(invitation.can_reply_for(current_user), 404)
    settings = services.read_settings(invitation.event)
    organiser = current_user.has_role(Role.ORGANISER)
    form = on_behalf_form(invitation.allowance(settings))
    back = url_for("invitations.show", public_id=invitation.public_id) if organiser else url_for("invitations.mine")
    if invitation.event.is_closed:
        # Attendance is final once the event is closed: a plain page, nothing saved.
        return render_template("invitations/reply_closed.html", invitation=invitation, back=back), (200 if request.method == "GET" else 409)
    if request.method == "GET":
        if invitation.replied_at:
            form.attending.data = {InvitationStatus.NOT_COMING: "no", InvitationStatus.NOT_SURE: "not_sure"}.get(invitation.status, "yes")
            form.fill_guests(invitation.guests)
            form.fill_needs(invitation)
        else:
            form.guest_count.data = None
            form.leave_unchosen(invitation)  # issue 16: no answer chosen for them
        return render_template("invitations/reply.html", invitation=invitation, person=invitation.young_person, settings=settings, form=form, back=back, organiser=organiser)
    valid = form.validate_on_submit()
    if valid and form.attending.data == "yes" and settings.ask_name_read and "name_read" not in request.form:
        add_error(form.name_read, "Select how their name should be read out")
        valid = False
    if valid:
        try:
            status = services.record_reply(invitation, form.reply(), by=current_user, how=ReplyHow.ORGANISER if organiser else ReplyHow.WORKER,
                                           organiser_late=organiser)
        except services.ReplyError as error:
            db.session.rollback()
            form.attending.errors = [str(error)]
        else:
            db.session.commit()
            flash(f"Reply saved: {status.label.lower()}.", "success")
            return redirect(back)
    return render_template("invitations/reply.html", invitation=invitation, person=invitation.young_person, settings=settings, form=form, back=back, organiser=organiser), 400



@bp.route("/invitations/<uuid:public_id>/consents", methods=["GET", "POST"])
@roles_required(Role.ORGANISER, *WORKERS)
def consents_page(public_id):
    """Issue 16: consents given by phone (an organiser) or through a linked worker, the worker's or
    carer's agreement, and the history of every answer. Other workers get 404."""
    invitation = _invitation(public_id)
    require(invitation.can_reply_for(current_user), 404)
    organiser = current_user.has_role(Role.ORGANISER)
    how = ConsentHow.PHONE if organiser else ConsentHow.WORKER
    form = StaffChoicesForm()
    form.guest_photos.choices = [(str(g.public_id), g.name) for g in invitation.guests]
    back = url_for("invitations.show", public_id=invitation.public_id) if organiser else url_for("invitations.mine")

    def page(status=200):
        return render_template("invitations/consents.html", invitation=invitation, person=invitation.young_person, form=form, back=back,
                               history=consents.history(invitation), waiting=consents.waiting_for_agreement(invitation),
                               under_age=consents.under_agreement_age(invitation), organiser=organiser), status

    if request.method == "GET":
        form.fill(invitation)
        return page()
    if not form.validate_on_submit():
        return page(400)
    ticked = set(form.guest_photos.data or [])
    consents.change_choices(invitation, form.answers(), how=how, by=current_user, guests={g: str(g.public_id) in ticked for g in invitation.guests})
    if bool(form.needs_agreement.data) != invitation.needs_agreement:
        consents.mark_needs_agreement(invitation, bool(form.needs_agreement.data), how=how, by=current_user)
    if bool(form.agreed.data) != (invitation.agreed_at is not None):
        consents.record_agreement(invitation, bool(form.agreed.data), how=how, by=current_user)
    db.session.commit()
    flash("Choices saved.", "success")
    return redirect(url_for("invitations.consents_page", public_id=invitation.public_id))
