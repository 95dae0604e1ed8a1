"""The findings stage: rules over the accountability graph -> sorted, typed :class:`Finding` records.

Each rule lives in a small module (accountability, coverage, titles) and reads only the graph, the
role model and the people's role readings. :func:`find_all` runs them all and returns the findings
sorted by severity, kind, scope, responsibility and people, so output is deterministic.
"""

from __future__ import annotations

import networkx as nx

from analyzer.findings.accountability import conflicting, duplicated
from analyzer.findings.context import Context
from analyzer.findings.coverage import dropped
from analyzer.findings.titles import ambiguous_titles, combined_roles
from analyzer.model import RoleModel
from analyzer.records import Finding, PersonAnalysis

__all__ = ["find_all"]


def find_all(G: nx.DiGraph, model: RoleModel, people: list[PersonAnalysis]) -> list[Finding]:
    """All findings for an organisation graph, sorted and without duplicates."""
    ctx = Context(G, model)
    conflicts = list(conflicting(ctx))
    combined = list(combined_roles(ctx))
    findings = [
        *conflicts,
        *duplicated(ctx, conflicts),
        *dropped(ctx),
        *combined,
        *ambiguous_titles(ctx, people, combined),
    ]
    unique = {}
    for item in findings:
        unique.setdefault((item.kind, item.scope, item.responsibility, item.people, item.rule), item)
    return sorted(unique.values(), key=Finding.sort_key)
