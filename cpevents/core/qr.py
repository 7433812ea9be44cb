"""QR codes as inline SVG (segno): no image request, nothing for the CSP to allow. Used for invitation
letters, feedback letters and door codes."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup, escape


def qr_svg(data: str, title: str, scale: int = 4) -> Markup:
    """The code for `data`, an image with `title` as its name for screen readers."""
    svg = segno.make(data, error="m").svg_inline(scale=scale, title=title, svgclass="app-code", lineclass=None)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="' + str(escape(title)) + '" ', 1))  # noqa: S704 - segno's own SVG


@lru_cache(maxsize=2048)
def cached_qr_svg(data: str, title: str) -> Markup:
    """The same code every time for the same data (a door code), so it is made once per process."""
    return qr_svg(data, title)
