"""Read an export file into a table of strings (one row per input row, header kept as given).

Every cell is text: numbers, dates and formulas are never interpreted, so employee ids such as
``007`` keep their leading zeros and ``=HYPERLINK(...)`` stays a harmless string.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from analyzer.errors import InputError, Problem

TABULAR_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
                    ".json": "json"}
_MAX_FIELD = 50 * 1024 * 1024  # csv module default is 128 KiB; HR cells can hold whole documents


@dataclass
class RawTable:
    """A table of strings with the notes gathered while reading it."""

    frame: pd.DataFrame  # all columns dtype str, missing cells ""
    encoding: str = ""
    sheet: str = ""
    notes: list[str] | None = None


def read_table(path: Path, data: bytes) -> RawTable:
    """Parse ``data`` (the bytes of ``path``) by its extension."""
    kind = TABULAR_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        allowed = ", ".join(sorted(TABULAR_SUFFIXES))
        raise InputError(str(path), f"unsupported file type {path.suffix or '(none)'!r}",
                         [Problem("", "unsupported_type", f"supported types are {allowed}",
                                  "export the HR data as CSV, XLSX or JSON")])
    if kind == "csv":
        return _read_csv(path, data)
    if kind == "xlsx":
        return _read_xlsx(path, data)
    return _read_json(path, data)


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), else the encoding charset-normalizer finds."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(str(path), "the file looks binary, not text",
                         [Problem("", "binary_file", "it contains NUL bytes",
                                  "export the data as CSV (UTF-8), XLSX or JSON")])
    for encoding in ("utf-8-sig",):
        try:
            return data.decode(encoding), "utf-8"
        except UnicodeDecodeError:
            pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    best = from_bytes(data).best()
    if best is None:
        raise InputError(str(path), "cannot tell the text encoding",
                         [Problem("", "unknown_encoding", "the bytes are not text in a known encoding",
                                  "save the file as UTF-8")])
    return str(best), best.encoding


def _read_csv(path: Path, data: bytes) -> RawTable:
    text, encoding = decode_text(path, data)
    if not text.strip():
        raise InputError(str(path), "the file is empty",
                         [Problem("", "empty_file", "there is no header and no data", "export again")])
    csv.field_size_limit(_MAX_FIELD)
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
                        strict=False)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(str(path), "the CSV cannot be parsed",
                         [Problem(f"line {reader.line_num}", "bad_csv", str(exc),
                                  "check quoting around that line")]) from None
    return _rows_to_table(path, rows, encoding=encoding, delimiter=delimiter)


def _rows_to_table(path: Path, rows: list[list[str]], encoding: str = "", delimiter: str = ",") -> RawTable:
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise InputError(str(path), "the file has no rows", [Problem("", "empty_file", "no header row found")])
    header = [cell.strip() for cell in rows[0]]
    width = len(header)
    notes = []
    body = []
    for index, row in enumerate(rows[1:], start=1):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            notes.append(f"row {index}: {len(row)} cells for {width} columns; extra cells ignored")
        body.append([*(cell for cell in row[:width]), *([""] * (width - len(row)))])
    header = _unique_headers(header)
    frame = pd.DataFrame(body, columns=header, dtype=str) if body else pd.DataFrame(columns=header, dtype=str)
    note = f"delimiter {delimiter!r}" if delimiter != "," else ""
    return RawTable(frame=frame.fillna(""), encoding=encoding, notes=[n for n in [note, *notes] if n])


def _unique_headers(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for index, name in enumerate(header):
        name = name or f"column {index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        result.append(name)
    return result


def _read_xlsx(path: Path, data: bytes) -> RawTable:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, header=None, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise InputError(str(path), "the workbook cannot be opened",
                         [Problem("", "bad_workbook", f"{type(exc).__name__}: {exc}"[:200],
                                  "open it in Excel or LibreOffice and save it again as .xlsx")]) from None
    best_name, best_rows = None, None
    for name, frame in sheets.items():
        rows = frame.fillna("").astype(str).values.tolist()
        if best_rows is None or len(rows) > len(best_rows):
            best_name, best_rows = name, rows
    if not best_rows:
        raise InputError(str(path), "the workbook has no data", [Problem("", "empty_file", "every sheet is empty")])
    table = _rows_to_table(path, best_rows)
    table.sheet = str(best_name)
    return table


def _read_json(path: Path, data: bytes) -> RawTable:
    text, encoding = decode_text(path, data)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), "the JSON cannot be parsed",
                         [Problem(f"line {exc.lineno}, column {exc.colno}", "bad_json", exc.msg,
                                  "fix the JSON syntax")]) from None
    records = payload
    if isinstance(payload, dict):
        lists = [value for value in payload.values() if isinstance(value, list) and value
                 and all(isinstance(item, dict) for item in value)]
        if len(lists) != 1:
            raise InputError(str(path), "the JSON object does not hold exactly one list of records",
                             [Problem("", "no_records", "expected a list of objects, or an object with one",
                                      "export a list of employee records")])
        records = lists[0]
    if not isinstance(records, list) or not all(isinstance(item, dict) for item in records):
        raise InputError(str(path), "the JSON is not a list of records",
                         [Problem("", "no_records", "expected a list of objects, one per employee")])
    if not records:
        raise InputError(str(path), "the JSON list is empty", [Problem("", "empty_file", "no records")])
    columns: list[str] = []
    for record in records:
        for key in record:
            if str(key) not in columns:
                columns.append(str(key))
    rows = [columns] + [[_cell(record.get(column)) for column in columns] for record in records]
    return _rows_to_table(path, rows, encoding=encoding)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
