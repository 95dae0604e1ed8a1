"""Collect every input problem in one pass, like a validation report.

Ingest never stops at the first problem: readers and checks add :class:`~analyzer.errors.Problem` items
(where, reason code, message, fix) to a :class:`ProblemLog`. Fatal problems make the whole input
unusable and are raised together as one :class:`~analyzer.errors.InputError`; the others end up as
warnings in the report (rows that cannot be analysed become skipped rows with their reason).

Examples
--------
>>> log = ProblemLog("org.csv")
>>> log.warn("row 3, column 'Manager ID'", "dangling_manager", "manager '99' is not in the export")
>>> log.fatal("header", "no_title_or_text", "no job title or job description column found")
>>> try:
...     log.raise_if_fatal("cannot analyse this file")
... except InputError as error:
...     print(error)
org.csv: cannot analyse this file: header: no job title or job description column found; name the \
columns with --title-column and/or --text-column
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.errors import InputError, Problem

# Default fix for each reason code, so that every message of a kind gives the same advice.
FIXES: dict[str, str] = {
    "not_found": "check the path",
    "unreadable": "check the file's permissions",
    "empty_file": "export the HR data again",
    "no_data_rows": "export the HR data again, with at least one employee row",
    "binary_file": "export the data as CSV (UTF-8), XLSX, XLS or JSON",
    "unknown_encoding": "save the file as CSV UTF-8",
    "unsupported_type": "export the HR data as CSV, XLSX, XLS or JSON, or pass a folder of job descriptions",
    "wrong_extension": "rename the file to match its content",
    "bad_workbook": "open it in Excel or LibreOffice and save it again as .xlsx",
    "encrypted_workbook": "remove the password (File > Info > Protect workbook) and save again",
    "legacy_spreadsheet": "open it in Excel or LibreOffice and save it as .xlsx",
    "bad_json": "fix the JSON syntax, or export the data as CSV",
    "no_records": "export a list of employee records (one JSON object per employee)",
    "unknown_sheet": "pass one of the listed sheet names (or its number) with --sheet",
    "unknown_column": "pass one of the listed column names",
    "no_title_or_text": "name the columns with --title-column and/or --text-column",
    "no_scope_column": "choose another --scope, or name the column with --team-column",
    "header_not_first": "",
    "ragged_row": "quote fields that contain the delimiter, or remove the extra cells",
    "unterminated_quote": "close the quote (\") that opens the field, or remove it",
    "bad_csv_line": "check the quoting on that line",
    "empty_row": "",
    "no_title_or_text_in_row": "fill in the job title or the job description",
    "duplicate_id": "give every row its own id, or choose another column with --id-column",
    "truncated_cell": "shorten the cell; job descriptions are rarely longer than a few pages",
    "self_manager": "correct the manager of this row",
    "dangling_manager": "add the manager to the export, or ignore this if they are outside the organisation",
    "ambiguous_manager": "use manager ids instead of names (--manager-column)",
    "reporting_cycle": "correct the manager of one of the people in the cycle",
    "multiple_roots": "check that the export covers the whole organisation and that every manager is listed",
    "no_documents": "put .txt, .md, .docx or .pdf job descriptions in the folder",
    "bad_document": "open the document and save it again (or as .txt)",
    "empty_document": "the document has no text (a scanned PDF?); save it with a text layer or as .txt",
    "ignored_file": "",
    "unmatched_document": "name the document after a job title in the export, or add a file-name column",
    "no_document": "add the job description document, or name it after the row's job title",
    "not_english": "translate these descriptions into English before the analysis, or read their findings with care",
    "no_duties": "check that the descriptions list the jobs' duties (a 'Responsibilities' section); if they do, "
                 "the segmenter missed them: please report it",
    "all_rows_skipped": "fix the problems listed for the rows",
}


@dataclass
class ProblemLog:
    """Problems found while reading one input, fatal and non-fatal, in the order found."""

    source: str
    fatal_problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def fatal(self, where: str, code: str, message: str, fix: str | None = None) -> None:
        """Record a problem that makes the input unusable (raised later by :meth:`raise_if_fatal`)."""
        self.fatal_problems.append(Problem(where, code, message, FIXES.get(code, "") if fix is None else fix))

    def warn(self, where: str, code: str, message: str, fix: str | None = None) -> None:
        """Record a problem the analysis can live with (reported as a warning)."""
        self.warnings.append(Problem(where, code, message, FIXES.get(code, "") if fix is None else fix))

    def raise_if_fatal(self, summary: str) -> None:
        """Raise one :class:`InputError` listing every fatal problem, if there is any."""
        if self.fatal_problems:
            raise InputError(self.source, summary, self.fatal_problems)

    def stop(self, where: str, code: str, message: str, summary: str, fix: str | None = None) -> None:
        """Record a fatal problem and raise at once (for problems that make further reading pointless)."""
        self.fatal(where, code, message, fix)
        self.raise_if_fatal(summary)


def rows_where(numbers: list[int], documents: list[str], limit: int = 10) -> str:
    """Location text of several rows: their numbers or, when every one of them came from a document, the documents
    (each once; with the rows when several rows share one, as a roster joined to its documents by title does).

    >>> rows_where([1, 3], ["", ""]), rows_where([1, 2], ["a.txt", "b.txt"]), rows_where([4, 7], ["po.txt", "po.txt"])
    ('rows 1, 3', "documents 'a.txt', 'b.txt'", "document 'po.txt' (rows 4, 7)")
    """
    def listed(items: list, shown: int) -> str:
        more = f" and {len(items) - shown} more" if len(items) > shown else ""
        return ", ".join(map(str, items[:shown])) + more

    plural = "s" if len(numbers) > 1 else ""
    if documents and all(documents):
        distinct = list(dict.fromkeys(documents))
        where = f"document{'s' if len(distinct) > 1 else ''} {listed([repr(d) for d in distinct], limit)}"
        return where + (f" (row{plural} {listed(numbers, 2 * limit)})" if len(distinct) < len(numbers) else "")
    return f"row{plural} {listed(numbers, 2 * limit)}"


def descriptions_of(rows: list, singular: str, plural: str) -> str:
    """How many job descriptions ``rows`` (anything with ``.text``) hold, of how many people when some share one, and
    the verb that agrees.

    >>> from types import SimpleNamespace as Row
    >>> descriptions_of([Row(text="a"), Row(text="a"), Row(text="b")], "is long", "are long")
    '2 job descriptions (of 3 people) are long'
    >>> descriptions_of([Row(text="a"), Row(text="a")], "is long", "are long")
    '1 job description (of 2 people) is long'
    """
    distinct = len({row.text for row in rows})
    people = f" (of {len(rows)} people)" if len(rows) != distinct else ""
    return f"{distinct} job description{'s' if distinct != 1 else ''}{people} {singular if distinct == 1 else plural}"


def row_where(row: int, column: str | None = None) -> str:
    """Location text of a data row (1-based, header excluded) and optionally a column.

    >>> row_where(3, "Manager ID")
    "row 3, column 'Manager ID'"
    """
    return f"row {row}, column {column!r}" if column else f"row {row}"
