"""responsibility_matrix.xlsx: the matrix, the findings and the people, for Excel and LibreOffice.

Sheets: ``Matrix`` (people x responsibilities, A/R/C/I cells coloured, cells without a hold left empty,
header and identity columns frozen), ``Findings`` and ``Responsibilities`` (the model's list with the
accountable role), each with a frozen header row and (Matrix, Findings) an autofilter.

The workbook is written directly as SpreadsheetML (Office Open XML): one shared-string table, sixteen
fixed cell styles, each sheet's XML built row by row as text and zipped. A spreadsheet library builds an
object per cell first and serialises it later; for 10,000 people (150,000 cells) that took 1.4 s with
XlsxWriter and 2.9 s with openpyxl, against 0.4 s here. What the files hold (cells, styles, frozen panes,
filters, column widths, document properties) is what XlsxWriter wrote for the same calls; the tests read
the workbook back with openpyxl.

Safety: every cell holding user text is neutralised like the CSV (a leading ``=``, ``+``, ``-``, ``@``...
gets an apostrophe) *and* stored as a shared string (``t="s"``), never as a formula, so no spreadsheet
evaluates it; characters XML cannot hold (control characters, unpaired surrogates) are removed, and text
that looks like Excel's own escape (``_x0041_``) is escaped so it shows as typed.

Determinism: fixed zip entry times and document times (:data:`FIXED_TIME`), no application version; the
same analysis gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable

from analyzer.records import Analysis
from analyzer.report.matrix import neutralise
from analyzer.report.plotting import INK, LEVEL_COLOURS, LEVEL_TEXT, SEVERITY_COLOURS
from analyzer.report.views import model_of, person_names, responsibility_matrix, role_label

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_IDENTITY_COLUMNS = 5  # id, name, title, team, role
_MAX_CELL = 32767  # Excel's limit on characters in a cell
# Characters XML 1.0 cannot hold: control characters (tab, line feed and carriage return stay), the two
# non-characters and unpaired surrogates.
ILLEGAL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EXCEL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")  # Excel reads _x0041_ as "A": such text is escaped itself
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def safe_text(value: object) -> str:
    """User text as a spreadsheet shows it verbatim: no formula start, no XML-illegal characters.

    Line ends become ``\\n`` (Excel would store a carriage return as its escape ``_x000D_``).

    Examples
    --------
    >>> safe_text("=1+1"), safe_text("Ada\\x07"), safe_text(None), safe_text("a\\r\\nb")
    ("'=1+1", 'Ada', '', 'a\\nb')
    """
    text = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return neutralise(text)[:_MAX_CELL]


# -- styles ------------------------------------------------------------------------------------------
# Cell formats (the cellXfs of styles.xml, by index): (font, fill, border, alignment).
_SEVERITIES = tuple(SEVERITY_COLOURS)


def _argb(colour: str) -> str:
    """'#1b4f8a' -> 'FF1B4F8A' (opaque)."""
    return "FF" + colour.lstrip("#").upper()


_FONTS = ['<sz val="11"/><color rgb="FF000000"/>', f'<b/><sz val="11"/><color rgb="{_argb("#ffffff")}"/>']
_FONTS += [("<b/>" if level == "A" else "") + f'<sz val="11"/><color rgb="{_argb(LEVEL_TEXT[level])}"/>'
           for level in "ARCI"]
_FONTS += [f'<b/><sz val="11"/><color rgb="{_argb(colour)}"/>' for colour in SEVERITY_COLOURS.values()]
_FILLS = ['<patternFill patternType="none"/>', '<patternFill patternType="gray125"/>']  # both required first
_FILLS += [f'<patternFill patternType="solid"><fgColor rgb="{_argb(colour)}"/><bgColor indexed="64"/></patternFill>'
           for colour in (INK, *(LEVEL_COLOURS[level] for level in "ARCI"))]
_THIN = '<color rgb="FFDDE2EA"/>'
_BORDERS = ["<left/><right/><top/><bottom/><diagonal/>",
            f'<left style="thin">{_THIN}</left><right style="thin">{_THIN}</right><top style="thin">{_THIN}</top>'
            f'<bottom style="thin">{_THIN}</bottom><diagonal/>']
_TOP, _WRAP_TOP = '<alignment vertical="top"/>', '<alignment vertical="top" wrapText="1"/>'
_CELL_FORMATS = [  # (font, fill, border, alignment)
    (0, 0, 0, ""),  # 0: default
    (1, 2, 1, '<alignment wrapText="1"/>'),  # 1: header
    (1, 2, 1, '<alignment horizontal="center" textRotation="90"/>'),  # 2: header, rotated
    (0, 0, 1, ""),  # 3: identity cell of the matrix
    *((2 + index, 3 + index, 1, '<alignment horizontal="center"/>') for index in range(4)),  # 4-7: A R C I
    (0, 0, 1, _TOP), (0, 0, 1, _WRAP_TOP),  # 8, 9: finding cells
    *((6 + index, 0, 1, _TOP) for index in range(len(_SEVERITIES))),  # 10-13: severities
    (0, 0, 0, _TOP), (0, 0, 0, _WRAP_TOP),  # 14, 15: the model's responsibilities
]
_HEADER, _ROTATED, _IDENTITY, _FINDING, _FINDING_WRAPPED, _RESP, _RESP_WRAPPED = 1, 2, 3, 8, 9, 14, 15
_LEVEL_STYLE = {level: 4 + index for index, level in enumerate("ARCI")}
_SEVERITY_STYLE = {severity: 10 + index for index, severity in enumerate(_SEVERITIES)}


def _styles_xml() -> str:
    def listed(tag: str, items: list[str], inner: str) -> str:
        return f'<{tag} count="{len(items)}">' + "".join(f"<{inner}>{item}</{inner}>" for item in items) + f"</{tag}>"

    fonts = [f'{font}<name val="Calibri"/><family val="2"/>' for font in _FONTS]
    formats = []
    for font, fill, border, alignment in _CELL_FORMATS:
        applied = "".join(f' apply{name}="1"' for name, used in (("Font", font), ("Fill", fill), ("Border", border),
                                                                ("Alignment", alignment)) if used)
        xf = f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"{applied}'
        formats.append(f"{xf}>{alignment}</xf>" if alignment else f"{xf}/>")
    return (f'{_XML}<styleSheet xmlns="{_MAIN}">' + listed("fonts", fonts, "font") + listed("fills", _FILLS, "fill")
            + listed("borders", _BORDERS, "border")
            + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            + f'<cellXfs count="{len(formats)}">' + "".join(formats) + "</cellXfs>"
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            + '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
            'defaultPivotStyle="PivotStyleLight16"/></styleSheet>')


# -- cells and sheets --------------------------------------------------------------------------------

def _column(number: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


_COLUMNS = [_column(number) for number in range(1, 16_385)]  # index 0 = column A


class _Strings:
    """The shared-string table: every distinct text once, cells refer to it by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0  # references, for the table's count attribute

    def cell(self, ref: str, style: int, value: object) -> str:
        """A cell: numbers as numbers, anything else as user text (a shared string); empty text, a styled blank."""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return f'<c r="{ref}" s="{style}"><v>{int(value) if isinstance(value, int) else float(value)!r}</v></c>'
        return self.text_cell(ref, style, safe_text(value))

    def text_cell(self, ref: str, style: int, text: str) -> str:
        """A cell holding ``text`` as it is (already safe)."""
        if not text:
            return f'<c r="{ref}" s="{style}"/>'
        number = self.index.get(text)
        if number is None:
            number = self.index[text] = len(self.index)
        self.count += 1
        return f'<c r="{ref}" s="{style}" t="s"><v>{number}</v></c>'

    def xml(self) -> str:
        items = []
        for text in self.index:  # in index order (dicts keep insertion order)
            if "&" in text:
                text = text.replace("&", "&amp;")
            if "<" in text:
                text = text.replace("<", "&lt;")
            if ">" in text:
                text = text.replace(">", "&gt;")
            if "_x" in text:
                text = _EXCEL_ESCAPE.sub(r"_x005F\g<0>", text)
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
            items.append(f"<si><t{space}>{text}</t></si>")
        return (f'{_XML}<sst xmlns="{_MAIN}" count="{self.count}" uniqueCount="{len(self.index)}">'
                + "".join(items) + "</sst>")


def _width(characters: float) -> str:
    """Excel's stored column width for ``characters`` digits of Calibri 11 (7 px each, 5 px padding)."""
    pixels = int(characters * 7 + 0.5) + 5
    return repr(int(pixels / 7 * 256) / 256)


def _sheet_xml(rows: list[str], columns: int, widths: list[float], frozen_columns: int, selected: bool,
               header_height: float | None, autofilter: bool) -> str:
    """A worksheet: ``rows`` holds the XML of each row's cells, the header row first."""
    last = f"{_COLUMNS[columns - 1]}{max(1, len(rows))}"
    if frozen_columns:
        top_left = f"{_COLUMNS[frozen_columns]}2"
        pane = (f'<pane xSplit="{frozen_columns}" ySplit="1" topLeftCell="{top_left}" activePane="bottomRight" '
                f'state="frozen"/><selection pane="topRight" activeCell="{_COLUMNS[frozen_columns]}1" '
                f'sqref="{_COLUMNS[frozen_columns]}1"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                '<selection pane="bottomRight"/>')
    else:
        pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft"/>')
    cols = "".join(f'<col min="{number}" max="{number}" width="{_width(width)}" customWidth="1"/>'
                   for number, width in enumerate(widths, start=1))
    height = f' ht="{header_height}" customHeight="1"' if header_height else ""
    tab = ' tabSelected="1"' if selected else ""
    data = "".join(f'<row r="{number}"{height if number == 1 else ""}>{cells}</row>'
                   for number, cells in enumerate(rows, start=1))
    return (f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><dimension ref="A1:{last}"/>'
            f'<sheetViews><sheetView{tab} workbookViewId="0">{pane}'
            '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>{data}</sheetData>"
            + (f'<autoFilter ref="A1:{last}"/>' if autofilter and len(rows) > 1 else "")
            + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')


def _header(strings: _Strings, titles: list[str], styles: Iterable[int]) -> str:
    return "".join(strings.cell(f"{_COLUMNS[column]}1", style, title)
                   for column, (title, style) in enumerate(zip(titles, styles, strict=True)))


def _matrix_rows(strings: _Strings, analysis: Analysis) -> tuple[list[str], int]:
    model = model_of(analysis)
    header, rows = responsibility_matrix(analysis)
    resp_ids = header[_IDENTITY_COLUMNS:]
    titles = ["id", "name", "title", "team", "role"] + [model.responsibility(r).name for r in resp_ids]
    lines = [_header(strings, titles, [_HEADER] * _IDENTITY_COLUMNS + [_ROTATED] * len(resp_ids))]
    safe: dict[str, str] = {}  # titles, teams and roles repeat: make each safe once
    roles: dict[tuple[str | None, str | None], str] = {}
    letters = _COLUMNS[:len(titles)]
    cell = strings.text_cell
    for number, (row, person) in enumerate(zip(rows, analysis.people, strict=True), start=2):
        key = (person.role.canonical, person.role.family)
        if key not in roles:
            roles[key] = role_label(analysis, *key)
        row[4] = roles[key]
        cells = []
        for column in range(_IDENTITY_COLUMNS):
            value = row[column]
            text = safe.get(value)
            if text is None:
                text = safe[value] = safe_text(value)
            cells.append(cell(f"{letters[column]}{number}", _IDENTITY, text))
        for column in range(_IDENTITY_COLUMNS, len(row)):
            level = row[column]
            if level:  # no hold: an empty cell (most of the matrix), not a styled blank
                cells.append(cell(f"{letters[column]}{number}", _LEVEL_STYLE[level], level))
        lines.append("".join(cells))
    return lines, len(titles)


def _findings_rows(strings: _Strings, analysis: Analysis) -> list[str]:
    model = model_of(analysis)
    titles = ["#", "severity", "kind", "scope", "responsibility", "people", "explanation", "suggestion", "rule",
              "evidence"]
    lines = [_header(strings, titles, [_HEADER] * len(titles))]
    names = person_names(analysis)
    for number, finding in enumerate(analysis.findings, start=2):
        resp = model.responsibility(finding.responsibility).name if finding.responsibility else ""
        evidence = "\n".join(f"{names.get(item.person, item.person)}: {item.text}" for item in finding.evidence)
        values = [number - 1, finding.severity.value, finding.kind.value, finding.scope, resp,
                  ", ".join(names.get(pid, pid) for pid in finding.people), finding.explanation,
                  finding.suggestion, finding.rule, evidence]
        styles = [_FINDING, _SEVERITY_STYLE[finding.severity.value], *[_FINDING] * 3, *[_FINDING_WRAPPED] * 5]
        lines.append("".join(strings.cell(f"{_COLUMNS[column]}{number}", style, value)
                             for column, (value, style) in enumerate(zip(values, styles, strict=True))))
    return lines


def _responsibilities_rows(strings: _Strings, analysis: Analysis) -> list[str]:
    model = model_of(analysis)
    lines = [_header(strings, ["id", "responsibility", "accountable role", "description"], [_HEADER] * 4)]
    for number, resp in enumerate(model.responsibilities, start=2):
        values = (resp.id, resp.name, model.role(resp.owner).name, resp.description)
        lines.append("".join(strings.cell(f"{_COLUMNS[column]}{number}", _RESP_WRAPPED if column == 3 else _RESP,
                                          value) for column, value in enumerate(values)))
    return lines


# -- the package -------------------------------------------------------------------------------------

_SHEETS = ("Matrix", "Findings", "Responsibilities")


def _package_parts(autofilters: dict[str, str]) -> dict[str, str]:
    """The workbook's fixed parts; ``autofilters``: sheet name -> filtered range (for the defined names)."""
    worksheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    types = ('<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/docProps/app.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
             '<Override PartName="/docProps/core.xml" '
             'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
             '<Override PartName="/xl/styles.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
             '<Override PartName="/xl/workbook.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{worksheet}"/>'
                       for n in range(1, len(_SHEETS) + 1))
             + '<Override PartName="/xl/sharedStrings.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    root_rels = (f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/>'
                 f'<Relationship Id="rId2" Type="{package}/metadata/core-properties" Target="docProps/core.xml"/>'
                 f'<Relationship Id="rId3" Type="{office}/extended-properties" Target="docProps/app.xml"/>')
    book_rels = "".join(f'<Relationship Id="rId{n}" Type="{office}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                        for n in range(1, len(_SHEETS) + 1))
    book_rels += (f'<Relationship Id="rId{len(_SHEETS) + 1}" Type="{office}/styles" Target="styles.xml"/>'
                  f'<Relationship Id="rId{len(_SHEETS) + 2}" Type="{office}/sharedStrings" '
                  'Target="sharedStrings.xml"/>')
    names = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{_SHEETS.index(sheet)}" hidden="1">'
                    f"{sheet}!{_absolute(autofilters[sheet])}</definedName>" for sheet in sorted(autofilters))
    sheets = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(_SHEETS, start=1))
    workbook = (f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><workbookPr/><bookViews><workbookView xWindow="240" '
                'yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
                f"<sheets>{sheets}</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "")
                + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:title>Responsibility matrix</dc:title><dc:creator>org-overlap-analyzer</dc:creator>"
            "<cp:lastModifiedBy>org-overlap-analyzer</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    titles = "".join(f"<vt:lpstr>{name}</vt:lpstr>" for name in _SHEETS)
    app = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
           '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr>'
           f"</vt:variant><vt:variant><vt:i4>{len(_SHEETS)}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
           f'<TitlesOfParts><vt:vector size="{len(_SHEETS)}" baseType="lpstr">{titles}</vt:vector></TitlesOfParts>'
           "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
           "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>")
    return {
        "[Content_Types].xml": f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               f"{types}</Types>",
        "_rels/.rels": f'{_XML}<Relationships xmlns="{package}">{root_rels}</Relationships>',
        "docProps/app.xml": _XML + app,
        "docProps/core.xml": _XML + core,
        "xl/workbook.xml": _XML + workbook,
        "xl/_rels/workbook.xml.rels": f'{_XML}<Relationships xmlns="{package}">{book_rels}</Relationships>',
        "xl/styles.xml": _styles_xml(),
    }


def _absolute(area: str) -> str:
    """'A1:J7' -> '$A$1:$J$7'."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", corner) for corner in area.split(":"))


def matrix_xlsx(analysis: Analysis) -> bytes:
    """The workbook as deterministic XLSX bytes."""
    strings = _Strings()
    matrix, columns = _matrix_rows(strings, analysis)
    findings = _findings_rows(strings, analysis)
    resps = _responsibilities_rows(strings, analysis)
    sheets = [
        _sheet_xml(matrix, columns, [10, 24, 30, 18, 22] + [5.5] * (columns - _IDENTITY_COLUMNS), 2, True, 170,
                   autofilter=True),
        _sheet_xml(findings, 10, [5, 10, 16, 18, 26, 30, 70, 50, 28, 70], 0, False, None, autofilter=True),
        _sheet_xml(resps, 4, [28, 32, 26, 90], 0, False, None, autofilter=False),
    ]
    autofilters = {name: f"A1:{_COLUMNS[width - 1]}{rows}" for name, width, rows in
                   (("Matrix", columns, len(matrix)), ("Findings", 10, len(findings))) if rows > 1}
    parts = _package_parts(autofilters)
    parts.update({f"xl/worksheets/sheet{n}.xml": sheet for n, sheet in enumerate(sheets, start=1)})
    parts["xl/sharedStrings.xml"] = strings.xml()
    order = ["[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
             "xl/_rels/workbook.xml.rels", "xl/styles.xml", *(f"xl/worksheets/sheet{n}.xml" for n in (1, 2, 3)),
             "xl/sharedStrings.xml"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, parts[name].encode("utf-8"))
    return buffer.getvalue()
