"""The ingest stage: an HR export (CSV, XLSX, JSON) -> validated :class:`PersonRecord` rows.

Every input row ends up either as a record or as a :class:`SkippedRow` with its reason; nothing is
dropped silently. Problems that make the whole file unusable raise :class:`InputError` listing all
of them; row-level problems become skipped rows or warnings.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.csv"
>>> _ = path.write_text("Employee ID,Name,Job Title,Team\\n1,Ada,Product Owner,Search\\n", encoding="utf-8")
>>> org = read_org(path)
>>> org.records[0].title, org.columns["title"]
('Product Owner', 'Job Title')
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import InputError, Problem
from analyzer.htmltext import html_to_text, looks_like_html
from analyzer.ingest.columns import ColumnChoice, detect_columns
from analyzer.ingest.tables import read_table
from analyzer.records import PersonRecord, SkippedRow

__all__ = ["ColumnChoice", "OrgTable", "read_org"]


@dataclass
class OrgTable:
    """A validated organisation export."""

    path: str
    rows: int  # data rows in the input (header excluded)
    sha256: str
    records: list[PersonRecord]
    skipped: list[SkippedRow]
    columns: dict[str, str]  # field -> input column
    warnings: list[str] = field(default_factory=list)
    title_only: bool = False  # no description column: analysed from titles


def read_org(path: str | Path, columns: ColumnChoice | None = None) -> OrgTable:
    """Read and validate an HR export.

    Parameters
    ----------
    path:
        A ``.csv``/``.tsv``, ``.xlsx`` or ``.json`` file.
    columns:
        Explicit column choices; fields left ``None`` are detected from the headers.

    Raises
    ------
    InputError
        The file is missing, unreadable, empty, or has no title/description column.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "file not found",
                         [Problem("", "not_found", "no such file", "check the path")]) from None
    except IsADirectoryError:
        raise InputError(str(path), "is a folder",
                         [Problem("", "is_directory", "folders of job descriptions are not supported yet",
                                  "pass a CSV, XLSX or JSON export")]) from None
    except OSError as exc:
        raise InputError(str(path), "cannot read the file", [Problem("", "unreadable", str(exc.strerror))]) from None
    if not data.strip():
        raise InputError(str(path), "the file is empty",
                         [Problem("", "empty_file", "0 bytes of data", "export the HR data again")])
    table = read_table(path, data)
    problems: list[Problem] = []
    mapping, notes = detect_columns(table.frame, columns or ColumnChoice(), problems)
    if "title" not in mapping and "text" not in mapping:
        listing = ", ".join(repr(c) for c in list(table.frame.columns)[:20])
        problems.append(Problem("header", "no_title_or_text",
                                f"no job title or job description column found (columns: {listing})",
                                "name the columns with --title-column and/or --text-column"))
    if problems:
        raise InputError(str(path), "cannot analyse this file", problems)
    records, skipped, warnings = _records(table.frame, mapping)
    return OrgTable(
        path=str(path), rows=len(table.frame), sha256=hashlib.sha256(data).hexdigest(), records=records,
        skipped=skipped, columns=mapping, warnings=[*(table.notes or []), *notes, *warnings],
        title_only="text" not in mapping,
    )


def _records(frame, mapping: dict[str, str]) -> tuple[list[PersonRecord], list[SkippedRow], list[str]]:
    def cell(values: dict, key: str) -> str:
        column = mapping.get(key)
        return str(values.get(column, "") or "").strip() if column else ""

    records: list[PersonRecord] = []
    skipped: list[SkippedRow] = []
    warnings: list[str] = []
    first_row_of_id: dict[str, int] = {}
    for row_number, values in enumerate(frame.to_dict("records"), start=1):
        if not any(str(value).strip() for value in values.values()):
            skipped.append(SkippedRow(row_number, None, "empty row"))
            continue
        person_id = cell(values, "id") or str(row_number)
        if person_id in first_row_of_id:
            skipped.append(SkippedRow(row_number, person_id,
                                      f"duplicate id {person_id!r} (first used on row {first_row_of_id[person_id]})"))
            continue
        title = cell(values, "title")
        text = cell(values, "text")
        if looks_like_html(text):
            text = html_to_text(text)
        if not title and not text:
            skipped.append(SkippedRow(row_number, person_id, "no job title and no job description"))
            continue
        first_row_of_id[person_id] = row_number
        records.append(PersonRecord(
            row=row_number, id=person_id, name=cell(values, "name"), title=title,
            team=cell(values, "team") or None, manager_id=cell(values, "manager") or None, text=text,
        ))
    records, manager_warnings = _resolve_managers(records)
    return records, skipped, warnings + manager_warnings


def _resolve_managers(records: list[PersonRecord]) -> tuple[list[PersonRecord], list[str]]:
    """Manager cells may hold ids or names; names are turned into ids. Unknown managers are kept
    (the manager may be outside the export) and reported."""
    ids = {record.id for record in records}
    by_name: dict[str, str] = {}
    for record in records:
        if record.name:
            by_name.setdefault(record.name.casefold(), record.id)
    warnings = []
    resolved = []
    for record in records:
        manager = record.manager_id
        if manager and manager not in ids and manager.casefold() in by_name:
            manager = by_name[manager.casefold()]
            record = PersonRecord(record.row, record.id, record.name, record.title, record.team, manager,
                                  record.text, record.source)
        elif manager and manager not in ids:
            warnings.append(f"row {record.row}: manager {manager!r} of {record.id!r} is not in the export")
        if manager == record.id:
            warnings.append(f"row {record.row}: {record.id!r} is listed as their own manager; ignored")
            record = PersonRecord(record.row, record.id, record.name, record.title, record.team, None,
                                  record.text, record.source)
        resolved.append(record)
    return resolved, warnings
