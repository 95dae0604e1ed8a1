"""The ingest stage: an HR export or a folder of job descriptions -> validated :class:`PersonRecord` rows.

Accepted inputs (see docs/ingest.md): CSV/TSV in any common delimiter and encoding, XLSX, XLS, JSON
(a list of records, or an object holding one), HTML tables saved as ``.xls``, a folder of ``.txt``,
``.md``, ``.docx``, ``.pdf`` job descriptions (alone, or joined to an export with ``documents=``),
or a single such document. The kind of file is read from its bytes, not its name.

Every input row ends up either as a record or as a :class:`SkippedRow` with its reason; nothing is
dropped silently. All problems are collected in one pass: those that make the input unusable raise
one :class:`InputError` listing all of them; the others become skipped rows or warnings.

Stages: tables.py/workbooks.py/documents.py (bytes -> table), columns.py (which column is what),
rows.py (only the needed cells), structure.py (ids, managers, scopes), privacy.py (pseudonyms).

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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.collector import paused
from analyzer.errors import Problem
from analyzer.ingest.columns import ColumnChoice, ColumnPlan, detect_columns
from analyzer.ingest.documents import Document, read_document, read_folder
from analyzer.ingest.english import reads_as_english
from analyzer.ingest.privacy import pseudonymise
from analyzer.ingest.problems import ProblemLog, descriptions_of, rows_where
from analyzer.ingest.rows import Row, join_documents, rows_from_documents, rows_from_table
from analyzer.ingest.sniff import DOCUMENT_SUFFIXES, decode_text, detect_kind
from analyzer.ingest.structure import (
    SCOPES,
    assign_scopes,
    check_structure,
    mark_duplicates,
    resolve_managers,
)
from analyzer.ingest.tables import RawTable, parse_delimited, read_text_table, sniff_delimiter
from analyzer.ingest.workbooks import read_xls, read_xlsx, zip_kind
from analyzer.records import PersonRecord, SkippedRow

__all__ = ["SCOPES", "ColumnChoice", "OrgTable", "read_org"]

_RECORD_FIELDS = ("title", "text")


@dataclass
class OrgTable:
    """A validated organisation export (or collection of job descriptions)."""

    path: str
    rows: int  # data rows in the input (header excluded); for a folder, documents
    sha256: str
    records: list[PersonRecord]
    skipped: list[SkippedRow]
    columns: dict[str, str]  # field -> input column
    title_only: bool = False  # no description column: analysed from titles
    column_reasons: dict[str, str] = field(default_factory=dict)  # field -> why that column was taken
    problems: list[Problem] = field(default_factory=list)  # what the input got wrong that analysis can live with
    kind: str = ""  # csv, xlsx, xls, json, html, documents
    encoding: str = ""
    sheet: str = ""
    delimiter: str = ""
    header_row: int = 0  # 1-based record holding the header (0 for documents)
    scope_rule: str = ""
    system: str | None = None  # the HR system whose headers the export uses, when one stands out
    anonymized: bool = False

    @property
    def warnings(self) -> tuple[str, ...]:
        """The non-fatal problems as one line each ("where: message; fix"); add one to ``problems``, not here."""
        return tuple(str(problem) for problem in self.problems)


def read_org(path: str | Path, columns: ColumnChoice | None = None, *, sheet: str | int | None = None,
             scope: str = "auto", anonymize: bool = False, documents: str | Path | None = None) -> OrgTable:
    """Read and validate an HR export or a folder of job descriptions.

    Parameters
    ----------
    path:
        A ``.csv``/``.tsv``, ``.xlsx``, ``.xls`` or ``.json`` export; a folder of job descriptions; or
        one job-description document.
    columns:
        Explicit column choices; fields left ``None`` are detected from the headers and the content.
    sheet:
        The worksheet to read (name or 1-based number); default: the one that looks like people.
    scope:
        How people are grouped: ``auto``, ``team``, ``department`` or ``manager`` (see structure.py).
    anonymize:
        Replace names and ids with pseudonyms (``P001``/``Person 001``) everywhere.
    documents:
        A folder of job descriptions to join to the export, by a file-name column or by job title.

    Raises
    ------
    InputError
        The input cannot be analysed; ``.problems`` lists every problem found.
    """
    path = Path(path)
    log = ProblemLog(str(path))
    plan = ColumnPlan(headers=[])
    table: RawTable | None = None
    if path.is_dir():
        if documents is not None:
            log.stop("--documents", "unsupported_type", "both the input and --documents are folders",
                     "cannot join two folders", "pass the roster export as the input")
        folder_documents = read_folder(path, log)
        rows, digest = rows_from_documents(folder_documents, log), _documents_digest(folder_documents)
        has = {"title", "text", "team"} if any(d.team for d in folder_documents) else {"title", "text"}
    else:
        data = _read_bytes(path, log)
        table, single = _read_input(path, data, log, sheet)
        digest = hashlib.sha256(data).hexdigest()
        if single is not None:
            rows, has = rows_from_documents([single], log), {"title", "text"}
        else:
            plan = detect_columns(table.header, table.rows, columns, log)
            _require_columns(plan, table, documents is not None, log)
            log.raise_if_fatal("cannot analyse this file")
            with paused():
                rows = rows_from_table(table, plan, log)
            has = set(plan.columns)
    if documents is not None and table is None:
        log.stop("--documents", "unsupported_type", "--documents joins job descriptions to an export, and the "
                 "input is not an export", "cannot join the documents", "pass the roster export as the input")
    if documents is not None and table is not None:
        folder = Path(documents)
        if not folder.is_dir():
            log.stop("--documents", "no_documents", f"{str(folder)!r} is not a folder", "cannot read the documents")
        join_documents(rows, read_folder(folder, log), by_file="file" in plan.columns, log=log)
        has.add("text")
    with paused():
        return _organise(path, rows, table, plan, has, digest, log, scope, anonymize)


def _organise(path: Path, rows: list[Row], table: RawTable | None, plan: ColumnPlan, has: set[str], digest: str,
              log: ProblemLog, scope: str, anonymize: bool) -> OrgTable:
    """Ids, managers, scopes and pseudonyms of the rows read, and the :class:`OrgTable` of them."""
    _finish_rows(rows)
    mark_duplicates(rows)
    resolve_managers(rows)
    if anonymize:
        replace_names = pseudonymise(rows)
        # Warnings written before this step may quote document paths or cells that carry names.
        log.warnings = [Problem(replace_names(p.where), p.code, replace_names(p.message), replace_names(p.fix))
                        for p in log.warnings]
    manager_column = plan.mapping().get("manager") or plan.mapping().get("manager_name")
    check_structure(rows, log, manager_column)
    scope_rule = assign_scopes(rows, scope, has, log)
    records = [_record(row) for row in rows if row.skip is None]
    skipped = [SkippedRow(row.number, row.id or None, row.skip[1], title=row.title, team=row.team or None,
                          manager_id=row.manager_id or None) for row in rows if row.skip is not None]
    if not records:
        _all_skipped(rows, log)
    _warn_not_english(rows, log)
    title_only = "text" not in has
    if title_only:
        log.warn("", "title_only", "the input has no job description column: people are analysed from their "
                 "job titles only", "add a description column (or --documents) for a fuller analysis")
    columns, reasons = plan.mapping(), {name: plan.reasons[name] for name in plan.mapping()}
    if "name" not in columns and {"first_name", "last_name"} & set(columns):
        columns["name"] = " + ".join(columns[part] for part in ("first_name", "last_name") if part in columns)
        reasons["name"] = "first and last name joined"
    return OrgTable(
        path=str(path), rows=len(rows), sha256=digest, records=records, skipped=skipped,
        columns=columns, title_only=title_only,
        column_reasons=reasons, problems=list(log.warnings),
        kind=table.kind if table is not None else "documents", encoding=table.encoding if table else "",
        sheet=table.sheet if table else "", delimiter=table.delimiter if table else "",
        header_row=table.header_row if table else 0, scope_rule=scope_rule, system=plan.system,
        anonymized=anonymize,
    )


def _read_bytes(path: Path, log: ProblemLog) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        log.stop("", "not_found", "no such file", "file not found")
    except PermissionError:
        log.stop("", "unreadable", "permission denied", "cannot read the file")
    except OSError as error:
        log.stop("", "unreadable", str(error.strerror or error), "cannot read the file")
    if not data or data.isspace():  # (isspace, unlike strip, copies nothing: exports can be large)
        what = f"{len(data)} bytes, nothing but blank space" if data else "0 bytes"
        log.stop("", "empty_file", what, "the file is empty")
    return data


def _read_input(path: Path, data: bytes, log: ProblemLog,
                sheet: str | int | None) -> tuple[RawTable | None, Document | None]:
    """The table of an export, or the document when the input is one job description."""
    suffix = path.suffix.lower()
    sheet_name = None if sheet is None else str(sheet)
    kind = detect_kind(suffix, data)
    if kind == "zip":
        kind = zip_kind(data)
        if kind == "xlsx":
            _note_extension(suffix, {".xlsx", ".xlsm"}, "an Excel workbook (.xlsx)", log)
            return read_xlsx(data, log, sheet_name), None
        if kind == "docx":
            return None, _single_document(path)
        if kind == "damaged":
            log.stop("", "bad_workbook", "the file starts like a zip archive (.xlsx/.docx) but is damaged",
                     "the file cannot be opened")
        if kind == "ods":
            log.stop("", "unsupported_type", "an OpenDocument spreadsheet (.ods)", "this format is not read",
                     "save it as .xlsx")
        log.stop("", "unsupported_type", "a zip archive that is not an Excel workbook", "this format is not read",
                 "unzip it and pass the export inside")
    if kind == "ole":
        _note_extension(suffix, {".xls"}, "a legacy Excel workbook (.xls)", log)
        return read_xls(data, log, sheet_name), None
    if kind == "pdf":
        return None, _single_document(path)
    if kind != "text":
        log.stop("", "binary_file", f"the file is {kind}, not an HR export", "the file is not an export")
    if suffix in (".md", ".markdown") or (suffix in DOCUMENT_SUFFIXES - {".html", ".htm"} and suffix != ".txt"):
        return None, _single_document(path)
    if suffix == ".txt" and not _looks_tabular(path, data, log):
        return None, _single_document(path)
    if suffix in (".html", ".htm") and b"<table" not in data[:1_000_000].lower():
        return None, _single_document(path)
    with paused():  # a large export: millions of cells
        return read_text_table(path, data, log, sheet_name), None


def _note_extension(suffix: str, expected: set[str], what: str, log: ProblemLog) -> None:
    if suffix not in expected:
        log.warn("", "wrong_extension", f"the file is named {suffix or '(no extension)'} but is {what}; read as such")


def _single_document(path: Path) -> Document:
    return read_document(path, path.name)


def _looks_tabular(path: Path, data: bytes, log: ProblemLog) -> bool:
    text, _ = decode_text(str(path), data, log)
    delimiter = sniff_delimiter(text)
    cells = parse_delimited(text[:100_000], delimiter).cells
    widths = [len(row) for row in cells if any(c.strip() for c in row)]
    return bool(widths) and widths[0] >= 2 and sum(w == widths[0] for w in widths) >= 0.8 * len(widths)


def _require_columns(plan: ColumnPlan, table: RawTable, has_documents: bool, log: ProblemLog) -> None:
    if not table.rows:
        log.fatal("", "no_data_rows", "the file has a header but no data rows")
    if not any(name in plan.columns for name in _RECORD_FIELDS) and not (has_documents and "file" in plan.columns):
        listing = ", ".join(repr(h) for h in table.header[:20]) + (", ..." if len(table.header) > 20 else "")
        log.fatal("header", "no_title_or_text", f"no job title or job description column found (columns: {listing})")


def _finish_rows(rows: list[Row]) -> None:
    for row in rows:
        if row.skip is None and not row.title and not row.text:
            row.skip = ("no_title_or_text_in_row", "no job title and no job description")


def _warn_not_english(rows: list[Row], log: ProblemLog) -> None:
    """One warning naming the rows (or documents) whose description does not read as English: the mapper reads
    English only (see :mod:`analyzer.ingest.english`). They are analysed all the same."""
    verdicts: dict[str, bool] = {}  # exports repeat one description for many people: each is judged once
    foreign = []
    for row in rows:
        if row.skip is None and row.text:
            english = verdicts.get(row.text)
            if english is None:
                english = verdicts[row.text] = reads_as_english(row.text)
            if not english:
                foreign.append(row)
    if not foreign:
        return
    where = rows_where([row.number for row in foreign], [row.source for row in foreign])
    log.warn(where, "not_english", descriptions_of(foreign, "does not read", "do not read") + " as English; the mapper "
             "reads English only, so what is read from them (responsibilities, roles) is unreliable; analysed all the "
             "same")


def _record(row: Row) -> PersonRecord:
    return PersonRecord(
        row=row.number, id=row.id, name=row.name, title=row.title, team=row.team or row.department or None,
        manager_id=row.manager_id, text=row.text, source=row.source, department=row.department or None,
        scope=row.scope,
    )


def _all_skipped(rows: list[Row], log: ProblemLog) -> None:
    reasons = Counter(row.skip[1] if row.skip[0] != "duplicate_id" else "duplicate id"
                      for row in rows if row.skip is not None)
    summary = "; ".join(f"{count} x {reason}" for reason, count in sorted(reasons.items(), key=lambda i: -i[1]))
    log.fatal("", "all_rows_skipped", f"none of the {len(rows)} rows can be analysed ({summary[:300]})")
    log.raise_if_fatal("cannot analyse this file")


def _documents_digest(documents: list[Document]) -> str:
    digest = hashlib.sha256()
    for document in documents:
        digest.update(f"{document.path}\0{document.sha256}\n".encode())
    return digest.hexdigest()

