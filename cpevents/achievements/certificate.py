"""The achievement certificate: an A4 landscape PDF made with fpdf2, to print and keep.

DejaVu Sans (bundled in ./fonts, free licence in fonts/LICENSE) covers accents and curly quotes,
which the PDF core fonts cannot print.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from cpevents.achievements.models import Achievement

FONTS = Path(__file__).resolve().parent / "fonts"
BLUE = (29, 112, 184)
DARK = (11, 12, 12)


def certificate_pdf(achievement: Achievement, service_name: str = "") -> bytes:
    name = achievement.young_person.shown_name
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(f"Certificate of achievement for {name}")
    pdf.set_author(service_name or "Corporate parenting")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    width, height = pdf.w, pdf.h
    # a double border
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(2.5)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_line_width(0.6)
    pdf.rect(15, 15, width - 30, height - 30)

    pdf.set_text_color(*BLUE)
    pdf.set_font("DejaVu", "B", 34)
    pdf.set_xy(20, 30)
    pdf.cell(width - 40, 16, "Certificate of achievement", align="C")
    pdf.set_text_color(*DARK)
    pdf.set_font("DejaVu", "", 16)
    pdf.set_xy(20, 55)
    pdf.cell(width - 40, 10, "This is to celebrate", align="C")
    pdf.set_font("DejaVu", "B", 30)
    pdf.set_xy(20, 68)
    pdf.cell(width - 40, 16, name, align="C")
    pdf.set_font("DejaVu", "", 13)
    pdf.set_xy(20, 88)
    pdf.cell(width - 40, 8, achievement.area.label, align="C")
    text = achievement.description
    size = 15 if len(text) <= 300 else 12 if len(text) <= 600 else 10
    pdf.set_font("DejaVu", "", size)
    pdf.set_xy(40, 100)
    pdf.multi_cell(width - 80, size * 0.5, text, align="C")
    pdf.set_font("DejaVu", "", 13)
    pdf.set_xy(20, height - 58)
    pdf.cell(width - 40, 8, f"On {achievement.achieved_on.strftime('%-d %B %Y')}", align="C")
    pdf.set_xy(30, height - 48)
    pdf.multi_cell(width - 60, 7, f"Celebrated with {achievement.celebrated_with}", align="C")
    if service_name:
        pdf.set_font("DejaVu", "", 9)
        pdf.set_text_color(80, 80, 80)
        pdf.set_xy(20, height - 28)
        pdf.cell(width - 40, 6, service_name, align="C")
    return bytes(pdf.output())
