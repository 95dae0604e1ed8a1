"""From a table of strings (or a set of documents) to one :class:`Row` per input row.

Only the columns of the :class:`~analyzer.ingest.columns.ColumnPlan` are read; every other column
(salary, address, ...) is left behind here. Cells are cleaned (whitespace, NUL characters, HTML
turned into text) and bounded in size, so a multi-megabyte cell costs linear time and nothing more.
A row that cannot be analysed keeps its place with a skip reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analyzer.htmltext import html_to_text, looks_like_html
from analyzer.ingest.columns import ColumnPlan
from analyzer.ingest.documents import Document, document_keys, normalise_title, title_from_file_name
from analyzer.ingest.problems import ProblemLog, row_where, rows_where
from analyzer.ingest.tables import RawTable

MAX_TEXT_CHARS = 100_000  # longer than any real job description; keeps the NLP stages bounded
MAX_SHORT_CHARS = 300  # ids, names, titles, teams


@dataclass
class Row:
    """One input row on its way to a :class:`~analyzer.records.PersonRecord` (or a skipped row)."""

    number: int  # 1-based data row (header excluded), or document number
    id: str = ""
    name: str = ""
    title: str = ""
    team: str = ""
    department: str = ""
    manager_ref: str = ""  # the manager as written: an id, a name or an e-mail
    manager_name_ref: str = ""
    email: str = ""  # only used to resolve managers given by e-mail; never copied to a record
    text: str = ""
    file: str = ""
    source: str = ""
    manager_id: str | None = None
    manager_status: str = ""  # how manager_ref was resolved: id, name, email, unknown, ambiguous, self
    scope: str | None = None
    skip: tuple[str, str] | None = None  # (code, reason)


def rows_from_table(table: RawTable, plan: ColumnPlan, log: ProblemLog) -> list[Row]:
    """One Row per data row of ``table`` reading only the planned columns.

    Values repeat down a column (titles, teams, managers, one description for many people): each
    distinct cell of a column is cleaned once.
    """
    columns = plan.columns
    has_id = "id" in columns
    read = {name: _column_reader(columns.get(name), plan, log, repeats=name not in _UNIQUE_FIELDS)
            for name in _SHORT_FIELDS}
    read_id, read_name, read_first, read_last = read["id"], read["name"], read["first_name"], read["last_name"]
    read_title, read_team, read_department = read["title"], read["team"], read["department"]
    read_manager, read_manager_name, read_email, read_file = (read["manager"], read["manager_name"], read["email"],
                                                             read["file"])
    text_index = columns.get("text")
    text_column = plan.headers[text_index] if text_index is not None else ""
    cleaned: dict[str, tuple[str, bool]] = {}  # description as written -> (text, truncated)
    rows = []
    for number, cells in enumerate(table.rows, start=1):
        row = Row(number=number)
        rows.append(row)
        if number in table.skips:
            row.skip = table.skips[number]
            if has_id:
                row.id = read_id(cells, number)
            continue
        if not any(map(str.strip, cells)):
            row.skip = ("empty_row", "empty row")
            continue
        # The order of the reads is the order of their warnings.
        row.id = read_id(cells, number)
        row.name = read_name(cells, number) or " ".join(
            part for part in (read_first(cells, number), read_last(cells, number)) if part)
        row.title = read_title(cells, number)
        row.team = read_team(cells, number)
        row.department = read_department(cells, number)
        row.manager_ref = read_manager(cells, number)
        row.manager_name_ref = read_manager_name(cells, number)
        row.email = read_email(cells, number)
        row.file = read_file(cells, number)
        if text_index is not None:
            raw = cells[text_index]
            known = cleaned.get(raw)
            if known is None:
                known = cleaned[raw] = _clean(raw)
            row.text = known[0]
            if known[1]:
                _warn_truncated(number, text_column, log)
    for row in rows:
        if not row.id and row.skip is None:
            row.id = f"row-{row.number}" if has_id else str(row.number)
    return rows


_SHORT_FIELDS = ("id", "name", "first_name", "last_name", "title", "team", "department", "manager", "manager_name",
                 "email", "file")
_UNIQUE_FIELDS = frozenset({"id", "name", "first_name", "last_name", "email"})  # rarely repeat: not worth a memo


def _column_reader(index: int | None, plan: ColumnPlan, log: ProblemLog,
                   repeats: bool) -> Callable[[list[str], int], str]:
    """``read(cells, row number)``: the column's cell as a short value ("" when the column is not planned)."""
    if index is None:
        return lambda cells, number: ""
    column = plan.headers[index]
    memo: dict[str, str] | None = {} if repeats else None

    def read(cells: list[str], number: int) -> str:
        raw = cells[index]
        value = memo.get(raw) if memo is not None else None
        if value is None:
            value = " ".join(raw.replace("\x00", "").split())
            if memo is not None:
                memo[raw] = value
        return value if len(value) <= MAX_SHORT_CHARS else _bounded(value, number, column, log)

    return read


def rows_from_documents(documents: list[Document], log: ProblemLog) -> list[Row]:
    """One Row per document; the id is the document's path in the folder."""
    rows = []
    for number, document in enumerate(documents, start=1):
        row = Row(number=number, id=document.path, title=document.title, team=document.team,
                  source=document.path, skip=document.problem)
        if document.problem is None:
            row.title = _bounded(row.title, number, "title", log)
            row.text = clean_text(document.text, number, document.path, log)
        rows.append(row)
    return rows


def join_documents(rows: list[Row], documents: list[Document], by_file: bool, log: ProblemLog) -> None:
    """Give roster rows the text of their job-description document: by the roster's file-name column
    when ``by_file``, else by job title. Roster rows without a document keep their own text (or are
    analysed from the title); documents no row uses are reported."""
    usable = [document for document in documents if document.problem is None]
    for document in documents:
        if document.problem is not None:
            log.warn(f"document {document.path!r}", document.problem[0], document.problem[1])
    index: dict[str, Document] = {}
    for document in usable:
        file_title = title_from_file_name(document.path.rsplit("/", 1)[-1])
        keys = document_keys(document) if by_file else {normalise_title(document.title), normalise_title(file_title)}
        for key in keys:
            index.setdefault(key, document)
    used: set[str] = set()
    missing = []
    for row in rows:
        if row.skip is not None:
            continue
        key = row.file.strip().casefold().replace("\\", "/") if by_file else normalise_title(row.title)
        document = index.get(key) or (index.get(key.rsplit("/", 1)[-1]) if by_file else None)
        if document is None:
            if (by_file and row.file) or not row.text:
                missing.append(row.number)
            continue
        row.text = clean_text(document.text, row.number, document.path, log)
        row.source = document.path
        used.add(document.path)
    if missing:
        log.warn(rows_where(missing, []), "no_document",
                 f"{len(missing)} row(s) have no matching job-description document; analysed from the title")
    unused = [document.path for document in usable if document.path not in used]
    if unused:
        log.warn("", "unmatched_document", f"{len(unused)} document(s) match no row of the export and were not "
                 f"analysed: {', '.join(unused[:10])}{', ...' if len(unused) > 10 else ''}")


def clean_text(value: str, number: int, column: str, log: ProblemLog) -> str:
    """A description cell as plain text: NUL characters removed, HTML reduced to text, size bounded."""
    value, truncated = _clean(value)
    if truncated:
        _warn_truncated(number, column, log)
    return value


def _clean(value: str) -> tuple[str, bool]:
    """:func:`clean_text` without the warning: (text, whether it was cut)."""
    value = value.replace("\x00", "")
    if len(value) > 4 * MAX_TEXT_CHARS:
        value = value[:4 * MAX_TEXT_CHARS]  # bound the HTML parser's work before the exact cut below
    if looks_like_html(value[:10_000]):
        value = html_to_text(value)
    value = "\n".join([line.strip() for line in value.strip().splitlines()])
    if len(value) > MAX_TEXT_CHARS:
        cut = value.rfind("\n", 0, MAX_TEXT_CHARS)
        return value[:cut if cut > MAX_TEXT_CHARS // 2 else MAX_TEXT_CHARS], True
    return value, False


def _warn_truncated(number: int, column: str, log: ProblemLog) -> None:
    log.warn(row_where(number, column), "truncated_cell",
             f"the description is longer than {MAX_TEXT_CHARS:,} characters; only the start is analysed")


def _bounded(value: str, number: int, column: str, log: ProblemLog) -> str:
    if len(value) <= MAX_SHORT_CHARS:
        return value
    log.warn(row_where(number, column), "truncated_cell",
             f"the cell holds {len(value):,} characters where a short value is expected; cut to {MAX_SHORT_CHARS}")
    return value[:MAX_SHORT_CHARS]
