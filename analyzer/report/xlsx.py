"""responsibility_matrix.xlsx: the matrix, the findings and the people, for Excel and LibreOffice.

Sheets: ``Matrix`` (people x responsibilities, A/R/C/I cells coloured, cells without a hold left empty,
header and identity columns frozen), ``Findings`` and ``Responsibilities`` (the model's list with the
accountable role). Sheets are written row by row (openpyxl's write-only mode), so a 100,000-person matrix
never sits in memory as cell objects.

Safety: every cell holding user text is neutralised like the CSV (a leading ``=``, ``+``, ``-``,
``@``... gets an apostrophe) *and* stored as a string cell, so no spreadsheet evaluates it; characters
XML cannot hold (control characters) are removed.

Determinism: openpyxl stamps the save time into ``docProps/core.xml`` and every zip entry, so the
workbook is re-packed with a fixed timestamp; the same analysis gives the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from analyzer.records import Analysis
from analyzer.report.matrix import neutralise
from analyzer.report.plotting import LEVEL_COLOURS, LEVEL_TEXT, SEVERITY_COLOURS
from analyzer.report.views import model_of, person_names, responsibility_matrix, role_label

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_HEADER_FILL = PatternFill("solid", fgColor="1D2430")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_THIN = Side(style="thin", color="DDE2EA")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_IDENTITY_COLUMNS = 5  # id, name, title, team, role
_MAX_CELL = 32767  # Excel's limit on characters in a cell


def safe_text(value: object) -> str:
    """User text as a spreadsheet shows it verbatim: no formula start, no XML-illegal characters.

    Examples
    --------
    >>> safe_text("=1+1"), safe_text("Ada\\x07"), safe_text(None)
    ("'=1+1", 'Ada', '')
    """
    text = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return neutralise(text)[:_MAX_CELL]


def _cell(sheet: WriteOnlyWorksheet, value: object) -> Cell:
    """A cell to append; text always as a string cell (data_type 's'), never as a formula."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value)
    cell = WriteOnlyCell(sheet, safe_text(value))
    cell.data_type = "s"
    return cell


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour.lstrip("#").upper())


def _header(sheet: WriteOnlyWorksheet, titles: list[str], widths: list[float],
            alignments: list[Alignment] | None = None) -> None:
    """Column widths and the header row (a write-only sheet needs both before any row)."""
    cells = []
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = _cell(sheet, title)
        cell.fill, cell.font, cell.border = _HEADER_FILL, _HEADER_FONT, _BORDER
        cell.alignment = alignments[column - 1] if alignments else Alignment(vertical="bottom", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
        cells.append(cell)
    sheet.append(cells)


class _StyleCopies:
    """Cell styles set once per kind of cell and copied to the others.

    Setting a style on a cell makes openpyxl hash the style objects to find them in the workbook, which
    took most of the time for large sheets (minutes for 100,000 people); copying the style array of an
    already styled cell gives the same cell style without it.
    """

    def __init__(self) -> None:
        self._styles: dict[object, object] = {}

    def apply(self, cell: Cell, kind: object) -> bool:
        """Give ``cell`` the style remembered for ``kind``; False when there is none yet."""
        style = self._styles.get(kind)
        if style is None:
            return False
        cell._style = copy.copy(style)
        return True

    def remember(self, cell: Cell, kind: object) -> None:
        self._styles[kind] = copy.copy(cell._style)


def _matrix_sheet(sheet: WriteOnlyWorksheet, analysis: Analysis) -> None:
    model = model_of(analysis)
    header, rows = responsibility_matrix(analysis)
    resp_ids = header[_IDENTITY_COLUMNS:]
    titles = ["id", "name", "title", "team", "role"] + [model.responsibility(r).name for r in resp_ids]
    rotated = Alignment(text_rotation=90, horizontal="center", vertical="bottom")
    sheet.row_dimensions[1].height = 170
    sheet.freeze_panes = "C2"  # header row and id + name stay in view
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{len(rows) + 1}"
    _header(sheet, titles, [10, 24, 30, 18, 22] + [5.5] * len(resp_ids),
            [Alignment(vertical="bottom", wrap_text=True)] * _IDENTITY_COLUMNS + [rotated] * len(resp_ids))
    fills = {level: _fill(LEVEL_COLOURS[level]) for level in "ARCI"}
    fonts = {level: Font(bold=level == "A", color=LEVEL_TEXT[level].lstrip("#").upper()) for level in "ARCI"}
    styles = _StyleCopies()
    for row, person in zip(rows, analysis.people, strict=True):
        row[4] = role_label(analysis, person.role.canonical, person.role.family)
        cells: list[Cell | None] = []
        for column, value in enumerate(row, start=1):
            if column > _IDENTITY_COLUMNS and value not in fills:
                cells.append(None)  # no hold: an empty cell (most of the matrix), not a styled blank
                continue
            cell = _cell(sheet, value)
            kind = value if column > _IDENTITY_COLUMNS else "identity"
            cells.append(cell)
            if styles.apply(cell, kind):
                continue
            cell.border = _BORDER
            if column > _IDENTITY_COLUMNS:
                cell.alignment = Alignment(horizontal="center")
                cell.fill, cell.font = fills[value], fonts[value]
            styles.remember(cell, kind)
        sheet.append(cells)


def _findings_sheet(sheet: WriteOnlyWorksheet, analysis: Analysis) -> None:
    model = model_of(analysis)
    titles = ["#", "severity", "kind", "scope", "responsibility", "people", "explanation", "suggestion", "rule",
              "evidence"]
    sheet.freeze_panes = "A2"
    if analysis.findings:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{len(analysis.findings) + 1}"
    _header(sheet, titles, [5, 10, 16, 18, 26, 30, 70, 50, 28, 70])
    names = person_names(analysis)
    styles = _StyleCopies()
    for number, finding in enumerate(analysis.findings, start=1):
        resp = model.responsibility(finding.responsibility).name if finding.responsibility else ""
        evidence = "\n".join(f"{names.get(item.person, item.person)}: {item.text}" for item in finding.evidence)
        values = [number, finding.severity.value, finding.kind.value, finding.scope, resp,
                  ", ".join(names.get(pid, pid) for pid in finding.people), finding.explanation,
                  finding.suggestion, finding.rule, evidence]
        cells = []
        for column, value in enumerate(values, start=1):
            cell = _cell(sheet, value)
            cells.append(cell)
            kind = (column >= 6, finding.severity.value if column == 2 else "")
            if styles.apply(cell, kind):
                continue
            cell.alignment = Alignment(vertical="top", wrap_text=column >= 6)
            cell.border = _BORDER
            if column == 2:
                cell.font = Font(bold=True, color=SEVERITY_COLOURS[finding.severity.value].lstrip("#").upper())
            styles.remember(cell, kind)
        sheet.append(cells)


def _responsibilities_sheet(sheet: WriteOnlyWorksheet, analysis: Analysis) -> None:
    model = model_of(analysis)
    sheet.freeze_panes = "A2"
    _header(sheet, ["id", "responsibility", "accountable role", "description"], [28, 32, 26, 90])
    for resp in model.responsibilities:
        cells = []
        for column, value in enumerate((resp.id, resp.name, model.role(resp.owner).name, resp.description),
                                       start=1):
            cell = _cell(sheet, value)
            cell.alignment = Alignment(vertical="top", wrap_text=column == 4)
            cells.append(cell)
        sheet.append(cells)


def matrix_xlsx(analysis: Analysis) -> bytes:
    """The workbook as deterministic XLSX bytes (written row by row: openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    _matrix_sheet(workbook.create_sheet("Matrix"), analysis)
    _findings_sheet(workbook.create_sheet("Findings"), analysis)
    _responsibilities_sheet(workbook.create_sheet("Responsibilities"), analysis)
    props = workbook.properties
    props.creator = "org-overlap-analyzer"
    props.title = "Responsibility matrix"
    props.created = props.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _repack(buffer.getvalue(), workbook)


def _repack(data: bytes, workbook: Workbook) -> bytes:
    """The same archive with fixed entry timestamps and the fixed modification time in core.xml."""
    from openpyxl.xml.functions import tostring

    workbook.properties.modified = FIXED_TIME
    core = tostring(workbook.properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = core if info.filename == "docProps/core.xml" else source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()
