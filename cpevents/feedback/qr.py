"""The QR code on a printed feedback letter (segno, inline SVG, as for invitation letters)."""

from __future__ import annotations

import segno
from markupsafe import Markup, escape


def letter_svg(url: str) -> Markup:
    title = "QR code for your feedback link"
    svg = segno.make(url, error="m").svg_inline(scale=4, title=title, svgclass="app-code", lineclass=None)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="' + str(escape(title)) + '" ', 1))  # noqa: S704 - segno's SVG; the title is escaped
