from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField
from wtforms.validators import Optional

from cpevents.core.forms import Form, Radios, Submit, Text, TextArea, max_length, required
from cpevents.nominations.models import FileStatus


class ReasonForm(Form):
    reason = TextArea("Reason (optional)", max_length(1000, "The reason"))
    submit = Submit("Confirm")


class RequiredReasonForm(Form):
    reason = TextArea("Reason", required("Enter the reason"), max_length(1000, "The reason"))
    submit = Submit("Confirm")


class CategoryMoveForm(Form):
    category = Radios("Award", [], required("Select the award"))
    reason = TextArea("Reason (optional)", max_length(1000, "The reason"))
    submit = Submit("Change award")


class MatchForm(Form):
    person = Radios("Which young person is this?", [], required("Select a record, or make a new one"))
    link_nominator = BooleanField("Also link the nominator to this young person as one of their workers", widget=GovCheckboxInput())
    submit = Submit("Add to their file")


class FilesFilterForm(Form):
    class Meta:
        csrf = False

    q = Text("Search by name", Optional(), max_length(100, "Search"))
    category = Radios("Award", [], default="")
    status = Radios("Status", [("", "Any")] + [(s.value, s.label) for s in FileStatus if s != FileStatus.MERGED], default="")
    district = Text("District", Optional(), max_length(80, "District"))
    flagged = BooleanField("Only files with safety answers to review", widget=GovCheckboxInput())


class ExportForm(Form):
    class Meta:
        csrf = False

    background = BooleanField("Include the background for organisers", widget=GovCheckboxInput())
