"""A letter for a young person without email, as an A4 PDF their worker prints or passes on.

One design for every kind (invitation, reminder, feedback link, "you have been nominated", the
shortlist decision): a heading, a greeting, a few short paragraphs, and the young person's
personal link twice, as a QR code to scan with a phone and as the address to type.

The letter holds a personal link, so it is made only where the link may be: by the outbox worker
at the moment it sends the email (cpevents/mail/services.py, from the words stored with the message
and the sealed link), or as the answer to an organiser's "print again" POST. It is never stored.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import segno
from fpdf import FPDF

from cpevents.core.certificates import FONTS

DARK = (11, 12, 12)
BLUE = (29, 112, 184)


@dataclass(frozen=True)
class LetterText:
    """What one letter says. `link` is the personal link (a secret: never logged, never stored)."""

    heading: str
    greeting: str
    paragraphs: list[str] = field(default_factory=list)
    link: str = ""
    after_link: str = ""
    signed: str = ""

    def as_dict(self) -> dict:
        return {"heading": self.heading, "greeting": self.greeting, "paragraphs": list(self.paragraphs), "link": self.link,
                "after_link": self.after_link, "signed": self.signed}

    @classmethod
    def from_dict(cls, data: dict) -> LetterText:
        return cls(heading=data.get("heading", ""), greeting=data.get("greeting", ""), paragraphs=list(data.get("paragraphs", [])),
                   link=data.get("link", ""), after_link=data.get("after_link", ""), signed=data.get("signed", ""))


def qr_png(data: str) -> io.BytesIO:
    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="png", scale=8, border=2)
    out.seek(0)
    return out


def letter_pdf(text: LetterText, *, service_name: str = "", council_name: str = "") -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(text.heading)
    pdf.set_author(council_name or service_name or "Corporate parenting")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(22, 22, 22)
    pdf.add_page()
    width = pdf.w - 44
    if council_name or service_name:
        pdf.set_font("DejaVu", "", 10)
        pdf.set_text_color(*BLUE)
        pdf.multi_cell(width, 6, council_name or service_name, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.set_text_color(*DARK)
    pdf.set_font("DejaVu", "B", 20)
    pdf.multi_cell(width, 10, text.heading, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 13)
    if text.greeting:
        pdf.multi_cell(width, 7, text.greeting, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    for paragraph in text.paragraphs:
        pdf.multi_cell(width, 7, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    if text.link:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(width, 7, "Scan this code with your phone's camera:", new_x="LMARGIN", new_y="NEXT")
        pdf.image(qr_png(text.link), x=pdf.l_margin, y=pdf.get_y() + 2, w=50, h=50)
        pdf.set_y(pdf.get_y() + 56)
        pdf.multi_cell(width, 7, "Or type this address into a web browser:", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(width, 6, text.link, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("DejaVu", "", 13)
    if text.after_link:
        pdf.multi_cell(width, 7, text.after_link, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    if text.signed:
        pdf.multi_cell(width, 7, text.signed, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
