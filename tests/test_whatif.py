"""What-if plans: validation, every step, findings before and after, `analyze what-if`."""

from __future__ import annotations

import json
import textwrap

import pytest
import yaml
from conftest import SEARCH_SQUAD_CSV, TINY_MODEL, write_csv
from orgs import engineer, org, person

from analyzer.cli import main
from analyzer.errors import InputError
from analyzer.model import parse_model
from analyzer.whatif import load_plan, parse_plan, what_if, whatif_dict, write_whatif


@pytest.fixture(scope="module")
def model():
    return parse_model(yaml.safe_load(TINY_MODEL), "tiny.yaml")


@pytest.fixture()
def analysis(model):
    """Team Search: a PM and a PO who both own the backlog, an EM, two engineers."""
    return org(
        model,
        person("12", name="Pam", title="Product Manager", manager="3", role="product_manager",
               holds={"roadmap_prioritization": "A", "backlog_management": "A"}),
        person("14", name="Otto", title="Product Owner", manager="3", role="product_owner",
               holds={"backlog_management": "A", "acceptance_criteria": "A"}),
        person("3", name="Em", title="Engineering Manager", role="engineering_manager",
               holds={"technical_delivery": "A", "hiring": "A"}),
        engineer("4", manager="3", holds={"technical_delivery": "R"}),
        engineer("5", manager="14"),
    )


def plan(*steps: dict, title: str = "") -> object:
    return parse_plan({"plan_version": 1, "title": title, "steps": list(steps)}, "plan.yaml")


def kinds(analysis) -> list[tuple[str, str | None]]:
    return [(f.kind.value, f.responsibility) for f in analysis.findings]


def test_merging_pm_and_po_removes_the_conflict_and_reports_a_combined_role(analysis):
    result = what_if(analysis, plan({"merge_roles": {"team": "Search", "people": ["12", "14"], "into": "12"}}))
    assert ("conflicting", "backlog_management") in kinds(result.before)
    assert [(f.kind.value, f.rule) for f in result.diff.fixed] == [("conflicting", "canonical_owner")]
    assert [(f.kind.value, f.people) for f in result.diff.introduced] == [("combined_role", ("12",))]
    pam = result.after.person("12")
    assert {h.responsibility: h.level.value for h in pam.holdings} == {
        "roadmap_prioritization": "A", "backlog_management": "A", "acceptance_criteria": "A"}
    assert result.after.person("5").record.manager_id == "12"  # Otto's report now reports to Pam
    assert result.diff.people_removed == ("14",)
    assert result.applied == ("Merge Pam (12), Otto (14) into Pam (12) in team Search",)
    assert [p.id for p in analysis.people] == ["12", "14", "3", "4", "5"]  # the original is untouched


def test_moving_backlog_ownership_to_the_product_owner(analysis):
    result = what_if(analysis, plan(
        {"move": {"responsibility": "backlog_management", "from": "12", "to": "14", "level": "A", "leave": "C"}}))
    assert [(c.person, c.responsibility, c.before, c.after) for c in result.diff.level_changes] == [
        ("12", "backlog_management", "A", "C")]
    assert ("conflicting", "backlog_management") not in kinds(result.after)
    evidence = result.after.person("12").holding("backlog_management").evidence
    assert evidence[-1] == "What-if step 1: moved to Otto (14)."


def test_split_a_role_into_a_new_position(analysis):
    result = what_if(analysis, plan({"split_role": {
        "person": "14", "responsibilities": ["acceptance_criteria"],
        "new_person": {"id": "99", "name": "New PO", "role": "product_owner"}}}))
    new = result.after.person("99")
    assert (new.record.team, new.record.manager_id, new.record.title) == ("Search", "3", "Product Owner")
    assert [h.responsibility for h in new.holdings] == ["acceptance_criteria"]
    assert result.after.person("14").holding("acceptance_criteria") is None
    assert result.diff.people_added == ("99",)


def test_set_role_set_level_add_remove_and_reassign(analysis):
    result = what_if(analysis, plan(
        {"set_role": {"person": "12", "role": "product_owner", "title": "Product Owner"}},
        {"set_level": {"person": "12", "responsibility": "roadmap_prioritization", "level": "none"}},
        {"add_person": {"id": "20", "name": "Ria", "team": "Search", "manager": "3", "role": "product_manager",
                        "holds": {"roadmap_prioritization": "A"}}},
        {"remove_person": {"person": "5"}},
        {"reassign": {"person": "4", "team": "Platform"}},
    ))
    after = result.after
    assert after.person("12").role.canonical == "product_owner" and after.person("12").record.title == "Product Owner"
    assert after.person("12").holding("roadmap_prioritization") is None
    assert after.person("20").holding("roadmap_prioritization").level.value == "A"
    assert "5" not in {p.id for p in after.people} and after.person("4").record.team == "Platform"
    assert after.person("12").role.from_content is None  # the plan changed the job


def test_outline_problems_are_all_reported_with_their_place():
    with pytest.raises(InputError) as info:
        parse_plan({"plan_version": 2, "steps": [{"mvoe": {}}, {"move": {"from": "1", "too": "2"}}, "merge"]},
                   "plan.yaml")
    where = [(p.where, p.code) for p in info.value.problems]
    assert where == [("plan_version", "unsupported_version"), ("steps[0]", "unknown_action"),
                     ("steps[1].move", "missing"), ("steps[1].move", "missing"), ("steps[1].move.too", "unknown_key"),
                     ("steps[2]", "not_one_action")]
    assert info.value.problems[1].fix == "did you mean 'move'?"
    assert str(info.value).startswith("plan.yaml: invalid what-if plan: plan_version: plan_version 2 is not supported")


def test_problems_against_the_organisation_are_all_reported(analysis):
    bad = plan(
        {"move": {"responsibility": "backlog_managment", "from": "12", "to": "77"}},
        {"move": {"responsibility": "hiring", "from": "12", "to": "14"}},
        {"merge_roles": {"team": "Payments", "people": ["12", "14"], "into": "12"}},
        {"set_role": {"person": "14", "role": "po"}},
        {"set_level": {"person": "14", "responsibility": "hiring", "level": "X"}},
    )
    with pytest.raises(InputError) as info:
        what_if(analysis, bad)
    found = [(p.where, p.code) for p in info.value.problems]
    assert found == [
        ("steps[0].move.responsibility", "unknown_responsibility"), ("steps[0].move.to", "unknown_person"),
        ("steps[1].move.from", "not_held"),
        ("steps[2].merge_roles.team", "wrong_team"), ("steps[2].merge_roles.team", "wrong_team"),
        ("steps[3].set_role.role", "unknown_role"), ("steps[4].set_level.level", "bad_level"),
    ]
    assert info.value.problems[0].fix == "did you mean 'backlog_management'?"


def test_unknown_successor_or_manager_is_reported_and_the_step_is_skipped(analysis):
    bad = plan(
        {"remove_person": {"person": "5", "reports_to": "99"}},
        {"reassign": {"person": "4", "manager": "98"}},
        {"reassign": {"person": "97", "manager": None}},
    )
    with pytest.raises(InputError) as info:
        what_if(analysis, bad)
    assert [(p.where, p.code) for p in info.value.problems] == [
        ("steps[0].remove_person.reports_to", "unknown_person"),
        ("steps[1].reassign.manager", "unknown_person"),
        ("steps[2].reassign.person", "unknown_person"),
    ]


def test_a_person_removed_by_an_earlier_step_is_unknown_later(analysis):
    with pytest.raises(InputError, match="no person with id '14' \\(at this step of the plan\\)"):
        what_if(analysis, plan({"merge_roles": {"people": ["12", "14"], "into": "12"}},
                               {"set_role": {"person": "14", "role": None}}))


def test_load_plan_reports_yaml_errors_and_missing_files(tmp_path):
    broken = tmp_path / "plan.yaml"
    broken.write_text("plan_version: 1\nsteps: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_plan(broken)
    with pytest.raises(InputError, match="plan file not found"):
        load_plan(tmp_path / "missing.yaml")


def test_output_is_deterministic(analysis, tmp_path):
    steps = plan({"merge_roles": {"people": ["12", "14"], "into": "12"}}, title="One product person")
    first, second = what_if(analysis, steps), what_if(analysis, steps)
    assert whatif_dict(first) == whatif_dict(second)
    written = write_whatif(first, tmp_path)
    assert [p.name for p in written] == ["whatif.md", "whatif.json"]
    markdown = written[0].read_text(encoding="utf-8")
    assert markdown.startswith("# What if: One product person\n\n## Plan\n\n1. Merge Pam \\(12\\), Otto \\(14\\) into")
    data = json.loads(written[1].read_text(encoding="utf-8"))
    assert data["plan"]["steps"] == [{"merge_roles": {"people": ["12", "14"], "into": "12"}}]




def test_cli_what_if(tmp_path, capsys, monkeypatch):
    model_file = tmp_path / "tiny.yaml"
    model_file.write_text(TINY_MODEL, encoding="utf-8")
    csv = write_csv(tmp_path, SEARCH_SQUAD_CSV, "acme.csv")
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(textwrap.dedent("""\
        plan_version: 1
        steps:
          - set_level: {person: "2", responsibility: backlog_management, level: C}
        """), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["what-if", str(csv), str(plan_file), "--model", str(model_file)]) == 0
    out = capsys.readouterr().out
    assert "  step 1: Set Bob Roy (2) on backlog_management to C" in out
    data = json.loads((tmp_path / "reports" / "acme-whatif" / "whatif.json").read_text(encoding="utf-8"))
    assert any(f["rule"] == "scrum_master_not_decision_maker" and f["responsibility"] == "backlog_management"
               for f in data["diff"]["findings"]["fixed"])
    plan_file.write_text("plan_version: 1\nsteps:\n  - set_level: {person: '77', responsibility: hiring, level: A}\n",
                         encoding="utf-8")
    assert main(["what-if", str(csv), str(plan_file), "--model", str(model_file), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "steps[0].set_level.person: no person with id '77'" in err
