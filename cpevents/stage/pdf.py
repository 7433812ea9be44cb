"""The presenter's sheet and the photographer's list as A4 PDFs (fpdf2, the DejaVu fonts the
certificates and letters use). They say exactly what the printable pages say: both are built
from the same rows (cpevents.stage.queries), so the PDF cannot show more than the page."""

from __future__ import annotations

from fpdf import FPDF

from cpevents.core.certificates import FONTS
from cpevents.stage.queries import AwardSlot, PhotoRow

DARK = (11, 12, 12)
GREY = (80, 90, 95)
RED = (212, 53, 28)


def _pdf(title: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author("Corporate parenting")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    return pdf


def _line(pdf: FPDF, text: str, *, size: int = 12, bold: bool = False, colour=DARK, height: float = 6.5) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(pdf.w - pdf.l_margin - pdf.r_margin, height, text, new_x="LMARGIN", new_y="NEXT")


def presenter_pdf(event, slot: AwardSlot, *, sealed: bool) -> bytes:
    heading = f"Presenter's sheet: {slot.category.name}"
    pdf = _pdf(heading)
    _line(pdf, f"{event.name}. Award {slot.number} in the running order.", size=10, colour=GREY)
    if sealed:
        _line(pdf, "SEALED: names the winner. Keep it in the envelope until the award is announced.", size=11, bold=True, colour=RED)
    pdf.ln(2)
    _line(pdf, heading, size=20, bold=True, height=10)
    pdf.ln(2)
    if slot.category.description:
        _line(pdf, slot.category.description, size=11, colour=GREY)
        pdf.ln(2)
    _line(pdf, "The young people shortlisted and coming tonight", size=14, bold=True)
    pdf.ln(1)
    if not slot.nominees:
        _line(pdf, "Nobody shortlisted for this award is coming tonight.")
    for number, nominee in enumerate(slot.nominees, start=1):
        pdf.ln(2)
        _line(pdf, f"{number}. {nominee.name_words}", size=14, bold=True, height=8)
        if nominee.how_to_say:
            _line(pdf, f"Say it: {nominee.how_to_say}")
        if nominee.marks:
            _line(pdf, " · ".join(nominee.marks), bold=True, colour=RED)
        _line(pdf, f"“{nominee.citation}”", size=11)
    pdf.ln(4)
    if not sealed:
        _line(pdf, "Winner: in the sealed envelope.", size=14, bold=True)
    elif slot.winners:
        for winner in slot.winners:
            _line(pdf, f"Winner: {winner.name_words}", size=16, bold=True, height=9)
            if winner.how_to_say:
                _line(pdf, f"Say it: {winner.how_to_say}")
            if winner.marks:
                _line(pdf, " · ".join(winner.marks), bold=True, colour=RED)
    elif slot.winner_not_coming:
        _line(pdf, "Winner: not on tonight's list. Speak to an organiser.", size=14, bold=True)
    else:
        _line(pdf, "Winner: not chosen yet. Speak to an organiser.", size=14, bold=True)
    return bytes(pdf.output())


def photographers_pdf(event, yes: list[PhotoRow], no: list[PhotoRow]) -> bytes:
    pdf = _pdf(f"Photographer's list: {event.name}")
    _line(pdf, f"Photographer's list: {event.name}", size=20, bold=True, height=10)
    _line(pdf, "Only the names people chose to be shown. Ask an organiser if you are not sure.", size=10, colour=GREY)
    pdf.ln(3)
    _line(pdf, f"Do not photograph ({len(no)})", size=14, bold=True, colour=RED)
    for row in no:
        _line(pdf, f"{row.name} ({row.who}): {row.why_not}")
    if not no:
        _line(pdf, "Nobody.")
    pdf.ln(4)
    _line(pdf, f"May be photographed ({len(yes)})", size=14, bold=True)
    for row in yes:
        _line(pdf, f"{row.name} ({row.who})")
    if not yes:
        _line(pdf, "Nobody.")
    return bytes(pdf.output())
