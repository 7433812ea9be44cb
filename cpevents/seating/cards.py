"""Name cards as an A4 PDF of name badge labels, with fpdf2 (as cpevents/core/certificates.py and
cpevents/core/letters.py).

The sheet is 8 labels of 86 x 55 mm, two across and four down, the layout of Avery L7418 / J7418
name badge labels (and the same size of the 86 x 55 mm plastic badge inserts). The margins below
centre the grid on the page: print one sheet on plain paper and hold it against a sheet of labels
before printing many; if a printer shifts the page, change LEFT and TOP.

A card says the name chosen for it (cpevents/seating/parties.py: never a surname the young person
did not choose), the table, and the event's name in small type. Nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from cpevents.core.certificates import BLUE, DARK, FONTS, GREY

CARD_W, CARD_H = 86.0, 55.0
ACROSS, DOWN = 2, 4
GAP_X = 12.0  # between the two columns
LEFT = (210.0 - ACROSS * CARD_W - GAP_X) / 2  # 13 mm
TOP = (297.0 - DOWN * CARD_H) / 2  # 38.5 mm
PER_SHEET = ACROSS * DOWN
LABEL_PRODUCT = "Avery L7418 name badge labels (86 x 55 mm, 8 per A4 sheet)"


@dataclass(frozen=True)
class NameCard:
    name: str
    table: str


def _fit(pdf: FPDF, text: str, width: float, largest: int, smallest: int) -> int:
    size = largest
    while size > smallest:
        pdf.set_font("DejaVu", "B", size)
        if pdf.get_string_width(text) <= width:
            return size
        size -= 1
    return smallest


def name_cards_pdf(cards: list[NameCard], *, event_name: str, outlines: bool = True) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"Name cards: {event_name}")
    pdf.set_author("Corporate parenting")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    if not cards:
        pdf.add_page()
        pdf.set_font("DejaVu", "", 14)
        pdf.set_xy(20, 30)
        pdf.multi_cell(170, 8, "Nobody is seated yet, so there are no name cards to print.")
        return bytes(pdf.output())
    pad = 5.0
    for index, card in enumerate(cards):
        if index % PER_SHEET == 0:
            pdf.add_page()
        slot = index % PER_SHEET
        x = LEFT + (slot % ACROSS) * (CARD_W + GAP_X)
        y = TOP + (slot // ACROSS) * CARD_H
        if outlines:  # a faint guide to cut along when printing on plain card
            pdf.set_draw_color(200, 200, 200)
            pdf.set_line_width(0.2)
            pdf.rect(x, y, CARD_W, CARD_H)
        inner = CARD_W - 2 * pad
        pdf.set_text_color(*DARK)
        size = _fit(pdf, card.name, inner, 28, 12)
        pdf.set_font("DejaVu", "B", size)
        if pdf.get_string_width(card.name) <= inner:
            pdf.set_xy(x + pad, y + 14)
            pdf.cell(inner, 12, card.name, align="C")
        else:  # a very long name: two lines at the smallest size
            pdf.set_xy(x + pad, y + 10)
            pdf.multi_cell(inner, 7, card.name, align="C", max_line_height=7)
        if card.table:
            pdf.set_text_color(*BLUE)
            pdf.set_font("DejaVu", "B", 16)
            pdf.set_xy(x + pad, y + 32)
            pdf.cell(inner, 8, card.table, align="C")
        pdf.set_text_color(*GREY)
        pdf.set_font("DejaVu", "", 8)
        pdf.set_xy(x + pad, y + CARD_H - 10)
        pdf.cell(inner, 5, event_name[:70], align="C")
    return bytes(pdf.output())
