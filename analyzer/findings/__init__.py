"""The findings stage: rules over the accountability graph -> sorted, typed :class:`Finding` records.

Each rule lives in a small module and reads only the graph, the role model, the people's role
readings and the skipped input rows:

- :mod:`~analyzer.findings.accountability`: duplicated and conflicting accountability
- :mod:`~analyzer.findings.raci`: unowned work, approval without doers, too many consulted, overload
- :mod:`~analyzer.findings.authority`: accountability without line authority
- :mod:`~analyzer.findings.coverage`: dropped expectations and orphaned responsibilities
- :mod:`~analyzer.findings.titles`: combined roles, ambiguous and inconsistent titles
- :mod:`~analyzer.findings.overlaps`: significant overlap between two people's jobs

:func:`find_all` runs them all and returns the findings without duplicates, sorted by severity,
kind, scope, responsibility, people and rule, so output is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from analyzer.findings.accountability import conflicting, duplicated
from analyzer.findings.authority import authority_gaps
from analyzer.findings.context import Context
from analyzer.findings.coverage import dropped, orphaned_by_skipped_rows, orphaned_by_vacancies
from analyzer.findings.overlaps import overlaps
from analyzer.findings.raci import overloaded, too_many_consulted, unowned, unstaffed
from analyzer.findings.titles import ambiguous_titles, combined_roles, title_inconsistencies
from analyzer.model import RoleModel
from analyzer.records import Finding, PersonAnalysis, SkippedRow

__all__ = ["find_all", "finding_key"]


def find_all(G: nx.DiGraph, model: RoleModel, people: list[PersonAnalysis],
             skipped_rows: Iterable[SkippedRow] = ()) -> list[Finding]:
    """All findings for an organisation graph, sorted and without duplicates.

    Parameters
    ----------
    G:
        The accountability graph (:func:`analyzer.graph.build_graph`).
    model:
        The role model the graph was built with.
    people:
        The analysed people (their role readings feed the title rules).
    skipped_rows:
        Input rows that were not analysed; they explain some orphaned responsibilities.
    """
    ctx = Context(G, model, list(people), list(skipped_rows))
    conflicts = list(conflicting(ctx))
    combined = list(combined_roles(ctx))
    skipped_orphans, covered_by_skipped = orphaned_by_skipped_rows(ctx)
    findings = [
        *conflicts,
        *duplicated(ctx, conflicts),
        *dropped(ctx, covered_by_skipped),
        *skipped_orphans,
        *orphaned_by_vacancies(ctx),
        *unowned(ctx),
        *unstaffed(ctx),
        *too_many_consulted(ctx),
        *overloaded(ctx),
        *authority_gaps(ctx),
        *combined,
        *ambiguous_titles(ctx, combined),
        *title_inconsistencies(ctx),
        *overlaps(ctx),
    ]
    unique: dict[tuple, Finding] = {}
    for item in findings:
        unique.setdefault(finding_key(item), item)
    return sorted(unique.values(), key=Finding.sort_key)


def finding_key(item: Finding) -> tuple:
    """What makes two findings the same finding (also how analyses are compared)."""
    return (item.kind.value, item.scope, item.responsibility or "", item.people, item.rule)
