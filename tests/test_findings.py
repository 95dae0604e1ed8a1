"""Finding rules on tiny literal organisations: each rule positive and negative (analyzer.findings)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
import yaml
from conftest import TINY_MODEL
from hypothesis import given, settings
from hypothesis import strategies as st
from orgs import ENGINEERING, engineer, of_kind, org, person

from analyzer.findings import find_all, finding_key
from analyzer.findings.raci import MAX_CONSULTED
from analyzer.model import parse_model
from analyzer.records import SkippedRow


def healthy_team(team: str = "Search", offset: int = 0, manager: str | None = None) -> list:
    """A delivery team where every rule is satisfied: PM, PO, scrum master, EM and two engineers."""
    em = str(3 + offset)

    def pid(n: int) -> str:
        return str(n + offset)

    return [
        person(pid(1), name=f"Pam {team}", title="Product Manager", team=team, manager=em, role="product_manager",
               holds={"roadmap_prioritization": "A", "backlog_management": "C"}),
        person(pid(2), name=f"Otto {team}", title="Product Owner", team=team, manager=em, role="product_owner",
               holds={"backlog_management": "A", "acceptance_criteria": "A", "roadmap_prioritization": "C"}),
        person(em, name=f"Em {team}", title="Engineering Manager", team=team, manager=manager,
               role="engineering_manager", holds={"technical_delivery": "A", "hiring": "A"}),
        engineer(pid(4), team=team, manager=em, holds={"technical_delivery": "R"}),
        engineer(pid(5), team=team, manager=em, holds={"technical_delivery": "R"}),
        person(pid(6), name=f"Sam {team}", title="Scrum Master", team=team, manager=em, role="scrum_master",
               holds={"scrum_ceremonies": "A"}),
    ]


def with_holds(people: list, pid: str, **levels: str) -> list:
    """The people with ``pid``'s holdings extended or changed."""
    from dataclasses import replace

    from analyzer.records import Holding, Level

    result = []
    for p in people:
        if p.id == pid:
            kept = [h for h in p.holdings if h.responsibility not in levels]
            added = [Holding(resp, Level(level), 0.9, (f"{p.record.name}: {resp}.",)) for resp, level in levels.items()]
            p = replace(p, holdings=tuple(kept + added))
        result.append(p)
    return result


@pytest.fixture(scope="module")
def model():
    return parse_model(yaml.safe_load(TINY_MODEL), "tiny.yaml")


def model_with(**extra):
    data = yaml.safe_load(TINY_MODEL)
    for key, value in extra.items():
        data.setdefault(key, []).extend(value) if isinstance(value, list) else data.__setitem__(key, value)
    return parse_model(data, "tiny.yaml")


def test_a_healthy_team_has_no_findings(model):
    assert org(model, *healthy_team()).findings == []


# -- duplicated ------------------------------------------------------------------------------------

def test_two_accountable_in_one_team_is_duplicated_with_impact_severity(model):
    people = [*healthy_team(), person("7", name="Pia Lund", title="Product Owner", role="product_owner",
                                      manager="3", holds={"backlog_management": "A"})]
    [dup] = of_kind(org(model, *people), "duplicated")
    assert (dup.scope, dup.responsibility, dup.people, dup.severity.value) == ("Search", "backlog_management",
                                                                              ("2", "7"), "high")
    assert dup.explanation == (
        "In team Search, 2 people are accountable for Backlog management: Otto Search (Product Owner) and "
        "Pia Lund (Product Owner). Each responsibility needs exactly one accountable person; with several, "
        "decisions are made twice or not at all.")
    assert "Name one accountable person for Backlog management in team Search" in dup.suggestion
    assert {e.person for e in dup.evidence} == {"2", "7"}


def test_low_impact_duplication_is_low(model):
    people = [*healthy_team(), person("7", name="Sid", title="Agile Coach", role="scrum_master", manager="3",
                                      holds={"scrum_ceremonies": "A"})]
    [dup] = of_kind(org(model, *people), "duplicated")
    assert dup.responsibility == "scrum_ceremonies" and dup.severity.value == "low"


def test_accountable_in_different_teams_is_not_duplicated(model):
    analysis = org(model, *healthy_team("Search"), *healthy_team("Payments", offset=10))
    assert of_kind(analysis, "duplicated") == []


def test_shared_responsibility_rule_allows_two_roles_to_hold_it():
    shared = model_with(rules=[{"id": "shared_backlog", "kind": "shared_responsibility",
                                "roles": ["product_manager", "product_owner"],
                                "responsibilities": ["backlog_management"], "explanation": "Both may."}])
    people = with_holds(healthy_team(), "1", backlog_management="A")
    analysis = org(shared, *people)
    assert of_kind(analysis, "duplicated") == [] and of_kind(analysis, "conflicting") == []


# -- conflicting -----------------------------------------------------------------------------------

def test_scrum_master_deciding_priorities_breaks_the_model_rule(model):
    people = with_holds(healthy_team(), "6", roadmap_prioritization="A")
    found = of_kind(org(model, *people), "conflicting", "scrum_master_not_decision_maker")
    assert [(f.people, f.responsibility, f.severity.value) for f in found] == [(("6",), "roadmap_prioritization",
                                                                               "high")]


def test_accountability_taken_from_the_owner_role_present_in_the_team(model):
    people = with_holds(healthy_team(), "1", acceptance_criteria="A")
    [conflict] = of_kind(org(model, *people), "conflicting", "canonical_owner")
    assert conflict.people == ("1", "2") and conflict.responsibility == "acceptance_criteria"
    assert conflict.explanation.startswith("Pam Search (Product Manager) is accountable for Acceptance criteria, "
                                           "which the role model gives to the Product Owner")


def test_holding_a_responsibility_of_an_absent_role_is_not_a_conflict(model):
    people = [p for p in with_holds(healthy_team(), "1", acceptance_criteria="A", backlog_management="A")
              if p.id != "2"]
    assert of_kind(org(model, *people), "conflicting") == []


# -- dropped ---------------------------------------------------------------------------------------

def test_delivery_team_without_technical_delivery_drops_it(model):
    people = [p for p in healthy_team() if p.id != "3"]
    people = [with_holds([p], p.id, technical_delivery="C")[0] if p.id in ("4", "5") else p for p in people]
    found = of_kind(org(model, *people), "dropped", "expected_in_delivery_team")
    assert [(f.scope, f.responsibility, f.severity.value) for f in found] == [("Search", "technical_delivery", "high")]
    assert found[0].explanation == ("Team Search has engineers but nobody in it is accountable or responsible for "
                                    "Technical delivery.")


def test_hiring_up_the_management_chain_covers_a_team(model):
    team = with_holds(healthy_team(manager="20"), "3", hiring="C")
    boss = person("20", name="Vic Head", title="Engineering Manager", team="Leadership", role="engineering_manager",
                  holds={"hiring": "A"})
    assert of_kind(org(model, *team, boss), "dropped") == []
    found = of_kind(org(model, *team), "dropped", "expected_in_management_chain")
    assert [f.people for f in found] == [("4", "5")]


def test_organisation_expectation_missing_everywhere(model):
    people = with_holds(healthy_team(), "1", roadmap_prioritization="C")
    found = of_kind(org(model, *people), "dropped", "expected_in_organisation")
    assert [(f.scope, f.responsibility) for f in found] == [("org", "roadmap_prioritization")]


# -- unowned (R without A) -------------------------------------------------------------------------

def test_expected_work_done_without_anyone_accountable_is_unowned(model):
    people = with_holds(healthy_team(), "3", technical_delivery="C")  # the engineers deliver, nobody owns it
    [found] = of_kind(org(model, *people), "unowned")
    assert (found.scope, found.responsibility, found.people, found.severity.value) == (
        "Search", "technical_delivery", ("4", "5"), "high")
    assert found.explanation == (
        "In team Search, Person 4 (Software Engineer) and Person 5 (Software Engineer) do the work of Technical "
        "delivery, but nobody in the team or up their management chain is accountable for it. The role model "
        "expects someone to be accountable for it here.")
    assert "the role model gives it to the Engineering Manager" in found.suggestion
    assert of_kind(org(model, *people), "dropped") == []


def test_other_unowned_work_needs_two_doers_and_is_low(model):
    one = with_holds(with_holds(healthy_team(), "4", acceptance_criteria="R"), "2", acceptance_criteria="C")
    assert of_kind(org(model, *one), "unowned") == []
    two = with_holds(one, "5", acceptance_criteria="R")
    [found] = of_kind(org(model, *two), "unowned")
    assert (found.responsibility, found.people, found.severity.value) == ("acceptance_criteria", ("4", "5"), "low")


def test_accountable_manager_up_the_chain_owns_the_work(model):
    people = with_holds(healthy_team(), "4", acceptance_criteria="R")
    people = with_holds(with_holds(people, "5", acceptance_criteria="R"), "2", acceptance_criteria="C")
    people = with_holds(people, "3", acceptance_criteria="A")  # the engineers' manager
    assert of_kind(org(model, *people), "unowned") == []


def test_organisation_level_work_is_owned_by_anyone_accountable_in_the_organisation(model):
    search = with_holds(healthy_team("Search"), "1", roadmap_prioritization="R")
    analysis = org(model, *search, *healthy_team("Payments", offset=10))
    assert of_kind(analysis, "unowned") == []
    alone = org(model, *search)
    assert [f.responsibility for f in of_kind(alone, "unowned")] == ["roadmap_prioritization"]


# -- unstaffed (approval only, nobody does the work) -----------------------------------------------

def test_approval_only_with_nobody_doing_the_work_is_unstaffed(model):
    people = with_holds(healthy_team(), "3", hiring=("A"))
    people = [person("3", name="Em Search", title="Engineering Manager", role="engineering_manager",
                     holds={"technical_delivery": "A", "hiring": ("A", "Approve all hiring decisions.")})
              if p.id == "3" else p for p in people]
    [found] = of_kind(org(model, *people), "unstaffed")
    assert (found.people, found.responsibility, found.severity.value) == (("3",), "hiring", "low")
    assert found.explanation.startswith("Em Search (Engineering Manager) approves Hiring in team Search, but nobody")


def test_doing_wording_or_a_doer_means_not_unstaffed(model):
    doing = [person("3", name="Em", title="Engineering Manager", role="engineering_manager",
                    holds={"technical_delivery": "A", "hiring": ("A", "Hire engineers for the team.")})
             if p.id == "3" else p for p in healthy_team()]
    assert of_kind(org(model, *doing), "unstaffed") == []
    approving = [person("3", name="Em", title="Engineering Manager", role="engineering_manager",
                        holds={"technical_delivery": "A", "hiring": ("A", "Approve all hiring decisions.")})
                 if p.id == "3" else p for p in healthy_team()]
    with_recruiter = with_holds(approving, "4", hiring="R")
    assert of_kind(org(model, *with_recruiter), "unstaffed") == []


# -- too many consulted ----------------------------------------------------------------------------

def test_more_than_the_maximum_consulted_is_a_finding(model):
    extra = [engineer(str(n), manager="3", holds={"roadmap_prioritization": "C"})
             for n in range(10, 10 + MAX_CONSULTED)]
    analysis = org(model, *healthy_team(), *extra)  # the PO is consulted too: MAX_CONSULTED + 1
    [found] = of_kind(analysis, "too_many_consulted")
    assert found.responsibility == "roadmap_prioritization" and len(found.people) == MAX_CONSULTED + 1
    assert dict(found.metrics) == {"consulted": MAX_CONSULTED + 1.0}
    fewer = org(model, *healthy_team(), *extra[:-1])
    assert of_kind(fewer, "too_many_consulted") == []


# -- overloaded ------------------------------------------------------------------------------------

def test_one_person_accountable_for_most_of_the_scope_is_overloaded(model):
    boss = person("1", name="Bo Boss", title="Head of Product", role="product_manager",
                  holds={r: "A" for r in ("roadmap_prioritization", "backlog_management", "acceptance_criteria",
                                          "hiring", "technical_delivery")})
    others = [engineer("4", manager="1", holds={"technical_delivery": "R"}), engineer("5", manager="1")]
    [found] = of_kind(org(model, boss, *others), "overloaded")
    assert found.people == ("1",) and found.severity.value == "medium"
    assert "accountable for 5 of the 5 responsibilities" in found.explanation
    assert found.suggestion.startswith("Delegate accountability: Backlog management to a Product Owner")


def test_legitimate_bundle_or_tiny_scope_is_not_overloaded(model):
    four = person("1", name="Bo", title="Product Manager", role="product_manager",
                  holds={r: "A" for r in ("roadmap_prioritization", "backlog_management", "acceptance_criteria",
                                          "hiring")})
    others = [engineer("4", manager="1"), engineer("5", manager="1")]
    assert of_kind(org(model, four, *others), "overloaded") == []
    five = with_holds([four], "1", technical_delivery="A")
    assert of_kind(org(model, *five, others[0]), "overloaded") == []  # a scope of two people


# -- accountability without authority --------------------------------------------------------------

def test_doer_reporting_to_another_manager_is_an_authority_gap(model):
    people = [*healthy_team(), person("7", name="Gus Other", title="Engineering Manager", team="Platform",
                                      role="engineering_manager", holds={"technical_delivery": "A"})]
    people = [engineer("5", manager="7", holds={"technical_delivery": "R"}) if p.id == "5" else p for p in people]
    [gap] = of_kind(org(model, *people), "authority_gap")
    assert (gap.scope, gap.responsibility, gap.people, gap.severity.value) == ("Search", "technical_delivery",
                                                                              ("3", "5"), "medium")
    assert gap.explanation == (
        "Em Search (Engineering Manager) is accountable for Technical delivery in team Search, but Person 5 "
        "(Software Engineer) does the work but sits outside Em Search's reporting line (they report to Gus Other "
        "(Engineering Manager)). Without line authority, Em Search can only persuade: when priorities clash, "
        "people follow their own manager.")


def test_doer_who_is_the_accountable_persons_manager_is_an_authority_gap(model):
    people = with_holds(healthy_team(), "3", backlog_management="R")  # the PO reports to the EM who does it
    [gap] = of_kind(org(model, *people), "authority_gap")
    assert gap.people == ("2", "3") and gap.severity.value == "low"  # a product responsibility: led by influence
    assert "who also does the work, is Otto Search's own manager" in gap.explanation


def test_product_peers_outside_the_line_are_normal(model):
    people = with_holds(healthy_team(), "2", roadmap_prioritization="R")  # the PO helps; both report to the EM
    assert of_kind(org(model, *people), "authority_gap") == []


def test_no_manager_data_or_unknown_chain_means_no_authority_gap(model):
    people = [engineer("5", manager="99", holds={"technical_delivery": "R"}) if p.id == "5" else p
              for p in healthy_team()]
    assert of_kind(org(model, *people), "authority_gap") == []  # 99 is not in the export: chain unknown
    flat = [person(p.id, name=p.record.name, title=p.record.title, role=p.role.canonical, family=p.role.family,
                   holds={h.responsibility: h.level.value for h in p.holdings}) for p in people]
    assert of_kind(org(model, *flat), "authority_gap") == []


# -- orphaned --------------------------------------------------------------------------------------

def test_responsibilities_held_only_by_a_vacancy_are_orphaned(model):
    people = [person("2", name="TBH", title="Product Owner", manager="3", role="product_owner",
                     holds={"backlog_management": "A", "acceptance_criteria": "A"}) if p.id == "2" else p
              for p in healthy_team()]
    [found] = of_kind(org(model, *people), "orphaned")
    assert (found.rule, found.people, found.responsibility, found.severity.value) == ("vacant_holder", ("2",), None,
                                                                                      "high")
    assert found.explanation == ("In team Search, Backlog management, Acceptance criteria are held only by TBH "
                                 "(Product Owner, vacant position). Until the position is filled, nobody owns them.")
    assert of_kind(org(model, *people), "dropped") == []


def test_departed_accountable_with_active_doer_is_orphaned_but_active_holder_is_not(model):
    people = [person("2", name="Jo Doe (left)", title="Product Owner", manager="3", role="product_owner",
                     holds={"backlog_management": "A", "acceptance_criteria": "A"}) if p.id == "2" else p
              for p in with_holds(healthy_team(), "1", acceptance_criteria="R")]
    [found] = of_kind(org(model, *people), "orphaned")
    assert "departed" in found.explanation and "Until someone takes over" in found.explanation
    assert of_kind(org(model, *healthy_team()), "orphaned") == []


def test_engineers_whose_manager_row_was_skipped_are_orphaned_not_dropped(model):
    people = [p for p in healthy_team() if p.id != "3"]
    people = [engineer(p.id, manager="3", holds={"technical_delivery": "A"}) if p.id == "4" else p for p in people]
    skipped = (SkippedRow(3, "3", "no job title and no job description"),)
    analysis = org(model, *people, skipped=skipped)
    [found] = of_kind(analysis, "orphaned", "skipped_manager")
    assert found.people == ("4", "5") and found.responsibility == "hiring"
    assert "input row 3 (id 3), which was skipped (no job title and no job description)" in found.explanation
    assert of_kind(analysis, "dropped", "expected_in_management_chain") == []
    assert of_kind(org(model, *people), "dropped", "expected_in_management_chain")  # without the skipped row


def test_skipped_row_with_a_title_explains_what_would_be_dropped(model):
    people = [p for p in healthy_team() if p.id != "2"]
    row = SimpleNamespace(row=2, id="2", reason="duplicate id '2'", title="Product Owner", team="Search")
    analysis = org(model, *people, skipped=(row,))
    [found] = of_kind(analysis, "orphaned", "skipped_holder")
    assert found.scope == "Search" and "Backlog management, Acceptance criteria" in found.explanation
    assert of_kind(analysis, "dropped") == []
    assert [f.responsibility for f in of_kind(org(model, *people), "dropped")] == ["backlog_management"]


# -- titles ----------------------------------------------------------------------------------------

def test_same_title_for_different_jobs_is_inconsistent(model):
    a = person("1", name="Ann", title="Product Manager", team="Search", role="product_manager",
               holds={"roadmap_prioritization": "A", "scrum_ceremonies": "R"})
    b = person("2", name="Bob", title="Senior Product Manager, Payments", team="Payments", role="product_manager",
               holds={"backlog_management": "A", "acceptance_criteria": "A"})
    [found] = of_kind(org(model, a, b), "title_inconsistency")
    assert (found.scope, found.people, found.severity.value) == ("org", ("1", "2"), "low")
    assert found.explanation.startswith("Two people have the title 'product manager' but do materially different "
                                        "jobs: they share 0% of what they own or do.")
    similar = person("2", name="Bob", title="Product Manager", team="Payments", role="product_manager",
                     holds={"roadmap_prioritization": "A", "scrum_ceremonies": "R", "backlog_management": "C"})
    assert of_kind(org(model, a, similar), "title_inconsistency") == []


def test_title_outlier_against_the_majority(model):
    core = {"roadmap_prioritization": "A", "backlog_management": "R"}
    people = [person(str(n), name=f"P{n}", title="Product Manager", team=f"T{n}", role="product_manager",
                     holds=core) for n in range(1, 4)]
    people.append(person("4", name="Odd", title="Product Manager", team="T4", role="product_manager",
                         holds={"hiring": "A", "technical_delivery": "A"}))
    [found] = of_kind(org(model, *people), "title_inconsistency")
    assert found.people == ("4",)
    assert "Most of them hold Roadmap prioritisation, Backlog management" in found.explanation


def test_title_saying_one_role_and_content_another_is_ambiguous(model):
    from dataclasses import replace

    def reading(share: float):
        po = person("2", name="Otto", title="Product Owner", manager="3", role="product_owner",
                    holds={"roadmap_prioritization": "A"})
        return replace(po, role=replace(po.role, from_content="product_manager",
                                        content_scores=(("product_manager", share),)))

    people = [p for p in healthy_team() if p.id not in ("1", "2")]
    [found] = of_kind(org(model, reading(0.7), *people), "ambiguous_title")
    assert (found.people, found.severity.value, found.rule) == (("2",), "medium", "title_matches_content")
    assert found.explanation == ("Otto (Product Owner) has the title of a Product Owner, but the job description "
                                 "reads as a Product Manager (70% of the mapped duties point there).")
    assert of_kind(org(model, reading(0.3), *people), "ambiguous_title") == []


def test_a_product_title_over_another_job_is_an_ambiguous_title(model):
    from dataclasses import replace

    def reading(family, from_title="product_manager"):
        pm = person("1", name="Omar", title="Product Manager", manager="3", role="product_manager",
                    holds={"roadmap_prioritization": "C"})
        return replace(pm, role=replace(pm.role, from_title=from_title, content_family=family,
                                        content_family_evidence=("Write services in Go.", "Review pull requests.",
                                                                 "Fix bugs.")))

    people = [p for p in healthy_team() if p.id != "1"]
    [found] = of_kind(org(model, reading("software_engineering"), *people), "ambiguous_title")
    assert (found.people, found.severity.value, found.rule) == (("1",), "medium", "title_matches_content")
    assert found.explanation == ("Omar (Product Manager) has the title of a Product Manager, but the job description "
                                 "reads as a job in software engineering rather than any product role: read as a "
                                 "whole, it is closer to that job than to a Product Manager's.")
    assert [e.text for e in found.evidence] == ["Write services in Go.", "Review pull requests."]
    assert of_kind(org(model, reading(None), *people), "ambiguous_title") == []
    # A title that names no single role (a "Product Analyst" could be a PM or a PO) contradicts nothing.
    assert of_kind(org(model, reading("software_engineering", from_title=None), *people),
                   "ambiguous_title") == []


def test_a_role_read_as_the_discipline_it_branches_from_is_a_low_ambiguous_title(default_model):
    # A program manager is a project manager of several related projects (the model's branch_of): a description
    # that reads as project management says too little of the role's own work, which is less than a wrong title.
    from dataclasses import replace

    pgm = person("1", name="Pia", title="Program Manager", manager="3", role="program_manager",
                 holds={"program_status_reporting": "A"})
    pgm = replace(pgm, role=replace(pgm.role, from_title="program_manager", content_family="project_management",
                                    content_family_evidence=("Manage the project schedule.",)))
    people = [p for p in healthy_team() if p.id != "1"]
    [found] = of_kind(org(default_model, pgm, *people), "ambiguous_title")
    assert (found.people, found.severity.value, found.rule) == (("1",), "low", "title_matches_content")
    assert found.explanation == ("Pia (Program Manager) has the title of a Program Manager, but the job description "
                                 "reads as a job in project management, the discipline that role is a branch of, "
                                 "and says too little of the role's own work (cross-team dependency coordination) "
                                 "to tell it apart.")
    assert [e.text for e in found.evidence] == ["Manage the project schedule."]
    # Another family is as before: a program manager's title over a software engineer's job.
    other = replace(pgm, role=replace(pgm.role, content_family="software_engineering"))
    [found] = of_kind(org(default_model, other, *people), "ambiguous_title")
    assert found.severity.value == "medium"


def test_forbidden_accountability_rule_can_report_an_ambiguous_title():
    lead_rule = model_with(rules=[{"id": "pm_is_not_a_people_manager", "kind": "forbidden_accountability",
                                   "roles": ["product_manager"], "responsibilities": ["hiring"],
                                   "finding": "ambiguous_title", "severity": "medium",
                                   "explanation": "A product manager is an individual contributor."}])
    hiring_pm = with_holds(healthy_team(), "1", hiring="A")
    found = of_kind(org(lead_rule, *hiring_pm), "ambiguous_title", "pm_is_not_a_people_manager")
    assert [(f.people, f.responsibility) for f in found] == [(("1",), "hiring")]
    assert of_kind(org(lead_rule, *healthy_team()), "ambiguous_title") == []
    # A title that says it leads people (Head of ..., Director ...) hides no people-manager job.
    from dataclasses import replace
    head = [replace(p, role=replace(p.role, people_lead=True)) if p.id == "1" else p for p in hiring_pm]
    assert of_kind(org(lead_rule, *head), "ambiguous_title", "pm_is_not_a_people_manager") == []


def test_combined_product_manager_and_owner_is_information(model):
    people = [p for p in healthy_team() if p.id != "2"]
    people = with_holds(people, "1", backlog_management="A", acceptance_criteria="A")
    [found] = of_kind(org(model, *people), "combined_role")
    assert found.people == ("1",) and found.severity.value == "info"


# -- overlap ---------------------------------------------------------------------------------------

def _varied_org(model, same_team: bool):
    """Ten people in five teams with mostly different jobs, and two near-identical jobs."""
    resps = ["roadmap_prioritization", "backlog_management", "acceptance_criteria", "scrum_ceremonies", "hiring",
             "technical_delivery"]
    pairs = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (0, 3), (1, 4), (2, 5), (3, 0)]
    people = [person(str(n), name=f"P{n}", title=f"Job {n}", team=f"T{n % 5}", holds={resps[a]: "A", resps[c]: "C"})
              for n, (a, c) in enumerate(pairs, start=1)]
    twin = {"roadmap_prioritization": "A", "backlog_management": "A", "acceptance_criteria": "R"}
    people.append(person("21", name="Twin One", title="Product Lead", team="Search", holds=twin))
    people.append(person("22", name="Twin Two", title="Product Owner", team="Search" if same_team else "Other",
                         holds={**twin, "acceptance_criteria": "A"}))
    return org(model, *people)


def test_near_identical_jobs_in_one_team_overlap_significantly(model):
    [found] = of_kind(_varied_org(model, same_team=True), "overlap")
    metrics = dict(found.metrics)
    assert found.people == ("21", "22") and found.scope == "Search"
    assert metrics["overlap"] == pytest.approx(2.75 / 3.0, abs=1e-4) and metrics["p_value"] < 0.05
    assert found.severity.value == "medium"
    assert "Both are accountable for Roadmap prioritisation, Backlog management." in found.explanation


def test_two_people_on_one_job_description_are_not_an_overlap(model):
    analysis = _varied_org(model, same_team=True)
    twins = [dataclasses.replace(p, record=dataclasses.replace(p.record, text="One shared job description."))
             if p.id in ("21", "22") else p for p in analysis.people]
    assert of_kind(org(model, *twins), "overlap") == []


def test_jobs_in_different_teams_are_not_compared(model):
    assert of_kind(_varied_org(model, same_team=False), "overlap") == []


# -- determinism -----------------------------------------------------------------------------------

def test_findings_are_sorted_unique_and_deterministic(model):
    people = with_holds(healthy_team() + healthy_team("Payments", offset=10), "6", roadmap_prioritization="A")
    people = with_holds(people, "16", backlog_management="A")
    first = org(model, *people)
    second = org(model, *reversed(people))
    assert first.findings == second.findings
    assert first.findings == sorted(first.findings, key=lambda f: f.sort_key())
    assert len({finding_key(f) for f in first.findings}) == len(first.findings)
    assert find_all(first.graph, model, first.people) == first.findings


# -- arbitrary organisations -----------------------------------------------------------------------

ROLES = [None, "product_manager", "product_owner", "scrum_master", "engineering_manager"]
RESPONSIBILITIES = ["roadmap_prioritization", "backlog_management", "acceptance_criteria", "scrum_ceremonies",
                    "hiring", "technical_delivery"]
someone = st.tuples(
    st.sampled_from(["Ann", "TBH", "", "Jo (left)"]), st.sampled_from(["Product Manager", "Engineer", ""]),
    st.sampled_from(["Search", "Pay", None]), st.one_of(st.none(), st.integers(1, 9).map(str)),
    st.sampled_from(ROLES), st.booleans(),
    st.dictionaries(st.sampled_from(RESPONSIBILITIES), st.sampled_from("ARCI")),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(someone, min_size=1, max_size=9), st.lists(st.integers(1, 12), max_size=3))
def test_any_organisation_gives_sorted_deterministic_findings(model, rows, skipped_ids):
    people = [person(str(n), name=name, title=title, team=team, manager=manager, role=role,
                     family=ENGINEERING if engineer_family else None, holds=holds)
              for n, (name, title, team, manager, role, engineer_family, holds) in enumerate(rows, start=1)]
    skipped = tuple(SkippedRow(row, str(row), "no job title and no job description")
                    for row in sorted(set(skipped_ids)))
    analysis = org(model, *people, skipped=skipped)
    ids = {p.id for p in people}
    assert analysis.findings == sorted(analysis.findings, key=lambda f: f.sort_key())
    assert find_all(analysis.graph, model, analysis.people, skipped) == analysis.findings
    for found in analysis.findings:
        assert set(found.people) <= ids and found.explanation.endswith(".") and found.suggestion
        assert found.responsibility is None or found.responsibility in model.responsibility_ids
