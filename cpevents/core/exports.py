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
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Response, current_app
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


def _workbook(rows: Iterable[Sequence[Any]], sheet_title: str) -> Workbook:
    """A write-only workbook: openpyxl writes each row to a temporary file as it is appended, so
    the rows are never all in memory at once."""
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
    return book


def xlsx_bytes(rows: Iterable[Sequence[Any]], sheet_title: str) -> bytes:
    """The rows as a one-sheet XLSX workbook."""
    out = io.BytesIO()
    _workbook(rows, sheet_title).save(out)
    return out.getvalue()


# --- downloads of any length, in constant memory (issue 19) ---------------------------------------

CHUNK = 64 * 1024
Batches = Iterator[list[Sequence[Any]]]


def _each_in_its_own_context(make: Callable[[], Batches]) -> Batches:
    """Run `make()`'s batches after the view has returned, while the server sends the body: each
    batch is read in an application context (so a database session) of its own, pushed and popped
    before the batch is handed on, so no context is left open across a yield and a slow download
    holds no transaction. A batch must be plain rows, not records of the session just closed."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> Batches:
        batches = make()
        while True:
            with app.app_context():
                batch = next(batches, None)
            if batch is None:
                return
            yield batch

    return run()


def csv_chunks(batches: Iterable[list[Sequence[Any]]]) -> Iterator[bytes]:
    """The rows as CSV (with the byte-order mark), a batch at a time."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for batch in batches:
        for row in batch:
            writer.writerow(safe_row(row))
        if out.tell() >= CHUNK:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def xlsx_chunks(batches: Iterable[list[Sequence[Any]]], sheet_title: str) -> Iterator[bytes]:
    """The workbook, built in a temporary file (a zip is complete only after its last row; the
    write-only sheet keeps rows on disk, not in memory), then read back CHUNK bytes at a time."""
    with tempfile.TemporaryFile() as out:
        _workbook((row for batch in batches for row in batch), sheet_title).save(out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk


def download(make_batches: Callable[[], Batches], fmt: str, filename: str, sheet_title: str) -> Response:
    """A CSV or XLSX attachment streamed to the browser as it is written. `make_batches` is
    called once the body is being sent and yields lists of plain rows (the header first), each
    read from the database in a few queries: a download of 10,000 rows holds one batch at a time."""
    batches = _each_in_its_own_context(make_batches)
    chunks = csv_chunks(batches) if fmt == "csv" else xlsx_chunks(batches, sheet_title)
    return Response(
        chunks,
        mimetype=CSV_MIMETYPE if fmt == "csv" else XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


def append_row(sheet: Any, row: Iterable[Any]) -> None:
    """Append one guarded row to an ordinary (not write-only) worksheet, for exports that style
    their cells afterwards."""
    values = safe_row(row)
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        fmt = number_format(value)
        if fmt:
            sheet.cell(row=sheet.max_row, column=column).number_format = fmt
