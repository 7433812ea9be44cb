"""Template helpers: Europe/London dates, navigation for the signed-in person."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from cpevents.core.enums import Role
from cpevents.core.paging import page_url
from cpevents.core.phones import shown_mobile
from cpevents.core.time import london
from cpevents.core.urls import absolute_url

HOMES = [
    (Role.ORGANISER, "home.organiser", "Organiser"),
    (Role.NOMINATOR, "home.nominator", "Nominations"),
    (Role.JUDGE, "home.judge", "Judging"),
    (Role.CHAMPION, "home.champion", "Champion"),
    (Role.BOARD, "home.board", "Reports"),
    (Role.DOOR_HELPER, "home.door_helper", "Door"),
]


def nav_items() -> list[dict]:
    items: list[dict] = []
    if not current_user.is_authenticated:
        return items
    for role, endpoint, text in HOMES:
        if current_user.has_role(role):
            items.append({"text": text, "href": url_for(endpoint), "active": request.endpoint == endpoint, "home": True})
    if current_user.can_manage_people():
        endpoint = request.endpoint or ""
        items.append({"text": "Events", "href": url_for("events.index"), "active": endpoint.startswith("events.")})
        items.append({"text": "Young people", "href": url_for("young_people.index"), "active": endpoint.startswith("young_people.")})
        items.append({"text": "People", "href": url_for("people.index"), "active": endpoint.startswith("people.")})
        items.append({"text": "Champions", "href": url_for("champions.applications"), "active": endpoint.startswith("champions.")})
        items.append({"text": "Email", "href": url_for("emails.index"), "active": endpoint.startswith("emails.")})
    items.append({"text": "Your account", "href": url_for("accounts.account"), "active": (request.endpoint or "").startswith("accounts.account")})
    return items


# GOV.UK Frontend macros every page may use, loaded once as globals rather than imported on
# every render (importing them in base.html was a sixth of the time of a form page).
GOVUK_MACROS = {
    "govukSkipLink": "skip-link",
    "govukPhaseBanner": "phase-banner",
    "govukBackLink": "back-link",
    "govukNotificationBanner": "notification-banner",
    "govukErrorSummary": "error-summary",
    "govukButton": "button",
    "govukSummaryList": "summary-list",
    "govukInsetText": "inset-text",
    "govukWarningText": "warning-text",
    "govukPanel": "panel",
    "govukTag": "tag",
    "govukTable": "table",
    "govukDetails": "details",
}


@lru_cache(maxsize=8)
def _phase_banner(support_email: str) -> Markup:
    macro = current_app.jinja_env.globals["govukPhaseBanner"]
    if not callable(macro):
        raise TypeError("govukPhaseBanner is not a macro")
    link = f'<a class="govuk-link" href="mailto:{escape(support_email)}">Tell us what you think</a>'
    return Markup(macro({"tag": {"text": "Beta"}, "html": f"This is a new service. {link} so we can make it better."}))  # noqa: S704 - a GOV.UK macro's output; the address is escaped


def phase_banner() -> Markup:
    """The same on every page, so rendered once (it was a third of a page's render time)."""
    return _phase_banner(current_app.config["SUPPORT_EMAIL"])


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["london"] = london
    app.jinja_env.filters["shown_mobile"] = shown_mobile
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["phase_banner"] = phase_banner
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    for name, folder in GOVUK_MACROS.items():
        module = app.jinja_env.get_template(f"govuk_frontend_jinja/components/{folder}/macro.html").module
        app.jinja_env.globals[name] = getattr(module, name)
