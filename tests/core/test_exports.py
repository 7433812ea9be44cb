"""cpevents/core/exports.py: the formula guard is for text only; numbers and dates stay what they are."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from cpevents.core.exports import append_row, csv_bytes, csv_text, safe, xlsx_bytes
from cpevents.extensions import db
from tests.factories import sign_in
from tests.judging.helpers import setup_panel, submitted


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx"])
def test_text_that_a_spreadsheet_would_run_is_neutralised(text):
    assert safe(text) == "'" + text


def test_numbers_and_dates_keep_their_type():
    for value in (-1, -0.5, Decimal("-0.50"), date(2026, 3, 1)):
        assert safe(value) == value and type(safe(value)) is type(value)
    assert safe(None) == "" and safe("Plain") == "Plain"


def test_negative_score_reads_back_from_xlsx_as_a_number():
    body = xlsx_bytes([["Name", "Normalised score", "Rank"], ["=HYPERLINK(1)", Decimal("-0.50"), 3]], "Ranking")
    sheet = load_workbook(io.BytesIO(body))["Ranking"]
    name, score, rank = sheet[2]
    assert score.value == -0.5 and isinstance(score.value, float)
    assert score.number_format == "0.00"  # shown as the page shows it: -0.50
    assert rank.value == 3
    assert name.value == "'=HYPERLINK(1)"


def test_csv_writes_numbers_plainly_and_guards_text():
    text = csv_text([["Score", "Note"], [Decimal("-0.50"), "-not a number"]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == ["-0.50", "'-not a number"]
    assert csv_bytes([["a"]]) == "\ufeffa\r\n".encode()


def test_append_row_on_a_styled_sheet():
    book = Workbook()
    sheet = book.active
    append_row(sheet, ["=x", Decimal("1.5"), None])
    assert [c.value for c in sheet[1]][:2] == ["'=x", Decimal("1.5")]
    assert sheet.cell(row=1, column=2).number_format == "0.0"


def test_ranking_export_keeps_a_negative_normalised_score_a_number(client):
    organiser, event, panel, files, judges = setup_panel(n_files=2, n_judges=1)
    submitted(panel, files[0], judges[0], (5, 5, 5))
    submitted(panel, files[1], judges[0], (1, 1, 1))
    files[1].young_person.first_name = "=HYPERLINK(1)"
    db.session.commit()
    sign_in(client, organiser)
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{event.public_id}/judging/ranking.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    low = [c for c in sheet[3]]
    score = low[header.index("Normalised score")]
    assert score.value == -1 and isinstance(score.value, int | float) and score.number_format == "0.00"
    assert low[header.index("Young person")].value.startswith("'=")
