"""The organisers' table form, and the buttons of the seating page."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField
from wtforms.validators import NumberRange

from cpevents.core.forms import Form, Submit, Text, button_form, max_length, required
from cpevents.events.forms import Number
from cpevents.seating.models import MAX_SEATS


class TableForm(Form):
    name = Text("Table number or name", required("Enter the table’s number or name"), max_length(40, "Table number or name"),
                description="For example, 3 or Top table")
    seats = Number("Seats", "Seats must be a whole number, like 8", required("Enter how many seats the table has"),
                   NumberRange(min=1, max=MAX_SEATS, message=f"Seats must be a whole number between 1 and {MAX_SEATS}"))
    near_door = BooleanField("This table is near the door (for people who asked for a seat near the exit or step-free access)",
                             widget=GovCheckboxInput())
    submit = Submit("Save table")

    def fields(self) -> dict:
        return {"name": self.name.data or "", "seats": self.seats.data, "near_door": bool(self.near_door.data)}


FirstPassForm = button_form("Seat everyone without a table")
RemoveTableForm = button_form("Remove this table")
