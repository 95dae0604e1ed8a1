"""All figures of a report, drawn once and shared by the HTML (inline) and the PNG files on disk."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from analyzer.records import Analysis

if TYPE_CHECKING:
    from analyzer.report.graph_drawing import TeamIndex

Progress = Callable[[str], None]
TEAM_GRAPH_FOLDER = "team_graphs"


@dataclass(frozen=True)
class Figure:
    """One PNG figure with the words that go around it."""

    key: str  # stable id, also the HTML anchor ("role-coverage", "team-3")
    filename: str  # path inside the report folder
    title: str
    caption: str
    png: bytes
    group: str  # "heatmap" or "team"
    scope: str = ""  # the team, for team graphs


def file_slug(text: str, limit: int = 40) -> str:
    """An ASCII, lowercase file-name piece from user text (team names can hold anything).

    Examples
    --------
    >>> file_slug("Café / Payments <EU>")
    'cafe-payments-eu'
    >>> file_slug("../../etc")
    'etc'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].strip("-") or "team"


def build_figures(analysis: Analysis, progress: Progress | None = None, *, max_people: int | None = None,
                  max_teams: int | None = None) -> list[Figure]:
    """Draw every heatmap and team graph of ``analysis`` (deterministic PNG bytes), in report order."""
    say = once(progress)
    return [figure for job in figure_jobs(analysis, max_people=max_people, max_teams=max_teams)
            for figure in job(say)]


FigureJob = Callable[[Progress], list[Figure]]


def figure_jobs(analysis: Analysis, *, max_people: int | None = None, max_teams: int | None = None
                ) -> list[FigureJob]:
    """The drawing of the figures as independent jobs: each returns its figures, the jobs in report order.

    :func:`analyzer.report.write_reports` runs them in two processes; joined in this order they are
    :func:`build_figures`. Whatever a job needs from the whole organisation (the members and findings of
    the teams drawn) is gathered here, once, so no job scans every person again.
    """
    from analyzer.report.graph_drawing import DEFAULT_MAX_TEAMS, team_index, teams_to_draw

    jobs: list[FigureJob] = [partial(_role_coverage, analysis), partial(_team_coverage, analysis),
                             partial(_person_overlap, analysis, max_people)]
    scopes, hidden = teams_to_draw(analysis, max_teams or DEFAULT_MAX_TEAMS)
    index = team_index(analysis, scopes)
    jobs += [partial(_team_graph, analysis, index, scope, number, hidden if number == len(scopes) else 0)
             for number, scope in enumerate(scopes, start=1)]
    return jobs


def once(progress: Progress | None) -> Progress:
    """``progress`` without repeats: a message equal to the one before is dropped (one per team graph)."""
    last: list[str] = []

    def say(message: str) -> None:
        if progress is not None and last != [message]:
            last[:] = [message]
            progress(message)

    return say


def _role_coverage(analysis: Analysis, say: Progress) -> list[Figure]:
    from analyzer.report.heatmaps import role_coverage_png

    say("drawing the role coverage heatmap")
    return [Figure(
        "role-coverage", "heatmap_role_coverage.png", "Who does what, by role",
        "Each cell shows how many people of a role do a responsibility (accountable or responsible). "
        "The orange frame marks the role the model makes accountable: a pale framed cell is work its "
        "owner does not do; a dark cell outside the frame is work another role has taken on.",
        role_coverage_png(analysis), "heatmap")]


def _team_coverage(analysis: Analysis, say: Progress) -> list[Figure]:
    from analyzer.report.coverage import team_coverage
    from analyzer.report.heatmaps import team_coverage_png

    say("drawing the team coverage heatmap")
    coverage = team_coverage(analysis)
    hidden = (f" {coverage.hidden_scopes} teams with fewer findings are not shown; the full matrix is in "
              "responsibility_matrix.xlsx." if coverage.hidden_scopes else "")
    return [Figure(
        "team-coverage", "heatmap_team_coverage.png", "Coverage by team",
        "The strongest level anyone in each team holds on each responsibility. Cells framed in red are dropped "
        "(expected work nobody does); 2A or more in an orange frame is duplicated accountability. The first "
        "column is the whole organisation." + hidden,
        team_coverage_png(analysis, coverage), "heatmap")]


def _person_overlap(analysis: Analysis, max_people: int | None, say: Progress) -> list[Figure]:
    from analyzer.report.heatmaps import person_overlap_png
    from analyzer.report.similarity import DEFAULT_CAP, person_overlap

    view = person_overlap(analysis, cap=max_people or DEFAULT_CAP)
    if len(view.ids) < 2:
        return []
    say(f"drawing the overlap of {len(view.ids)} people")
    notes = []
    if view.capped:
        notes.append(f"Showing the {len(view.ids)} people who share the most work with someone, out of "
                     f"{view.considered}; the team graphs below show everyone.")
    if view.without_holdings:
        notes.append(f"{view.without_holdings} people outside product roles who are accountable for nothing "
                     "(engineers, designers, ...) are left out.")
    return [Figure(
        "person-overlap", "heatmap_person_overlap.png", "Who overlaps with whom",
        "How much two people's responsibilities overlap (weighted by RACI level: sharing an A counts most). "
        "People are clustered so that overlapping groups sit together; the coloured strip shows each "
        "person's team; a black frame marks a pair named by an overlap finding (same team, more overlap than "
        "chance). " + " ".join(notes),
        person_overlap_png(analysis, view), "heatmap")]


def _team_graph(analysis: Analysis, index: TeamIndex, scope: str, number: int, hidden_teams: int,
                say: Progress) -> list[Figure]:
    from analyzer.report.graph_drawing import draw_team

    say("drawing the team accountability graphs")
    graph = draw_team(analysis, scope, index)
    caption = (f"{graph.people} people; {graph.drawn_people} hold product responsibilities; "
               f"{graph.findings} finding{'s' if graph.findings != 1 else ''} in this team.")
    if hidden_teams:  # said under the last graph
        caption += (f" {hidden_teams} teams with fewer findings are not drawn; every team is in "
                    "responsibility_matrix.xlsx.")
    return [Figure(f"team-{number}", f"{TEAM_GRAPH_FOLDER}/{number:02d}-{file_slug(graph.scope)}.png",
                   graph.scope, caption, graph.png, "team", graph.scope)]
