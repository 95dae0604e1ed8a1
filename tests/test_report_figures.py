"""Heatmaps, team graphs and the views behind them; every output file byte-identical across runs."""

from __future__ import annotations

import io

import numpy as np
import pytest
from conftest import write_csv
from orgs import engineer, org, person
from PIL import Image

from analyzer.graph import build_graph
from analyzer.overlap import overlap
from analyzer.pipeline import analyze
from analyzer.report import DEFAULT_FORMATS, write_reports
from analyzer.report.coverage import team_coverage
from analyzer.report.figures import build_figures, file_slug
from analyzer.report.graph_drawing import layered_positions, team_subgraph, teams_to_draw
from analyzer.report.similarity import cluster_order, person_overlap, weighted_jaccard

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def squads(tiny_model):
    """Two squads: Search is complete with two POs (duplicated); Payments has engineers and no PO (dropped)."""
    return org(
        tiny_model,
        person("1", name="Ann", team="Search", role="product_owner",
               holds={"backlog_management": "A", "acceptance_criteria": "A"}),
        person("2", name="Bo", team="Search", role="product_owner",
               holds={"backlog_management": "A", "acceptance_criteria": "R"}),
        person("3", name="Cy", team="Search", role="engineering_manager",
               holds={"hiring": "A", "technical_delivery": "A"}),
        engineer("4", team="Search", manager="3"),
        person("5", name="Di", team="Payments", role="product_manager", holds={"roadmap_prioritization": "A"}),
        engineer("6", team="Payments", manager="3"),
        person("7", name="Ed", team="Payments", role="engineering_manager",
               holds={"hiring": "A", "technical_delivery": "R"}),
    )


def _png_ok(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    assert b"Software" not in data and b"matplotlib" not in data  # no version stamps: stable bytes
    image = Image.open(io.BytesIO(data)).convert("L")
    pixels = np.asarray(image)
    assert pixels.min() < 100 and (pixels < 245).mean() > 0.02  # something is drawn
    return image


def test_build_figures_draws_three_heatmaps_and_a_graph_per_team(squads):
    figures = build_figures(squads)
    assert [f.key for f in figures] == ["role-coverage", "team-coverage", "person-overlap", "team-1", "team-2"]
    assert [f.filename for f in figures[3:]] == ["team_graphs/01-payments.png", "team_graphs/02-search.png"]
    for figure in figures:
        _png_ok(figure.png)
        assert figure.caption and figure.title


def test_figures_are_byte_identical_across_runs(squads):
    assert [f.png for f in build_figures(squads)] == [f.png for f in build_figures(squads)]


def test_team_coverage_marks_dropped_and_duplicated_cells(squads):
    coverage = team_coverage(squads)
    assert coverage.scopes == ("org", "Payments", "Search")
    assert ("Payments", "backlog_management") in coverage.dropped
    assert ("Search", "backlog_management") in coverage.duplicated
    row = coverage.responsibilities.index("backlog_management")
    assert coverage.levels[row] == ("A", "", "A")
    assert coverage.accountable[row] == (2, 0, 2)


def test_team_coverage_caps_columns_keeping_teams_with_findings(tiny_model):
    people = [engineer(str(n), team=f"Team {n:02d}") for n in range(1, 6)]
    people.append(person("9", team="Team 09", role="product_owner", holds={"backlog_management": "A"}))
    analysis = org(tiny_model, *people)
    coverage = team_coverage(analysis, max_scopes=2)
    assert coverage.hidden_scopes == 4
    assert len(coverage.scopes) == 3 and "Team 09" not in coverage.scopes  # Team 09 has no dropped work


def test_weighted_jaccard_matches_analyzer_overlap(squads):
    view = person_overlap(squads)
    G = build_graph(squads, squads.model)
    index = {pid: n for n, pid in enumerate(view.ids)}
    for a, b in (("1", "2"), ("3", "7"), ("1", "5")):
        assert view.values[index[a], index[b]] == pytest.approx(overlap(G, a, b), abs=1e-4)


def test_clustering_puts_overlapping_people_next_to_each_other():
    vectors = np.array([[1, 0, 0, 1.0], [0, 1, 1, 0], [1, 0, 0, 0.75], [0, 1, 0.75, 0], [1, 0, 0, 1.0]])
    order = cluster_order(weighted_jaccard(vectors))
    groups = [0 if i in (0, 2, 4) else 1 for i in order]
    assert groups in ([0, 0, 0, 1, 1], [1, 1, 0, 0, 0])


def test_person_overlap_caps_the_number_of_people(tiny_model):
    people = [person(str(n), team=f"T{n % 3}", role="product_owner",
                     holds={"backlog_management": "A", "acceptance_criteria": "AR"[n % 2]}) for n in range(1, 46)]
    people.append(engineer("99", team="T0"))
    view = person_overlap(org(tiny_model, *people), cap=40)
    assert len(view.ids) == 40 and view.capped and view.considered == 45 and view.without_holdings == 1
    assert "99" not in view.ids
    assert np.allclose(view.values, view.values.T)


def test_capped_overlap_keeps_people_sharing_much_work_over_identical_small_jobs(tiny_model):
    owners = [person(str(n), team="Search", role="product_owner",
                     holds={"backlog_management": "A", "acceptance_criteria": "A", "roadmap_prioritization": level})
              for n, level in (("1", "R"), ("2", "C"), ("3", "I"))]
    others = [person(str(n), team="Search", role="product_manager", holds={"hiring": "I"}) for n in range(10, 16)]
    view = person_overlap(org(tiny_model, *owners, *others), cap=4)
    assert set(view.ids) >= {"1", "2", "3"}  # their overlap ratio is below the others' 100%


def test_overlap_leaves_out_people_outside_product_roles_unless_accountable(tiny_model):
    view = person_overlap(org(
        tiny_model,
        person("1", role="product_owner", holds={"backlog_management": "A"}),
        person("2", role="product_owner", holds={"backlog_management": "R"}),
        engineer("3", holds={"technical_delivery": "R"}),
        engineer("4", holds={"backlog_management": "A"}),
    ))
    assert sorted(view.ids) == ["1", "2", "4"] and view.without_holdings == 1


def test_overlap_caption_says_when_the_heatmap_is_capped(tiny_model):
    people = [person(str(n), role="product_owner", holds={"backlog_management": "A"}) for n in range(1, 8)]
    figures = build_figures(org(tiny_model, *people), max_people=5)
    caption = next(f.caption for f in figures if f.key == "person-overlap")
    assert "Showing the 5 people who share the most work with someone, out of 7" in caption


def test_team_graphs_are_capped_keeping_teams_with_severe_findings(tiny_model):
    people = [person(str(n), team=f"Team {n}", role="product_owner", holds={"backlog_management": "A"})
              for n in range(1, 6)]
    people.append(engineer("9", team="Team 9"))  # dropped work: a high finding in Team 9
    scopes, hidden = teams_to_draw(org(tiny_model, *people), max_teams=2)
    assert hidden == 4 and "Team 9" in scopes


def test_team_graph_layout_is_layered_and_reduces_crossings(squads):
    H = team_subgraph(squads, "Search")
    pos = layered_positions(H, list(squads.model.responsibility_ids))
    people = [node for node in H if node.startswith("p:")]
    assert people == ["p:1", "p:2", "p:3"]  # roles in model order, engineers (no A/R) left out
    assert {x for x, _ in (pos[p] for p in people)} == {-0.5}
    assert pos["r:hiring"][1] < pos["r:backlog_management"][1]  # the EM's work sits below the POs' work
    assert H.nodes["r:backlog_management"].get("duplicated")
    dropped = team_subgraph(squads, "Payments")
    assert dropped.nodes["r:backlog_management"].get("dropped")


def test_file_slug_is_safe_for_any_team_name():
    assert file_slug("../../etc/passwd") == "etc-passwd"
    assert file_slug("<script>") == "script"
    assert file_slug("日本") == "team"


ORG_CSV = """\
Employee ID,Name,Job Title,Team,Manager ID,Job Description
1,Ann <b>Lee</b>,Product Owner,Search,4,"- Own and order the product backlog
- Define acceptance criteria for stories"
2,Bob Roy,Scrum Master,Search,4,"- Facilitate stand-ups and retrospectives
- Own the product backlog and decide priorities"
3,=Cy Dow,Software Engineer,Search,4,- Write and test production code
4,Dee Fox,Engineering Manager,Search,,"- Hire engineers and run interviews
- Be accountable for code quality"
5,Eve Ng,Product Manager,Payments,,"- Own the product roadmap and decide what to build next"
6,Finn Orr,Software Engineer,Payments,5,- Build and maintain backend APIs
"""


def test_every_output_file_is_byte_identical_across_runs(tmp_path, tiny_model):
    analysis = analyze(write_csv(tmp_path, ORG_CSV), model=tiny_model)
    first = write_reports(analysis, tmp_path / "one", DEFAULT_FORMATS)
    second = write_reports(analyze(write_csv(tmp_path, ORG_CSV), model=tiny_model), tmp_path / "two",
                           DEFAULT_FORMATS)
    names = sorted(path.relative_to(tmp_path / "one").as_posix() for path in first)
    assert names == sorted(path.relative_to(tmp_path / "two").as_posix() for path in second)
    assert {"report.html", "report.md", "report.json", "responsibility_matrix.csv", "responsibility_matrix.xlsx",
            "heatmap_role_coverage.png", "heatmap_team_coverage.png", "heatmap_person_overlap.png"} <= set(names)
    assert any(name.startswith("team_graphs/") for name in names)
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_an_organisation_with_nobody_analysed_still_gets_every_report(tiny_model, tmp_path):
    from analyzer.records import SkippedRow

    analysis = org(tiny_model, skipped=(SkippedRow(1, None, "no title and no description"),))
    written = write_reports(analysis, tmp_path, DEFAULT_FORMATS)
    names = {path.name for path in written}
    assert {"report.html", "report.md", "report.json", "responsibility_matrix.xlsx",
            "heatmap_role_coverage.png", "heatmap_team_coverage.png"} <= names
    assert "heatmap_person_overlap.png" not in names  # nobody to compare
    assert "no title and no description" in (tmp_path / "report.html").read_text(encoding="utf-8")
