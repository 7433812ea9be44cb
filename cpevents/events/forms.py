from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional, ValidationError

from cpevents.core.forms import (
    DateParts,
    Form,
    Radios,
    Submit,
    Text,
    TextArea,
    answer,
    max_length,
    required,
)
from cpevents.core.time import LONDON
from cpevents.events.models import CareStatusRule, EventKind

TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.I)


def parse_time(text: str) -> time | None:
    """'18:30', '6:30pm', '6pm', '6.30 PM' -> time; None when it is not a real time."""
    match = TIME.match(text or "")
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class Number(IntegerField):
    """An integer with a plain-English message instead of WTForms' 'Not a valid integer value'."""

    def __init__(self, label, message, *validators, **kwargs):
        from cpevents.core.forms import TextInput

        super().__init__(label, validators=list(validators), widget=TextInput(), **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = int(str(valuelist[0]).strip())
            except ValueError:
                self.data = None
                raise ValueError(self.message) from None
        else:
            self.data = None


class EventForm(Form):
    kind = Radios("What kind of event is it?", [(k.value, k.label) for k in EventKind], required("Select what kind of event it is"))
    name = Text("Event name", required("Enter the event name"), max_length(160, "Event name"), description="For example, PROUD Awards 2027")
    date = DateParts("Date", "The event date", required_message="Enter the date of the event", description="For example, 19 3 2027")
    start_time = Text("Start time", required("Enter the start time"), max_length(10, "Start time"), description="For example, 6:30pm or 18:30")
    venue = Text("Venue", max_length(200, "Venue"))
    capacity = Number("Places (optional)", "Places must be a whole number, like 180", Optional(), NumberRange(min=1, max=100000, message="Places must be between 1 and 100,000"))
    description = TextArea("Description", max_length(2000, "The description"), description="In plain words: what happens, who it is for")
    theme = Text("Theme (optional)", max_length(120, "The theme"), description="For example, Care Leavers' Week's theme for the year, in a few words")
    planning_credit = Text("Planned with (optional)", max_length(300, "Planned with"),
                           description="First names or the group's name, for example: Planned with the Care Leavers' Forum: Aisha, Ben and Kai")
    min_age = Number("Youngest age", "Youngest age must be a whole number, like 11", required("Enter the youngest age"), NumberRange(min=5, max=30, message="Youngest age must be between 5 and 30"), default=11)
    max_age = Number("Oldest age", "Oldest age must be a whole number, like 25", required("Enter the oldest age"), NumberRange(min=5, max=30, message="Oldest age must be between 5 and 30"), default=25)
    submit = Submit("Save event")

    def validate_date(self, field):
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("The event date must be a year between 2000 and 2100")

    def validate_start_time(self, field):
        if field.data and parse_time(field.data) is None:
            raise ValidationError("Enter a real time, like 6:30pm or 18:30")

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event  # None for a new event: it has no categories yet

    def _narrowed_below_categories(self, age: int | None, *, youngest: bool) -> None:
        """An event's ages cannot shut out ages its own categories set: say which categories."""
        if age is None or self.event is None:
            return
        own = {c: [a for a in (c.min_age, c.max_age) if a is not None] for c in self.event.categories}
        outside = {c: ages for c, ages in own.items() if any(a < age if youngest else a > age for a in ages)}
        if outside:
            every = [a for ages in outside.values() for a in ages]
            bound, side, which = (min(every), "less", "Youngest") if youngest else (max(every), "more", "Oldest")
            named = "; ".join(f"{c.name} is for {c.own_ages_in_words}" for c in outside)
            raise ValidationError(f"{which} age must be {bound} or {side}, or change these categories first: {named}")

    def validate_min_age(self, field):
        self._narrowed_below_categories(field.data, youngest=True)

    def validate_max_age(self, field):
        if field.data is not None and self.min_age.data is not None and field.data < self.min_age.data:
            raise ValidationError("Oldest age must be the same as or more than the youngest age")
        self._narrowed_below_categories(field.data, youngest=False)

    def starts_at(self) -> datetime:
        # Read after validation: the date is given and the start time is a real time.
        starts = answer(parse_time(answer(self.start_time.data)))
        return datetime.combine(answer(self.date.data), starts, tzinfo=LONDON).astimezone(UTC)


class WindowForm(Form):
    opens = DateParts("Nominations open", "The opening date", required_message="Enter the date nominations open")
    closes = DateParts("Nominations close", "The closing date", required_message="Enter the date nominations close", description="Nominations can be made until midnight at the end of this day")
    submit = Submit("Save dates")

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def validate_opens(self, field):
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("The opening date must be a year between 2000 and 2100")

    def validate_closes(self, field):
        if field.data and self.opens.data and field.data < self.opens.data:
            raise ValidationError("The closing date must be the same as or after the opening date")
        if field.data and self.event is not None and field.data >= self.event.event_date:
            raise ValidationError(f"Nominations must close before the event on {self.event.event_date:%-d %B %Y}")

    def window(self) -> tuple[datetime, datetime]:
        # Read after validation: both dates are required.
        opens = datetime.combine(answer(self.opens.data), time(0, 0), tzinfo=LONDON).astimezone(UTC)
        closes = datetime.combine(answer(self.closes.data) + timedelta(days=1), time(0, 0), tzinfo=LONDON).astimezone(UTC)
        return opens, closes


class CategoryForm(Form):
    name = Text("Category name", required("Enter the category name"), max_length(120, "Category name"), description="For example, Achievement in education")
    description = TextArea("What it is for", required("Say in plain words what the category is for"), max_length(600, "The description"))
    min_age = Number("Youngest age (optional)", "Youngest age must be a whole number", Optional(), NumberRange(min=5, max=30, message="Youngest age must be between 5 and 30"), description="Leave empty to use the event's ages")
    max_age = Number("Oldest age (optional)", "Oldest age must be a whole number", Optional(), NumberRange(min=5, max=30, message="Oldest age must be between 5 and 30"))
    care_status_rule = Radios("Who can be nominated", [(r.value, r.label) for r in CareStatusRule], required("Select who can be nominated"), default=CareStatusRule.EITHER.value)
    submit = Submit("Save category")

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def _event_ages(self) -> str:
        return f"the event is for ages {self.event.min_age} to {self.event.max_age}"

    def validate_min_age(self, field):
        """A category can narrow the event's ages, never widen them."""
        if field.data is None or self.event is None:
            return
        if field.data < self.event.min_age:
            raise ValidationError(f"Youngest age must be {self.event.min_age} or more: {self._event_ages()}")
        if field.data > self.event.max_age:
            raise ValidationError(f"Youngest age must be {self.event.max_age} or less: {self._event_ages()}")

    def validate_max_age(self, field):
        if field.data is not None and self.min_age.data is not None and field.data < self.min_age.data:
            raise ValidationError("Oldest age must be the same as or more than the youngest age")
        if field.data is None or self.event is None:
            return
        if field.data > self.event.max_age:
            raise ValidationError(f"Oldest age must be {self.event.max_age} or less: {self._event_ages()}")
        if field.data < self.event.min_age:
            raise ValidationError(f"Oldest age must be {self.event.min_age} or more: {self._event_ages()}")
