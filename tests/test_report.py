"""The report stage: HTML (escaping, self-contained, links), Markdown, JSON, CSV, the terminal summary."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import multiprocessing
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orgs import engineer, org, person
from rich.console import Console

from analyzer.records import FindingKind, Severity
from analyzer.report import FORMATS, parse_formats, write_reports
from analyzer.report.html import content_security_policy, to_html
from analyzer.report.json_report import report_dict, to_json, validate_report
from analyzer.report.markdown import to_markdown
from analyzer.report.matrix import matrix_csv
from analyzer.report.terminal import TerminalProgress, print_summary
from analyzer.report.views import summary, top_findings

SCRIPT_NAME = "<script>alert(1)</script>"
ATTRIBUTE_NAME = '"><img src=x onerror=alert(1)>'
FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'
EVIL_EVIDENCE = "Own the backlog </textarea><script>alert(3)</script>"
EVIL_TEAM = "Search <i>&amp;"


@pytest.fixture(scope="module")
def hostile(tiny_model):
    """A tiny org whose every user-text field is an attack, with findings of several kinds."""
    return org(
        tiny_model,
        person("1", name=SCRIPT_NAME, title="Product Owner <b>", team=EVIL_TEAM, role="product_owner",
               holds={"backlog_management": ("A", EVIL_EVIDENCE), "acceptance_criteria": "A"}),
        person("2", name=ATTRIBUTE_NAME, title="Scrum Master", team=EVIL_TEAM, role="scrum_master",
               holds={"backlog_management": "A", "scrum_ceremonies": "A"}),
        person("3", name=FORMULA_NAME, title="+cmd|' /C calc'!A0", team=EVIL_TEAM, role="product_owner",
               holds={"backlog_management": "A"}),
        engineer("4", team=EVIL_TEAM, manager="7"),
        engineer("5", name="@SUM(1+1)", team="Payments & Co"),
        person("6", name="-2+3", title="Product Manager", team="Payments & Co", role="product_manager",
               holds={"roadmap_prioritization": "A"}),
        person("7", name="Eve", title="Engineering Manager", team=EVIL_TEAM, role="engineering_manager",
               holds={"hiring": "A", "technical_delivery": "A"}),
    )


@pytest.fixture(scope="module")
def hostile_html(hostile):
    return to_html(hostile)


class _Collector(HTMLParser):
    """Tags, ids, links and inline scripts of an HTML document."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_hostile_org_has_the_findings_the_report_must_show(hostile):
    kinds = {f.kind for f in hostile.findings}
    assert {FindingKind.CONFLICTING, FindingKind.DUPLICATED, FindingKind.DROPPED} <= kinds


@pytest.mark.parametrize("raw", [SCRIPT_NAME, ATTRIBUTE_NAME, EVIL_EVIDENCE, "<script>alert(3)</script>",
                                 "<img src=x", "Product Owner <b>", EVIL_TEAM])
def test_html_never_contains_user_markup_unescaped(hostile_html, raw):
    assert raw not in hostile_html


def test_html_shows_user_text_escaped(hostile_html):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in hostile_html
    assert "Search &lt;i&gt;&amp;amp;" in hostile_html


def test_html_runs_only_its_own_script_allowed_by_hash(hostile_html):
    parsed = _parse(hostile_html)
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert len(scripts) == 1 and "src" not in scripts[0]
    policy = [attrs["content"] for tag, attrs in parsed.tags
              if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert policy == [content_security_policy(parsed.scripts[0])]
    digest = base64.b64encode(hashlib.sha256(parsed.scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy[0]
    assert "default-src 'none'" in policy[0]
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)


def test_html_is_self_contained(hostile):
    from analyzer.report.figures import build_figures

    html = to_html(hostile, build_figures(hostile))
    parsed = _parse(html)
    sources = [attrs["src"] for tag, attrs in parsed.tags if "src" in attrs]
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
    assert not [tag for tag, _ in parsed.tags if tag in ("link", "iframe", "object", "embed", "base")]
    links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert links and all(link.startswith("#") for link in links)
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html).replace("http://evil.example", "")
    assert not re.search(r"\b(https?|ftp)://", text, re.I)
    assert "@import" not in html and "url(" not in html


def test_every_internal_link_has_a_target(hostile_html):
    parsed = _parse(hostile_html)
    targets = {attrs["href"][1:] for tag, attrs in parsed.tags if tag == "a" and attrs.get("href", "").startswith("#")}
    assert targets
    assert targets <= parsed.ids


def test_every_person_and_responsibility_in_a_finding_links_to_its_section(hostile, hostile_html):
    parsed = _parse(hostile_html)
    rows = hostile_html.split('<tr class="finding"')[1:]
    assert len(rows) == len(hostile.findings)
    for row, finding in zip(rows, hostile.findings, strict=True):
        if finding.responsibility:
            assert f'href="#resp-{finding.responsibility}"' in row
        assert row.count('href="#person-') >= len(finding.people)
    assert {f"person-{n}" for n in range(1, len(hostile.people) + 1)} <= parsed.ids


def test_summary_comes_first_with_counts_and_the_three_findings_to_read(hostile, hostile_html):
    assert hostile_html.index('id="summary"') < hostile_html.index('id="findings"') < hostile_html.index('id="people"')
    head = hostile_html[hostile_html.index('id="summary"'):hostile_html.index('id="findings"')]
    info = summary(hostile)
    assert len(info.top) == 3
    for finding in info.top:
        escaped = finding.explanation.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped.replace('"', "&#34;").replace("'", "&#39;") in head
    for sev, count in info.by_severity:
        assert f'<div class="kpi sev-{sev}"><b>{count}</b>' in head


def test_findings_table_rows_carry_sort_and_filter_keys(hostile, hostile_html):
    rows = re.findall(r'<tr class="finding" id="finding-(\d+)" data-number="(\d+)" data-rank="(\d)" '
                      r'data-severity="(\w+)" data-kind="(\w+)"', hostile_html)
    assert [(int(a), int(b)) for a, b, *_ in rows] == [(n, n) for n in range(1, len(hostile.findings) + 1)]
    assert [(int(rank), sev, kind) for _, _, rank, sev, kind in rows] == [
        (f.severity.rank, f.severity.value, f.kind.value) for f in hostile.findings]
    for finding in hostile.findings:
        assert f"<code>{finding.rule}</code>" in hostile_html


def test_top_findings_prefers_severity_then_one_of_each_kind():
    from analyzer.records import Finding

    def make(kind, severity, resp):
        return Finding(kind, severity, "Search", resp, ("1",), "rule", f"{kind.value} {resp}")

    findings = [make(FindingKind.DROPPED, Severity.HIGH, "a"), make(FindingKind.DROPPED, Severity.HIGH, "b"),
                make(FindingKind.DUPLICATED, Severity.HIGH, "c"), make(FindingKind.CONFLICTING, Severity.MEDIUM, "d"),
                make(FindingKind.COMBINED_ROLE, Severity.INFO, None)]
    top = top_findings(findings)
    assert [(f.kind, f.responsibility) for f in top] == [
        (FindingKind.DROPPED, "a"), (FindingKind.DUPLICATED, "c"), (FindingKind.DROPPED, "b")]
    assert top_findings(findings[3:]) == (findings[3],)  # info is never "top"


def test_top_findings_prefers_new_people_over_a_second_finding_on_the_same_person():
    from analyzer.records import Finding

    same = [Finding(FindingKind.CONFLICTING, Severity.HIGH, "Search", resp, ("1",), "rule", resp)
            for resp in ("a", "b")]
    other = Finding(FindingKind.CONFLICTING, Severity.HIGH, "Search", "c", ("2",), "rule", "c")
    assert top_findings([*same, other], 2) == (same[0], other)


def test_markdown_and_html_say_when_the_semantic_mapper_read_the_statements(hostile):
    semantic = replace(hostile, semantic=True)
    for render in (to_markdown, to_html):
        assert "semantic mapper" in render(semantic)
        assert "semantic mapper" not in render(hostile)


def test_markdown_escapes_user_text_and_links_the_pictures(hostile):
    text = to_markdown(hostile, [("Coverage by team", "heatmap_team_coverage.png"),
                                 (EVIL_TEAM, "team_graphs/01-search-i-amp.png")])
    assert SCRIPT_NAME not in text
    assert not re.search(r"(?<!\\)[<>&]", text.replace("> ", "")), "unescaped markup character"
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in text
    assert "Search \\<i\\>\\&amp;" in text
    assert "![Coverage by team](heatmap_team_coverage.png)" in text
    assert "(team_graphs/01-search-i-amp.png)" in text
    assert "| # | severity | kind | team | responsibility | people |" in text


def test_json_report_follows_the_published_schema(hostile, tmp_path):
    validate_report(report_dict(hostile))
    data = json.loads(to_json(hostile))
    validate_report(data)
    assert data["schema_version"] == 1
    assert "min_confidence" not in data["model"]  # not recorded for an analysis built by hand
    validate_report(report_dict(replace(hostile, min_confidence=0.45)))
    assert report_dict(replace(hostile, min_confidence=0.45))["model"]["min_confidence"] == 0.45
    assert data["model"]["semantic"] is False
    validate_report(report_dict(replace(hostile, semantic=True)))
    assert report_dict(replace(hostile, semantic=True))["model"]["semantic"] is True
    assert [p["name"] for p in data["people"]][:2] == [SCRIPT_NAME, ATTRIBUTE_NAME]  # JSON keeps text verbatim


def test_json_report_is_jsons_own_indented_text(hostile, tiny_model):
    """report.json is built faster (shared responsibility lists encoded once) than json.dumps: the same bytes."""
    from dataclasses import replace

    holds = {"backlog_management": ("A", "Own the backlog.")}
    twin = person("9", name="Twin", role="product_owner", holds=holds)
    same = replace(twin, record=replace(twin.record, id="10", row=10))  # the very same holdings tuple
    equal = person("11", name="Other", role="product_owner", holds=holds)  # equal holdings, another tuple
    for analysis in (hostile, org(tiny_model, twin, same, equal)):
        assert to_json(analysis) == json.dumps(report_dict(analysis), indent=2, sort_keys=True,
                                               ensure_ascii=False) + "\n"


def test_large_reports_are_written_in_pieces_with_jsons_compact_bytes(hostile, tiny_model, tmp_path, monkeypatch):
    """Above COMPACT_ABOVE_PEOPLE, report.json is encoded person by person and finding by finding and written as
    it goes: the same bytes as json's compact text of the whole document, whatever the lists hold."""
    from analyzer.report import json_report

    monkeypatch.setattr(json_report, "COMPACT_ABOVE_PEOPLE", -1)
    empty = org(tiny_model)  # no people, no findings: the lists are still there, empty
    for analysis in (hostile, empty):
        expected = json.dumps(report_dict(analysis), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
        assert "".join(json_report.json_chunks(analysis)) == expected == to_json(analysis)
    write_reports(hostile, tmp_path, formats=("json",))
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == to_json(hostile)
    assert len(list(json_report.json_chunks(hostile))) > 3  # in pieces, not one string


def test_indented_json_matches_json_for_any_value():
    from analyzer.report.jsontext import dumps_indented

    keys = st.text(max_size=4)
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6))
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                           st.dictionaries(keys, inner, max_size=3)), max_leaves=12)

    @settings(max_examples=200, deadline=None)
    @given(values)
    def check(value):
        assert dumps_indented(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)

    check()


def test_json_schema_validation_rejects_a_broken_report(hostile):
    import jsonschema

    data = report_dict(hostile)
    data["findings"][0]["severity"] = "catastrophic"
    with pytest.raises(jsonschema.ValidationError):
        validate_report(data)


def test_csv_neutralises_formulas(hostile):
    rows = list(csv.reader(io.StringIO(matrix_csv(hostile))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA_NAME in cells
    assert "'+cmd|' /C calc'!A0" in cells and "'@SUM(1+1)" in cells and "'-2+3" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_formats_include_xlsx_and_reject_unknown_ones():
    assert "xlsx" in FORMATS
    assert parse_formats("xlsx, HTML") == ("xlsx", "html")
    from analyzer.errors import UsageError

    with pytest.raises(UsageError, match="unknown report format 'pdf'"):
        parse_formats("pdf")


def test_write_reports_rejects_an_unknown_format_before_writing(hostile, tmp_path):
    from analyzer.errors import UsageError

    with pytest.raises(UsageError, match=r"unknown report format 'pdf'; choose from html, md, json"):
        write_reports(hostile, tmp_path / "out", ("html", "pdf"))
    assert not (tmp_path / "out").exists()


def test_write_reports_reports_progress_and_lists_files(hostile, tmp_path):
    messages = []
    written = write_reports(hostile, tmp_path, ("html", "md", "png"), progress=messages.append)
    names = {path.relative_to(tmp_path).as_posix() for path in written}
    assert {"report.html", "report.md", "heatmap_role_coverage.png", "heatmap_team_coverage.png",
            "heatmap_person_overlap.png"} <= names
    assert any(name.startswith("team_graphs/") for name in names)
    assert all(path.is_file() for path in written)
    assert "writing the reports" in messages and any("heatmap" in message for message in messages)


def test_stale_team_graphs_of_an_earlier_run_are_removed(hostile, tmp_path):
    stale = tmp_path / "team_graphs" / "07-gone-team.png"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    mine = tmp_path / "team_graphs" / "notes.txt"
    mine.write_text("user file")
    write_reports(hostile, tmp_path, ("png",))
    assert not stale.exists() and mine.exists()


def test_terminal_summary_names_the_report_and_prints_user_text_literally(hostile, tmp_path):
    buffer = io.StringIO()
    out = tmp_path / "out"
    written = [out / "report.html", out / "report.json", out / "team_graphs" / "01-x.png"]
    print_summary(hostile, out, written, Console(file=buffer, width=60, highlight=False))
    text = buffer.getvalue()
    assert f"Report: {out}/ (report.html, report.json, team_graphs/ (1 files))" in text
    assert f"Open {out / 'report.html'}" in text
    assert f"Analysed {len(hostile.people)} people (0 rows skipped) with model tiny 0.0.1." in text
    assert "  1. [high] " in text  # a rich markup-looking "[high]" printed as text, not swallowed


def test_terminal_summary_does_not_interpret_markup_in_names(tiny_model):
    analysis = org(tiny_model, person("1", name="[bold red]Ann[/bold red]", role="product_owner",
                                      holds={"backlog_management": "A"}),
                   person("2", name="[link=x]Bo[/link]", role="product_owner", holds={"backlog_management": "A"}))
    buffer = io.StringIO()
    print_summary(analysis, Path("o"), [], Console(file=buffer, width=200))
    assert "[bold red]Ann[/bold red]" in buffer.getvalue()


def test_progress_is_silent_when_quiet_and_plain_lines_when_not_a_terminal():
    quiet = io.StringIO()
    with TerminalProgress(quiet=True, console=Console(file=quiet)) as say:
        say("reading input")
    assert quiet.getvalue() == ""
    plain = io.StringIO()
    with TerminalProgress(console=Console(file=plain, force_terminal=False)) as say:
        say("reading input")
        say("mapping [3] job descriptions")
    assert plain.getvalue() == "  reading input...\n  mapping [3] job descriptions...\n"


def test_progress_on_a_terminal_shows_finished_stages():
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80, color_system=None)
    with TerminalProgress(console=console) as say:
        say("reading input")
        say("mapping")
    assert "✓ reading input" in screen.getvalue() and "✓ mapping" in screen.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=40), team=st.text(min_size=1, max_size=20), evidence=st.text(max_size=60))
def test_arbitrary_user_text_never_breaks_or_escapes_the_html_and_markdown(tiny_model, name, team, evidence):
    # Marked, so that a text such as "<" is not found in the page's own markup.
    name, team, evidence = (f"ZQ1{text}1QZ" for text in (name, team, evidence))
    analysis = org(tiny_model,
                   person("1", name=name, team=team, title=name, role="product_owner",
                          holds={"backlog_management": ("A", evidence)}),
                   person("2", name="B", team=team, role="scrum_master", holds={"backlog_management": "A"}))
    html = to_html(analysis)
    for text in (name, team, evidence):
        if "<" in text:
            assert text not in html
    to_markdown(analysis)
    validate_report(json.loads(to_json(analysis)))


def test_markdown_lists_at_most_the_shown_people_and_findings(tiny_model, tmp_path, monkeypatch):
    from conftest import SEARCH_SQUAD_CSV, write_csv

    import analyzer.report.markdown as markdown
    from analyzer.pipeline import analyze

    analysis = analyze(write_csv(tmp_path, SEARCH_SQUAD_CSV), model=tiny_model)
    monkeypatch.setattr(markdown, "MAX_PEOPLE_SHOWN", 2)
    monkeypatch.setattr(markdown, "MAX_FINDINGS_SHOWN", 1)
    text = markdown.to_markdown(analysis)
    assert "2 more people are in report.json and the responsibility matrix." in text
    assert f"The 1 most important of {len(analysis.findings)} findings are listed below" in text
    assert "### 2." not in text


def test_a_second_writing_process_writes_the_same_files(hostile, tmp_path):
    from analyzer.report import _report_processes

    if "fork" in multiprocessing.get_all_start_methods():
        assert _report_processes(len(hostile.people), workers=2) == 2  # the side process really runs below
    one = write_reports(hostile, tmp_path / "one", FORMATS, workers=1)
    two = write_reports(hostile, tmp_path / "two", FORMATS, workers=2)
    assert [path.relative_to(tmp_path / "one") for path in one] == [path.relative_to(tmp_path / "two") for path in two]
    assert {"report.json", "responsibility_matrix.csv", "graph.gexf"} <= {path.name for path in two}
    for first, second in zip(one, two, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_an_error_in_the_second_writing_process_is_raised_in_the_caller(hostile, tmp_path):
    from analyzer.errors import UsageError

    (tmp_path / "report.json").mkdir()  # the side process cannot write report.json
    with pytest.raises(UsageError, match=r"cannot write .*report\.json"):
        write_reports(hostile, tmp_path, ("json", "md"), workers=2)
    assert (tmp_path / "report.md").is_file()


# -- the two writing processes (report/lanes.py) -----------------------------------------------------

def test_jobs_run_in_both_processes_and_jobs_needing_figures_get_all_of_them():
    """The main process takes jobs from the front, the second from the back; results come back in job order."""
    import os
    import time

    from analyzer.report.lanes import Job, run_jobs

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the second process is forked")

    def draw(name: str, seconds: float):
        def run(say, figures):
            time.sleep(seconds)
            return [(name, os.getpid())]
        return run

    def needs(say, figures):
        return [name for name, _ in figures], os.getpid()

    def slow_file(say, figures):
        time.sleep(0.3)
        return os.getpid()

    jobs = [Job(needs, needs_figures=True), *(Job(draw(f"figure {n}", 0.05), draws=True) for n in range(6)),
            Job(slow_file)]
    messages: list[str] = []
    results = run_jobs(jobs, 2, messages.append)
    names, _ = results[0]
    assert names == [f"figure {n}" for n in range(6)]  # every figure, in job order, wherever it was drawn
    assert [result[0][0] for result in results[1:7]] == names
    pids = {result[0][1] for result in results[1:7]} | {results[7], results[0][1]}
    assert results[7] != os.getpid() and os.getpid() in pids  # the file job ran in the second process
    assert run_jobs(jobs, 1, messages.append)[0][0] == names


def test_an_error_in_a_job_of_this_process_stops_the_second_one(tmp_path):
    from analyzer.report.lanes import Job, run_jobs

    def fail(say, figures):
        raise RuntimeError("drawing failed")

    def ok(say, figures):
        return "done"

    with pytest.raises(RuntimeError, match="drawing failed"):
        run_jobs([Job(fail, draws=True), Job(ok), Job(ok)], 2, lambda message: None)


@pytest.mark.parametrize("calibrated", [False, True])
def test_reports_say_what_the_confidence_means_on_real_prose(tmp_path, tiny_model, calibrated):
    # Without a calibration on real prose the confidence is fitted on the model's phrasings: a reader of the report
    # must not take 0.9 for 90% on real job descriptions. With one, the report says what it was fitted on.
    from conftest import SEARCH_SQUAD_CSV, write_csv

    from analyzer.mapping.prose import ProseCalibration
    from analyzer.pipeline import analyze
    from analyzer.report import write_reports

    model = replace(tiny_model, prose_calibration=ProseCalibration(0.5, -1.0)) if calibrated else tiny_model
    analysis = analyze(write_csv(tmp_path, SEARCH_SQUAD_CSV), model=model)
    written = {path.name: path for path in write_reports(analysis, tmp_path / "out", ("md", "html"))}
    expected = "an annotator agreed with on real job descriptions" if calibrated else \
        "read it as an order rather than a probability"
    for name in ("report.md", "report.html"):
        text = written[name].read_text(encoding="utf-8").replace("&#39;", "'")
        assert expected in text, name
    shown = ProseCalibration(0.5, -1.0) if calibrated else tiny_model.confidence_scale()
    assert analysis.min_confidence == round(shown.shown(0.3), 3)


def test_reports_flag_input_warnings_above_the_findings(tmp_path, tiny_model):
    from conftest import write_csv

    from analyzer.pipeline import analyze
    from analyzer.report import write_reports

    analysis = analyze(write_csv(tmp_path, "Employee ID,Name,Job Title\n1,Ada,Product Owner\n"), model=tiny_model)
    out = tmp_path / "out"
    write_reports(analysis, out, ("html", "md"))
    text = (out / "report.html").read_text(encoding="utf-8")
    callout = text.index("1 warning about the input or the model</b>, to read before the findings: the input has no "
                         "job description")
    assert callout < text.index('id="findings"') < text.index('id="warnings"')
    lines = (out / "report.md").read_text(encoding="utf-8").splitlines()
    [flag] = [n for n, line in enumerate(lines) if line.startswith(
        "> **1 warning about the input or the model**, to read before the findings: the input has no job description "
        "column")]
    assert flag < lines.index("## Summary")
