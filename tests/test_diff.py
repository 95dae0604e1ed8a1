"""Comparing two analyses, and `analyze diff` (analyzer.diff, analyzer.cli)."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import SEARCH_SQUAD_CSV, TINY_MODEL, write_csv
from orgs import engineer, org, person

from analyzer.cli import main
from analyzer.diff import diff_analyses, diff_json, diff_markdown, summary_lines, write_diff
from analyzer.model import parse_model


@pytest.fixture(scope="module")
def model():
    return parse_model(yaml.safe_load(TINY_MODEL), "tiny.yaml")


def team(po_holds: dict, pm_holds: dict, extra: tuple = ()) -> list:
    return [
        person("1", name="Pam", title="Product Manager", manager="3", role="product_manager", holds=pm_holds),
        person("2", name="Otto", title="Product Owner", manager="3", role="product_owner", holds=po_holds),
        person("3", name="Em", title="Engineering Manager", role="engineering_manager",
               holds={"technical_delivery": "A", "hiring": "A"}),
        engineer("4", manager="3", holds={"technical_delivery": "R"}),
        *extra,
    ]


@pytest.fixture(scope="module")
def before(model):
    # Pam and Otto both own the backlog (duplicated); nobody defines acceptance criteria beyond Otto.
    return org(model, *team({"backlog_management": "A", "acceptance_criteria": "A"},
                            {"roadmap_prioritization": "A", "backlog_management": "A"},
                            (engineer("5", manager="3"),)), path="before.csv")


@pytest.fixture(scope="module")
def after(model):
    # Pam now only contributes to the backlog; engineer 5 left; Otto started accepting roadmap input;
    # a new engineer 6 joined and the PM moved teams.
    people = team({"backlog_management": "A", "acceptance_criteria": "A", "roadmap_prioritization": "C"},
                  {"roadmap_prioritization": "A", "backlog_management": "C"}, (engineer("6", manager="3"),))
    from dataclasses import replace

    people[0] = replace(people[0], record=replace(people[0].record, team="Growth"))
    return org(model, *people, path="after.csv")


def test_level_and_people_changes(before, after):
    diff = diff_analyses(before, after)
    assert diff.people_added == ("6",) and diff.people_removed == ("5",)
    assert [(c.person, c.field, c.before, c.after) for c in diff.person_changes] == [("1", "team", "Search",
                                                                                     "Growth")]
    assert [(c.person, c.responsibility, c.before, c.after, c.change) for c in diff.level_changes] == [
        ("1", "backlog_management", "A", "C", "lowered"),
        ("2", "roadmap_prioritization", None, "C", "gained"),
    ]


def test_ownership_changes_per_scope(before, after):
    changes = [(c.scope, c.responsibility, c.before, c.after) for c in diff_analyses(before, after).ownership_changes]
    assert changes == [
        ("Growth", "roadmap_prioritization", (), ("1",)),
        ("Search", "backlog_management", ("1", "2"), ("2",)),
        ("Search", "roadmap_prioritization", ("1",), ()),
    ]


def test_findings_fixed_and_introduced_are_matched_by_key(before, after):
    diff = diff_analyses(before, after)
    assert [(f.kind.value, f.responsibility) for f in diff.fixed] == [("conflicting", "backlog_management")]
    assert diff.introduced == () and diff.unchanged_findings == len(after.findings)
    reverse = diff_analyses(after, before)
    assert reverse.introduced == diff.fixed and reverse.fixed == diff.introduced


def test_same_analysis_has_no_changes(before):
    diff = diff_analyses(before, before)
    assert (diff.level_changes, diff.fixed, diff.introduced, diff.people_added) == ((), (), (), ())
    assert diff.unchanged_findings == len(before.findings)


def test_analyses_read_differently_are_compared_with_a_warning(before):
    from dataclasses import replace

    assert diff_analyses(before, before).warnings == ()
    assert json.loads(diff_json(diff_analyses(before, before)))["warnings"] == []
    read_otherwise = replace(before, semantic=True, min_confidence=0.5, model_version="9.9")
    diff = diff_analyses(replace(before, min_confidence=0.3), read_otherwise)
    assert [warning.split(",")[0] for warning in diff.warnings] == [
        "the two analyses used different role models (tiny 0.0.1 and tiny 9.9)",
        "the two analyses mapped statements at different confidence thresholds (0.3 and 0.5)",
        "only the second analysis read statements with the semantic mapper",
    ]
    assert diff.level_changes == () and diff.fixed == diff.introduced == ()
    lines = summary_lines(diff)
    assert lines[-1] == ("Warning: only the second analysis read statements with the semantic mapper, so some "
                         "changes may come from how the descriptions were read, not from the organisation.")
    assert json.loads(diff_json(diff))["warnings"] == list(diff.warnings)
    assert "- Warning: the two analyses used different role models" in diff_markdown(diff)


def test_each_mappers_default_threshold_is_not_a_difference(before, tiny_model):
    # The default and the semantic mapper each show the classifier's default threshold on their own scale: two
    # numbers for one threshold, which is no reason to warn.
    from dataclasses import replace

    from analyzer.mapping.prose import ProseCalibration, default_min_confidence

    model = replace(tiny_model, prose_calibration=ProseCalibration(0.5, -1.0),
                    semantic_prose_calibration=ProseCalibration(0.45, -0.9))
    plain = replace(before, model=model, min_confidence=default_min_confidence(model.confidence_scale()))
    semantic = replace(plain, semantic=True, min_confidence=default_min_confidence(model.confidence_scale(True)))
    assert plain.min_confidence != semantic.min_confidence
    assert [warning.split(",")[0] for warning in diff_analyses(plain, semantic).warnings] == [
        "only the second analysis read statements with the semantic mapper"]
    assert len(diff_analyses(plain, replace(semantic, min_confidence=0.4)).warnings) == 2


def test_a_models_calibration_note_is_a_diff_warning_once(before):
    # A model whose calibration names no classifier: its analyses' confidences are an estimate (analyzer.modelprose),
    # which a diff of two of them (or a what-if) says once, for the mapper each analysis read with.
    from dataclasses import replace

    data = yaml.safe_load(TINY_MODEL)
    data["confidence_on_real_prose"] = {"default": {"slope": 0.5, "intercept": -1.0}}
    model = parse_model(data, "copy.yaml")
    noted = replace(before, model=model)
    [warning] = diff_analyses(noted, noted).warnings
    assert warning == model.calibration_note() and warning.startswith("copy.yaml: confidence_on_real_prose.default: ")
    assert diff_analyses(replace(noted, semantic=True), replace(noted, semantic=True)).warnings == ()


def test_renderings_are_deterministic_and_complete(before, after, tmp_path):
    diff = diff_analyses(before, after)
    data = json.loads(diff_json(diff))
    assert data["diff_version"] == 1 and data["people"]["added"] == [{"id": "6", "name": "Person 6"}]
    assert data["levels"][0] == {"person": "1", "responsibility": "backlog_management", "before": "A",
                                 "after": "C", "change": "lowered"}
    assert data["findings"]["fixed"][0]["kind"] == "conflicting"
    assert diff_json(diff) == diff_json(diff_analyses(before, after))
    markdown = diff_markdown(diff)
    assert "## Findings fixed (1)" in markdown and "| Pam (1) | backlog\\_management | A | C | lowered |" in markdown
    assert summary_lines(diff)[-1] == f"Findings: 1 fixed, 0 introduced, {len(after.findings)} unchanged."
    assert [p.name for p in write_diff(diff, tmp_path / "d")] == ["diff.md", "diff.json"]


AFTER_CSV = SEARCH_SQUAD_CSV.replace("- Own the product backlog and decide priorities", "- Run sprint planning")


def test_cli_diff_writes_reports_and_prints_a_summary(tmp_path, capsys):
    model_file = tmp_path / "tiny.yaml"
    model_file.write_text(TINY_MODEL, encoding="utf-8")
    old = write_csv(tmp_path, SEARCH_SQUAD_CSV, "acme-jan.csv")
    new = write_csv(tmp_path, AFTER_CSV, "acme-feb.csv")
    out = tmp_path / "cmp"
    code = main(["diff", str(old), str(new), "--model", str(model_file), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert re.search(r"^Findings: [1-9]\d* fixed, \d+ introduced, \d+ unchanged\.$", captured.out, re.MULTILINE)
    assert f"Report: {out}/ (diff.md, diff.json)" in captured.out
    assert "scrum" in (out / "diff.md").read_text(encoding="utf-8").lower()


def test_cli_diff_out_folder_quiet_and_errors(tmp_path, capsys, monkeypatch):
    model_file = tmp_path / "tiny.yaml"
    model_file.write_text(TINY_MODEL, encoding="utf-8")
    old = write_csv(tmp_path, SEARCH_SQUAD_CSV, "acme-jan.csv")
    new = write_csv(tmp_path, AFTER_CSV, "acme-feb.csv")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", str(old), str(new), "--model", str(model_file), "-q"]) == 0
    assert capsys.readouterr().out == ""
    data = json.loads((tmp_path / "reports" / "acme-feb-diff" / "diff.json").read_text(encoding="utf-8"))
    assert "scrum_master_not_decision_maker" in {f["rule"] for f in data["findings"]["fixed"]}
    assert main(["diff", str(old), str(tmp_path / "missing.csv"), "--model", str(model_file)]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("error: ") and "missing.csv: file not found" in last
    with pytest.raises(SystemExit) as exit_info:
        main(["diff", str(old)])
    assert exit_info.value.code == 2
