"""CSV and XLSX files that are safe to open in a spreadsheet, for every domain's exports.

A text cell starting with one of FORMULA_STARTS would be run as a formula by spreadsheet
programs, so it gets a leading apostrophe. Only text is guarded: numbers (int, float, Decimal)
and dates keep their type, so a spreadsheet can sort and add them up (a negative score is a
number, not the text "'-0.50"). A Decimal keeps its decimal places on screen: Decimal("-0.50")
is written as -0.50 in CSV and shown with the number format "0.00" in XLSX.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

Cell = str | int | float | Decimal | date

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"


def safe(value: Any) -> Cell:
    """The value as a cell: text guarded against formulas, numbers and dates as they are,
    None as an empty cell, anything else as its text (guarded)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | date):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Cell]:
    return [safe(v) for v in row]


def number_format(value: Cell) -> str | None:
    """The XLSX number format that shows a Decimal with the places it has ("0.00")."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) else 0
        return "0." + "0" * places if places > 0 else "0"
    return None


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """The rows as CSV text, starting with a byte-order mark so Excel reads UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_row(row))
    return "\ufeff" + out.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    return csv_text(rows).encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[Any]], sheet_title: str) -> bytes:
    """The rows as a one-sheet XLSX workbook."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    for row in rows:
        cells = []
        for value in safe_row(row):
            cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # openpyxl takes dates too
            fmt = number_format(value)
            if fmt:
                cell.number_format = fmt
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def append_row(sheet: Any, row: Iterable[Any]) -> None:
    """Append one guarded row to an ordinary (not write-only) worksheet, for exports that style
    their cells afterwards."""
    values = safe_row(row)
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        fmt = number_format(value)
        if fmt:
            sheet.cell(row=sheet.max_row, column=column).number_format = fmt
