"""Retention periods in the words a young person uses: "3 months", "2 years", "until you are 26".

The periods themselves are settings (RETENTION_..._DAYS, see cpevents/config.py), so the notice
says what the service does. A period is counted in days; people say months and years, so a
count of days near a whole number of years or months is said that way, and anything else is
said as "about ..." rather than as an exact number of days nobody pictures.
"""

from __future__ import annotations

from collections.abc import Mapping

from cpevents.core.checks import known

DAYS_IN_YEAR = 365.25
DAYS_IN_MONTH = DAYS_IN_YEAR / 12


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def duration_words(days: int) -> str:
    """92 → "3 months", 730 → "2 years", 183 → "6 months", 14 → "2 weeks", 45 → "about 6 weeks"."""
    days = int(days)
    if days < 1:
        return "less than a day"
    years = round(days / DAYS_IN_YEAR)
    if years >= 1 and abs(days - years * DAYS_IN_YEAR) <= 7:
        return _count(years, "year")
    months = round(days / DAYS_IN_MONTH)
    if months >= 1 and abs(days - months * DAYS_IN_MONTH) <= 3:
        return _count(months, "month")
    if days < 14:
        return _count(days, "day")
    if days % 7 == 0 and days < 8 * 7:
        return _count(days // 7, "week")
    if days < 8 * 7:
        return "about " + _count(round(days / 7), "week")
    if days < 2 * 365:
        return "about " + _count(months, "month")
    return "about " + _count(years, "year")


def young_peoples_periods(config: Mapping | None = None) -> dict[str, str]:
    """The periods the young people's notice names, worded, from the retention schedule (whose
    periods are the app's settings): one source for the purge, the organisers' page and both notices."""
    from cpevents.privacy.retention import RULES

    def days(rule: str) -> int:
        return known(RULES[rule].limit, f"{rule} is a configured period")

    return {
        "invitation_details": duration_words(days("invitation_details")),
        "nomination_text": duration_words(days("nomination_text")),
        "achievements_until_age": str(RULES["achievements"].limit),
    }
