"""Exports: CSV with a BOM, Vietnamese formats, no formulas; XLSX typed cells; streaming."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from nghedan.services.reports import exports
from nghedan.services.reports.exports import Column, Table


def _table(rows) -> Table:
    return Table(
        "Báo cáo hài lòng Quý IV",
        "Hài lòng",
        (
            Column("Cán bộ"),
            Column("Số lượt", "int"),
            Column("Chỉ số", "percent"),
            Column("Ngày", "date"),
            Column("Lúc", "datetime"),
            Column("Số ngày", "float"),
        ),
        rows,
    )


ROWS = [
    (
        "Nguyễn Thị Lan",
        1750,
        0.875,
        date(2026, 11, 23),
        datetime(2026, 11, 23, 8, 30, tzinfo=UTC),
        2.5,
    ),
    ('=HYPERLINK("http://x")', 3, "Chưa đủ đánh giá", None, None, None),
]


def test_csv_has_a_bom_vietnamese_formats_and_no_formulas():
    text = "".join(exports.csv_chunks(_table(ROWS)))
    assert text.startswith("\ufeffCán bộ,Số lượt,Chỉ số,Ngày,Lúc,Số ngày\r\n")
    lines = text[1:].splitlines()
    assert lines[1] == 'Nguyễn Thị Lan,1750,"87,5%",23/11/2026,15:30 23/11/2026,"2,5"'
    assert lines[2].startswith("\"'=HYPERLINK(") and lines[2].endswith(",3,Chưa đủ đánh giá,,,")
    assert exports.filename(_table(ROWS), "csv") == "bao-cao-hai-long-quy-iv.csv"


def test_csv_streams_in_batches_from_a_generator():
    produced = []

    def rows():
        for n in range(1200):
            produced.append(n)
            yield (f"Cán bộ {n}", n, None, None, None, None)

    chunks = exports.csv_chunks(_table(rows()))
    next(chunks)  # the header goes out before any row is read
    assert produced == []
    next(chunks)
    assert len(produced) == exports.CSV_BATCH_ROWS
    assert sum(1 for chunk in chunks for _ in chunk.splitlines()) == 700


def test_xlsx_keeps_numbers_numbers_and_text_text():
    data = b"".join(exports.xlsx_chunks(_table(ROWS)))
    sheet = load_workbook(io.BytesIO(data)).active
    header, lan, other = list(sheet.iter_rows())[:3]
    assert [c.value for c in header][:3] == ["Cán bộ", "Số lượt", "Chỉ số"]
    assert (lan[1].value, lan[2].value, lan[2].number_format) == (1750, 0.875, "0.0%")
    assert lan[3].value.date() == date(2026, 11, 23)
    assert lan[4].value == datetime(2026, 11, 23, 15, 30)  # Vietnam time, for Excel
    assert other[0].data_type == "s" and other[0].value.startswith("'=HYPERLINK")
    assert other[2].value == "Chưa đủ đánh giá"
