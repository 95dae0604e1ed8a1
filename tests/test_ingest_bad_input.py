"""Ingest of bad input: one fixture per class of problem, the CLI's one-line errors, and property tests
showing that arbitrary bytes and arbitrary tables never crash ingest nor lose a row."""

from __future__ import annotations

import contextlib
import csv
import io
import time

import pytest
from conftest import TINY_MODEL
from fixtures.ingest.builders import write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.cli import main
from analyzer.errors import InputError
from analyzer.ingest import read_org


def problem_codes(error: InputError) -> list[str]:
    return [problem.code for problem in error.problems]


def read_error(path, **options) -> InputError:
    with pytest.raises(InputError) as caught:
        read_org(path, **options)
    assert "\n" not in str(caught.value)
    return caught.value


# -- one fixture per class of bad input ---------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "code"), [
    ("empty.csv", b"", "empty_file"),
    ("blank.csv", b"  \r\n\r\n\t\n", "empty_file"),
    ("bom_only.csv", b"\xef\xbb\xbf", "empty_file"),
    ("header_only.csv", b"Employee ID,Job Title\n", "no_data_rows"),
    ("image.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary_file"),
    ("random.csv", bytes(range(256)) * 8, "binary_file"),
    ("archive.xlsx", b"\x1f\x8b\x08\x00" + b"\x00" * 40, "binary_file"),
    ("corrupt.xlsx", b"PK\x03\x04" + b"\x14\x00garbage" * 20, "bad_workbook"),
    ("doc.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "bad_workbook"),
    ("broken.json", b'[{"title": "PO"', "bad_json"),
    ("scalar.json", b'"just a string"', "no_records"),
    ("no_title.csv", b"Name,Salary\nAda,100\n", "no_title_or_text"),
])
def test_bad_files_raise_one_input_error_with_a_reason_code(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    error = read_error(path)
    assert code in problem_codes(error)
    assert str(error).startswith(str(path))


def test_missing_file_and_unknown_columns_are_all_reported(tmp_path):
    assert problem_codes(read_error(tmp_path / "nope.csv")) == ["not_found"]
    path = tmp_path / "org.csv"
    path.write_text("Employee ID,Job Title\n1,PO\n", encoding="utf-8")
    from analyzer.ingest import ColumnChoice

    error = read_error(path, columns=ColumnChoice(title="Role", manager="Boss"))
    assert problem_codes(error) == ["unknown_column", "unknown_column"]
    assert "(and 1 more problem)" in str(error)


def test_workbook_renamed_as_csv_is_read_as_a_workbook(tmp_path):
    source = write_xlsx(tmp_path / "org.xlsx", {"People": [["Job Title"], ["Product Owner"]]})
    path = tmp_path / "org.csv"
    path.write_bytes(source.read_bytes())
    org = read_org(path)
    assert org.kind == "xlsx" and [r.title for r in org.records] == ["Product Owner"]
    assert any("named .csv but is an Excel workbook" in warning for warning in org.warnings)


def test_json_named_csv_and_csv_named_xlsx(tmp_path):
    json_path = tmp_path / "org.csv"
    json_path.write_text('[{"Job Title": "PO"}]', encoding="utf-8")
    assert read_org(json_path).kind == "json"
    text_path = tmp_path / "org.xlsx"
    text_path.write_text("Job Title\nPO\n", encoding="utf-8")
    org = read_org(text_path)
    assert org.kind == "csv" and any("plain text" in warning for warning in org.warnings)


def test_ragged_rows_are_skipped_or_padded(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Employee ID,Job Title,Team\n1,Product Owner,Search,Berlin\n2,Scrum Master\n3,PM,Core,,\n",
                    encoding="utf-8")
    org = read_org(path)
    assert [(r.id, r.title, r.team) for r in org.records] == [("2", "Scrum Master", None), ("3", "PM", "Core")]
    assert [(s.row, s.id) for s in org.skipped] == [(1, "1")]
    assert "4 cells for 3 columns" in org.skipped[0].reason


def test_short_header_is_extended_when_most_rows_are_wider(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Employee ID,Job Title\n1,PO,Search\n2,SM,Search\n", encoding="utf-8")
    org = read_org(path)
    assert len(org.records) == 2 and not org.skipped


def test_unterminated_quote_loses_only_its_own_row(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text('Employee ID,Job Title,Job Description\n1,Product Owner,"Own the backlog\n'
                    "2,Scrum Master,Run retrospectives\n3,Engineering Manager,Hire engineers\n", encoding="utf-8")
    org = read_org(path)
    assert [r.id for r in org.records] == ["2", "3"]
    assert org.rows == 3 and org.skipped[0].row == 1 and "never closed" in org.skipped[0].reason


def test_multi_megabyte_cells_are_bounded(tmp_path):
    path = tmp_path / "org.csv"
    huge = "Own the backlog. " * 400_000  # ~6.8 MB in one cell
    path.write_text(f'Job Title,Job Description,Notes\nPO,"{huge}",{"x" * 3_000_000}\nSM,Run retros,\n',
                    encoding="utf-8")
    started = time.perf_counter()
    org = read_org(path)
    elapsed = time.perf_counter() - started
    assert len(org.records[0].text) <= 100_000
    assert any("only the start is analysed" in warning for warning in org.warnings)
    assert elapsed < 30  # generous: this guards against a hang, not a speed regression


def test_empty_rows_and_rows_without_title_or_text_are_listed(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Employee ID,Name,Job Title\n1,Ada,PO\n,,\n2,Bo,\n1,Ada,PO\n1,Cy,SM\n", encoding="utf-8")
    org = read_org(path)
    assert [r.row for r in org.records] == [1]
    assert [(s.row, s.reason.split(" (")[0]) for s in org.skipped] == [
        (2, "empty row"), (3, "no job title and no job description"), (4, "repeats row 1"),
        (5, "duplicate id")]
    assert len(org.records) + len(org.skipped) == org.rows == 5


def test_all_rows_skipped_is_fatal(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Employee ID,Job Title,Name\n1,,Ada\n2,,Bo\n", encoding="utf-8")
    error = read_error(path)
    assert problem_codes(error) == ["all_rows_skipped"]
    assert "2 x no job title and no job description" in str(error)


def test_markup_and_formulas_are_kept_as_text(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text('Job Title,Name\n"<img src=x onerror=alert(1)>PO",=cmd|\' /C calc\'!A0\n', encoding="utf-8")
    record = read_org(path).records[0]
    assert record.title == "<img src=x onerror=alert(1)>PO" and record.name == "=cmd|' /C calc'!A0"


# -- the command line ---------------------------------------------------------------------------------

@pytest.fixture()
def tiny_model_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_MODEL, encoding="utf-8")
    return path


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty: 0 bytes; export the HR data again"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "the file is not an export: the file is a PNG image"),
    (b"Name,Salary\nAda,1\n", "cannot analyse this file: header: no job title or job description column found"),
])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, tiny_model_file, capsys, content, message):
    path = tmp_path / "org.csv"
    path.write_bytes(content)
    code = main([str(path), "-q", "--model", str(tiny_model_file), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"error: {path}: {message}")
    assert err.count("\n") == 1


def test_cli_unknown_sheet_and_scope_without_column(tmp_path, tiny_model_file, capsys):
    path = write_xlsx(tmp_path / "org.xlsx", {"People": [["Job Title"], ["PO"]]})
    assert main([str(path), "-q", "--model", str(tiny_model_file), "--sheet", "Staff"]) == 2
    assert "no sheet named 'Staff' (sheets: 'People')" in capsys.readouterr().err
    out = str(tmp_path / "out")
    assert main([str(path), "-q", "--model", str(tiny_model_file), "--scope", "team", "--out", out]) == 2
    assert "--scope team needs a team column" in capsys.readouterr().err


# -- property tests -------------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                     HealthCheck.function_scoped_fixture])


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".json", ".xlsx", ".xls", ".txt", ".tsv"]))
def test_arbitrary_bytes_never_crash(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    try:
        org = read_org(path)
    except InputError as error:
        assert error.problems and "\n" not in str(error)
        return
    assert len(org.records) + len(org.skipped) == org.rows


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=500))
def test_arbitrary_bytes_inside_a_zip_workbook_never_crash(tmp_path, data):
    path = tmp_path / "input.xlsx"
    path.write_bytes(b"PK\x03\x04" + data)
    with contextlib.suppress(InputError):
        read_org(path)


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00;|\t"), max_size=30)


@PROPERTY_SETTINGS
@given(body=st.lists(st.lists(CELL, max_size=5), max_size=12))
def test_arbitrary_tables_keep_every_row(tmp_path, body):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Employee ID", "Job Title", "Job Description"], *body])
    path = tmp_path / "org.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    expected_rows = len(body)
    while expected_rows and not any(cell.strip() for cell in body[expected_rows - 1]):
        expected_rows -= 1  # trailing blank lines are not rows
    try:
        org = read_org(path)
    except InputError as error:
        assert {problem.code for problem in error.problems} <= {"no_data_rows", "all_rows_skipped"}
        return
    assert org.header_row == 1
    assert org.rows == expected_rows
    assert len(org.records) + len(org.skipped) == org.rows
    assert sorted([r.row for r in org.records] + [s.row for s in org.skipped]) == list(range(1, org.rows + 1))


@PROPERTY_SETTINGS
@given(table=st.lists(st.lists(st.text(max_size=20), min_size=1, max_size=4), min_size=1, max_size=8),
       delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_arbitrary_tables_with_any_header_never_crash(tmp_path, table, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(table)
    path = tmp_path / "org.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    try:
        org = read_org(path)
    except InputError:
        return
    assert len(org.records) + len(org.skipped) == org.rows


def test_a_stray_nul_byte_does_not_make_an_export_binary(tmp_path):
    path = tmp_path / "org.csv"
    path.write_bytes(b"Job Title,Team\n" + b"Product Owner,Search\n" * 20 + b"Scrum\x00 Master,Search\n")
    org = read_org(path)
    assert org.records[-1].title == "Scrum Master"


def _parse_line_by_line(text: str, delimiter: str):
    """parse_delimited as first written: the csv reader fed through a Python iterator that counts lines."""
    import re

    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    cells, skips, position = [], {}, 0
    while position < len(lines):
        consumed = {"index": position, "start": position}

        def feed(consumed=consumed):
            while consumed["index"] < len(lines):
                consumed["index"] += 1
                yield lines[consumed["index"] - 1]

        reader = csv.reader(feed(), delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
        position = len(lines)
        try:
            for row in reader:
                first, last = consumed["start"], consumed["index"]
                if last - first > 1 and "".join(lines[first:last]).count('"') % 2:
                    skips[len(cells)] = ("unterminated_quote", f"a quote opened on line {first + 1} is never "
                                                               "closed properly; the row was not read")
                    cells.append([])
                    position = first + 1
                    break
                cells.append(row)
                consumed["start"] = consumed["index"]
        except csv.Error as error:
            skips[len(cells)] = ("bad_csv_line", f"line {consumed['start'] + 1}: {error}")
            cells.append([])
            position = max(consumed["index"], consumed["start"] + 1)
    return cells, skips


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(['a', ',', ';', '"', '"', '\r', '\n', '\r\n', ' ', '\x0c', '\u2028', 'é']),
                max_size=40).map("".join), st.sampled_from(",;"))
def test_parser_reads_records_and_stray_quotes_as_the_line_by_line_reader(text, delimiter):
    from analyzer.ingest.tables import parse_delimited

    records = parse_delimited(text, delimiter)
    assert (records.cells, records.skips) == _parse_line_by_line(text, delimiter)
