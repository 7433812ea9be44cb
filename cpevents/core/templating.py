"""Template helpers: Europe/London dates, navigation for the signed-in person."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_login import current_user

from cpevents.core.enums import Role
from cpevents.core.time import london

HOMES = [
    (Role.ORGANISER, "home.organiser", "Organiser"),
    (Role.NOMINATOR, "home.nominator", "Nominations"),
    (Role.JUDGE, "home.judge", "Judging"),
    (Role.CHAMPION, "home.champion", "Champion"),
    (Role.BOARD, "home.board", "Reports"),
]


def nav_items() -> list[dict]:
    items = []
    if not current_user.is_authenticated:
        return items
    for role, endpoint, text in HOMES:
        if current_user.has_role(role):
            items.append({"text": text, "href": url_for(endpoint), "active": request.endpoint == endpoint, "home": True})
    if current_user.can_manage_people():
        endpoint = request.endpoint or ""
        items.append({"text": "Young people", "href": url_for("young_people.index"), "active": endpoint.startswith("young_people.")})
        items.append({"text": "People", "href": url_for("people.index"), "active": endpoint.startswith("people.")})
        items.append({"text": "Email", "href": url_for("emails.index"), "active": endpoint.startswith("emails.")})
    items.append({"text": "Your account", "href": url_for("accounts.account"), "active": (request.endpoint or "").startswith("accounts.account")})
    return items


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["london"] = london
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
