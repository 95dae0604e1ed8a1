"""The accountability graph of each team, drawn as two columns: people on the left, work on the right.

An edge is a person's hold on a responsibility (A thick, R thin; red when a ``conflicting`` finding
names it). A responsibility is orange when several people are accountable for it in the team and
red with "nobody" when a ``dropped`` finding names it. The layout is layered rather than a spring
layout: people are ordered by role, responsibilities by the mean position of their holders (the
barycentre heuristic, which removes most edge crossings), so the drawing is deterministic and reads
top-down. People who hold nothing (engineers, designers) are summed up in one line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import partial

import networkx as nx

from analyzer.graph import ORG_SCOPE, scope_of
from analyzer.records import Analysis, Finding, FindingKind, PersonAnalysis
from analyzer.report.plotting import (
    DROPPED_COLOUR,
    DUPLICATED_COLOUR,
    GRID,
    INK,
    LEVEL_COLOURS,
    MUTED,
    figure,
    png_bytes,
)
from analyzer.report.views import model_of, role_label, shorten

DEFAULT_MAX_TEAMS = 12
_DOING = ("A", "R")
_ROW_INCH = 0.34
_WIDTH, _PEOPLE_X, _RESPS_X = 8.0, 2.35, 4.25  # inches: people's labels left of 2.35, work right of 4.25


@dataclass(frozen=True)
class TeamGraph:
    scope: str
    people: int  # members of the team
    drawn_people: int  # members holding A or R (drawn as nodes)
    findings: int
    png: bytes


def teams_to_draw(analysis: Analysis, max_teams: int = DEFAULT_MAX_TEAMS) -> tuple[list[str], int]:
    """The teams to draw (sorted) and how many were left out: teams with most findings win a place."""
    scopes = sorted({scope_of(person) for person in analysis.people} - {ORG_SCOPE})
    if len(scopes) <= max_teams:
        return scopes, 0
    weight = Counter(f.scope for f in analysis.findings)
    severe = Counter(f.scope for f in analysis.findings if f.severity.value == "high")
    keep = sorted(scopes, key=lambda scope: (-severe[scope], -weight[scope], scope))[:max_teams]
    return sorted(keep), len(scopes) - len(keep)


@dataclass(frozen=True)
class TeamIndex:
    """The members (input order) and findings (report order) of some teams, gathered in one pass."""

    members: dict[str, list[PersonAnalysis]]
    findings: dict[str, list[Finding]]


def team_index(analysis: Analysis, scopes: list[str]) -> TeamIndex:
    """Members and findings of ``scopes``: one pass over everyone instead of one per team drawn."""
    members: dict[str, list[PersonAnalysis]] = {scope: [] for scope in scopes}
    findings: dict[str, list[Finding]] = {scope: [] for scope in scopes}
    for person in analysis.people:
        listed = members.get(scope_of(person))
        if listed is not None:
            listed.append(person)
    for finding in analysis.findings:
        listed = findings.get(finding.scope)
        if listed is not None:
            listed.append(finding)
    return TeamIndex(members, findings)


def team_subgraph(analysis: Analysis, scope: str, index: TeamIndex | None = None) -> nx.DiGraph:
    """Person -> responsibility edges (A and R) of one team, with finding marks on nodes and edges."""
    model = model_of(analysis)
    index = index if index is not None and scope in index.members else team_index(analysis, [scope])
    members = list(index.members[scope])
    role_rank = {role: index for index, role in enumerate(model.role_ids)}
    members.sort(key=lambda p: (role_rank.get(p.role.canonical or "", len(role_rank)), p.role.job_family or "",
                                p.record.name.casefold(), p.record.row))
    findings = [f for f in index.findings[scope] if f.responsibility]
    conflicting = {(pid, f.responsibility) for f in findings if f.kind is FindingKind.CONFLICTING for pid in f.people}
    H = nx.DiGraph(scope=scope)
    for person in members:
        if any(h.level.value in _DOING for h in person.holdings):
            H.add_node(f"p:{person.id}", kind="person", person=person)
    for person in members:
        for holding in person.holdings:
            if holding.level.value not in _DOING:
                continue
            resp = f"r:{holding.responsibility}"
            H.add_node(resp, kind="responsibility", id=holding.responsibility)
            H.add_edge(f"p:{person.id}", resp, level=holding.level.value,
                       conflicting=(person.id, holding.responsibility) in conflicting)
    for f in findings:
        node = f"r:{f.responsibility}"
        if f.kind is FindingKind.DROPPED:
            H.add_node(node, kind="responsibility", id=f.responsibility)
            H.nodes[node]["dropped"] = True
        elif f.kind is FindingKind.DUPLICATED and node in H:
            H.nodes[node]["duplicated"] = True
    H.graph["members"] = members
    return H


def layered_positions(H: nx.DiGraph, model_order: list[str], people_x: float = -0.5, resps_x: float = 0.5,
                      row_height: float = 1.0) -> dict[str, tuple[float, float]]:
    """People in insertion order on the left, responsibilities by barycentre on the right; first row on top.

    Both columns span the same height, so a short column is spread out rather than bunched up.

    Examples
    --------
    >>> H = nx.DiGraph()
    >>> H.add_node("p:1", kind="person"); H.add_node("p:2", kind="person")
    >>> H.add_edge("p:2", "r:b"); H.add_edge("p:1", "r:a")
    >>> pos = layered_positions(H, ["b", "a"])
    >>> pos["r:a"][1] > pos["r:b"][1]
    True
    """
    people = [node for node in H if node.startswith("p:")]
    rank = {node: index for index, node in enumerate(people)}
    resp_rank = {f"r:{resp}": index for index, resp in enumerate(model_order)}

    def barycentre(node: str) -> tuple:
        holders = [rank[source] for source, _ in H.in_edges(node)]
        if not holders:
            return (1, 0.0, resp_rank.get(node, 0))
        return (0, sum(holders) / len(holders), resp_rank.get(node, 0))

    resps = sorted((node for node in H if node.startswith("r:")), key=barycentre)
    span = (max(len(people), len(resps), 1) - 1) * row_height
    pos: dict[str, tuple[float, float]] = {}
    for column, x in ((people, people_x), (resps, resps_x)):
        if len(column) == 1:
            pos[column[0]] = (x, -span / 2.0)
            continue
        step = span / (len(column) - 1) if column else 0.0
        # spread a short column, but never further apart than two rows
        step = min(step, 2.0 * row_height)
        offset = (span - step * (len(column) - 1)) / 2.0
        for index, node in enumerate(column):
            pos[node] = (x, -(offset + index * step))
    return pos


def draw_team(analysis: Analysis, scope: str, index: TeamIndex | None = None) -> TeamGraph:
    """Draw one team's graph; coordinates are inches so text and spacing keep their size at any team size."""
    model = model_of(analysis)
    index = index if index is not None and scope in index.members else team_index(analysis, [scope])
    H = team_subgraph(analysis, scope, index)
    members: list[PersonAnalysis] = H.graph["members"]
    people = [node for node in H if node.startswith("p:")]
    resps = [node for node in H if node.startswith("r:")]
    pos = layered_positions(H, list(model.responsibility_ids), people_x=_PEOPLE_X, resps_x=_RESPS_X,
                            row_height=_ROW_INCH)
    span = (max(len(people), len(resps), 1) - 1) * _ROW_INCH
    idle = len(members) - len(people)
    findings = len(index.findings[scope])
    top, bottom = 0.85, 0.35 + (0.3 if idle else 0.0)
    height = span + top + bottom
    with figure((_WIDTH, height)) as fig:
        from matplotlib.lines import Line2D
        from matplotlib.transforms import TransformedPatchPath

        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, _WIDTH)
        ax.set_ylim(-span - bottom, top)
        ax.axis("off")
        # One clip path for every text (matplotlib would build one per text; clipping is off for them anyway).
        text = partial(ax.text, clip_path=TransformedPatchPath(ax.patch))
        edges = list(H.edges(data=True))
        nx.draw_networkx_edges(
            H, pos, ax=ax, arrows=False, edgelist=[(u, v) for u, v, _ in edges],
            width=[2.2 if d["level"] == "A" else 1.0 for _, _, d in edges],
            edge_color=[DROPPED_COLOUR if d["conflicting"] else LEVEL_COLOURS[d["level"]] for _, _, d in edges],
            style=["dashed" if d["conflicting"] else "solid" for _, _, d in edges], alpha=0.9,
        )
        # One marker line per colour: drawn like a line per node (markers never overlap), far cheaper.
        if people:
            ax.plot([pos[node][0] for node in people], [pos[node][1] for node in people], "o", color=INK,
                    markersize=4.5)
        markers: dict[str, list[tuple[float, float]]] = {}
        for node in resps:
            data = H.nodes[node]
            colour = DROPPED_COLOUR if data.get("dropped") else "#a04000" if data.get("duplicated") else INK
            markers.setdefault(colour, []).append(pos[node])
        for colour, points in markers.items():
            ax.plot([x for x, _ in points], [y for _, y in points], "o", color=colour, markersize=4)
        for node in people:
            person = H.nodes[node]["person"]
            x, y = pos[node]
            name = shorten(person.record.name or f"person {person.id}", 30)
            role = shorten(role_label(analysis, person.role.canonical, person.role.job_family), 36)
            text(x - 0.1, y + 0.06, name, ha="right", va="bottom", fontsize=8, fontweight="bold", color=INK)
            text(x - 0.1, y - 0.03, role, ha="right", va="top", fontsize=6.8, color=MUTED)
        for node in resps:
            data = H.nodes[node]
            x, y = pos[node]
            name = shorten(model.responsibility(data["id"]).name, 46)
            colour, face, edge = INK, "#f4f6fa", GRID
            if data.get("dropped"):
                colour, face, edge, name = DROPPED_COLOUR, "#fdecea", DROPPED_COLOUR, f"{name}: nobody"
            elif data.get("duplicated"):
                colour, face, edge = "#a04000", "#fdebd0", DUPLICATED_COLOUR
            text(x + 0.1, y, name, ha="left", va="center", fontsize=7.6, color=colour,
                    bbox={"boxstyle": "round,pad=0.25", "facecolor": face, "edgecolor": edge, "linewidth": 0.8})
        if idle:
            ax.text(0.15, -span - bottom + 0.2, f"+ {idle} more in the team hold no product responsibility (A or R)",
                    ha="left", va="center", fontsize=6.8, color=MUTED, style="italic")
        if not people and not resps:
            ax.text(_WIDTH / 2, 0, "Nobody in this team holds a product responsibility.", ha="center", fontsize=8,
                    color=MUTED)
        title = "Whole organisation" if scope == ORG_SCOPE else shorten(scope, 44)
        ax.text(0.15, top - 0.22, title, ha="left", va="center", fontsize=10, fontweight="bold", color=INK)
        ax.text(0.15, top - 0.46, f"{len(members)} people, {findings} finding{'s' if findings != 1 else ''}",
                ha="left", va="center", fontsize=7.5, color=MUTED)
        legend = [Line2D([0], [0], color=LEVEL_COLOURS["A"], lw=2.2, label="accountable (A)"),
                  Line2D([0], [0], color=LEVEL_COLOURS["R"], lw=1.0, label="responsible (R)"),
                  Line2D([0], [0], color=DROPPED_COLOUR, lw=1.2, ls="--", label="against the model")]
        ax.legend(handles=legend, loc="upper right", bbox_to_anchor=(1.0, 1.0), ncol=3, fontsize=6.5, frameon=False,
                  handlelength=1.8, columnspacing=1.2)
        return TeamGraph(scope=scope, people=len(members), drawn_people=len(people), findings=findings,
                         png=png_bytes(fig))
