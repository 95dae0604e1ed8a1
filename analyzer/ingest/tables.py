"""Read an export file into a table of strings: one header, one list of cells per data row.

Every cell is text: numbers, dates and formulas are never interpreted, so employee ids such as ``007``
keep their leading zeros and ``=HYPERLINK(...)`` stays a harmless string. The kind of file is read
from its bytes (see sniff.py), so a workbook renamed ``.csv`` is still read as a workbook.

Row numbers are 1-based data rows (the header excluded), the same numbers the report shows. Rows that
cannot be trusted (ragged, an unterminated quote) are kept as rows with a skip reason, never dropped.

Examples
--------
>>> from analyzer.ingest.problems import ProblemLog
>>> table = read_csv_text("Name;Job Title\\r\\nAda;Product Owner\\r\\n", ".csv", ProblemLog("x.csv"))
>>> table.delimiter, table.header, table.rows
(';', ['Name', 'Job Title'], [['Ada', 'Product Owner']])
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.htmltext import html_tables
from analyzer.ingest.columns import header_fields
from analyzer.ingest.problems import ProblemLog
from analyzer.ingest.sniff import JSON_SUFFIXES, WORKBOOK_SUFFIXES, decode_text

_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_CHARS = 100_000
_SAMPLE_RECORDS = 50
_HEADER_SEARCH_ROWS = 20
_MAX_FIELD = 64 * 1024 * 1024  # the csv module's default (128 KiB) is too small for whole documents in a cell
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # line boundaries of str.splitlines only
_JSON_DEPTH = 4  # how deep to look for the list of records in a JSON document


@dataclass
class RawTable:
    """A table of strings and how it was read."""

    header: list[str]
    rows: list[list[str]]  # data rows, each exactly as wide as the header
    kind: str  # csv, xlsx, xls, json, html
    skips: dict[int, tuple[str, str]] = field(default_factory=dict)  # data row number -> (code, reason)
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    header_row: int = 1  # 1-based record of the file (or sheet) that holds the header


@dataclass
class Records:
    """The records of a file or sheet before the header is known."""

    cells: list[list[str]]
    skips: dict[int, tuple[str, str]] = field(default_factory=dict)  # record index (0-based) -> (code, reason)


def read_csv_text(text: str, suffix: str, log: ProblemLog, encoding: str = "") -> RawTable:
    """Parse delimited text (the delimiter is sniffed) into a table."""
    csv.field_size_limit(_MAX_FIELD)
    delimiter = sniff_delimiter(text, suffix)
    records = parse_delimited(text, delimiter)
    table = shape_table(records, log, kind="csv")
    table.encoding, table.delimiter = encoding, delimiter
    return table


def sniff_delimiter(text: str, suffix: str = ".csv") -> str:
    """The delimiter under which the first records have the most consistent width (ties: most columns).

    csv.Sniffer is not used: it is thrown off by commas in prose and guesses letters as delimiters.

    >>> sniff_delimiter('a|b|c\\n1|"x, y, z"|3\\n')
    '|'
    """
    sample_lines = split_lines(text[:_SAMPLE_CHARS])
    best, best_score = ("\t" if suffix.lower() in (".tsv", ".tab") else ","), (0.0, 1)
    for delimiter in _DELIMITERS:
        reader = csv.reader(iter(sample_lines), delimiter=delimiter, strict=False)
        widths = []
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    widths.append(len(row))
                if len(widths) >= _SAMPLE_RECORDS:
                    break
        except csv.Error:
            continue
        if not widths:
            continue
        modal = max(set(widths), key=lambda width: (widths.count(width), width))
        score = (widths.count(modal) / len(widths), modal)
        if modal >= 2 and score > best_score:
            best, best_score = delimiter, score
    return best


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their line breaks (``\\r\\n``, ``\\r`` or ``\\n``); joined, they are ``text``.

    >>> split_lines("a,b\\r\\nc\\rd\\n\\ne\\x0cf")
    ['a,b\\r\\n', 'c\\r', 'd\\n', '\\n', 'e\\x0cf']
    """
    if any(boundary in text for boundary in _OTHER_BREAKS):  # str.splitlines would also break at these
        return _LINE_RE.findall(text)
    return text.splitlines(keepends=True)


def parse_delimited(text: str, delimiter: str) -> Records:
    """All records of delimited text.

    A record that spans several lines with an odd number of quotes was swallowed by an unterminated
    quote: its first line becomes a skipped record and reading starts again on the next line, so
    the rows after a stray quote are not lost.
    """
    lines = split_lines(text)
    ends = list(itertools.accumulate(map(len, lines)))  # offset in ``text`` where each line ends
    records = Records(cells=[])
    position = 0
    while position < len(lines):
        start = record_start = position
        reader = csv.reader(itertools.islice(lines, start, None), delimiter=delimiter, quotechar='"',
                            doublequote=True, strict=False)
        position = len(lines)
        try:
            for row in reader:
                first, last = record_start, start + reader.line_num  # the record's lines: [first, last)
                if last - first > 1 and text.count('"', ends[first - 1] if first else 0, ends[last - 1]) % 2:
                    records.skips[len(records.cells)] = (
                        "unterminated_quote", f"a quote opened on line {first + 1} is never closed properly; "
                                              "the row was not read")
                    records.cells.append([])
                    position = first + 1
                    break
                records.cells.append(row)
                record_start = last
        except csv.Error as error:
            # The bad record is skipped and reading goes on after it.
            records.skips[len(records.cells)] = ("bad_csv_line", f"line {record_start + 1}: {error}")
            records.cells.append([])
            position = max(start + reader.line_num, record_start + 1)
    return records


def find_header(cells: list[list[str]]) -> int:
    """Index of the header record: the first non-empty record, unless a later one among the first
    records names clearly more fields and everything above it looks like a title block."""
    non_empty = [i for i, row in enumerate(cells[:_HEADER_SEARCH_ROWS * 3]) if any(c.strip() for c in row)]
    if not non_empty:
        return 0
    first = non_empty[0]
    best, best_score = first, len(header_fields(cells[first]))
    for index in non_empty[1:_HEADER_SEARCH_ROWS]:
        score = len(header_fields(cells[index]))
        filled = sum(bool(c.strip()) for c in cells[index])
        above = [sum(bool(c.strip()) for c in cells[i]) for i in non_empty if i < index]
        if score >= 2 and score > best_score and all(count <= max(1, filled // 2) for count in above):
            best, best_score = index, score
    return best


def shape_table(records: Records, log: ProblemLog, kind: str, sheet: str = "") -> RawTable:
    """Turn records into a header and data rows of equal width; rows above the header are reported."""
    cells = records.cells
    while cells and not any(c.strip() for c in cells[-1]) and (len(cells) - 1) not in records.skips:
        cells.pop()  # trailing blank records are not data rows (Excel keeps formatted empty rows)
    if not cells or not any(any(c.strip() for c in row) for row in cells):
        log.stop("", "empty_file", f"the {'sheet' if sheet else 'file'} has no header and no data",
                 "the file is empty")
    header_index = find_header(cells)
    above = [i + 1 for i in range(header_index) if any(c.strip() for c in cells[i])]
    if above:
        log.warn(f"{'sheet ' + repr(sheet) + ', ' if sheet else ''}record{'s' if len(above) > 1 else ''} "
                 f"{', '.join(map(str, above))}", "header_not_first",
                 "text above the header row was ignored (a report title?)")
    header = [c.strip() for c in cells[header_index]]
    body = cells[header_index + 1:]
    longer = [row for row in body if len(row) > len(header) and any(c.strip() for c in row[len(header):])]
    filled_rows = [row for row in body if any(c.strip() for c in row)]
    if longer and len(longer) > len(filled_rows) / 2:
        # Most rows are wider than the header: the header is short, not the rows long.
        width = max(len(row) for row in body)
        header += [""] * (width - len(header))
    header = unique_headers(header)
    width = len(header)
    rows: list[list[str]] = []
    skips: dict[int, tuple[str, str]] = {}
    for offset, row in enumerate(body):
        number = offset + 1
        record_index = header_index + 1 + offset
        if record_index in records.skips:
            skips[number] = records.skips[record_index]
        elif len(row) > width and any(c.strip() for c in row[width:]):
            skips[number] = ("ragged_row", f"{len(row)} cells for {width} columns; the values may be shifted "
                                           "(a delimiter inside an unquoted field?)")
        rows.append([*row[:width], *([""] * (width - len(row)))])
    return RawTable(header=header, rows=rows, kind=kind, skips=skips, sheet=sheet, header_row=header_index + 1)


def unique_headers(header: list[str]) -> list[str]:
    """Blank headers become ``column N``; repeated ones get `` (2)``, `` (3)``.

    >>> unique_headers(["Name", "", "Name"])
    ['Name', 'column 2', 'Name (2)']
    """
    seen: dict[str, int] = {}
    result = []
    for index, name in enumerate(header):
        name = " ".join(name.split()) or f"column {index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        result.append(name)
    return result


def choose_records(candidates: list[tuple[str, Records]], sheet: str | None, log: ProblemLog,
                   what: str = "sheet") -> tuple[str, Records]:
    """The sheet (or table) chosen by name/number, else the one that looks most like a list of people:
    most header fields recognised, then most rows."""
    names = [name for name, _ in candidates]
    if sheet is not None:
        wanted = str(sheet).strip()
        for name, records in candidates:
            if name == wanted or name.casefold() == wanted.casefold():
                return name, records
        if wanted.isdigit() and 1 <= int(wanted) <= len(candidates):
            return candidates[int(wanted) - 1]
        log.stop(f"--{what}", f"unknown_{what}", f"no {what} named {wanted!r} ({what}s: "
                 f"{', '.join(map(repr, names))})", f"cannot find the {what}")
    best, best_key = None, None
    for position, (name, records) in enumerate(candidates):
        cells = records.cells
        if not any(any(c.strip() for c in row) for row in cells):
            continue
        header_index = find_header(cells)
        rows = sum(1 for row in cells[header_index + 1:] if any(c.strip() for c in row))
        key = (len(header_fields(cells[header_index])), rows, -position)
        if best_key is None or key > best_key:
            best, best_key = (name, records), key
    if best is None:
        log.stop("", "empty_file", f"every {what} is empty ({what}s: {', '.join(map(repr, names))})",
                 "the workbook has no data")
    assert best is not None
    if len(candidates) > 1:
        log.warn("", "sheet_chosen", f"read {what} {best[0]!r} of {', '.join(map(repr, names))}",
                 "choose another with --sheet" if what == "sheet" else "")
    return best


def read_json_text(text: str, suffix: str, log: ProblemLog, encoding: str = "") -> RawTable:
    """A JSON list of records, an object holding such lists (the one that looks like people is taken),
    or JSON Lines. Nested objects are flattened with dotted keys (``{"work": {"title": ...}}`` ->
    ``work.title``)."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        payload = _json_lines(text)
        if payload is None:
            log.stop(f"line {error.lineno}, column {error.colno}", "bad_json", error.msg,
                     "the JSON cannot be parsed")
    except RecursionError:
        log.stop("", "bad_json", "the JSON is nested too deeply", "the JSON cannot be parsed")
    lists = _record_lists(payload, "", 0)
    if not lists:
        log.stop("", "no_records", "expected a list of objects (one per employee), or an object holding one",
                 "the JSON holds no list of records")
    candidates = [(path or "(top level)", _flatten_records(items)) for path, items in lists]
    name, records = choose_records(candidates, None, log, what="list")
    table = shape_table(records, log, kind="json")
    table.encoding, table.sheet = encoding, name if len(candidates) > 1 else ""
    return table


def _json_lines(text: str) -> list | None:
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except (json.JSONDecodeError, RecursionError):
            return None
    return items if len(items) > 1 and all(isinstance(item, dict) for item in items) else None


def _record_lists(payload, path: str, depth: int) -> list[tuple[str, list[dict]]]:
    if isinstance(payload, list) and payload and all(isinstance(item, dict) for item in payload):
        return [(path, payload)]
    if (isinstance(payload, list) and len(payload) > 1 and all(isinstance(item, list) for item in payload)
            and all(isinstance(cell, str) for cell in payload[0])):
        # A table as rows of cells, the first row the header: turn it into records.
        header = unique_headers([str(cell) for cell in payload[0]])
        return [(path, [dict(zip(header, row, strict=False)) for row in payload[1:]])]
    found: list[tuple[str, list[dict]]] = []
    if isinstance(payload, dict) and depth < _JSON_DEPTH:
        for key, value in payload.items():
            found += _record_lists(value, f"{path}.{key}" if path else str(key), depth + 1)
    return found


def _flatten_records(items: list[dict]) -> Records:
    flat = [_flatten(item, "") for item in items]
    columns: dict[str, None] = {}
    for record in flat:
        columns.update(dict.fromkeys(record))
    keys = list(columns)
    prefixes = {key.split(".", 1)[0] for key in keys}
    # When every key sits under one wrapper ({"worker": {...}}), drop it so headers read naturally.
    wrapped = len(prefixes) == 1 and all("." in key for key in keys)
    header = [key.split(".", 1)[1] for key in keys] if wrapped else keys
    return Records(cells=[header, *[[record.get(key, "") for key in keys] for record in flat]])


def _flatten(value, prefix: str) -> dict[str, str]:
    if isinstance(value, dict):
        result: dict[str, str] = {}
        for key, inner in value.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            result.update(_flatten(inner, name) if isinstance(inner, dict) else {name: _json_cell(inner)})
        return result
    return {prefix: _json_cell(value)}


def _json_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(isinstance(item, str | int | float) and not isinstance(item, bool) for item in value):
            return "\n".join(str(item) for item in value)  # bullet lists of duties: one per line
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def read_html_text(text: str, log: ProblemLog, sheet: str | None, encoding: str = "") -> RawTable:
    """An HTML page with tables (what some HR systems save as ``.xls``)."""
    tables = html_tables(text)
    candidates = [(f"table {number}", Records(cells=rows)) for number, rows in enumerate(tables, start=1)]
    if not candidates:
        log.stop("", "unsupported_type", "an HTML page without any table", "the file is not an export")
    name, records = choose_records(candidates, sheet, log)
    table = shape_table(records, log, kind="html", sheet=name if len(candidates) > 1 else "")
    table.encoding = encoding
    return table


def read_text_table(path: Path, data: bytes, log: ProblemLog, sheet: str | None) -> RawTable:
    """Decode and parse a text export: CSV/TSV, JSON (by extension or content) or an HTML table."""
    text, encoding = decode_text(str(path), data, log)
    text = text.replace("\x00", "")
    if not text.strip():
        log.stop("", "empty_file", "the file holds only blank space", "the file is empty")
    suffix = path.suffix.lower()
    head = text.lstrip()[:1]
    if suffix in JSON_SUFFIXES or (head in "[{" and head):
        if suffix in JSON_SUFFIXES:
            return read_json_text(text, suffix, log, encoding)
        try:
            json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            pass  # not JSON after all: a CSV whose first header starts with a bracket
        else:
            log.warn("", "wrong_extension", f"the file is named {suffix or '(no extension)'} but holds JSON; "
                                            "read as JSON")
            return read_json_text(text, suffix, log, encoding)
    if head == "<" and re.search(r"<\s*table\b", text[:1_000_000], re.IGNORECASE):
        if suffix not in (".html", ".htm"):
            log.warn("", "wrong_extension", f"the file is named {suffix or '(no extension)'} but is an HTML page "
                                            "with a table; read the table")
        return read_html_text(text, log, sheet, encoding)
    if head == "<" and "urn:schemas-microsoft-com:office:spreadsheet" in text[:10_000]:
        log.stop("", "legacy_spreadsheet", "an Excel 2003 XML spreadsheet", "this spreadsheet format is not read")
    if suffix in WORKBOOK_SUFFIXES:
        log.warn("", "wrong_extension", f"the file is named {suffix} but is plain text; read as CSV")
    return read_csv_text(text, suffix, log, encoding)

