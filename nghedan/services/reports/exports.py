"""Tables out as CSV (UTF-8 with BOM, for Excel) or XLSX, produced piece by piece.

A table is a title, typed columns and an iterable of rows; the rows may be a generator
over a query, so a long export never holds everything in memory before the first byte.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from nghedan.formatting import fmt_date, fmt_datetime, fmt_percent, local
from nghedan.text import fold_diacritics, xml_safe

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
KINDS = ("text", "int", "percent", "date", "datetime", "float")
CSV_BATCH_ROWS = 500
XLSX_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    name: str  # the file name, without extension
    title: str
    columns: tuple[Column, ...]
    rows: Iterable[Sequence]


def filename(table: Table, fmt: str) -> str:
    """An ASCII file name (`bao-cao-hai-long-2026-q4.csv`) that every browser keeps."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold_diacritics(table.name).lower()).strip("-")
    return f"{stem or 'bao-cao'}.{fmt}"


# A text cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """The one way a text enters a CSV or XLSX cell: never read as a formula (a leading
    apostrophe, as spreadsheets write it), and no character XML can't hold."""
    text = xml_safe(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    if kind == "percent":
        return fmt_percent(value)
    if kind == "date":
        return fmt_date(value)
    if kind == "datetime":
        return fmt_datetime(value)
    if kind == "float":
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def csv_chunks(table: Table) -> Iterator[str]:
    """The table as CSV text: a BOM and the header first, then rows a batch at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(c.title) for c in table.columns])
    yield "\ufeff" + buffer.getvalue()
    kinds = [c.kind for c in table.columns]
    batch = 0
    buffer.seek(0)
    buffer.truncate()
    for row in table.rows:
        writer.writerow([_csv_value(v, k) for v, k in zip(row, kinds, strict=False)])
        batch += 1
        if batch >= CSV_BATCH_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            batch = 0
    if buffer.getvalue():
        yield buffer.getvalue()


XLSX_FORMATS = {
    "int": "#,##0",
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "float": "0.0",
}


def _xlsx_value(value, kind: str):
    if isinstance(value, datetime):
        value = local(value).replace(tzinfo=None)  # Excel has no time zones
        return value if kind == "datetime" else value.date()
    if isinstance(value, date) or value is None or kind != "text":
        return value
    return str(value)


def xlsx_chunks(table: Table) -> Iterator[bytes]:
    """The table as an XLSX workbook, built in write-only mode and sent in chunks."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=safe_cell(column.title))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append(
            [
                _xlsx_cell(sheet, v, c.kind, WriteOnlyCell)
                for v, c in zip(row, table.columns, strict=False)
            ]
        )
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        workbook.save(out)
        out.seek(0)
        while chunk := out.read(XLSX_CHUNK_BYTES):
            yield chunk


def _xlsx_cell(sheet, value, kind: str, cell_type):
    value = _xlsx_value(value, kind)
    cell = cell_type(sheet, value=safe_cell(value) if isinstance(value, str) else value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if kind in XLSX_FORMATS and value is not None:
        cell.number_format = XLSX_FORMATS[kind]
    return cell


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", xml_safe(title))[:31] or "Sheet"


def chunks(table: Table, fmt: str) -> Iterator:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    return csv_chunks(table) if fmt == "csv" else xlsx_chunks(table)
