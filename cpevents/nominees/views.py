"""The nominee's own page through their personal link, and the buttons that let the service tell
them (the nominator's "I have told them", the organiser's "Tell the young person", the letters).

`/n/<token>` only looks the link up (email scanners open links): it keeps the link's id in the
session and redirects to `/nominated`, an address without the token. Every page checks on each
request that the link still works. Every change is a POST with CSRF, after a confirm page.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core import certificates, ratelimits
from cpevents.core.access import load_or_404, require, roles_required, token_link
from cpevents.core.enums import Role
from cpevents.core.forms import (
    Form,
    PlainText,
    Radios,
    Submit,
    Text,
    TextArea,
    add_error,
    button_form,
    max_length,
    required,
)
from cpevents.core.personal_links import link_does_not_work, start_visit
from cpevents.core.security import private_link_headers
from cpevents.extensions import db, limiter
from cpevents.judging import queries as judging_queries
from cpevents.nominations.models import Nomination, NominationFile, NominationStatus, YesNo
from cpevents.nominees import keepsake as keepsakes
from cpevents.nominees import queries, services
from cpevents.nominees.models import (
    CHOSEN_NAME_MAX,
    OWN_WORDS_MAX,
    PERSONAL_LINE_MAX,
    PRONUNCIATION_MAX,
    NomineeLink,
    NoticeState,
)
from cpevents.young_people.models import NameShown

bp = Blueprint("nominees", __name__)


@bp.after_request
def _private(response):
    return private_link_headers(response)
KEY = "nominee"

NoThanksForm = button_form("Yes, no thanks")
ToldForm = button_form("I have told them")
TellForm = button_form("Tell the young person")
ApproveForm = button_form("Approve for the young person to read")


class OwnWordsForm(Form):
    words = TextArea("Your words for the panel (optional)", max_length(OWN_WORDS_MAX, "Your words"))
    submit = Submit("Save my words")


SHOWN_CHOICES = [(NameShown.FIRST_NAME.value, "My first name only"), (NameShown.FULL_NAME.value, "My first name and my surname")]


class NameForm(Form):
    name = Text("The name you want us to use", required("Enter the name you want us to use"), max_length(CHOSEN_NAME_MAX, "Your name"),
                PlainText("Your name can only have letters, spaces and punctuation like - and ', not < or >"))
    shown = Radios("How should your name be shown, for example on stage or on a certificate?", SHOWN_CHOICES, required("Select how your name is shown"))
    pronunciation = Text("How to say your name (optional)", max_length(PRONUNCIATION_MAX, "How to say your name"),
                         PlainText("How to say your name can only have letters, spaces and punctuation like -, not < or >"))
    submit = Submit("Save my name")


class PersonalLineForm(Form):
    line = TextArea("A personal line for them (optional)", max_length(PERSONAL_LINE_MAX, "The personal line"),
                    PlainText("The personal line must be plain words, without < or >"))
    submit = Submit("Save the personal line")


SendDecisionForm = button_form("Send the decision to the young person")


def _name_form(person, formdata=None) -> NameForm:
    if formdata is None:
        return NameForm(formdata=None, name=person.first_or_preferred, shown=person.name_shown.value, pronunciation=person.name_pronunciation)
    return NameForm()


def _page(file, *, form=None, name_form=None, status=200):
    notice = services.notice_for(file)
    person = file.young_person
    form = form or OwnWordsForm(formdata=None, words=notice.own_words if notice else "")
    return render_template("nominees/page.html", person=person, event=file.event, notice=notice, panel_version=services.panel_version_for_nominee(file),
                           form=form, name_form=name_form or _name_form(person)), status


@bp.app_template_global()
def nominee_waits_for_nominator(nomination) -> bool:
    """For the nominator's list: may this nomination show "I have told them"? One query per page."""
    if nomination.status != NominationStatus.SENT or nomination.file_id is None or nomination.young_person_knows != YesNo.NO:
        return False
    cache = g.get("nominee_waiting")
    if cache is None:
        cache = g.nominee_waiting = queries.waiting_for_nominator()
    return nomination.file_id in cache


@bp.app_template_global()
def nominee_own_words(file, redacted: bool) -> str:
    """For the judges' scoring page: the young person's own words (judging cannot import this package)."""
    return services.own_words_for_judge(file, redacted)


@bp.app_template_global()
def nominee_decision_waits(notice) -> bool:
    """For the organisers' file page: a decision waiting for an organiser (contact restriction)."""
    return services.decision_waits_for_organiser(notice)


@bp.app_template_global()
def nominee_notice(file):
    """For the organisers' file page: what the young person has been told."""
    return services.notice_for(file)


def _link_does_not_work():
    return link_does_not_work(KEY)


@bp.get("/n/<token>")
@token_link
@limiter.limit(ratelimits.token_limit)
def open_link(token):
    return start_visit(KEY, services.find_link(token), "nominees.page")


def _link() -> NomineeLink | None:
    state = session.get(KEY)
    if not isinstance(state, dict) or not isinstance(state.get("link"), int):
        return None
    link = db.session.get(NomineeLink, state["link"])
    return link if services.link_works(link) else None


@bp.get("/nominated")
@token_link
def page():
    link = _link()
    if link is None:
        return _link_does_not_work()
    return _page(link.file)


@bp.post("/nominated/your-words")
@token_link
def own_words():
    link = _link()
    if link is None:
        return _link_does_not_work()
    file = link.file
    form = OwnWordsForm()
    if form.validate_on_submit():
        services.save_own_words(file, form.words.data or "")
        db.session.commit()
        flash("Thank you. The panel will read your words.", "success")
        return redirect(url_for("nominees.page"))
    return _page(file, form=form, status=400)


@bp.post("/nominated/your-name")
@token_link
def your_name():
    link = _link()
    if link is None:
        return _link_does_not_work()
    file = link.file
    form = _name_form(file.young_person, formdata=True)
    if form.validate_on_submit():
        try:
            services.choose_name(file, name=form.name.data or "", shown=NameShown(form.shown.data), pronunciation=form.pronunciation.data or "")
        except services.NomineeError as error:
            add_error(form.name, str(error))
        else:
            db.session.commit()
            flash("Thank you. We will use your name the way you chose.", "success")
            return redirect(url_for("nominees.page") + "#your-name")
    return _page(file, name_form=form, status=400)


@bp.route("/nominated/no-thanks", methods=["GET", "POST"])
@token_link
def no_thanks():
    link = _link()
    if link is None:
        return _link_does_not_work()
    file = link.file
    form = NoThanksForm()
    if form.validate_on_submit():
        services.say_no_thanks(file)
        db.session.commit()
        session.pop(KEY, None)
        return render_template("nominees/no_thanks_done.html", person=file.young_person)
    return render_template("nominees/no_thanks.html", form=form, person=file.young_person, event=file.event)


@bp.get("/nominated/keepsake")
@token_link
def keepsake():
    """Something to keep: what was written, their own words, the award and the certificate, once
    the results are published; before that, only when it will be ready."""
    link = _link()
    if link is None:
        return _link_does_not_work()
    file = link.file
    if not keepsakes.is_nominee(file):  # back out of judging (say a nomination was withdrawn): nothing to keep
        abort(404)
    return render_template("nominees/keepsake.html", keep=keepsakes.keepsake_for(file), person=file.young_person, event=file.event)


@bp.get("/nominated/certificate.pdf")
@token_link
def certificate():
    link = _link()
    keep = keepsakes.keepsake_for(link.file) if link is not None else None
    if keep is None:
        abort(404)
    pdf = certificates.certificate_pdf(keepsakes.certificate_text(keep), certificates.settings_from(current_app.config))
    keepsakes.note_certificate(keep)
    db.session.commit()
    return certificates.pdf_download(pdf, keepsakes.filename(keep))


# --- the nominator: "I have told them" ------------------------------------------------------------------


@bp.route("/nominations/<uuid:public_id>/told-them", methods=["GET", "POST"])
@roles_required(Role.NOMINATOR, pending_ok=True)
def told_them(public_id):
    nomination = load_or_404(Nomination, public_id=str(public_id))
    require(nomination.nominator_id == current_user.id and nomination.status == NominationStatus.SENT and nomination.file is not None, 404)
    file = nomination.file
    notice = services.notice_for(file)
    require(notice is not None and notice.state == NoticeState.WAITING_FOR_NOMINATOR, 404)
    form = ToldForm()
    if form.validate_on_submit():
        services.nominator_has_told(file, current_user)
        db.session.commit()
        flash(f"Thank you. We have let {nomination.first_name} know, in the way they can be reached.", "success")
        return redirect(url_for("home.nominator"))
    return render_template("nominees/told_them.html", form=form, nomination=nomination)


# --- organisers: "Tell the young person" and the letters to hand over -------------------------------------


@bp.route("/nomination-files/<uuid:public_id>/tell-young-person", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def tell(public_id):
    file = load_or_404(NominationFile, public_id=str(public_id))
    notice = services.notice_for(file)
    require(notice is not None and notice.state == NoticeState.WAITING_FOR_ORGANISER, 404)
    form = TellForm()
    if form.validate_on_submit():
        services.organiser_tells(file, by=current_user)
        db.session.commit()
        flash(f"{file.young_person.full_name} will be told they were nominated.", "success")
        return redirect(url_for("review.file", public_id=file.public_id))
    return render_template("nominees/tell.html", form=form, file=file)


@bp.route("/nominees/letters", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def letters():
    """Young people without email, told through their linked worker: printing makes each a new
    link (older ones stop working), so the page is a POST, never a GET that changes things."""
    form = button_form("Print the letters")()
    files = queries.letters_to_hand()
    if form.validate_on_submit():
        printed = []
        for file in files:
            url = services.issue_link(file)
            printed.append((file, url, services.letter_qr(url), services.decision_in_letter(file)))
            record(current_user, AuditAction.UPDATED, file, young_person=file.young_person, detail="Printed the 'you have been nominated' letter")
        db.session.commit()
        return render_template("nominees/letters_print.html", printed=printed)
    return render_template("nominees/letters.html", form=form, files=files, notices=queries.notices_by_file(files))


@bp.route("/nomination-files/<uuid:public_id>/approve-panel-version", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def approve_panel_version(public_id):
    file = load_or_404(NominationFile, public_id=str(public_id))
    notice = services.notice_for(file)
    require(notice is not None and notice.state != NoticeState.DECLINED, 404)
    form = ApproveForm()
    complete = services.panel_version_complete(file)
    if form.validate_on_submit() and complete:
        services.approve_panel_version(file, by=current_user)
        db.session.commit()
        flash(f"{file.young_person.first_or_preferred} can now read the panel version on their page.", "success")
        return redirect(url_for("review.file", public_id=file.public_id))
    texts = judging_queries.panel_texts(file)
    status = 400 if form.is_submitted() else 200
    return render_template("nominees/approve_panel_version.html", form=form, file=file, texts=texts, complete=complete), status


@bp.route("/nomination-files/<uuid:public_id>/personal-line", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def personal_line(public_id):
    """An organiser's optional personal line, read by the young person with the shortlist decision."""
    file = load_or_404(NominationFile, public_id=str(public_id))
    notice = services.notice_for(file)
    require(notice is not None and notice.state != NoticeState.DECLINED, 404)
    form = PersonalLineForm() if request.method == "POST" else PersonalLineForm(formdata=None, line=getattr(notice, "personal_line", ""))
    if form.validate_on_submit():
        services.set_personal_line(file, form.line.data or "", by=current_user)
        db.session.commit()
        flash("Personal line saved. They read it with the panel's decision.", "success")
        return redirect(url_for("review.file", public_id=file.public_id))
    status = 400 if form.is_submitted() else 200
    return render_template("nominees/personal_line.html", form=form, file=file, notice=notice), status


@bp.route("/nomination-files/<uuid:public_id>/send-decision", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def send_decision(public_id):
    """A young person with a contact restriction hears the decision by email only when an organiser says so."""
    file = load_or_404(NominationFile, public_id=str(public_id))
    notice = services.notice_for(file)
    require(services.decision_waits_for_organiser(notice), 404)
    form = SendDecisionForm()
    if form.validate_on_submit():
        services.organiser_sends_decision(file, by=current_user)
        db.session.commit()
        flash(f"{file.young_person.full_name} will get the panel's decision by email.", "success")
        return redirect(url_for("review.file", public_id=file.public_id))
    return render_template("nominees/send_decision.html", form=form, file=file, notice=notice)
