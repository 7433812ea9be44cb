"""The plain-text part of every email reads properly: rendered with sample values (each condition
both ways), it is not empty and no two words or sentences run together where a block or an
included part ends ("CouncillorsAdd it to your calendar" was sent once)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jinja2 import ChainableUndefined

import cpevents

EMAILS = Path(cpevents.__file__).parent / "templates" / "emails"
TEMPLATES = sorted(str(p.relative_to(EMAILS.parent)) for p in EMAILS.rglob("*.txt") if not p.name.startswith("_"))

# Values a template formats rather than prints (dates, numbers, lists); everything else it is
# given is a word or two from SampleUndefined.
WHEN = datetime(2027, 3, 19, 18, 30, tzinfo=UTC)
SAMPLES = {
    "event_day": WHEN, "starts_at": WHEN, "when_at": WHEN, "closes_at": WHEN, "opens_at": WHEN, "deadline": WHEN,
    "last_day": WHEN.date(), "lines": [("PROUD Awards 2027", 2, "https://example.org/review")],
    "message": "Care Leavers' Week has changed.\n\nThe venue is now Town Hall.",
    "days": 7, "count": 3, "total": 3, "allowance": 2, "emailed": 2,
    "link": "https://example.org/link", "cancel_link": "https://example.org/cancel", "calendar_link": "https://example.org/calendar.ics",
    "base_url": "https://example.org", "service_name": "Celebrating our young people", "support_email": "participation@example.org",
}


def _undefined(truthy: bool) -> type[ChainableUndefined]:
    class SampleUndefined(ChainableUndefined):
        """Any value the sample does not give: prints as words, each condition one way."""

        def __str__(self) -> str:
            return "sample words"

        def __bool__(self) -> bool:
            return truthy

        def __iter__(self):
            return iter(["first item", "second item"] if truthy else [])

        def __len__(self) -> int:
            return 2 if truthy else 0

        def __int__(self) -> int:
            return 2

        def __lower__(self) -> str:
            return "sample words"

    return SampleUndefined


# A lowercase letter, or the end of a sentence, straight before a capital: two things run together.
JAMMED = re.compile(r"(?:[a-z]|[.!?:;,])[A-Z][a-z]")


def _render(app, template: str, truthy: bool) -> str:
    env = app.jinja_env.overlay(undefined=_undefined(truthy))
    with app.test_request_context():
        app.update_template_context(context := dict(SAMPLES))
        return env.get_template(template).render(subject="Sample subject", **context)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("truthy", [True, False], ids=["conditions-true", "conditions-false"])
def test_text_part_is_not_empty_and_nothing_runs_together(app, template, truthy):
    text = _render(app, template, truthy)
    body = text.split("\n--\n", 1)[0].strip()
    assert len(body.split()) >= 3, f"{template}: the text part is (nearly) empty: {body!r}"
    for line in text.splitlines():
        for match in JAMMED.finditer(line):
            start = max(match.start() - 30, 0)
            raise AssertionError(f"{template}: words run together at {line[start:match.end() + 30]!r}")


def test_every_text_template_is_checked():
    assert "emails/registrations/registered.txt" in TEMPLATES and "emails/invitations/reminder.txt" in TEMPLATES
    assert len(TEMPLATES) >= 40
