"""The young person's own pages, reached through their personal link.

`/i/<token>` (the token is the last part of the path, never a query string) only looks the link
up: it writes nothing, because email scanners open links. It keeps the link's id in the session
and sends the visitor to `/invitation`, an address with no token in it. Every page checks on each
request that the link still works (not revoked, invitation not removed, event not over), so
revoking a link ends a session that opened it at once. Every change is a form POST with CSRF.

The session cookie is signed, not encrypted: whoever holds it can read it. So it carries only the
link's id, whether "check it's you" was passed, and the id of the reply in progress; the answers
themselves (guests' names, needs) wait on the server (`ReplyDraft`) until "Send my reply".
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload

from cpevents.core import ratelimits
from cpevents.core.access import token_link
from cpevents.core.forms import add_error, answer
from cpevents.core.personal_links import link_does_not_work, start_visit
from cpevents.core.security import private_link_headers
from cpevents.events.models import Event
from cpevents.extensions import db, limiter
from cpevents.invitations import consents, queries, services
from cpevents.invitations.forms import (
    ATTENDING_STATUS,
    AcceptForm,
    AttendForm,
    CheckForm,
    ChoicesForm,
    IdentityForm,
    NeedsForm,
    guests_form,
    reply_from,
)
from cpevents.invitations.models import (
    ACCESS_LABELS,
    DIETARY_LABELS,
    AgeGroup,
    ConsentHow,
    Invitation,
    InvitationLink,
    InvitationSettings,
    InvitationStatus,
    ReplyHow,
)
from cpevents.nominations.models import NominationFile
from cpevents.young_people.models import YoungPerson

bp = Blueprint("rsvp", __name__)
KEY = "rsvp"


@bp.after_request
def _private(response):
    return private_link_headers(response)


def _link_does_not_work():
    return link_does_not_work(KEY)


@bp.get("/i/<token>")
@token_link
@limiter.limit(ratelimits.token_limit)
def open_link(token):
    return start_visit(KEY, services.find_link(token), "rsvp.page", ok=False)


# --- the session's invitation ------------------------------------------------------------------------------


class Visit:
    def __init__(self, link: InvitationLink, invitation: Invitation, person: YoungPerson, event: Event, settings: InvitationSettings | None, state: dict,
                 *, has_file: bool = True):
        self.has_file = has_file  # a nomination file at this event: the only way to be shortlisted for an award
        self.link = link
        self.invitation = invitation
        self.state = state
        self.person = person
        self.event = event
        self.settings = settings or services.default_settings(event)
        self._draft: dict | None = None

    @property
    def checked(self) -> bool:
        """Identity checked, or not asked for."""
        return not self.invitation.check_identity or self.state.get("ok", False)

    @property
    def show_venue(self) -> bool:
        return not self.person.contact_restriction or (self.invitation.check_identity and self.state.get("ok", False))

    @property
    def show_private(self) -> bool:
        """What the page may say about them beyond their first name (where the evening is, the
        award they are shortlisted for): hidden from a link that may be in the wrong hands, as
        for the venue."""
        return self.show_venue

    @property
    def open(self) -> bool:
        return self.event.takes_replies and self.settings.reply_open()

    @property
    def allowance(self) -> int:
        return self.invitation.allowance(self.settings)

    @property
    def draft(self) -> dict:
        """The answers so far, read from the server the first time a page asks."""
        if self._draft is None:
            self._draft = services.read_draft(self.invitation, self.state.get("draft"))
        return self._draft

    def save(self) -> None:
        """Keep the answers on the server (committed here) and only their id in the cookie."""
        if self._draft is not None:
            self.state["draft"] = services.save_draft(self.invitation, self.state.get("draft"), self._draft)
            db.session.commit()
        session[KEY] = self.state
        session.modified = True

    def forget_draft(self) -> None:
        """The reply is sent: its draft goes (in the caller's transaction)."""
        services.delete_draft(self.state.pop("draft", None))
        self._draft = None
        session[KEY] = self.state
        session.modified = True

    def context(self, **extra) -> dict:
        return {"visit": self, "invitation": self.invitation, "person": self.person, "event": self.event, "settings": self.settings, **extra}


# Everything a page needs, in one query. Built once: SQLAlchemy keeps the statement's cache key,
# so each request only binds the link's id (this page is the busiest a young person sees).
# Issue 19: the guests come in the same query (joined; 0-3 rows a reply), and whether the young
# person has a nomination file at this event, so that the page asks for shortlisted awards only
# when there can be one: two round trips fewer on PostgreSQL for most invitees.
VISIT_QUERY = (
    select(
        InvitationLink, Invitation, YoungPerson, Event, InvitationSettings,
        exists().where(NominationFile.event_id == Invitation.event_id, NominationFile.young_person_id == Invitation.young_person_id).label("has_file"),
    )
    .join(Invitation, InvitationLink.invitation_id == Invitation.id)
    .join(YoungPerson, Invitation.young_person_id == YoungPerson.id)
    .join(Event, Invitation.event_id == Event.id)
    .outerjoin(InvitationSettings, InvitationSettings.event_id == Event.id)
    .where(InvitationLink.id == bindparam("link_id"))
    .options(joinedload(Invitation.guests))
)


def _visit() -> Visit | None:
    state = session.get(KEY)
    if not isinstance(state, dict) or not isinstance(state.get("link"), int):
        return None
    rows = db.session.execute(VISIT_QUERY, {"link_id": state["link"]}).unique().all()  # unique(): one row, guests joined
    if not rows or not services.link_works(rows[0][0]):
        return None
    link, invitation, person, event, settings, has_file = rows[0]._tuple()
    return Visit(link, invitation, person, event, settings, dict(state), has_file=bool(has_file))


def _guarded(view):
    """Load the visit; send to the identity check first when it is asked for."""
    from functools import wraps

    @wraps(view)
    def wrapper(*args, **kwargs):
        visit = _visit()
        if visit is None:
            return _link_does_not_work()
        if not visit.checked:
            return redirect(url_for("rsvp.check_its_you"))
        return view(visit, *args, **kwargs)

    return wrapper


def _reply_open_or_back(visit: Visit):
    if not visit.open:
        return redirect(url_for("rsvp.page"))
    return None


# --- pages -----------------------------------------------------------------------------------------------------


@bp.get("/invitation")
@token_link
@_guarded
def page(visit: Visit):
    invitation = visit.invitation
    status = invitation.status
    asking = invitation.replied_at is None and status != InvitationStatus.OFFERED and visit.open
    return render_template(
        "invitations/rsvp/page.html",
        **visit.context(
            form=AttendForm(formdata=None) if asking else None,
            accept_form=AcceptForm(formdata=None) if status == InvitationStatus.OFFERED else None,
            door=services.door_svg(invitation) if status == InvitationStatus.COMING else None,
            awards=queries.shortlisted_awards(invitation) if visit.show_private and visit.has_file else [],
        ),
    )


@bp.route("/invitation/check-its-you", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.form_limit, methods=["POST"])
def check_its_you():
    visit = _visit()
    if visit is None:
        return _link_does_not_work()
    if visit.checked:
        return redirect(url_for("rsvp.page"))
    form = IdentityForm()
    locked = visit.invitation.identity_locked
    if request.method == "POST" and not locked and form.validate_on_submit():
        if services.check_date_of_birth(visit.invitation, answer(form.date_of_birth.data)):
            db.session.commit()
            visit.state["ok"] = True
            visit.save()
            return redirect(url_for("rsvp.page"))
        db.session.commit()
        locked = visit.invitation.identity_locked
        if not locked:
            add_error(form.date_of_birth, "That date of birth does not match. Check it and try again")
    status = 400 if request.method == "POST" else 200
    return render_template("invitations/rsvp/check_its_you.html", locked=locked, **visit.context(form=form)), status


@bp.route("/invitation/can-you-come", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit, methods=["POST"])
@_guarded
def attending(visit: Visit):
    closed = _reply_open_or_back(visit)
    if closed:
        return closed
    form = AttendForm()
    if request.method == "GET":
        form.attending.data = visit.draft.get("attending") or _saved_attending(visit.invitation)
        return render_template("invitations/rsvp/attending.html", **visit.context(form=form))
    if not form.validate_on_submit():
        return render_template("invitations/rsvp/attending.html", **visit.context(form=form)), 400
    visit.draft["attending"] = form.attending.data
    visit.save()
    if form.attending.data == "yes":
        return redirect(url_for("rsvp.guests") if visit.allowance else url_for("rsvp.needs"))
    return redirect(url_for("rsvp.check"))


def _saved_attending(invitation: Invitation) -> str | None:
    if invitation.replied_at is None:
        return None
    return {InvitationStatus.NOT_COMING: "no", InvitationStatus.NOT_SURE: "not_sure"}.get(invitation.status, "yes")


@bp.route("/invitation/guests", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit, methods=["POST"])
@_guarded
def guests(visit: Visit):
    closed = _reply_open_or_back(visit)
    if closed or visit.draft.get("attending") != "yes":
        return closed or redirect(url_for("rsvp.attending"))
    form = guests_form(visit.allowance)
    if request.method == "GET":
        saved = visit.draft.get("guests")
        form.fill_guests(saved if saved is not None else visit.invitation.guests)
        return render_template("invitations/rsvp/guests.html", **visit.context(form=form))
    if not form.validate_on_submit():
        return render_template("invitations/rsvp/guests.html", **visit.context(form=form)), 400
    visit.draft["guests"] = [[name, age.value, needs] for (name, age), needs in zip(form.guests(), form.guest_needs(), strict=True)]
    visit.save()
    return redirect(url_for("rsvp.needs"))


@bp.route("/invitation/your-needs", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit, methods=["POST"])
@_guarded
def needs(visit: Visit):
    closed = _reply_open_or_back(visit)
    if closed or visit.draft.get("attending") != "yes":
        return closed or redirect(url_for("rsvp.attending"))
    form = NeedsForm()
    if request.method == "GET":
        form.fill_needs(visit.invitation)
        form.leave_unchosen(visit.invitation)
        saved = visit.draft.get("needs")
        if saved:
            for name, value in saved.items():
                form[name].data = value if name != "travel_help" else (["yes"] if value else [])
        return render_template("invitations/rsvp/needs.html", **visit.context(form=form))
    valid = form.validate_on_submit()
    if valid and visit.settings.ask_name_read and "name_read" not in request.form:
        add_error(form.name_read, "Select how your name should be read out")
        valid = False
    if not valid:
        return render_template("invitations/rsvp/needs.html", **visit.context(form=form)), 400
    visit.draft["needs"] = form.needs()
    visit.save()
    return redirect(url_for("rsvp.check"))


def _draft_reply(visit: Visit):
    draft = visit.draft
    if draft.get("attending") not in ATTENDING_STATUS:
        return None
    status = ATTENDING_STATUS[draft["attending"]]
    if status != InvitationStatus.COMING:
        return reply_from(status, [], {})
    guests = draft.get("guests")
    if guests is None:
        guests = [(g.name, g.age_group, _guest_needs(g)) for g in visit.invitation.guests] if visit.allowance == 0 else None
        if guests is None:
            return None
    needs = draft.get("needs")
    if needs is None:
        return None
    guests = guests[: visit.allowance]
    return reply_from(status, [(g[0], AgeGroup(g[1]) if not isinstance(g[1], AgeGroup) else g[1]) for g in guests], needs,
                      [g[2] if len(g) > 2 and isinstance(g[2], dict) else {} for g in guests])


def _guest_needs(guest) -> dict:
    return {"dietary": guest.dietary_codes, "dietary_other": guest.dietary_other, "access": guest.access_codes, "access_other": guest.access_other,
            "photo_consent": guest.photo_consent}


@bp.route("/invitation/check-your-answers", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit, methods=["POST"])
@_guarded
def check(visit: Visit):
    closed = _reply_open_or_back(visit)
    if closed:
        return closed
    reply = _draft_reply(visit)
    if reply is None:
        return redirect(url_for("rsvp.attending"))
    form = CheckForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.record_reply(visit.invitation, reply, by=None, how=ReplyHow.LINK)
        except services.ReplyError as e:
            db.session.rollback()
            error = str(e)
        else:
            visit.forget_draft()
            db.session.commit()
            return redirect(url_for("rsvp.done"))
    page = render_template("invitations/rsvp/check.html", reply=reply, error=error, dietary_words=_words(reply.dietary, reply.dietary_other, DIETARY_LABELS),
                           access_words=_words(reply.access, reply.access_other, ACCESS_LABELS), guest_lines=_guest_lines(reply, visit.settings),
                           **visit.context(form=form))
    return page, (400 if request.method == "POST" else 200)


def _guest_lines(reply, settings) -> list[str]:
    """One line a guest: name, adult or child, and their needs (as the event asks them)."""
    lines = []
    for index, (name, age) in enumerate(reply.guests):
        needs = reply.guest_needs[index] if index < len(reply.guest_needs) else {}
        parts = []
        if settings.ask_dietary:
            parts.append("food and drink: " + (_words(needs.get("dietary", []), needs.get("dietary_other", ""), DIETARY_LABELS) or "none"))
        if settings.ask_access:
            parts.append("access: " + (_words(needs.get("access", []), needs.get("access_other", ""), ACCESS_LABELS) or "none"))
        lines.append(f"{name} ({age.value})" + ("; " + "; ".join(parts) if parts else ""))
    return lines


def _words(codes: list[str], other: str, labels: dict) -> str:
    return ", ".join([labels[c] for c in codes if c in labels and c != "other"] + ([other] if other else []))


@bp.get("/invitation/reply-sent")
@token_link
@_guarded
def done(visit: Visit):
    invitation = visit.invitation
    if invitation.replied_at is None:
        return redirect(url_for("rsvp.page"))
    coming = invitation.status == InvitationStatus.COMING
    return render_template("invitations/rsvp/done.html", **visit.context(door=services.door_svg(invitation) if coming else None))


@bp.post("/invitation/accept")
@token_link
@limiter.limit(ratelimits.token_limit)
@_guarded
def accept(visit: Visit):
    if AcceptForm().validate_on_submit():
        try:
            services.accept_offer(visit.invitation, by=None, how=ReplyHow.LINK)
        except services.ReplyError as error:
            db.session.rollback()
            flash(str(error))
            return redirect(url_for("rsvp.page"))
        db.session.commit()
        return redirect(url_for("rsvp.done"))
    return redirect(url_for("rsvp.page"))


@bp.get("/invitation/calendar.ics")
@token_link
@_guarded
def calendar(visit: Visit):
    if visit.invitation.status != InvitationStatus.COMING:
        return redirect(url_for("rsvp.page"))
    body = services.invitation_calendar(visit.invitation, show_venue=visit.show_venue)
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": 'attachment; filename="invitation.ics"'})


@bp.get("/invitation/door-code")
@token_link
@_guarded
def door_code(visit: Visit):
    """The door QR code on its own, big, to show on a phone at the door."""
    if visit.invitation.status != InvitationStatus.COMING:
        return redirect(url_for("rsvp.page"))
    return render_template("invitations/rsvp/door.html", **visit.context(door=services.door_svg(visit.invitation)))



@bp.route("/invitation/your-choices", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit, methods=["POST"])
@_guarded
def choices(visit: Visit):
    """Issue 16: after replying, any consent can be given or withdrawn here, at once. Only this
    invitation's own choices (and its own guests') are shown or changed."""
    invitation = visit.invitation
    if invitation.replied_at is None or invitation.status == InvitationStatus.NOT_COMING:
        return redirect(url_for("rsvp.page"))
    form = ChoicesForm()
    form.guest_photos.choices = [(str(g.public_id), g.name) for g in invitation.guests]
    if request.method == "GET":
        form.fill(invitation)
        return render_template("invitations/rsvp/choices.html", **visit.context(form=form, saved=request.args.get("saved") == "1",
                                                                                    waiting_for_agreement=consents.waiting_for_agreement(invitation)))
    if not form.validate_on_submit():
        return render_template("invitations/rsvp/choices.html", **visit.context(form=form, saved=False,
                                                                                    waiting_for_agreement=consents.waiting_for_agreement(invitation))), 400
    ticked = set(form.guest_photos.data or [])
    guests = {g: str(g.public_id) in ticked for g in invitation.guests}
    consents.change_choices(invitation, form.answers(), how=ConsentHow.LINK, by=None, guests=guests)
    db.session.commit()
    return redirect(url_for("rsvp.choices", saved=1))
