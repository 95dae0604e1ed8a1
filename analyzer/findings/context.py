"""What every finding rule needs: the graph, the model, and wording helpers for explanations."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from analyzer import graph as g
from analyzer.model import RoleModel
from analyzer.records import Evidence, Finding, FindingKind, Severity

MAX_EVIDENCE_PER_PERSON = 2


@dataclass(frozen=True)
class Context:
    G: nx.DiGraph
    model: RoleModel

    def person_label(self, person_id: str) -> str:
        """'Ada Lovelace (Product Owner)': name, else id, with the title when known."""
        attrs = g.person(self.G, person_id)
        name = attrs.get("name") or f"person {person_id}"
        title = attrs.get("title")
        return f"{name} ({title})" if title else name

    def people_phrase(self, person_ids: list[str]) -> str:
        labels = [self.person_label(pid) for pid in person_ids]
        if len(labels) <= 1:
            return "".join(labels)
        return ", ".join(labels[:-1]) + " and " + labels[-1]

    def responsibility_name(self, responsibility: str) -> str:
        return self.model.responsibility(responsibility).name

    def role_name(self, role_id: str | None) -> str:
        if not role_id:
            return "no product role"
        return self.model.role(role_id).name

    def scope_phrase(self, scope: str) -> str:
        return "the whole organisation" if scope == g.ORG_SCOPE else f"team {scope}"

    def evidence(self, person_ids: list[str], responsibility: str) -> tuple[Evidence, ...]:
        """The sentences that show each person's hold on ``responsibility``."""
        items = []
        for pid in person_ids:
            data = g.holding(self.G, pid, responsibility)
            if data:
                items += [Evidence(pid, text) for text in data["evidence"][:MAX_EVIDENCE_PER_PERSON]]
        return tuple(items)

    def severity_for(self, responsibility: str) -> Severity:
        return Severity(self.model.responsibility(responsibility).impact)


def finding(kind: FindingKind, severity: Severity, scope: str, responsibility: str | None, people: list[str],
            rule: str, explanation: str, evidence: tuple[Evidence, ...] = (), suggestion: str = "") -> Finding:
    """Build a :class:`Finding` with people sorted the graph's way."""
    ordered = tuple(g.sort_people(people))
    return Finding(kind=kind, severity=severity, scope=scope, responsibility=responsibility, people=ordered,
                   rule=rule, explanation=explanation, evidence=evidence, suggestion=suggestion)
