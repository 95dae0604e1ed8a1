"""The sample organisations in sample_orgs/ produce the findings planted in them (sample_orgs/expected/).

Each expected file lists findings as data (kind, scope, responsibility, people; rule when given). A sample
passes when every listed finding is produced with the default role model and its healthy scopes have no
high-severity finding. The samples are analysed once per test session.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import io
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import analyzer
from analyzer.diff import diff_analyses
from analyzer.graph import scope_of
from analyzer.records import Analysis, Finding, FindingKind, Severity
from analyzer.whatif import load_plan, what_if

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_orgs"
EXPECTED = SAMPLES / "expected"
ORG_SAMPLES = ("acme", "startup", "enterprise_workday", "jd_roster")


def expected(name: str) -> dict:
    return yaml.safe_load((EXPECTED / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def default_model():
    return analyzer.load_model()


@pytest.fixture(scope="session")
def analyses(default_model) -> dict[str, Analysis]:
    """Every sample organisation analysed once (keyed by its expected file's name), when first asked for."""

    class Analyses(dict):
        def __missing__(self, name: str) -> Analysis:
            spec = expected(name)
            documents = SAMPLES / spec["documents"] if spec.get("documents") else None
            self[name] = analyzer.analyze(SAMPLES / spec["input"], model=default_model, documents=documents)
            return self[name]

    return Analyses()


def matches(finding: Finding, spec: dict) -> bool:
    """True when the finding is the one the spec describes (people compared as a set)."""
    return (finding.kind.value == spec["kind"] and finding.scope == spec["scope"]
            and finding.responsibility == spec.get("responsibility")
            and set(finding.people) == {str(pid) for pid in spec.get("people") or ()}
            and ("rule" not in spec or finding.rule == spec["rule"]))


def describe(findings) -> str:
    return "\n".join(f"  {f.severity.value:6} {f.kind.value:20} {f.scope!r:32} {f.responsibility or '-':28} "
                     f"{list(f.people)} {f.rule}" for f in findings) or "  (none)"


def missing(findings, specs: list[dict]) -> list[dict]:
    return [spec for spec in specs if not any(matches(finding, spec) for finding in findings)]


@pytest.mark.parametrize("name", ORG_SAMPLES)
def test_planted_findings_are_found(name, analyses):
    analysis = analyses[name]
    specs = expected(name)["findings"]
    absent = missing(analysis.findings, specs)
    assert not absent, (f"{name}: planted findings not produced:\n"
                        + "\n".join(f"  {spec}" for spec in absent)
                        + f"\nthe analysis found:\n{describe(analysis.findings)}")


@pytest.mark.parametrize("name", ORG_SAMPLES)
def test_healthy_scopes_have_no_high_severity_finding(name, analyses):
    patterns = expected(name).get("healthy_scopes", [])
    analysis = analyses[name]
    scopes = {scope_of(person) for person in analysis.people} | {"org"}
    covered = {scope for scope in scopes if any(fnmatch.fnmatchcase(scope, p) for p in patterns)}
    assert covered, f"{name}: the healthy scope patterns {patterns} match no scope of the sample"
    high = [f for f in analysis.findings if f.severity is Severity.HIGH and f.scope in covered]
    assert not high, f"{name}: high-severity findings in healthy scopes:\n{describe(high)}"


@pytest.mark.parametrize("name", ORG_SAMPLES)
def test_kinds_said_to_be_absent_are_absent(name, analyses):
    kinds = set(expected(name).get("absent_kinds", []))
    unexpected = [f for f in analyses[name].findings if f.kind.value in kinds]
    assert not unexpected, f"{name}: findings of kinds {sorted(kinds)} were not expected:\n{describe(unexpected)}"


@pytest.mark.parametrize("name", ORG_SAMPLES)
def test_sample_reports_follow_the_json_contract(name, analyses):
    analyzer.validate_report(analyzer.report_dict(analyses[name]))


def test_acme_plants_every_finding_kind():
    planted = {spec["kind"] for spec in expected("acme")["findings"]}
    assert planted == {kind.value for kind in FindingKind}, (
        f"acme.csv should show every finding kind; not planted: {sorted({k.value for k in FindingKind} - planted)}")


def test_acme_is_a_mid_size_product_company_with_some_html(analyses):
    analysis = analyses["acme"]
    raw = (SAMPLES / "acme.csv").read_text(encoding="utf-8")
    teams = {person.record.team for person in analysis.people}
    assert 40 <= len(analysis.people) <= 60 and not analysis.skipped_rows
    assert {"Checkout", "Search", "Onboarding", "Payments", "Platform", "Mobile", "Growth", "Marketing"} <= teams
    assert "<li>" in raw and "<p>" in raw


def test_startup_combines_product_manager_and_owner_without_a_scrum_master(analyses):
    analysis = analyses["startup"]
    roles = {person.role.canonical for person in analysis.people}
    assert "scrum_master" not in roles and "product_owner" not in roles
    assert not [f for f in analysis.findings if f.severity in (Severity.HIGH, Severity.MEDIUM)], \
        describe(analysis.findings)


def _depth(analysis: Analysis) -> int:
    managers = {person.id: person.record.manager_id for person in analysis.people}
    deepest = 0
    for pid in managers:
        levels, seen = 1, {pid}
        while (pid := managers.get(pid)) and pid not in seen:
            seen.add(pid)
            levels += 1
        deepest = max(deepest, levels)
    return deepest


def test_enterprise_is_a_deep_workday_export_with_departments(analyses):
    from openpyxl import load_workbook

    spec = expected("enterprise_workday")
    analysis = analyses["enterprise_workday"]
    book = load_workbook(SAMPLES / spec["input"], read_only=True)
    assert book.sheetnames[0] == "Cover" and "Workers" in book.sheetnames
    header = next(book["Workers"].iter_rows(max_row=1, values_only=True))
    assert {"Employee_ID", "Worker", "Business Title", "Supervisory Organization", "Manager - ID",
            "Job Profile Summary"} <= set(header)
    assert len(analysis.people) >= spec["min_people"] and not analysis.skipped_rows
    assert _depth(analysis) >= spec["min_depth"]
    assert analysis.columns["team"] == "Supervisory Organization" and analysis.columns["department"] == "Cost Center"
    departments = {person.record.department for person in analysis.people}
    assert len(departments) >= 5
    assert all("<" not in person.record.text for person in analysis.people)  # HTML reduced to text


def test_enterprise_contests_span_departments(analyses):
    """Program management and product marketing are claimed from two departments in one organisation."""
    analysis = analyses["enterprise_workday"]
    department = {person.id: person.record.department for person in analysis.people}
    contested = {}
    for spec in expected("enterprise_workday")["findings"]:
        contested.setdefault(spec["responsibility"], set()).update(department[str(pid)] for pid in spec["people"])
    assert contested["dependency_coordination"] >= {"Digital Engineering", "Enterprise PMO"}
    assert contested["positioning_messaging"] >= {"Digital Product", "Marketing"}


def test_document_folder_has_every_format_and_joins_the_roster_by_title(analyses):
    spec = expected("jd_roster")
    suffixes = {path.suffix for path in (SAMPLES / spec["documents"]).iterdir()}
    assert {".docx", ".pdf", ".md", ".txt"} <= suffixes
    analysis = analyses["jd_roster"]
    title_only = {person.id for person in analysis.people if person.title_only}
    assert title_only == set(spec["title_only_people"])
    sources = {person.record.source for person in analysis.people if person.id not in title_only}
    assert {source.rsplit(".", 1)[-1] for source in sources} == {"docx", "pdf", "md", "txt"}
    assert all(person.record.text for person in analysis.people if person.id not in title_only)


def test_document_folder_alone_reads_one_role_per_document(default_model):
    analysis = analyzer.analyze(SAMPLES / "jd_folder", model=default_model)
    titles = sorted(person.record.title for person in analysis.people)
    assert titles == ["Engineering Manager", "Lead Product Manager", "Product Manager", "Product Marketing Manager",
                      "Product Owner", "QA Engineer", "Scrum Master", "Software Engineer",
                      "Technical Product Manager"]


def test_document_folder_alone_has_no_vacant_positions(default_model):
    analysis = analyzer.analyze(SAMPLES / "jd_folder", model=default_model)
    assert not [f for f in analysis.findings if f.kind is FindingKind.ORPHANED], describe(analysis.findings)


def _assert_listed(found, specs: list[dict], what: str) -> None:
    absent = missing(found, specs)
    assert not absent, f"{what} misses:\n" + "\n".join(f"  {s}" for s in absent) + f"\n{what}:\n{describe(found)}"


def test_reorg_pair_fixes_two_conflicts_and_introduces_a_dropped_backlog(default_model):
    spec = expected("reorg")
    before = analyzer.analyze(SAMPLES / spec["before"], model=default_model)
    after = analyzer.analyze(SAMPLES / spec["after"], model=default_model)
    diff = diff_analyses(before, after)
    _assert_listed(diff.fixed, spec["fixed"], "the fixed findings")
    _assert_listed(diff.introduced, spec["introduced"], "the introduced findings")
    assert list(diff.people_added) == spec["people_added"]


def test_whatif_plan_merges_the_product_manager_and_owner(default_model):
    spec = expected("whatif_merge_pm_po")
    analysis = analyzer.analyze(SAMPLES / spec["input"], model=default_model)
    result = what_if(analysis, load_plan(SAMPLES / spec["plan"]))
    _assert_listed(result.diff.fixed, spec["fixed"], "the fixed findings")
    _assert_listed(result.diff.introduced, spec["introduced"], "the introduced findings")
    assert list(result.diff.people_removed) == spec["people_removed"]


# -- the generated binary samples -------------------------------------------------------------------

@pytest.fixture
def make_samples(monkeypatch):
    """sample_orgs/make_samples.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_samples", module)  # dataclasses look their module up while loading
    spec.loader.exec_module(module)
    return module


def _content(path: Path):
    """What a person sees in a generated file (bytes can differ between library versions)."""
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return {name: [tuple(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    if path.suffix == ".docx":
        import docx

        return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_generated_samples_are_deterministic_and_match_the_committed_files(tmp_path, make_samples):
    first = make_samples.build(tmp_path / "a")
    second = make_samples.build(tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    for path in first:
        committed = SAMPLES / path.relative_to(tmp_path / "a")
        assert committed.is_file(), f"{committed} is missing: run python sample_orgs/make_samples.py"
        assert _content(committed) == _content(path), \
            f"{committed} is out of date: run python sample_orgs/make_samples.py"
    for path in first:
        if path.suffix in (".xlsx", ".docx"):
            assert {info.date_time for info in zipfile.ZipFile(path).infolist()} == {make_samples.ZIP_TIME}
