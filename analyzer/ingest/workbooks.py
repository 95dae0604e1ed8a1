"""Read Excel workbooks (.xlsx with openpyxl, legacy .xls with xlrd) into tables of strings.

The sheet that looks like a list of people is read (most recognised headers, then most rows) unless
one is named with ``--sheet``. Formulas are never evaluated: the value Excel last computed is read,
as shown in Excel, or the formula as text when the file holds no computed value. Numbers keep their
look (``1001`` not ``1001.0``); dates become ISO dates.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from analyzer.ingest.problems import ProblemLog
from analyzer.ingest.tables import RawTable, Records, choose_records, shape_table

_MAX_ROWS = 1_000_000  # Excel's own limit; a larger "sheet" is a corrupt dimension record


def read_xlsx(data: bytes, log: ProblemLog, sheet: str | None) -> RawTable:
    """An .xlsx/.xlsm workbook."""
    import openpyxl

    try:
        candidates = _xlsx_sheets(openpyxl, data, data_only=False)
        if any(cell.startswith("=") for _, records in candidates for row in records.cells for cell in row):
            # Formulas: show the value Excel last computed, or the formula text when there is none
            # (files written by scripts). Nothing is ever evaluated here.
            computed = dict(_xlsx_sheets(openpyxl, data, data_only=True))
            for name, records in candidates:
                _prefer_computed(records.cells, computed[name].cells)
    except Exception as error:  # openpyxl and zipfile raise many types for damaged files
        log.stop("", "bad_workbook", f"the workbook is damaged ({type(error).__name__}: {str(error)[:120]})",
                 "the workbook cannot be opened")
    if not candidates:
        log.stop("", "empty_file", "the workbook has no worksheet", "the workbook has no data")
    name, records = choose_records(candidates, sheet, log)
    return shape_table(records, log, kind="xlsx", sheet=name)


def _xlsx_sheets(openpyxl, data: bytes, data_only: bool) -> list[tuple[str, Records]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False)
    try:
        return [(ws.title, Records(cells=_sheet_rows(ws.iter_rows(values_only=True)))) for ws in workbook.worksheets]
    finally:
        workbook.close()


def _prefer_computed(formulas: list[list[str]], values: list[list[str]]) -> None:
    for row, value_row in zip(formulas, values, strict=False):
        for index, cell in enumerate(row):
            if cell.startswith("=") and index < len(value_row) and value_row[index]:
                row[index] = value_row[index]


def read_xls(data: bytes, log: ProblemLog, sheet: str | None) -> RawTable:
    """A legacy .xls (BIFF) workbook."""
    import xlrd

    if "EncryptedPackage".encode("utf-16-le") in data[:1_000_000]:
        # A password-protected .xlsx is stored inside a legacy Office container.
        log.stop("", "encrypted_workbook", "the workbook is password-protected", "the workbook cannot be opened")
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as error:  # xlrd.XLRDError, CompDocError, struct errors for damaged files
        message = str(error)
        if "EncryptedPackage" in message or "encrypted" in message.lower():
            log.stop("", "encrypted_workbook", "the workbook is password-protected", "the workbook cannot be opened")
        if "Can't find workbook" in message:
            log.stop("", "legacy_spreadsheet", "a legacy Office file that holds no workbook (a Word .doc?)",
                     "the file is not a workbook")
        log.stop("", "bad_workbook", f"the .xls workbook is damaged ({message[:120]})", "the workbook cannot be opened")
    try:
        candidates = []
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            rows = ([_xls_cell(ws.cell(r, c), book.datemode) for c in range(ws.ncols)] for r in range(ws.nrows))
            candidates.append((ws.name, Records(cells=_sheet_rows(rows))))
    except Exception as error:  # damaged sheet records
        log.stop("", "bad_workbook", f"the .xls workbook is damaged ({type(error).__name__})",
                 "the workbook cannot be opened")
    finally:
        book.release_resources()
    if not candidates:
        log.stop("", "empty_file", "the workbook has no worksheet", "the workbook has no data")
    name, records = choose_records(candidates, sheet, log)
    return shape_table(records, log, kind="xls", sheet=name)


def zip_kind(data: bytes) -> str:
    """What a zip file holds: ``xlsx``, ``docx``, ``ods``, ``zip`` (something else) or ``damaged``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "damaged"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    return "zip"


def _sheet_rows(rows) -> list[list[str]]:
    result = []
    for count, row in enumerate(rows):
        if count >= _MAX_ROWS:
            break
        cells = [cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()  # formatted but empty cells at the right end
        result.append(cells)
    return result


def cell_text(value) -> str:
    """A spreadsheet value as the text a person sees.

    >>> cell_text(1001.0), cell_text(0.5), cell_text(dt.datetime(2024, 3, 1)), cell_text(None)
    ('1001', '0.5', '2024-03-01', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _xls_cell(cell, datemode: int) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(cell.value)
    return cell_text(cell.value)
