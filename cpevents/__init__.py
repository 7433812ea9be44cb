"""cpevents: the application factory."""

from __future__ import annotations

import logging
import os
import weakref

from flask import Flask, abort, render_template, request
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from cpevents.config import INSTANCE, PACKAGE, check_config, config_from_env, environment
from cpevents.core.pool import ping_when_idle
from cpevents.core.sqlcount import init_sql_count
from cpevents.core.sqlite import RetryingFlask, sqlite_pragmas
from cpevents.extensions import csrf, db, limiter, login_manager, migrate
from cpevents.extensions import (
    mail as mailer,  # `mail` is also the name of the cpevents.mail package
)


def create_app(config: type | None = None, overrides: dict | None = None) -> Flask:
    """Build the app. `config` is a class from cpevents.config (default: from CPEVENTS_ENV);
    `overrides` replaces single settings (tests use it for the database and mail port)."""
    app = RetryingFlask(
        __name__,
        template_folder=str(PACKAGE / "templates"),
        static_folder=str(PACKAGE / "static"),
        instance_path=str(INSTANCE),
    )
    config = config or config_from_env()
    app.config.from_object(config)
    app.config.update(overrides or {})
    if getattr(config, "ENV_NAME", None) == "production":
        app.config["ENV_NAME"] = "production"  # an override cannot turn a production config into another
    # On the finished settings, whatever object or overrides they came from (issue 15): a
    # production app with a public secret key, no database or memory:// rate limits never starts.
    check_config(app.config)
    app.config["ENV_NAME"] = environment(app.config)
    if not app.config.get("LOG_FORMAT"):
        app.config["LOG_FORMAT"] = "json" if app.config["ENV_NAME"] == "production" else "text"
    # Never SQL parameter values in an error or a log (a searched-for name, an email address),
    # whatever the config or a test's overrides say about the engine.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "hide_parameters": True}
    os.makedirs(app.instance_path, exist_ok=True)
    _logging(app)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PACKAGE / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)

    if app.config["TRUST_PROXY_HOPS"]:
        hops = app.config["TRUST_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]  # Flask documents this; its types say method

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mailer.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sqlite_pragmas(db.engine)
        init_sql_count(app, db.engine)
        ping_when_idle(db.engine, float(app.config.get("DATABASE_PING_AFTER_IDLE", 10)))

    from cpevents import models  # noqa: F401 - every model registered before migrations run
    from cpevents.accounts.services import load_session_user
    from cpevents.core.security import init_security
    from cpevents.core.templating import init_templating
    from cpevents.wiring import wire

    wire()  # signals between packages and cache watch lists, explicitly (cpevents/wiring.py)
    login_manager.user_loader(load_session_user)
    init_security(app)
    init_templating(app)
    _blueprints(app)
    _errors(app)
    _cli(app)
    return app


def _blueprints(app: Flask) -> None:
    from cpevents.accounts.people import bp as people_bp
    from cpevents.accounts.views import bp as accounts_bp
    from cpevents.events.views import bp as events_bp
    from cpevents.home.views import bp as home_bp
    from cpevents.mail.views import bp as emails_bp
    from cpevents.nominations.review_views import bp as review_bp
    from cpevents.nominations.views import bp as nominations_bp
    from cpevents.public.views import bp as public_bp
    from cpevents.young_people.letter_views import bp as letters_bp
    from cpevents.young_people.views import bp as young_people_bp
    from cpevents.young_people.views import mine_bp

    for bp in (public_bp, accounts_bp, home_bp, people_bp, emails_bp, young_people_bp, mine_bp, letters_bp, events_bp, nominations_bp, review_bp):
        app.register_blueprint(bp)

    from cpevents.achievements.views import bp as achievements_bp
    from cpevents.champions.views import bp as champions_bp
    from cpevents.reports.views import bp as reports_bp

    for bp in (champions_bp, achievements_bp, reports_bp):
        app.register_blueprint(bp)

    from cpevents.judging.views import bp as judging_bp

    app.register_blueprint(judging_bp)

    from cpevents.nominees.views import bp as nominees_bp

    app.register_blueprint(nominees_bp)

    from cpevents.public.winners_views import bp as winners_bp  # issue 16: the public winners page

    app.register_blueprint(winners_bp)

    from cpevents.invitations.rsvp_views import bp as rsvp_bp
    from cpevents.invitations.views import bp as invitations_bp

    for bp in (invitations_bp, rsvp_bp):
        app.register_blueprint(bp)

    from cpevents.feedback.link_views import bp as feedback_link_bp
    from cpevents.feedback.views import bp as feedback_bp

    for bp in (feedback_bp, feedback_link_bp):
        app.register_blueprint(bp)

    from cpevents.registrations.views import bp as registrations_bp

    app.register_blueprint(registrations_bp)
    from cpevents.door.views import bp as door_bp

    app.register_blueprint(door_bp)
    # Issue 18: the running order, presenter's sheets and the photographer's list.
    from cpevents.stage.views import bp as stage_bp

    app.register_blueprint(stage_bp)

    from cpevents.seating.views import bp as seating_bp  # issue 18: name cards and seating

    app.register_blueprint(seating_bp)

    # Issue 17, part D: telling the people with a place when an event changes.
    from cpevents.notices.views import bp as notices_bp

    app.register_blueprint(notices_bp)

    from cpevents.privacy.access_views import bp as privacy_access_bp
    from cpevents.privacy.own_views import bp as privacy_own_bp

    for bp in (privacy_access_bp, privacy_own_bp):
        app.register_blueprint(bp)

    from cpevents.privacy.erasure_views import bp as erasure_bp

    app.register_blueprint(erasure_bp)

    # Issue 14, part F: the retention schedule's page, and the same schedule in every template.
    from cpevents.privacy.retention import retention_schedule
    from cpevents.privacy.retention_views import bp as retention_bp

    app.register_blueprint(retention_bp)
    app.jinja_env.globals["retention_schedule"] = retention_schedule

    # Issue 14, part I: the privacy notice for young people.
    from cpevents.privacy.notice_views import bp as privacy_notice_bp

    app.register_blueprint(privacy_notice_bp)


def _errors(app: Flask) -> None:
    def page(status: int, template: str):
        def handler(error):
            return render_template(f"errors/{template}.html", error=error), status

        return handler

    for status in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(status, page(status, str(status) if status != 405 else "404"))

    def refuse_big_bodies():
        # Before anything else (sessions, rate limits, routing errors), so that any request with
        # too big a body gets the 413 page, even one for a page that never reads its form.
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit and (request.content_length or 0) > limit:
            abort(413)

    app.before_request_funcs.setdefault(None, []).insert(0, refuse_big_bodies)

    @app.errorhandler(413)
    def too_big(error):
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        _drain(request.environ, request.content_length, 10 * limit)
        return render_template("errors/413.html", limit=_size(limit)), 413

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(Exception)
    def unexpected(error):
        from werkzeug.exceptions import HTTPException

        if isinstance(error, HTTPException):
            return error
        # The method and the view's name only: never the address, the query or the form, which
        # can hold a personal link's token or a young person's name (see cpevents/core/logs.py).
        app.logger.exception("unhandled error on %s %s", request.method, request.endpoint)
        db.session.rollback()
        return render_template("errors/500.html"), 500


def _drain(environ: dict, length: int | None, most: int) -> None:
    """Read and drop a refused body of `length` bytes (up to `most`). A server that closes the
    connection with the body still unread makes the client see a reset connection, never our
    413 page; past `most` bytes we stop reading and let that happen. Never past the body's end:
    some servers hand over the bare socket, where reading on would wait for ever."""
    stream = environ.get("wsgi.input")
    if stream is None or (length is None and not environ.get("wsgi.input_terminated")):
        return
    if length is not None:
        most = min(most, length)
    read = 0
    try:
        while read < most:
            chunk = stream.read(min(65536, most - read))
            if not chunk:
                return
            read += len(chunk)
    except (OSError, ValueError):
        return


def _size(n: int) -> str:
    """A byte count as people say it: "1 MB", "500 KB"."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    return f"{max(1, round(n / 1024))} KB"


def _cli(app: Flask) -> None:
    from cpevents.accounts.cli import users_cli
    from cpevents.demo import seed_demo_command
    from cpevents.mail.cli import outbox_cli
    from cpevents.nominations.cli import nominations_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(nominations_cli)
    app.cli.add_command(seed_demo_command)

    from cpevents.champions.cli import champions_cli

    app.cli.add_command(champions_cli)

    from cpevents.invitations.cli import invitations_cli

    app.cli.add_command(invitations_cli)

    from cpevents.nominees.cli import nominees_cli  # issue 16, part H

    app.cli.add_command(nominees_cli)

    from cpevents.privacy.cli import privacy_cli  # issue 14, part F

    app.cli.add_command(privacy_cli)

    from cpevents.jobs import jobs_cli  # issue 15, part K: every daily job from one timer

    app.cli.add_command(jobs_cli)


# The log handler logging.basicConfig made for us, remembered across create_app() calls.
_OUR_HANDLERS: weakref.WeakSet[logging.Handler] = weakref.WeakSet()


def _logging(app: Flask) -> None:
    from cpevents.core.logs import REQUEST_ID_HEADER, redact_handlers, request_id, use_format

    root = logging.getLogger()
    before = list(root.handlers)
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in root.handlers:
        if handler not in before:
            _OUR_HANDLERS.add(handler)  # the one basicConfig made for us (not pytest's, not a host's)
    # Our own handler writes LOG_FORMAT (json: one object a line with the request id).
    for handler in root.handlers:
        if handler in _OUR_HANDLERS:
            use_format(handler, app.config["LOG_FORMAT"])
    # Whatever reaches the root logger's handlers (the app, the development server's request
    # lines, Flask's own "Exception on /i/..." lines) has tokens and query strings taken out.
    redact_handlers(root)
    # fontTools (under the PDF library) logs every font subset at INFO: noise, not news.
    logging.getLogger("fontTools").setLevel(logging.WARNING)

    @app.after_request
    def send_request_id(response):
        response.headers[REQUEST_ID_HEADER] = request_id()
        return response
