"""Issue 14, part I: a privacy notice young people can read, and "Need someone on your side?" on
every page a young person reaches by a personal link."""

from __future__ import annotations

import inspect
import re

import pytest
from flask import template_rendered

from cpevents.privacy.wording import duration_words
from tests.factories import csrf_from
from tests.feedback.helpers import closed_event, feedback_link
from tests.invitations.helpers import invited, make_event, open_link, post

NOTICE = "/privacy/young-people"
QUESTIONS = ["What do we keep?", "Why?", "How long do we keep it?", "Who sees it?", "How do I ask you to change or delete it?", "Who can help me?"]
HELP_BOX = 'id="young-people-help"'
LAYOUT = "_young_person_page.html"


def _main(html: str) -> str:
    """The page's own part (not the footer, which links the notices on every page)."""
    return html.split('<main', 1)[1].split('</main>', 1)[0]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def _has_help_and_notices(html: str, where: str) -> None:
    main = _main(html)
    assert HELP_BOX in main, f"{where}: no “Need someone on your side?” box"
    assert "Need someone on your side?" in main, where
    if where != NOTICE:
        assert f'href="{NOTICE}"' in main, f"{where}: no link to the privacy notice for young people"
    assert 'href="/privacy"' in main, f"{where}: no link to the adults' privacy notice"


# --- the notice -----------------------------------------------------------------------------------------------


def test_a_stranger_can_read_the_notice_and_its_headings_are_the_questions_young_people_ask(client, app):
    response = client.get(NOTICE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    headings = [_text(h).strip() for h in re.findall(r'<h2 class="govuk-heading-m"[^>]*>(.*?)</h2>', html)]
    assert headings[: len(QUESTIONS)] == QUESTIONS
    text = _text(html)
    assert app.config["COUNCIL_NAME"] in text.replace("’", "'")
    assert f'mailto:{app.config["SUPPORT_EMAIL"]}' in html
    assert "Information Commissioner's Office" in text
    _has_help_and_notices(html, NOTICE)


def test_the_notice_uses_short_sentences(client):
    """Written for someone of 11 or 12: no sentence runs past 25 words, and on average they are short."""
    html = re.sub(r"</(li|p|h1|h2|h3|span)>", ". ", _main(client.get(NOTICE).get_data(as_text=True)))
    text = _text(html)
    sentences = [s.strip() for s in re.split(r"(?<=[.?!:])\s+", text) if s.strip()]
    long = [s for s in sentences if len(s.split()) > 25]
    assert not long, long
    words = [len(s.split()) for s in sentences]
    assert sum(words) / len(words) <= 12, sum(words) / len(words)


def test_the_notice_says_how_long_from_the_settings(client, app, monkeypatch):
    text = _text(client.get(NOTICE).get_data(as_text=True))
    assert "what you need on the day: 3 months after the event" in text
    assert "Why you were nominated: 2 years after the awards" in text
    assert "until you are 26" in text
    monkeypatch.setitem(app.config, "RETENTION_INVITATION_DETAILS_DAYS", 183)
    monkeypatch.setitem(app.config, "RETENTION_NOMINATION_TEXT_DAYS", 365)
    monkeypatch.setitem(app.config, "RETENTION_ACHIEVEMENTS_UNTIL_AGE", 25)
    text = _text(client.get(NOTICE).get_data(as_text=True))
    assert "what you need on the day: 6 months after the event" in text
    assert "Why you were nominated: 1 year after the awards" in text
    assert "until you are 25" in text and "3 months" not in text and "until you are 26" not in text


@pytest.mark.parametrize(
    ("days", "words"),
    [(92, "3 months"), (90, "3 months"), (183, "6 months"), (730, "2 years"), (365, "1 year"), (30, "1 month"), (14, "2 weeks"),
     (1, "1 day"), (10, "10 days"), (45, "about 6 weeks"), (400, "about 13 months"), (1000, "about 3 years"), (1826, "5 years")],
)
def test_periods_are_said_in_months_and_years(days, words):
    assert duration_words(days) == words


def test_the_help_box_shows_the_configured_services(client, app, monkeypatch):
    for name, value in {"CHILDRENS_RIGHTS_NAME": "Shire Children's Rights Team", "CHILDRENS_RIGHTS_PHONE": "01632 960 123",
                        "CHILDRENS_RIGHTS_EMAIL": "rights@shire.example.gov.uk", "CHILDRENS_RIGHTS_URL": "https://shire.example.gov.uk/rights",
                        "ADVOCACY_NAME": "Speak Up Advocacy", "ADVOCACY_PHONE": "01632 960 456", "ADVOCACY_URL": "https://speakup.example.org/"}.items():
        monkeypatch.setitem(app.config, name, value)
    box = _main(client.get(NOTICE).get_data(as_text=True)).split(HELP_BOX, 1)[1]
    for expected in ("Shire Children&#39;s Rights Team", 'href="tel:01632960123"', "01632 960 123", "mailto:rights@shire.example.gov.uk",
                     'href="https://shire.example.gov.uk/rights"', "Speak Up Advocacy", 'href="tel:01632960456"', 'href="https://speakup.example.org/"'):
        assert expected in box, expected


def test_a_contact_left_empty_is_not_shown(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "CHILDRENS_RIGHTS_EMAIL", "")
    monkeypatch.setitem(app.config, "ADVOCACY_PHONE", "")
    box = _main(client.get(NOTICE).get_data(as_text=True)).split(HELP_BOX, 1)[1]
    assert "Email:" not in box and box.count("Phone:") == 1


def test_both_notices_are_in_every_footer_and_link_each_other(client):
    for path in ("/", "/sign-in", "/privacy", NOTICE):
        html = client.get(path).get_data(as_text=True)
        footer = html.split('<footer', 1)[1]
        assert 'href="/privacy"' in footer and f'href="{NOTICE}">Privacy notice for young people</a>' in footer, path
    adults = _main(client.get("/privacy").get_data(as_text=True))
    assert f'href="{NOTICE}">Privacy notice for young people</a>' in adults


# --- every young person's page --------------------------------------------------------------------------------

# The pages a young person reaches by a personal link: every page these modules render.
YOUNG_PERSON_VIEWS = ["cpevents.invitations.rsvp_views", "cpevents.feedback.link_views", "cpevents.privacy.notice_views",
                      "cpevents.privacy.own_views"]
YOUNG_PERSON_BLUEPRINTS = {"rsvp", "feedback_link", "privacy_notice", "privacy_own"}
NOT_PAGES = {"rsvp.open_link", "feedback_link.open_link", "rsvp.calendar",  # the token opener redirects; the calendar is a file
             "privacy_own.what_we_hold_json", "privacy_own.what_we_hold_html"}  # downloads of their own data


def _extends(app, name: str) -> list[str]:
    chain = []
    while name:
        chain.append(name)
        source = app.jinja_env.loader.get_source(app.jinja_env, name)[0]
        found = re.match(r'\s*(?:\{#.*?#\}\s*)?\{%-?\s*extends\s+"([^"]+)"', source, re.S)
        name = found.group(1) if found else None
    return chain


def test_every_template_a_young_persons_page_renders_has_the_help_box(app):
    import importlib

    templates = set()
    for module in YOUNG_PERSON_VIEWS:
        templates |= set(re.findall(r'render_template\(\s*"([^"]+)"', inspect.getsource(importlib.import_module(module))))
    assert len(templates) >= 12, templates
    missing = [name for name in sorted(templates) if LAYOUT not in _extends(app, name)]
    assert not missing, f"these young people's pages should extend {LAYOUT}: {missing}"


@pytest.fixture
def rendered(app):
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def test_walking_every_young_persons_page_finds_the_help_box_on_each(client, app, rendered):
    """Go through every page of the invitation and feedback journeys, as a young person would,
    and check each page; then check no page of those blueprints was missed."""
    seen: dict[str, str] = {}
    adapter = app.url_map.bind("localhost")

    def page(path: str, expect: int = 200, data: dict | None = None):
        response = client.get(path) if data is None else post(client, path, data)
        if data is not None:
            assert response.status_code == 302, (path, response.status_code)
            response = client.get(response.headers["Location"])
            path = response.request.path
        assert response.status_code == expect, (path, response.status_code)
        html = response.get_data(as_text=True)
        _has_help_and_notices(html, path)
        seen[adapter.match(path)[0]] = path
        return html

    # A link that does not work.
    page("/i/no-such-link", expect=404)
    # "Check it's you", before anything about the person is shown.
    event, organiser = make_event(check_identity=False)
    checked = invited(event, organiser)
    checked.check_identity = True
    from cpevents.extensions import db

    db.session.commit()
    open_link(client, checked)
    html = page("/invitation/check-its-you")
    assert "Check it" in html
    # The whole invitation journey, replying yes with a guest.
    # (opening another link replaces the first in the session)
    invitation = invited(event, organiser)
    open_link(client, invitation)
    page("/invitation")
    page("/invitation/can-you-come")
    page("/invitation/can-you-come", data={"attending": "yes"})  # → guests
    page("/invitation/guests", data={"guest_count": "1", "guest1_name": "Sam Carer", "guest1_age": "adult"})  # → needs
    page("/invitation/your-needs", data={"travel_help": "no", "name_read": "first_name"})  # → check your answers
    page("/invitation/check-your-answers", data={})  # → reply sent
    page("/invitation/door-code")
    page("/invitation/your-choices")
    page("/invitation/your-choices", data={"name_read": "no_name"})  # → saved (issue 16)
    page("/invitation")
    page("/invitation/what-we-hold")
    # Feedback after the event: the questions, thank you, and "we already have your answers".
    _, _, replied, _ = closed_event(replied=1, unreplied=0)
    response = client.get(feedback_link(replied[0]))
    assert response.status_code == 302
    page("/feedback")
    page("/feedback", data={"proud": "5"})  # → thank you
    html = client.get("/feedback").get_data(as_text=True)
    assert "already have your answers" in html
    _has_help_and_notices(html, "/feedback (answered)")
    # The notice itself.
    page(NOTICE)

    pages = {rule.endpoint for rule in app.url_map.iter_rules()
             if rule.endpoint.split(".")[0] in YOUNG_PERSON_BLUEPRINTS and "GET" in rule.methods} - NOT_PAGES
    assert pages <= set(seen), f"add these young people's pages to this walk: {sorted(pages - set(seen))}"
    walked = set(rendered)
    for name in ("invitations/rsvp/link_does_not_work.html", "invitations/rsvp/check_its_you.html", "invitations/rsvp/page.html",
                 "invitations/rsvp/attending.html", "invitations/rsvp/guests.html", "invitations/rsvp/needs.html", "invitations/rsvp/check.html",
                 "invitations/rsvp/done.html", "invitations/rsvp/door.html", "invitations/rsvp/choices.html", "feedback/questions.html", "feedback/thank_you.html",
                 "feedback/already.html", "privacy/young_people.html", "privacy/what_we_hold.html"):
        assert name in walked, name


def test_the_help_box_says_nothing_about_the_young_person(client):
    """It is the same for everyone, and shown before "check it's you" is passed."""
    event, organiser = make_event()
    invitation = invited(event, organiser, first_name="Quillon")
    open_link(client, invitation)
    html = client.get("/invitation").get_data(as_text=True)
    box = html.split(HELP_BOX, 1)[1].split("</main>", 1)[0]
    assert "Quillon" not in box and event.name not in box


def test_the_notice_is_the_same_signed_in(client):
    from cpevents.core.enums import Role
    from tests.factories import make_user, sign_in

    sign_in(client, make_user(Role.NOMINATOR))
    assert client.get(NOTICE).status_code == 200
    assert csrf_from(client.get("/account").get_data(as_text=True))
