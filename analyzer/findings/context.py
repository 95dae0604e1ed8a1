"""What every finding rule needs: the graph, the model, indexes built once, and wording helpers.

The indexes (:attr:`Context.index`, :attr:`Context.members`, :attr:`Context.org_levels`) are built
in one pass over the graph the first time a rule asks, so rules that visit every responsibility in
every scope cost time in proportion to the graph's edges, not to scopes x people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from analyzer import graph as g
from analyzer.model import RoleModel
from analyzer.records import Evidence, Finding, FindingKind, PersonAnalysis, Severity, SkippedRow

MAX_EVIDENCE_PER_PERSON = 2
MAX_NAMED_PEOPLE = 5  # explanations name at most this many people, then "and N others"
_SEVERITY_ORDER = (Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH)


@dataclass
class Context:
    """The inputs of the rules, with per-scope indexes and memoised management chains."""

    G: nx.DiGraph
    model: RoleModel
    people: list[PersonAnalysis] = field(default_factory=list)
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    _chains: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _anywhere: dict[tuple[str, str], list[str]] = field(default_factory=dict, repr=False)
    _owners: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    # -- indexes -----------------------------------------------------------------------------------

    @cached_property
    def index(self) -> g.ScopeIndex:
        """scope -> responsibility -> level -> holder ids (model responsibilities only)."""
        order = self.model.responsibility_ids  # explanations list responsibilities in the model's order
        return {scope: {resp: by_resp[resp] for resp in order if resp in by_resp}
                for scope, by_resp in g.scope_index(self.G).items()}

    @cached_property
    def members(self) -> dict[str, list[str]]:
        """scope -> member ids."""
        return g.scope_members(self.G)

    @cached_property
    def org_levels(self) -> dict[str, dict[str, list[str]]]:
        """responsibility -> level -> holder ids across the whole organisation."""
        merged: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for by_resp in self.index.values():
            for resp, levels in by_resp.items():
                for level, ids in levels.items():
                    merged[resp][level].extend(ids)
        return {resp: {level: g.sort_people(ids) for level, ids in levels.items()} for resp, levels in merged.items()}

    @cached_property
    def by_role(self) -> dict[str, list[str]]:
        """canonical role -> ids of the people with that role."""
        roles: dict[str, list[str]] = defaultdict(list)
        for pid in g.people(self.G):
            role = g.role_of(self.G, pid)
            if role:
                roles[role].append(pid)
        return dict(roles)

    def holders_in(self, scope: str, responsibility: str, levels: Iterable[str] = "A") -> list[str]:
        """Holders of ``responsibility`` at ``levels`` among the members of ``scope``."""
        by_level = self.index.get(scope, {}).get(responsibility, {})
        return g.sort_people(pid for level in levels for pid in by_level.get(level, ()))

    def holders_anywhere(self, responsibility: str, levels: str = "A") -> list[str]:
        """Holders of ``responsibility`` at ``levels`` (letters, e.g. "AR") in the whole organisation (memoised)."""
        key = (responsibility, levels)
        if key not in self._anywhere:
            by_level = self.org_levels.get(responsibility, {})
            self._anywhere[key] = g.sort_people(pid for level in levels for pid in by_level.get(level, ()))
        return self._anywhere[key]

    @cached_property
    def doing(self) -> dict[str, frozenset[str]]:
        """person id -> the responsibilities they hold at A or R."""
        held: dict[str, set[str]] = defaultdict(set)
        for resp, levels in self.org_levels.items():
            for level in "AR":
                for pid in levels.get(level, ()):
                    held[pid].add(resp)
        return {pid: frozenset(resps) for pid, resps in held.items()}

    @cached_property
    def managers(self) -> dict[str, str]:
        """person id -> manager id (managers in the export only)."""
        return g.manager_map(self.G)

    def chain(self, person_id: str) -> list[str]:
        """The person's management chain, nearest manager first (memoised)."""
        if person_id not in self._chains:
            self._chains[person_id] = g.management_chain(self.G, person_id, self.managers)
        return self._chains[person_id]

    def accountable_anywhere(self, responsibility: str) -> frozenset[str]:
        """Ids of everyone accountable (A) for ``responsibility`` in the whole organisation (memoised)."""
        if responsibility not in self._owners:
            self._owners[responsibility] = frozenset(self.holders_anywhere(responsibility, "A"))
        return self._owners[responsibility]

    def level(self, person_id: str, responsibility: str) -> str | None:
        data = g.holding(self.G, person_id, responsibility)
        return data["level"] if data else None

    # -- wording -----------------------------------------------------------------------------------

    def person_label(self, person_id: str, with_role: bool = False) -> str:
        """'Ada Lovelace (Product Owner)': name, else id, with the title, and 'vacant position' when so.

        ``with_role`` adds the canonical role when the title does not already say it
        ('Bo Li (Head of Product, a Product Manager)').
        """
        attrs = g.person(self.G, person_id)
        name = attrs.get("name") or f"person {person_id}"
        details = [attrs["title"]] if attrs.get("title") else []
        role = self.role_name(attrs["role"]) if with_role and attrs.get("role") else ""
        if role and role.lower() not in attrs.get("title", "").lower():
            details.append(f"a {role}" if details else role)
        status = attrs.get("status", g.ACTIVE)
        if status != g.ACTIVE:
            details.append("vacant position" if status == g.VACANT else "departed")
        return f"{name} ({', '.join(details)})" if details else name

    def people_phrase(self, person_ids: list[str], limit: int = MAX_NAMED_PEOPLE) -> str:
        """'A, B and C', or 'A, B, C and 4 others' beyond ``limit`` people."""
        labels = [self.person_label(pid) for pid in person_ids[:limit]]
        extra = len(person_ids) - len(labels)
        if extra:
            return ", ".join(labels) + f" and {extra} other{'s' if extra != 1 else ''}"
        if len(labels) <= 1:
            return "".join(labels)
        return ", ".join(labels[:-1]) + " and " + labels[-1]

    def responsibility_name(self, responsibility: str) -> str:
        return self.model.responsibility(responsibility).name

    def responsibility_list(self, responsibilities: Iterable[str], limit: int = 4) -> str:
        names = [self.responsibility_name(resp) for resp in responsibilities]
        shown = names[:limit]
        more = len(names) - len(shown)
        text = ", ".join(shown)
        return f"{text} and {more} more" if more else text

    def a_role(self, role_id: str) -> str:
        """'a Product Owner', 'an Engineering Manager'."""
        name = self.role_name(role_id)
        return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"

    def role_name(self, role_id: str | None) -> str:
        if not role_id:
            return "no product role"
        return self.model.role(role_id).name

    def scope_phrase(self, scope: str) -> str:
        if scope == g.ORG_SCOPE:
            return "the organisation"  # people with neither team nor manager: the top level or a small company
        if scope.startswith("team of "):  # ingest's manager-based scope: "team of Dee Fox (4)"
            return f"the {scope}"
        if scope.startswith("reports of "):
            manager = scope.removeprefix("reports of ")
            if g.person_node(manager) in self.G:
                return f"the team reporting to {self.person_label(manager)}"
            return f"the team reporting to manager {manager}"
        return f"team {scope}"

    def evidence(self, person_ids: list[str], responsibility: str,
                 limit_people: int = MAX_NAMED_PEOPLE) -> tuple[Evidence, ...]:
        """The sentences that show each person's hold on ``responsibility``."""
        items = []
        for pid in person_ids[:limit_people]:
            data = g.holding(self.G, pid, responsibility)
            if data:
                items += [Evidence(pid, text) for text in data["evidence"][:MAX_EVIDENCE_PER_PERSON]]
        return tuple(items)

    def severity_for(self, responsibility: str) -> Severity:
        """The responsibility's impact in the model (high/medium/low) as a severity."""
        return Severity(self.model.responsibility(responsibility).impact)


def at_least(severity: Severity, floor: Severity) -> Severity:
    """``severity`` raised to ``floor`` when lower."""
    return max(severity, floor, key=_SEVERITY_ORDER.index)


def at_most(severity: Severity, ceiling: Severity) -> Severity:
    """``severity`` lowered to ``ceiling`` when higher."""
    return min(severity, ceiling, key=_SEVERITY_ORDER.index)


def finding(kind: FindingKind, severity: Severity, scope: str, responsibility: str | None, people: Iterable[str],
            rule: str, explanation: str, evidence: tuple[Evidence, ...] = (), suggestion: str = "",
            metrics: dict[str, float] | None = None) -> Finding:
    """Build a :class:`Finding` with people sorted the graph's way and metrics rounded and sorted."""
    ordered = tuple(g.sort_people(people))
    numbers = tuple(sorted((name, round(float(value), 4)) for name, value in (metrics or {}).items()))
    return Finding(kind=kind, severity=severity, scope=scope, responsibility=responsibility, people=ordered,
                   rule=rule, explanation=explanation, evidence=evidence, suggestion=suggestion, metrics=numbers)
