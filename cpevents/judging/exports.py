"""The ranking as CSV or XLSX, safe to open in a spreadsheet (see cpevents/core/exports.py)."""

from __future__ import annotations

from cpevents.core.exports import csv_bytes, xlsx_bytes


def to_csv(rows) -> bytes:
    return csv_bytes(rows)


def to_xlsx(rows) -> bytes:
    return xlsx_bytes(rows, "Ranking")
