"""cpevents/core/qr.py: an inline SVG with a name for screen readers, the same every time."""

from __future__ import annotations

from cpevents.core.qr import cached_qr_svg, qr_svg


def test_qr_code_is_a_named_inline_svg():
    svg = str(qr_svg("https://example.org/i/abc", "QR code for your invitation link"))
    assert svg.startswith('<svg role="img" aria-label="QR code for your invitation link" ')
    assert "<title>QR code for your invitation link</title>" in svg and "app-code" in svg
    assert "<script" not in svg and "<image" not in svg  # nothing for the CSP to allow


def test_the_same_data_gives_the_same_code():
    assert qr_svg("a", "t") == qr_svg("a", "t") != qr_svg("b", "t")
    assert cached_qr_svg("door", "t") is cached_qr_svg("door", "t")
