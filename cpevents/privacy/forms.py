from __future__ import annotations

from cpevents.core.forms import Form, Submit, Text, max_length, required


class ErasureForm(Form):
    reason = Text(
        "Why are you erasing this person’s data?",
        required("Enter why you are erasing this data, for example ‘Request by email 2 December’"),
        max_length(300, "The reason"),
        description="For example, ‘Request by email 2 December’. Do not write the person’s name: the reason is kept after the erasure.",
    )
    submit = Submit("Erase this person’s data")


class RequestErasureForm(ErasureForm):
    submit = Submit("Ask a second organiser to confirm")
