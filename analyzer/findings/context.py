"""What every finding rule needs: the graph, the model, indexes built once, and wording helpers.

The indexes (:attr:`Context.index`, :attr:`Context.members`, :attr:`Context.org_levels`) are built
in one pass over the graph the first time a rule asks, so rules that visit every responsibility in
every scope cost time in proportion to the graph's edges, not to scopes x people.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import networkx as nx

from analyzer import graph as g
from analyzer.findings.tables import Tables, read_tables
from analyzer.model import Responsibility, RoleModel
from analyzer.records import Evidence, Finding, FindingKind, PersonAnalysis, Severity, SkippedRow

MAX_EVIDENCE_PER_PERSON = 2
MAX_NAMED_PEOPLE = 5  # explanations name at most this many people, then "and N others"
_SEVERITY_ORDER = (Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH)
T = TypeVar("T")


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
    _labels: dict[tuple[str, bool], str] = field(default_factory=dict, repr=False)
    _scope_phrases: dict[str, str] = field(default_factory=dict, repr=False)
    _memo: dict[str, dict] = field(default_factory=dict, repr=False)
    _evidence: dict[tuple[str, str], tuple[Evidence, ...]] = field(default_factory=dict, repr=False)
    _levels: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    # -- indexes -----------------------------------------------------------------------------------

    @cached_property
    def tables(self) -> Tables:
        """The graph read once (see :mod:`analyzer.findings.tables`)."""
        return read_tables(self.G, self.responsibility_ids)

    @cached_property
    def responsibility_ids(self) -> tuple[str, ...]:
        """The model's responsibilities in its order (explanations list them in this order)."""
        return self.model.responsibility_ids

    @cached_property
    def responsibility_order(self) -> dict[str, int]:
        """responsibility id -> position in the model."""
        return {resp: index for index, resp in enumerate(self.responsibility_ids)}

    @property
    def index(self) -> g.ScopeIndex:
        """scope -> responsibility -> level -> holder ids (model responsibilities only)."""
        return self.tables.index

    @property
    def members(self) -> dict[str, list[str]]:
        """scope -> member ids."""
        return self.tables.members

    @property
    def org_levels(self) -> dict[str, dict[str, list[str]]]:
        """responsibility -> level -> holder ids across the whole organisation."""
        return self.tables.org_levels

    @property
    def by_role(self) -> dict[str, list[str]]:
        """canonical role -> ids of the people with that role."""
        return self.tables.by_role

    def sort_people(self, person_ids: Iterable[str]) -> list[str]:
        """Like :func:`analyzer.graph.sort_people`, for ids of people in the graph."""
        return sorted(set(person_ids), key=self.tables.rank.__getitem__)

    def holders_in(self, scope: str, responsibility: str, levels: Iterable[str] = "A") -> list[str]:
        """Holders of ``responsibility`` at ``levels`` among the members of ``scope``."""
        by_level = self.index.get(scope, {}).get(responsibility, {})
        return self._holders(by_level, levels)

    def holders_anywhere(self, responsibility: str, levels: str = "A") -> list[str]:
        """Holders of ``responsibility`` at ``levels`` (letters, e.g. "AR") in the whole organisation (memoised)."""
        key = (responsibility, levels)
        if key not in self._anywhere:
            self._anywhere[key] = self._holders(self.org_levels.get(responsibility, {}), levels)
        return self._anywhere[key]

    def _holders(self, by_level: dict[str, list[str]], levels: Iterable[str]) -> list[str]:
        found = [ids for level in dict.fromkeys(levels) if (ids := by_level.get(level))]
        if len(found) == 1:
            return list(found[0])  # one level's list is sorted already (a person holds one level)
        return self.sort_people(pid for ids in found for pid in ids)

    @property
    def doing(self) -> dict[str, frozenset[str]]:
        """person id -> the responsibilities they hold at A or R."""
        return self.tables.doing

    @property
    def vectors(self) -> dict[str, dict[str, float]]:
        """person id -> responsibility -> RACI weight (as :func:`analyzer.overlap.responsibility_vectors`)."""
        return self.tables.vectors

    @cached_property
    def inactive(self) -> frozenset[str]:
        """Ids of the vacant and departed positions."""
        return frozenset(pid for pid, data in self.tables.attrs.items() if data.get("status", g.ACTIVE) != g.ACTIVE)

    @cached_property
    def delivery_scopes(self) -> list[str]:
        """Scopes with engineers in them, sorted (as :func:`analyzer.graph.delivery_scopes`)."""
        return sorted({data["scope"] for data in self.tables.attrs.values() if data.get("delivery")})

    @property
    def managers(self) -> dict[str, str]:
        """person id -> manager id (managers in the export only)."""
        return self.tables.managers

    def chain(self, person_id: str) -> list[str]:
        """The person's management chain, nearest manager first (memoised)."""
        chain = self._chains.get(person_id)
        if chain is None:
            chain = self._chains[person_id] = g.management_chain(self.G, person_id, self.managers)
        return chain

    def accountable_anywhere(self, responsibility: str) -> frozenset[str]:
        """Ids of everyone accountable (A) for ``responsibility`` in the whole organisation (memoised)."""
        if responsibility not in self._owners:
            self._owners[responsibility] = frozenset(self.holders_anywhere(responsibility, "A"))
        return self._owners[responsibility]

    def person(self, person_id: str) -> dict:
        """Attributes of a person node (as :func:`analyzer.graph.person`)."""
        attrs = self.tables.attrs.get(person_id)
        return attrs if attrs is not None else g.person(self.G, person_id)

    def role_of(self, person_id: str) -> str | None:
        return self.person(person_id).get("role") or None

    def holding(self, person_id: str, responsibility: str) -> dict | None:
        """Edge data of a person's hold on a responsibility, or None (as :func:`analyzer.graph.holding`)."""
        targets = self.tables.adjacency.get(person_id)
        return targets.get(g.responsibility_node(responsibility)) if targets is not None else None

    def level(self, person_id: str, responsibility: str) -> str | None:
        data = self.holding(person_id, responsibility)
        return data["level"] if data else None

    def levels_of(self, person_id: str) -> dict[str, str]:
        """responsibility id -> RACI letter for everything a person holds (as :func:`analyzer.graph.levels_of`).

        Memoised: do not change the dict returned.
        """
        levels = self._levels.get(person_id)
        if levels is None:
            node_ids = self.tables.node_ids
            levels = self._levels[person_id] = {node_ids[target]: data["level"] for target, data
                                                in self.tables.adjacency[person_id].items()
                                                if data.get("rel") == g.HOLDS}
        return levels

    def memo(self, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key`` within this run of the rules (``name`` keeps tables apart)."""
        table = self._memo.setdefault(name, {})
        if key not in table:
            table[key] = compute()
        return table[key]

    # -- wording -----------------------------------------------------------------------------------

    def person_label(self, person_id: str, with_role: bool = False) -> str:
        """'Ada Lovelace (Product Owner)': name, else id, with the title, and 'vacant position' when so.

        ``with_role`` adds the canonical role when the title does not already say it
        ('Bo Li (Head of Product, a Product Manager)').
        """
        key = (person_id, with_role)
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = self._person_label(person_id, with_role)
        return label

    def _person_label(self, person_id: str, with_role: bool) -> str:
        attrs = self.person(person_id)
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

    def responsibility(self, responsibility: str) -> Responsibility:
        """The model's responsibility (memoised lookup; unknown ids raise as :meth:`RoleModel.responsibility`)."""
        found = self._responsibilities.get(responsibility)
        return found if found is not None else self.model.responsibility(responsibility)

    @cached_property
    def _responsibilities(self) -> dict[str, Responsibility]:
        return {resp.id: resp for resp in self.model.responsibilities}

    def responsibility_name(self, responsibility: str) -> str:
        return self.responsibility(responsibility).name

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
        phrase = self._scope_phrases.get(scope)
        if phrase is None:
            phrase = self._scope_phrases[scope] = self._scope_phrase(scope)
        return phrase

    def _scope_phrase(self, scope: str) -> str:
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
        items: tuple[Evidence, ...] = ()
        for pid in person_ids[:limit_people]:
            key = (pid, responsibility)
            shown = self._evidence.get(key)  # a hold is quoted by several rules: its items are made once
            if shown is None:
                data = self.holding(pid, responsibility)
                shown = self._evidence[key] = tuple(
                    Evidence(pid, text) for text in data["evidence"][:MAX_EVIDENCE_PER_PERSON]) if data else ()
            items += shown
        return items

    def severity_for(self, responsibility: str) -> Severity:
        """The responsibility's impact in the model (high/medium/low) as a severity."""
        return Severity(self.responsibility(responsibility).impact)


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
