"""Judging pages. Organisers run the panel (judges, criteria, assignment, conflicts, ranking,
decisions, releasing results); judges declare conflicts and score the files given to them."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from cpevents.accounts.services import AccountError
from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.cache import PartCache, current_version
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm, add_error, answer
from cpevents.core.time import utcnow
from cpevents.core.views import Done, form_page
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.judging import exports, queries, redaction, services
from cpevents.judging.forms import (
    AssignForm,
    ConflictForm,
    CriterionForm,
    JudgeForm,
    JudgeViewForm,
    PanelForm,
    PanelTextForm,
    RecordConflictForm,
    ReleaseForm,
    ShortlistForm,
    WinnerForm,
    criterion_field_name,
    score_form,
)
from cpevents.judging.models import (
    SCALE_MAX,
    SCALE_MIN,
    Assignment,
    ConflictType,
    Criterion,
    DecisionKind,
    PanelJudge,
)
from cpevents.nominations.models import FileStatus, Nomination, NominationFile

bp = Blueprint("judging", __name__)


def _event(public_id) -> Event:
    return load_or_404(Event, public_id=str(public_id))


def _panel(public_id):
    """The event and its panel; 404 when the event has no panel yet."""
    event = _event(public_id)
    panel = services.panel_for(event)
    require(panel is not None, 404)
    return event, panel


def _panel_url(event) -> str:
    return url_for("judging.panel", public_id=event.public_id)


def _to_panel(event):
    return redirect(_panel_url(event))


# --- organisers: the panel ---------------------------------------------------------------------


@bp.route("/events/<uuid:public_id>/judging", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def panel(public_id):
    event = _event(public_id)
    panel = services.panel_for(event)
    form = PanelForm(formdata=None, min_scores=str(panel.min_scores)) if panel and request.method == "GET" else PanelForm()
    if request.method == "POST":
        if form.validate_on_submit():
            if panel is None:
                panel = services.create_panel(event, min_scores=int(answer(form.min_scores.data)), by=current_user)
                flash("Panel created with the usual three criteria. Add judges next.", "success")
            else:
                services.set_min_scores(panel, int(answer(form.min_scores.data)))
                flash("Saved.", "success")
            db.session.commit()
            return _to_panel(event)
        return _panel_page(event, panel, form=form, settings_form=form), 400
    return _panel_page(event, panel, settings_form=form)


def _panel_page(event, panel, **forms):
    if panel is None:
        return render_template("judging/new_panel.html", event=event, form=forms.get("settings_form"))
    assign = forms.pop("assign_form", None) or _assign_form(panel, formdata=None)
    forms.setdefault("settings_form", PanelForm(formdata=None, min_scores=str(panel.min_scores)))
    return render_template(
        "judging/panel.html", event=event, panel=panel, progress=queries.progress(panel), files=len(services.judgeable_files(panel)),
        waiting=len(queries.files_waiting_for_panel_text(panel)), assign_form=assign, confirm=ConfirmForm(formdata=None),
        event_started=utcnow() >= event.starts_at, **forms,
    )


def _assign_form(panel, formdata=True):
    form = AssignForm() if formdata else AssignForm(formdata=None)
    form.category.choices = [(c.public_id, c.name) for c in panel.event.categories]
    form.judges.choices = [(j.public_id, j.user.name) for j in panel.judges]
    return form


@bp.route("/events/<uuid:public_id>/judging/judges/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def add_judge(public_id):
    event, panel = _panel(public_id)
    form = JudgeForm()

    def add() -> Done:
        judge = services.add_judge(panel, name=answer(form.name.data), email=answer(form.email.data), young_judge=bool(form.young_judge.data),
                                   blind=bool(form.blind.data), by=current_user)
        return Done(_panel_url(event), f"{judge.user.name} is on the panel. We have emailed them.")

    return form_page(form, "judging/judge_form.html", add, fails=(services.JudgingError, AccountError), error_field="email", event=event)


@bp.route("/judging/judges/<uuid:public_id>", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def judge_view(public_id):
    judge = load_or_404(PanelJudge, public_id=str(public_id))
    event = judge.panel.event
    form = JudgeViewForm() if request.method == "POST" else JudgeViewForm(formdata=None, young_judge=judge.young_judge, blind=judge.blind)

    def save() -> Done:
        services.set_judge_view(judge, young_judge=bool(form.young_judge.data), blind=bool(form.blind.data))
        return Done(_panel_url(event), f"Saved. {judge.user.name} now sees the {'redacted' if judge.sees_redacted else 'full'} file.")

    return form_page(form, "judging/judge_view.html", save, event=event, judge=judge)


@bp.route("/events/<uuid:public_id>/judging/criteria/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def add_criterion(public_id):
    event, panel = _panel(public_id)
    form = CriterionForm()
    if request.method == "GET" and not form.weight.data:
        form.weight.data = "1"

    def add() -> Done:
        services.add_criterion(panel, name=answer(form.name.data), description=answer(form.description.data), weight=int(answer(form.weight.data)))
        return Done(_panel_url(event), "Criterion added.")

    return form_page(form, "judging/criterion_form.html", add, fails=(services.JudgingError,), error_field="name", event=event, criterion=None)


@bp.route("/judging/criteria/<uuid:public_id>", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit_criterion(public_id):
    criterion = load_or_404(Criterion, public_id=str(public_id))
    event = criterion.panel.event
    if request.method == "POST":
        form = CriterionForm()
    else:
        form = CriterionForm(formdata=None, name=criterion.name, description=criterion.description, weight=str(criterion.weight))

    def save() -> Done:
        services.update_criterion(criterion, name=answer(form.name.data), description=answer(form.description.data), weight=int(answer(form.weight.data)))
        return Done(_panel_url(event), "Criterion saved.")

    return form_page(form, "judging/criterion_form.html", save, fails=(services.JudgingError,), error_field="weight", event=event, criterion=criterion)


@bp.post("/events/<uuid:public_id>/judging/assign")
@roles_required(Role.ORGANISER)
def assign(public_id):
    event, panel = _panel(public_id)
    form = _assign_form(panel)
    if form.validate_on_submit():
        try:
            if form.method.data == "all":
                made = services.assign_all(panel, by=current_user)
            elif form.method.data == "category":
                category = next(c for c in event.categories if c.public_id == form.category.data)
                judges = [j for j in panel.judges if j.public_id in form.judges.data]
                made = services.assign_category(panel, category, judges, by=current_user)
            else:
                made = services.assign_spread(panel, int(form.per_file.data), by=current_user)
        except services.JudgingError as error:
            form.method.errors.append(str(error))
        else:
            db.session.commit()
            message = (f"{made} new assignment{'s' if made != 1 else ''} made. Judges with new files have been emailed." if made
                       else "Nothing new to assign: every file already has its judges.")
            if any(j.sees_redacted for j in panel.judges) and queries.files_waiting_for_panel_text(panel):
                message += " Young and blind judges were not given files still waiting for a panel version."
            flash(message, "success")
            return _to_panel(event)
    return _panel_page(event, panel, form=form, assign_form=form), 400


@bp.post("/events/<uuid:public_id>/judging/reminders")
@roles_required(Role.ORGANISER)
def remind(public_id):
    event, panel = _panel(public_id)
    if ConfirmForm().validate_on_submit():
        count = services.remind_judges(panel, by=current_user)
        db.session.commit()
        flash(f"Reminder sent to {count} judge{'s' if count != 1 else ''}." if count else "Every judge is up to date: no reminders sent.", "success")
    return _to_panel(event)


@bp.route("/events/<uuid:public_id>/judging/conflicts", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def conflicts(public_id):
    event, panel = _panel(public_id)
    files = services.judgeable_files(panel)
    form = RecordConflictForm() if request.method == "POST" else RecordConflictForm(formdata=None)
    form.file.choices = [(f.public_id, f.young_person.full_name) for f in files]
    form.judge.choices = [(j.public_id, j.user.name) for j in panel.judges]

    def record() -> Done:
        file = next(f for f in files if f.public_id == form.file.data)
        judge = next(j for j in panel.judges if j.public_id == form.judge.data)
        cover = services.record_conflict(panel, file, judge, ConflictType(form.conflict.data), form.note.data or "", by=current_user)
        return Done(url_for("judging.conflicts", public_id=event.public_id),
                    "Conflict recorded. " + (f"The file has been given to {cover.user.name}." if cover else "No other judge was free to take the file."))

    # record_conflict refuses before it changes anything, so the list is the same before and after.
    return form_page(form, "judging/conflicts.html", record, fails=(services.JudgingError,), error_field="judge",
                     event=event, panel=panel, items=queries.conflicts(panel))


# --- organisers: ranking and decisions ------------------------------------------------------------


# The ranking recomputes every file's normalised score; its body is kept per data version.
RANKING_BODIES = PartCache(size=32)


@bp.get("/events/<uuid:public_id>/judging/ranking")
@roles_required(Role.ORGANISER)
def ranking(public_id):
    version = current_version(queries.DATA_VERSION)
    key = (str(public_id), version)
    part = RANKING_BODIES.get(key) if version else None
    if part is None:
        event, panel = _panel(public_id)
        body = render_template("judging/_ranking_body.html", event=event, panel=panel, groups=queries.ranking(panel), method=queries.METHOD)
        part = (event.name, event.public_id, Markup(body))  # noqa: S704 - autoescaped template output
        if version:
            RANKING_BODIES.put(key, part)
    event_name, event_public_id, body = part
    return render_template("judging/ranking.html", event_name=event_name, event_public_id=event_public_id, body=body)


@bp.get("/events/<uuid:public_id>/judging/ranking.<any(csv, xlsx):fmt>")
@roles_required(Role.ORGANISER)
def ranking_export(public_id, fmt):
    event, panel = _panel(public_id)
    rows = list(queries.export_rows(panel))
    stem = f"ranking-{event.event_date.isoformat()}"
    if fmt == "csv":
        body, mimetype = exports.to_csv(rows), "text/csv; charset=utf-8"
    else:
        body, mimetype = exports.to_xlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


def _judged_file(public_id):
    file = load_or_404(NominationFile, public_id=str(public_id))
    panel = services.panel_for(file.event)
    require(panel is not None and file.status == FileStatus.ACCEPTED, 404)
    return file, panel


def _decision_page(file, panel, status=200, **forms):
    from cpevents.audit.models import AuditAction
    from cpevents.audit.services import record
    from cpevents.judging.models import JudgingDecision

    if status == 200:
        record(current_user, AuditAction.VIEWED, file, young_person=file.young_person, detail="judging file")
    history = db.session.execute(
        db.select(JudgingDecision).where(JudgingDecision.file_id == file.id).order_by(JudgingDecision.at.desc(), JudgingDecision.id.desc())
    ).scalars().all()
    forms.setdefault("shortlist_form", ShortlistForm(formdata=None, prefix="shortlist"))
    forms.setdefault("winner_form", WinnerForm(formdata=None, prefix="winner"))
    texts = queries.panel_texts(file)
    assignments = queries.file_assignments(file)
    change = queries.file_changes([file.id]).get(file.id)
    page = render_template(
        "judging/decide.html", file=file, panel=panel, event=file.event, assignments=assignments, history=history,
        changed={a.id: queries.changed_after_scoring(a, change) for a in assignments},
        texts=texts, ready=queries.panel_text_ready(file), shortlist=next((d for d in history if d.kind == DecisionKind.SHORTLIST), None), **forms,
    )
    if status == 200:
        db.session.commit()  # committed after rendering: a commit expires every loaded row, and the page would load them all again (issue 19)
    return page, status


@bp.get("/judging/files/<uuid:public_id>")
@roles_required(Role.ORGANISER)
def decide(public_id):
    file, panel = _judged_file(public_id)
    return _decision_page(file, panel)


def _record_decision(public_id, form_cls, prefix, kind: DecisionKind, done: str):
    file, panel = _judged_file(public_id)
    form = form_cls(prefix=prefix)
    if form.validate_on_submit():
        try:
            services.decide(panel, file, kind, form.chosen.data == "yes", form.reason.data, by=current_user)
        except services.JudgingError as error:
            form.chosen.errors.append(str(error))
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("judging.decide", public_id=file.public_id))
    return _decision_page(file, panel, 400, form=form, **{f"{prefix}_form": form})


@bp.post("/judging/files/<uuid:public_id>/shortlist")
@roles_required(Role.ORGANISER)
def shortlist(public_id):
    return _record_decision(public_id, ShortlistForm, "shortlist", DecisionKind.SHORTLIST, "Shortlist decision recorded.")


@bp.post("/judging/files/<uuid:public_id>/winner")
@roles_required(Role.ORGANISER)
def winner(public_id):
    return _record_decision(public_id, WinnerForm, "winner", DecisionKind.WINNER, "Winner decision recorded. Only organisers can see it until you publish the results.")


@bp.get("/events/<uuid:public_id>/judging/panel-versions")
@roles_required(Role.ORGANISER)
def panel_versions(public_id):
    event, panel = _panel(public_id)
    rows = queries.panel_versions(panel)
    return render_template("judging/panel_versions.html", event=event, panel=panel, rows=rows,
                           waiting=sum(not r.ready for r in rows))


@bp.route("/judging/nominations/<uuid:public_id>/panel-text", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def panel_text(public_id):
    nomination = load_or_404(Nomination, public_id=str(public_id))
    require(nomination.file is not None, 404)
    file = nomination.file
    # Back to where the organiser came from: the file's judging page, or the list of panel versions.
    from_file = request.args.get("from") == "file"
    back = (url_for("judging.decide", public_id=file.public_id) if from_file
            else url_for("judging.panel_versions", public_id=file.event.public_id))
    page = {"nomination": nomination, "person": file.young_person, "back": back}
    if request.method == "POST":
        form = _panel_text_form(file)
        valid = form.validate_on_submit()
        if form.text.data and not form.text.errors:
            # Shown together with any other error, so the organiser fixes everything at once.
            form.text.errors = list(form.text.errors) + services.panel_text_problems(nomination, form.text.data)
            valid = valid and not form.text.errors
        if valid:
            try:
                services.set_panel_text(nomination, answer(form.text.data), by=current_user)
            except services.JudgingError as error:
                add_error(form.text, str(error))
            else:
                db.session.commit()
                flash("Panel version saved. Young judges and blind judges read it instead of the original.", "success")
                return redirect(back)
        return render_template("judging/panel_text.html", form=form, **page), 400
    texts = queries.panel_texts(file)
    form = _panel_text_form(file, formdata=None, text=texts.get(nomination.id) or nomination.achievement)
    return render_template("judging/panel_text.html", form=form, written=nomination.id in texts, **page)


def _panel_text_form(file, **kwargs) -> PanelTextForm:
    form = PanelTextForm(**kwargs)
    form.checked.label.text = f"I have taken out anything that could identify {file.young_person.first_or_preferred}"
    return form


@bp.route("/events/<uuid:public_id>/judging/release-shortlist", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def release_shortlist(public_id):
    """A page that says what releasing will do and to whom, or what stands in its way, before the
    one irreversible step: the POST from that page."""
    event, panel = _panel(public_id)
    if panel.shortlist_released_at is not None:
        flash("The shortlist results have already been released. They cannot be released again or changed.")
        return _to_panel(event)
    form = ReleaseForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                sent = services.release_shortlist(panel, by=current_user, message=answer(form.not_shortlisted_message.data))
            except services.JudgingError as error:
                db.session.rollback()
                form.submit.errors = [str(error)]
            else:
                db.session.commit()
                flash(f"Shortlist results released. {sent} nominator email{'s' if sent != 1 else ''} queued. "
                      "The young people are told too, in the way each can be reached. Winners stay secret.", "success")
                return _to_panel(event)
        return render_template("judging/release.html", event=event, panel=panel, check=queries.release_check(panel), form=form), 400
    form = ReleaseForm(formdata=None, not_shortlisted_message=panel.not_shortlisted_message or services.DEFAULT_NOT_SHORTLISTED_MESSAGE)
    return render_template("judging/release.html", event=event, panel=panel, check=queries.release_check(panel), form=form)


@bp.post("/events/<uuid:public_id>/judging/publish-results")
@roles_required(Role.ORGANISER)
def publish_results(public_id):
    event, panel = _panel(public_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.publish_results(panel, by=current_user)
        except services.JudgingError as error:
            flash(str(error))
        else:
            db.session.commit()
            flash("Results published. Nominators can now see the winners.", "success")
    return _to_panel(event)


# --- judges ---------------------------------------------------------------------------------------------


def _own_assignment(public_id) -> Assignment:
    """Someone else's assignment, a file no longer accepted for judging, and (for a young or
    blind judge) a file still waiting for a panel version are all 404."""
    assignment = load_or_404(Assignment, public_id=str(public_id))
    require(assignment.judge.user_id == current_user.id, 404)
    require(assignment.file.status == FileStatus.ACCEPTED, 404)
    if assignment.judge.sees_redacted:
        require(queries.panel_text_ready(assignment.file), 404)
    return assignment


@bp.route("/judging/<uuid:public_id>/conflict", methods=["GET", "POST"])
@roles_required(Role.JUDGE)
def declare(public_id):
    """Asked before a judge reads a file; a judge who answered no can come back to declare a
    conflict after starting to score (their scores are then set aside)."""
    assignment = _own_assignment(public_id)
    require(not assignment.conflicted, 403)
    form = ConflictForm()
    if request.method == "POST":
        if form.validate_on_submit():
            scored = assignment.saved_at is not None
            services.declare_conflict(assignment, ConflictType(form.conflict.data), form.note.data or "", by=current_user)
            db.session.commit()
            if assignment.conflicted:
                done = ("Thank you. Your scores for this nomination are set aside and will not count. Another judge will read it."
                        if scored else "Thank you. You will not see this nomination; another judge will read it.")
                return _to_next(assignment, done)
            return redirect(url_for("judging.score", public_id=assignment.public_id))
        return _declare_page(assignment, form, 400)
    return _declare_page(assignment, form)


def _declare_page(assignment, form, status=200):
    """Who the judge is asked about, as their view allows: the young person's full name and the
    nominators' names for a judge reading the full file (first name only when the young person
    is "do not publish"); first name and, for each nominator, only their role for a young or
    blind judge, who never sees a nominator's name."""
    return render_template("judging/declare.html", assignment=assignment, person=assignment.file.young_person,
                           redacted=assignment.judge.sees_redacted, form=form, nominations=assignment.file.live_nominations,
                           reference=queries.file_reference(assignment.file)), status


def _to_next(assignment, done: str):
    """After a judge finishes with a file: on to the next one still to do, or back to the list
    when none is left, saying which."""
    following = queries.next_to_do(current_user, after=assignment)
    if following is None:
        flash(f"{done} You have nothing left to do: every nomination given to you is done. Thank you.", "success")
        return redirect(url_for("home.judge"))
    # Markup survives the session (Flask's tagged JSON), so the banner carries the link to the list.
    flash(Markup('{} Next file: {}. <a class="govuk-notification-banner__link" href="{}">Back to the list</a>')
          .format(done, following.label, url_for("home.judge")), "success")
    a = following.assignment
    return redirect(url_for("judging.declare" if a.conflict is None else "judging.score", public_id=a.public_id))


def _score_page(assignment, form, status=200):
    file = assignment.file
    judge = assignment.judge
    redacted = judge.sees_redacted
    change = queries.assignment_change(assignment)
    others = redaction.other_judges(assignment, redacted) if assignment.submitted_at is not None else []
    criteria = assignment.panel.criteria
    fields = [(c, form[criterion_field_name(c)]) for c in criteria]
    texts = redaction.texts_for_judge(file, redacted)
    require(texts is not None, 404)  # a young or blind judge's file with a panel version missing (see _own_assignment)
    return render_template(
        "judging/score.html", assignment=assignment, file=file, person=file.young_person, redacted=redacted, texts=texts,
        form=form, fields=fields, others=others, criteria=criteria, scale=(SCALE_MIN, SCALE_MAX), change=change,
        revising=change is not None and assignment.submitted_at is not None,
    ), status


@bp.route("/judging/<uuid:public_id>", methods=["GET", "POST"])
@roles_required(Role.JUDGE)
def score(public_id):
    assignment = _own_assignment(public_id)
    if assignment.conflict is None:
        return redirect(url_for("judging.declare", public_id=assignment.public_id))
    require(not assignment.conflicted, 403)
    criteria = assignment.panel.criteria
    if request.method == "GET":
        from cpevents.audit.models import AuditAction
        from cpevents.audit.services import record

        record(current_user, AuditAction.VIEWED, assignment.file, young_person=assignment.file.young_person, detail="read by a judge")
        saved = {s.criterion_id: s.value for s in assignment.scores}
        data = {criterion_field_name(c): str(saved[c.id]) for c in criteria if c.id in saved}
        data["comment"] = assignment.comment
        page = _score_page(assignment, score_form(criteria, data=data))
        db.session.commit()  # committed after rendering: a commit expires every loaded row, and the page would load them all again (issue 19)
        return page
    form = score_form(criteria)
    if assignment.submitted_at is not None and queries.assignment_change(assignment) is None:
        flash("You have already submitted your scores for this nomination. They cannot be changed.")
        return redirect(url_for("judging.score", public_id=assignment.public_id))
    submitting = bool(form.submit.data)
    valid = form.validate_on_submit()
    for c in criteria:
        field = form[criterion_field_name(c)]
        if field.data and field.data not in {str(n) for n in range(SCALE_MIN, SCALE_MAX + 1)}:
            field.errors[:] = [f"Choose a score from {SCALE_MIN} to {SCALE_MAX} for {c.name}"]
            valid = False
        elif submitting and not field.data:
            field.errors.append(f"Give a score for {c.name}")
            valid = False
    if not valid:
        return _score_page(assignment, form, 400)
    values = {c.id: int(form[criterion_field_name(c)].data) if form[criterion_field_name(c)].data else None for c in criteria}
    try:
        services.save_scores(assignment, values, form.comment.data or "", submit=submitting, by=current_user)
    except services.JudgingError as error:
        form.comment.errors.append(str(error))
        db.session.rollback()
        return _score_page(_own_assignment(public_id), form, 400)
    db.session.commit()
    if submitting:
        return _to_next(assignment, f"Scores submitted for {queries.JudgeItem(assignment, None).label}. "
                                    "You can see the other judges’ scores for it from your list.")
    flash("Scores saved. They are not submitted yet: come back to finish.", "success")
    return redirect(url_for("home.judge"))
