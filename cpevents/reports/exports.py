"""The action plan's Evidence and Impact columns for the celebration objective, as XLSX."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from cpevents.core.exports import append_row
from cpevents.reports.queries import Report, shown

OBJECTIVE = "The achievements of children in care and care leavers are celebrated"
NOT_RECORDED = "not recorded yet"


def feedback_impact(report: Report) -> str:
    """The four outcome statements from event feedback, with the "fewer than 5" rule."""
    statements = "; ".join(st.text for st in report.feedback) or (
        "I feel proud of my achievements; I feel good about my future; I feel supported and cared for; I feel able to share my views and feelings")
    lead = f"Share of young people answering 'mostly' or 'completely' to the four outcome statements ({statements}), from event feedback about events held in {report.period.short}: "
    if report.feedback_responses == 0:
        return lead + "no feedback received yet for an event held in this period." + acted_on_text(report)
    figures = "; ".join(f"{st.text}: {st.share}%" if not st.small else f"{st.text}: not shown (fewer than 5 answered)" for st in report.feedback)
    return lead + f"{shown(report.feedback_responses)} young people answered. " + figures + "." + acted_on_text(report)


def acted_on_text(report: Report) -> str:
    """Feedback acted on: "You said, we did" sent, out of the events that asked for feedback."""
    if not report.feedback_events_asked:
        return ""
    return (f" Feedback acted on (\"You said, we did\" sent to young people): {report.feedback_acted_on} of "
            f"{report.feedback_events_asked} event{'s' if report.feedback_events_asked != 1 else ''} that asked for feedback.")


def attendance_evidence(report: Report) -> str:
    """Who came, from check-in at the door: per event, young people and their guests, and each
    audience that registered (professionals, councillors), arrived of those with a place."""
    if not report.attendance:
        return f"Attendance: {NOT_RECORDED} (no event held in this period with people invited or registered)."
    parts = []
    for a in report.attendance:
        if not a.recorded:
            parts.append(f"{a.name}: not recorded at the door")
            continue
        who = []
        if a.young_people_expected or a.young_people:
            who.append(f"{shown(a.young_people)} of {shown(a.young_people_expected)} young people coming"
                       + (f", with {shown(a.guests)} guests" if a.guests or a.guests_expected else ""))
        who += [f"{name.lower()} {shown(arrived)} of {shown(held)}" for name, arrived, held in a.audiences]
        parts.append(f"{a.name} ({a.kind.label}{'' if a.final else ', not closed yet'}): " + "; ".join(who))
    return "Attendance (checked in at the door): " + ". ".join(parts) + "."


def action_plan_rows(report: Report) -> list[list[str]]:
    champions_evidence = (
        f"{shown(report.champions_total)} current Corporate Parenting Champions in {report.services_with} of "
        f"{len(report.champions_by_service)} services. "
        + (f"Services with no champion: {', '.join(report.services_without)}. " if report.services_without else "Every service has a champion. ")
        + f"{shown(report.pledges_made)} pledges made."
    )
    champions_impact = (
        f"{shown(report.pledges_kept)} of {shown(report.pledges_made)} pledges kept in {report.period.short} "
        "(the champion recorded at least one thing they did for it): "
        + "; ".join(f"{label}: {shown(kept)} of {shown(made)}" for label, made, kept in report.pledges if made)
        + "."
    )
    events_evidence = (
        f"{shown(report.nominations_total)} PROUD Award nominations sent for {shown(report.nominations_young_people)} young people. "
        f"{shown(report.achievements_total)} everyday achievements recorded for {shown(report.achievements_young_people)} young people. "
        + (
            "Shortlisted: " + "; ".join(f"{name}: {shown(n)} young people" for name, n in report.shortlisted_by_event) + ". "
            if report.shortlisted_by_event
            else "Shortlist: none released yet for an awards event held in this period. "
        )
        + attendance_evidence(report)
    )
    events_impact = feedback_impact(report)
    return [
        ["Objective", "Action", "Evidence", "Impact", "Period"],
        [OBJECTIVE, "We will have Corporate Parenting Champions across the council", champions_evidence, champions_impact, report.period.label],
        [OBJECTIVE, "Events that recognise and celebrate achievement, e.g. PROUD awards", events_evidence, events_impact, report.period.label],
    ]


def to_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):  # a new workbook has one sheet, and it is active
        raise TypeError(sheet)
    sheet.title = "Celebration objective"
    for row in action_plan_rows(report):
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (40, 45, 70, 70, 28), strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
