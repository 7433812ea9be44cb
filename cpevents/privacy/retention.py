"""The retention schedule: what personal data we keep, for how long, counted from what, and what
happens at the end. One list, read by `flask privacy purge` (cpevents/privacy/purge.py), by the
organisers' page "What we keep and for how long" and by the privacy notices (the Jinja global
`retention_schedule()`), so the promise and what the service does can never drift apart.

Each period comes from configuration (`RETENTION_<KEY>_DAYS`, defaults in cpevents/config.py);
the achievements rule is an age in years (`RETENTION_ACHIEVEMENTS_UNTIL_AGE`). Rules with no
setting (`config_name=None`) are kept on purpose and say why.

Reports never change after a purge: where a report counts a row (guests, registrations,
nominations, achievements, champions), the purge takes the personal details off the row and
keeps what is counted, instead of deleting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app

from cpevents.core.checks import known
from cpevents.privacy.wording import duration_words

DELETED = "deleted"
ANONYMISED = "anonymised"
KEPT = "kept"


@dataclass(frozen=True)
class Rule:
    key: str
    what: str  # what is kept (the organisers' words)
    counted_from: str  # "after the event", ... ("" for rules with no end)
    action: str  # DELETED, ANONYMISED or KEPT
    happens: str  # what happens at the end, in a sentence
    why: str  # why this period
    config_name: str | None = None
    default: int | None = None
    unit: str = "days"  # "days", or "age" for an age in years
    young_people_words: str = ""  # the same rule, for the young person's notice (short, plain)

    @property
    def limit(self) -> int | None:
        """The period in force: the configured number (days, or years of age), else the default."""
        if self.config_name is None:
            return None
        value = current_app.config.get(self.config_name, self.default)
        if value is None:
            value = self.default
        return int(known(value, f"{self.config_name} is set or has a default"))

    @property
    def period_words(self) -> str:
        """How long, in words: "92 days after the event", "until the young person turns 26"."""
        n = self.limit
        if n is None:
            return "Kept"
        if self.unit == "age":
            return f"Until the young person turns {n}"
        return f"{_days_words(n)} {self.counted_from}"

    @property
    def young_people_period(self) -> str:
        """The same period in a young person's words: "until 3 months after the event"."""
        n = self.limit
        if n is None:
            return "we keep them"
        if self.unit == "age":
            return f"until you turn {n}"
        return f"until {duration_words(n)} {self.counted_from}"

    def cutoff(self, now: datetime) -> datetime:
        """Anything whose starting point is at or before this instant is due."""
        if self.unit != "days" or self.limit is None:
            raise ValueError(f"{self.unit} rule has no cutoff")
        return now - timedelta(days=self.limit)

    def born_on_or_before(self, today: date) -> date:
        """For the age rule: people born on or before this day have reached the age."""
        if self.unit != "age" or self.limit is None:
            raise ValueError(f"{self.unit} rule has no age")
        try:
            return today.replace(year=today.year - self.limit)
        except ValueError:  # 29 February: a person born on 29 February turns n on 1 March
            return today.replace(year=today.year - self.limit, day=28)

    @property
    def purged(self) -> bool:
        return self.action != KEPT

    def audit_words(self) -> str:
        """The rule as the audit trail cites it: no personal data, just the period."""
        return f"retention: {self.period_words[0].lower()}{self.period_words[1:]}"


def _days_words(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


SCHEDULE: list[Rule] = [
    Rule(
        key="invitation_details",
        what="A young person's reply to an invitation: food and access needs, travel help, photo and name choices, "
        "their guests' names and needs, and replies left half-finished",
        counted_from="after the event",
        action=ANONYMISED,
        happens="Deleted from the invitation. We keep that they were invited, whether they came and how many guests came, "
        "for the attendance figures.",
        why="Needed to run the event and answer questions just after it; three months covers late complaints and "
        "expenses, and nothing about the night needs them later.",
        config_name="RETENTION_INVITATION_DETAILS_DAYS",
        default=92,
        young_people_words="what you need on the night, who comes with you and your photo choices",
    ),
    Rule(
        key="registrations",
        what="Registrations of professionals and councillors for an event: name, email, organisation, role, needs",
        counted_from="after the event",
        action=ANONYMISED,
        happens="Name, contact details and needs deleted. We keep that a place was taken and whether they came.",
        why="Six months lets us answer questions about attendance and follow up the event with those who came.",
        config_name="RETENTION_REGISTRATIONS_DAYS",
        default=183,
    ),
    Rule(
        key="nomination_text",
        what="What nominators wrote in a PROUD nomination (and the panel's version, judges' comments, safety answers, "
        "the young person's details as the nominator typed them)",
        counted_from="after the awards event",
        action=DELETED,
        happens="The words are deleted. We keep the young person's file outcome, the award category and the counts.",
        why="Two years lets next year's panel see a repeat nomination in context and lets us answer a question about "
        "a decision; after that the outcome alone is enough.",
        config_name="RETENTION_NOMINATION_TEXT_DAYS",
        default=730,
        young_people_words="what people wrote when they nominated you for an award",
    ),
    Rule(
        key="achievements",
        what="Achievements recorded for a young person (what they did, who celebrated with them)",
        counted_from="",
        action=DELETED,
        happens="The words are deleted when the young person turns the age. We keep the date and the area (for example "
        "education) so the yearly totals stay the same.",
        why="The council supports care leavers up to 25; the achievements are theirs to look back on while they are "
        "with the service.",
        config_name="RETENTION_ACHIEVEMENTS_UNTIL_AGE",
        default=26,
        unit="age",
        young_people_words="the achievements people record for you",
    ),
    Rule(
        key="deactivated_accounts",
        what="Accounts that have been closed (name, email address, organisation, job title, sign-in details)",
        counted_from="after the account was closed",
        action=ANONYMISED,
        happens="The account becomes \u201cFormer user\u201d: every personal detail is removed and it can never sign in. "
        "What it did (nominations, scores) stays counted.",
        why="Two years lets us explain past decisions (who nominated, who judged) if asked.",
        config_name="RETENTION_DEACTIVATED_ACCOUNTS_DAYS",
        default=730,
    ),
    Rule(
        key="champion_applications",
        what="Corporate Parenting Champion applications that were declined, never confirmed or lapsed "
        "(name, email, job title, pledge words, what they did)",
        counted_from="after the decision, the application or the end of the 12 months",
        action=ANONYMISED,
        happens="Name, contact details and words deleted. We keep the service and the pledge counts.",
        why="A year lets a lapsed champion renew and lets us answer questions about a decision.",
        config_name="RETENTION_CHAMPION_APPLICATIONS_DAYS",
        default=365,
    ),
    Rule(
        key="outbox_bodies",
        what="Copies of the emails the service sent (who to, and the words)",
        counted_from="after sending",
        action=DELETED,
        happens="The address and the words are deleted. We keep the subject, when it was sent and whether it arrived.",
        why="Ninety days lets us check what someone was sent if they ask or it bounced.",
        config_name="RETENTION_OUTBOX_BODIES_DAYS",
        default=90,
        young_people_words="copies of the emails we send you",
    ),
    Rule(
        key="feedback",
        what="Young people's answers to the feedback questions after an event",
        counted_from="",
        action=KEPT,
        happens="Kept. The answers carry no name, link or time of day, so nobody can tell who gave them.",
        why="They show, year on year, whether young people feel proud, supported and heard (the strategy's outcome measures).",
        young_people_words="your feedback answers (we never know who gave them)",
    ),
    Rule(
        key="audit_trail",
        what="The record of who looked at or changed a young person's record",
        counted_from="",
        action=KEPT,
        happens="Kept. It holds no names or details, only which record, who and when.",
        why="It is how we show that only the right people looked, which young people and inspectors may ask about.",
    ),
]

RULES: dict[str, Rule] = {rule.key: rule for rule in SCHEDULE}


def retention_schedule() -> list[Rule]:
    """The Jinja global: every rule, in the order the notices show them."""
    return SCHEDULE
