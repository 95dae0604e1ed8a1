"""Team x responsibility coverage: the strongest RACI level per team and where findings sit.

Scopes are the findings' scopes (:func:`analyzer.graph.scope_of`): the team as written in the input,
``reports of <manager id>`` for people without a team, and ``org`` for the whole organisation, which
comes first. A cell is *dropped* when a ``dropped`` finding names that scope and responsibility, and
*duplicated* when a ``duplicated`` finding does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from analyzer.graph import ORG_SCOPE, scope_of
from analyzer.records import Analysis, FindingKind, PersonAnalysis
from analyzer.report.views import LEVEL_ORDER, model_of

DEFAULT_MAX_SCOPES = 30


@dataclass(frozen=True)
class TeamCoverage:
    scopes: tuple[str, ...]  # ``org`` first, then the teams shown
    responsibilities: tuple[str, ...]  # model order
    levels: tuple[tuple[str, ...], ...]  # [responsibility][scope]: "A", "R", "C", "I" or ""
    accountable: tuple[tuple[int, ...], ...]  # [responsibility][scope]: people holding A
    dropped: frozenset[tuple[str, str]]  # (scope, responsibility)
    duplicated: frozenset[tuple[str, str]]
    hidden_scopes: int = 0  # teams left out to keep the heatmap readable


def team_coverage(analysis: Analysis, max_scopes: int = DEFAULT_MAX_SCOPES) -> TeamCoverage:
    """Coverage of every responsibility in every scope (``org`` plus at most ``max_scopes`` teams).

    When there are more teams than ``max_scopes``, the teams with the most findings are kept.
    """
    model = model_of(analysis)
    resp_ids = tuple(model.responsibility_ids)
    members: dict[str, list] = {}
    for person in analysis.people:
        members.setdefault(scope_of(person), []).append(person)
    teams = sorted(scope for scope in members if scope != ORG_SCOPE)
    hidden = 0
    if len(teams) > max_scopes:
        weight = Counter(f.scope for f in analysis.findings)
        keep = sorted(teams, key=lambda scope: (-weight[scope], scope))[:max_scopes]
        hidden = len(teams) - len(keep)
        teams = sorted(keep)
    scopes = (ORG_SCOPE, *teams)
    held: dict[tuple[str, str], Counter[str]] = {}  # (responsibility, scope) -> how many hold it at each level
    for scope in scopes:
        # People who share a description share their holdings tuple: count each tuple once, times its people.
        people: dict[int, list[PersonAnalysis]] = {}
        for person in analysis.people if scope == ORG_SCOPE else members[scope]:
            people.setdefault(id(person.holdings), []).append(person)
        for sharing in people.values():
            for holding in sharing[0].distinct_holdings():
                cell = held.get((holding.responsibility, scope))
                if cell is None:
                    cell = held[(holding.responsibility, scope)] = Counter()
                cell[holding.level.value] += len(sharing)
    levels, accountable = [], []
    for resp in resp_ids:
        level_row, a_row = [], []
        for scope in scopes:
            cell = held.get((resp, scope), Counter())
            level_row.append(min(cell, key=LEVEL_ORDER.index) if cell else "")
            a_row.append(cell["A"])
        levels.append(tuple(level_row))
        accountable.append(tuple(a_row))

    def cells(kind: FindingKind) -> frozenset[tuple[str, str]]:
        return frozenset((f.scope, f.responsibility) for f in analysis.findings
                         if f.kind is kind and f.responsibility and f.scope in scopes)

    return TeamCoverage(scopes, resp_ids, tuple(levels), tuple(accountable),
                        cells(FindingKind.DROPPED), cells(FindingKind.DUPLICATED), hidden)
