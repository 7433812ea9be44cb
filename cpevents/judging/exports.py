"""The ranking as CSV or XLSX, safe to open in a spreadsheet (see nominations/exports.py)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from cpevents.nominations.exports import neutralise


def to_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ranking")
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
