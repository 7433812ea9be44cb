"""Certificates a young person keeps: A4 landscape PDFs made with fpdf2, one design for all.

Used by the achievement certificate (cpevents/achievements/certificate.py) and the PROUD Awards
certificate on a nominee's keepsake page (cpevents/nominees/keepsake.py): each fills in a
`CertificateText` and this draws it.

It carries the council's name (COUNCIL_NAME) and logo (CERTIFICATE_LOGO: a PNG, JPEG or SVG
file; the default emblem, images/council-logo.png, ships with the app), warm colours and a few
stars, the name the young person chose, what it celebrates, and a line for a signature
(CERTIFICATE_SIGNATORY says whose, under the line). A logo that cannot be read falls back to the
default: a certificate is never refused because of a configuration slip.

DejaVu Sans (bundled in ./fonts, free licence in fonts/LICENSE) covers accents and curly quotes,
which the PDF core fonts cannot print.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
DEFAULT_LOGO = HERE / "images" / "council-logo.png"
BLUE = (29, 112, 184)
DARK_BLUE = (0, 48, 120)
GOLD = (255, 221, 0)
PALE = (255, 250, 228)
DARK = (11, 12, 12)
GREY = (80, 80, 80)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CertificateText:
    """What one certificate says. `heading` is the big title ("Certificate of achievement"),
    `name` the name the young person chose to be shown, `subject` a bold line under it (the area
    or the award), `story` the paragraph under that, `note` a smaller line after the story, and
    `on` the date printed beside the signature line."""

    heading: str
    name: str
    subject: str
    story: str
    on: date
    note: str = ""
    document_title: str = ""


@dataclass(frozen=True)
class CertificateSettings:
    """The council's part, from the app's configuration (see `settings_from`)."""

    service_name: str = ""
    council_name: str = ""
    logo: str | None = None
    signatory: str = ""


def settings_from(config) -> CertificateSettings:
    return CertificateSettings(service_name=config.get("SERVICE_NAME", ""), council_name=config.get("COUNCIL_NAME", ""),
                               logo=config.get("CERTIFICATE_LOGO") or None, signatory=config.get("CERTIFICATE_SIGNATORY", ""))


def certificate_filename(name: str, on: date, prefix: str = "certificate") -> str:
    """certificate-Zoe-2025-03-12.pdf: the name shown and the date, in safe characters only (accents
    folded, anything else dropped), so it saves the same on every computer."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")[:60].strip("-")
    parts = [prefix, safe, on.strftime("%Y-%m-%d")]
    return "-".join(p for p in parts if p) + ".pdf"


def _star(pdf: FPDF, x: float, y: float, r: float, colour) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.42
        angle = math.pi / 2 + i * math.pi / 5
        points.append((x + radius * math.cos(angle), y - radius * math.sin(angle)))
    pdf.set_fill_color(*colour)
    pdf.polygon(points, style="F")


def _logo(pdf: FPDF, logo: str | None, x: float, y: float, size: float) -> None:
    for path in ([Path(logo)] if logo else []) + [DEFAULT_LOGO]:
        try:
            pdf.image(str(path), x=x, y=y, w=size, h=size, keep_aspect_ratio=True)
            return
        except Exception:  # a missing or unreadable file: the default instead, never a failed download
            log.warning("certificate logo could not be read; using the default")


def certificate_pdf(text: CertificateText, settings: CertificateSettings) -> bytes:
    council_name, service_name = settings.council_name, settings.service_name
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(text.document_title or f"{text.heading} for {text.name}")
    pdf.set_author(council_name or service_name or "Corporate parenting")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    width, height = pdf.w, pdf.h

    # A warm paper, a blue frame with a gold line inside it, and stars in the corners.
    pdf.set_fill_color(*PALE)
    pdf.rect(0, 0, width, height, style="F")
    pdf.set_fill_color(*BLUE)
    pdf.rect(8, 8, width - 16, height - 16, style="F")
    pdf.set_fill_color(*PALE)
    pdf.rect(14, 14, width - 28, height - 28, style="F")
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(1.2)
    pdf.rect(17, 17, width - 34, height - 34)
    for x, y, r in ((30, 30, 7), (44, 26, 3.5), (26, 44, 3.5), (width - 30, 30, 7), (width - 44, 26, 3.5), (width - 26, 44, 3.5),
                    (30, height - 30, 5), (width - 30, height - 30, 5)):
        _star(pdf, x, y, r, GOLD if r > 4 else BLUE)

    _logo(pdf, settings.logo, width / 2 - 13, 20, 26)
    pdf.set_text_color(*DARK_BLUE)
    pdf.set_font("DejaVu", "B", 32)
    pdf.set_xy(20, 48)
    pdf.cell(width - 40, 14, text.heading, align="C")
    if council_name:
        pdf.set_font("DejaVu", "", 12)
        pdf.set_text_color(*GREY)
        pdf.set_xy(20, 62)
        pdf.cell(width - 40, 7, council_name, align="C")

    pdf.set_text_color(*DARK)
    pdf.set_font("DejaVu", "", 15)
    pdf.set_xy(20, 73)
    pdf.cell(width - 40, 9, "This is to celebrate", align="C")
    pdf.set_font("DejaVu", "B", 30)
    pdf.set_text_color(*BLUE)
    pdf.set_xy(20, 83)
    pdf.cell(width - 40, 15, text.name, align="C")
    # a gold rule under the name
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(1)
    pdf.line(width / 2 - 45, 100, width / 2 + 45, 100)
    pdf.set_text_color(*DARK)
    pdf.set_font("DejaVu", "B", 12)
    pdf.set_xy(20, 103)
    pdf.cell(width - 40, 7, text.subject, align="C")
    story = text.story
    size = 14 if len(story) <= 250 else 11 if len(story) <= 500 else 9
    pdf.set_font("DejaVu", "", size)
    pdf.set_xy(45, 112)
    pdf.multi_cell(width - 90, size * 0.48, story, align="C", max_line_height=size * 0.48)
    if text.note:
        # Straight after the story (up to 1,000 characters), clear of the signature line below.
        small = len(text.note) > 116  # "Celebrated with " and more than 100 characters
        pdf.set_font("DejaVu", "", 9 if small else 11)
        pdf.set_xy(40, max(pdf.get_y() + 3, 140))
        pdf.multi_cell(width - 80, 4.5 if small else 6, text.note, align="C")

    # A line to sign on the left, the date on the right.
    line_y = height - 36
    pdf.set_draw_color(*DARK)
    pdf.set_line_width(0.4)
    pdf.line(40, line_y, 130, line_y)
    pdf.line(width - 130, line_y, width - 40, line_y)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_text_color(*GREY)
    pdf.set_xy(40, line_y + 1.5)
    pdf.cell(90, 5, "Signed", align="C")
    pdf.set_xy(40, line_y + 6.5)
    pdf.cell(90, 5, settings.signatory or (f"For {council_name}" if council_name else ""), align="C")
    pdf.set_text_color(*DARK)
    pdf.set_font("DejaVu", "B", 12)
    pdf.set_xy(width - 130, line_y - 7)
    pdf.cell(90, 6, text.on.strftime("%-d %B %Y"), align="C")
    pdf.set_font("DejaVu", "", 10)
    pdf.set_text_color(*GREY)
    pdf.set_xy(width - 130, line_y + 1.5)
    pdf.cell(90, 5, "Date", align="C")
    if service_name:
        pdf.set_font("DejaVu", "", 8)
        pdf.set_xy(20, height - 24)
        pdf.cell(width - 40, 5, service_name, align="C")
    return bytes(pdf.output())


def pdf_download(data: bytes, filename: str):
    """A certificate as a download: attachment with a safe file name (made by certificate_filename)."""
    from flask import make_response

    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
