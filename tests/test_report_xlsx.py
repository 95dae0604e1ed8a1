"""responsibility_matrix.xlsx: layout, RACI colours, findings sheet, formula safety, deterministic bytes."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from orgs import engineer, org, person

from analyzer.report.plotting import LEVEL_COLOURS
from analyzer.report.xlsx import matrix_xlsx, safe_text

ATTACKS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\t=1+1", "＝1+1"]


@pytest.fixture(scope="module")
def analysis(tiny_model):
    return org(
        tiny_model,
        person("1", name=ATTACKS[0], title=ATTACKS[1], team=ATTACKS[2], role="product_owner",
               holds={"backlog_management": ("A", "=cmd evidence"), "acceptance_criteria": "R"}),
        person("2", name=ATTACKS[4], title="Scrum Master", team=ATTACKS[2], role="scrum_master",
               holds={"backlog_management": "A", "scrum_ceremonies": "C"}),
        person("3", name="Ann\x07Bell", title=ATTACKS[5], team=ATTACKS[2], role="product_manager",
               holds={"roadmap_prioritization": "A", "backlog_management": "I"}),
        engineer("4", name=ATTACKS[3], team=ATTACKS[2]),
    )


@pytest.fixture(scope="module")
def workbook(analysis):
    return load_workbook(io.BytesIO(matrix_xlsx(analysis)))


def test_sheets_and_frozen_header(workbook, analysis, tiny_model):
    assert workbook.sheetnames == ["Matrix", "Findings", "Responsibilities"]
    matrix = workbook["Matrix"]
    assert matrix.freeze_panes == "C2"
    assert [cell.value for cell in matrix[1]][:5] == ["id", "name", "title", "team", "role"]
    assert [cell.value for cell in matrix[1]][5:] == [r.name for r in tiny_model.responsibilities]
    assert matrix.max_row == len(analysis.people) + 1
    assert matrix.column_dimensions["B"].width > matrix.column_dimensions["F"].width
    assert workbook["Findings"].freeze_panes == "A2"


def test_raci_cells_are_coloured_by_level(workbook, tiny_model):
    matrix = workbook["Matrix"]
    column = 6 + list(tiny_model.responsibility_ids).index("backlog_management")
    cells = {matrix.cell(row=row, column=column).value: matrix.cell(row=row, column=column) for row in (2, 3, 4)}
    assert set(cells) == {"A", "I"}
    for level, cell in cells.items():
        assert cell.fill.fgColor.rgb.endswith(LEVEL_COLOURS[level].lstrip("#").upper())


def test_findings_sheet_lists_every_finding(workbook, analysis):
    sheet = workbook["Findings"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(analysis.findings) > 0
    assert [(row[1], row[2], row[8]) for row in rows] == [
        (f.severity.value, f.kind.value, f.rule) for f in analysis.findings]


def test_no_cell_is_a_formula_and_user_text_is_a_string(workbook):
    seen = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.data_type in ("s", "n"), (sheet.title, cell.coordinate, cell.data_type)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "＝")), cell.value
                    seen.append(cell.value)
    for attack in ATTACKS:
        assert "'" + attack in seen
    assert "AnnBell" in seen  # a control character XML cannot hold is dropped, not a crash


def test_formula_cells_are_stored_as_shared_strings_in_the_file(analysis):
    with zipfile.ZipFile(io.BytesIO(matrix_xlsx(analysis))) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_same_analysis_same_bytes_with_fixed_timestamps(analysis):
    first, second = matrix_xlsx(analysis), matrix_xlsx(analysis)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}  # XlsxWriter's fixed stamp
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core and core.count("2000-01-01T00:00:00Z") == 2


def test_safe_text_examples():
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("Ada") == "Ada"
    assert safe_text("x" * 40000) == "x" * 32767


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=30), title=st.text(max_size=30))
def test_arbitrary_text_writes_a_readable_workbook(tiny_model, name, title):
    analysis = org(tiny_model, person("1", name=name, title=title, role="product_owner",
                                      holds={"backlog_management": "A"}))
    matrix = load_workbook(io.BytesIO(matrix_xlsx(analysis)))["Matrix"]
    assert matrix.cell(row=2, column=2).value in (safe_text(name), None)
    assert matrix.cell(row=2, column=3).value in (safe_text(title), None)


def test_surrogates_and_excel_escapes_read_back_as_written(tiny_model):
    # A lone surrogate cannot be stored (it is dropped); text that looks like Excel's _xHHHH_ escape must
    # read back verbatim, not as the character it would encode.
    analysis = org(tiny_model, person("1", name="Ada\ud800 Lovelace", title="_x0041_ lead", role="product_owner",
                                      holds={"backlog_management": "A"}))
    matrix = load_workbook(io.BytesIO(matrix_xlsx(analysis)))["Matrix"]
    assert matrix.cell(row=2, column=2).value == "Ada Lovelace"
    assert matrix.cell(row=2, column=3).value == "_x0041_ lead"
