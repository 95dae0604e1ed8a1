"""The accountability graph: the single source of truth for findings, heatmaps and exports.

Nodes (``kind`` attribute): ``person``, ``role``, ``family``, ``responsibility``, ``team``.
Edges (``rel`` attribute):

- person -> responsibility (``holds``: ``level``, ``score``, ``evidence``)
- person -> role (``is``: ``confidence``) or person -> family (``is``)
- person -> person (``reports_to``)
- person -> team (``member_of``)

Node keys are prefixed (``person:17``, ``role:product_owner``, ``responsibility:hiring``,
``team:Search``) so that ids from different namespaces never collide.

Examples
--------
>>> G = nx.DiGraph()
>>> add_person(G, "1", name="Ada", title="PO", team="Search", role="product_owner")
>>> people_in_scope(G, "Search")
['1']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import networkx as nx

from analyzer.model import RoleModel
from analyzer.records import Analysis, Level, PersonAnalysis

ORG_SCOPE = "org"


def person_node(person_id: str) -> str:
    return f"person:{person_id}"


def responsibility_node(responsibility_id: str) -> str:
    return f"responsibility:{responsibility_id}"


def role_node(role_id: str) -> str:
    return f"role:{role_id}"


def team_node(team: str) -> str:
    return f"team:{team}"


def scope_of(person: PersonAnalysis) -> str:
    """A person's scope: the team as written in the input, else the manager's reports, else the org."""
    if person.record.team:
        return person.record.team
    if person.record.manager_id:
        return f"reports of {person.record.manager_id}"
    return ORG_SCOPE


def add_person(G: nx.DiGraph, person_id: str, *, name: str = "", title: str = "", team: str | None = None,
               role: str | None = None, family: str | None = None, scope: str | None = None,
               row: int = 0, confidence: float = 0.0, title_only: bool = False) -> str:
    """Add a person node with its team and role edges; returns the node key."""
    node = person_node(person_id)
    scope = scope or team or ORG_SCOPE
    G.add_node(node, kind="person", id=person_id, label=name or person_id, name=name, title=title,
               team=team or "", scope=scope, role=role or "", family=family or "", row=row,
               title_only=title_only)
    if team:
        G.add_node(team_node(team), kind="team", label=team, name=team)
        G.add_edge(node, team_node(team), rel="member_of")
    if role:
        G.add_node(role_node(role), kind="role", id=role, label=role)
        G.add_edge(node, role_node(role), rel="is", confidence=confidence)
    elif family:
        G.add_node(f"family:{family}", kind="family", id=family, label=family)
        G.add_edge(node, f"family:{family}", rel="is", confidence=confidence)
    return node


def build_graph(analysis: Analysis, model: RoleModel) -> nx.DiGraph:
    """Build the accountability graph of an analysis (deterministic node and edge order)."""
    G = nx.DiGraph(model_id=model.id, model_version=model.version, input=analysis.input_path)
    for role in model.roles:
        G.add_node(role_node(role.id), kind="role", id=role.id, label=role.name)
    for family in model.families:
        G.add_node(f"family:{family.id}", kind="family", id=family.id, label=family.name, delivery=family.delivery)
    for resp in model.responsibilities:
        G.add_node(responsibility_node(resp.id), kind="responsibility", id=resp.id, label=resp.name,
                   owner=resp.owner)
    delivery_families = {family.id for family in model.families if family.delivery}
    for person in analysis.people:
        record = person.record
        node = add_person(
            G, record.id, name=record.name, title=record.title, team=record.team, role=person.role.canonical,
            family=person.role.family, scope=scope_of(person), row=record.row,
            confidence=person.role.confidence, title_only=person.title_only,
        )
        G.nodes[node]["delivery"] = person.role.family in delivery_families
        for holding in person.holdings:
            G.add_edge(node, responsibility_node(holding.responsibility), rel="holds", level=holding.level.value,
                       score=holding.score, evidence=list(holding.evidence))
    known = {person.id for person in analysis.people}
    for person in analysis.people:
        manager = person.record.manager_id
        if manager and manager in known and manager != person.id:
            G.add_edge(person_node(person.id), person_node(manager), rel="reports_to")
    return G


def people(G: nx.DiGraph) -> list[str]:
    """Ids of all people, sorted."""
    return sorted((data["id"] for _, data in G.nodes(data=True) if data.get("kind") == "person"), key=_id_key)


def scopes(G: nx.DiGraph) -> list[str]:
    """All scopes that have people, sorted (``org`` is the whole organisation and is not listed)."""
    return sorted({data["scope"] for _, data in G.nodes(data=True) if data.get("kind") == "person"})


def people_in_scope(G: nx.DiGraph, scope: str) -> list[str]:
    """Ids of the people in ``scope`` (``"org"``: everybody)."""
    return sorted((data["id"] for _, data in G.nodes(data=True)
                   if data.get("kind") == "person" and (scope == ORG_SCOPE or data["scope"] == scope)),
                  key=_id_key)


def holders(G: nx.DiGraph, responsibility: str, levels: Iterable[str] = ("A",),
            scope: str = ORG_SCOPE) -> list[str]:
    """Ids of the people holding ``responsibility`` at one of ``levels`` within ``scope``."""
    wanted = set(levels)
    node = responsibility_node(responsibility)
    if node not in G:
        return []
    result = []
    for person, _, data in G.in_edges(node, data=True):
        if data.get("rel") != "holds" or data["level"] not in wanted:
            continue
        attrs = G.nodes[person]
        if scope == ORG_SCOPE or attrs["scope"] == scope:
            result.append(attrs["id"])
    return sorted(result, key=_id_key)


def holding(G: nx.DiGraph, person_id: str, responsibility: str) -> dict | None:
    """Edge data of a person's hold on a responsibility, or None."""
    return G.get_edge_data(person_node(person_id), responsibility_node(responsibility))


def person_holdings(G: nx.DiGraph, person_id: str) -> Iterator[tuple[str, dict]]:
    """(responsibility id, edge data) for everything a person holds."""
    for _, target, data in G.out_edges(person_node(person_id), data=True):
        if data.get("rel") == "holds":
            yield G.nodes[target]["id"], data


def person(G: nx.DiGraph, person_id: str) -> dict:
    """Attributes of a person node."""
    return G.nodes[person_node(person_id)]


def manager_of(G: nx.DiGraph, person_id: str) -> str | None:
    for _, target, data in G.out_edges(person_node(person_id), data=True):
        if data.get("rel") == "reports_to":
            return G.nodes[target]["id"]
    return None


def management_chain(G: nx.DiGraph, person_id: str) -> list[str]:
    """Ids of the person's managers, nearest first (stops at a cycle)."""
    chain: list[str] = []
    seen = {person_id}
    current = manager_of(G, person_id)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = manager_of(G, current)
    return chain


def is_delivery_scope(G: nx.DiGraph, scope: str) -> bool:
    """True when the scope has a member of a delivery family (engineers)."""
    return any(person(G, pid).get("delivery") for pid in people_in_scope(G, scope))


def delivery_scopes(G: nx.DiGraph) -> list[str]:
    return [scope for scope in scopes(G) if scope != ORG_SCOPE and is_delivery_scope(G, scope)]


def role_of(G: nx.DiGraph, person_id: str) -> str | None:
    return person(G, person_id).get("role") or None


def level_of(G: nx.DiGraph, person_id: str, responsibility: str) -> Level | None:
    data = holding(G, person_id, responsibility)
    return Level(data["level"]) if data else None


def sort_people(person_ids: Iterable[str]) -> list[str]:
    """``person_ids`` unique and sorted like every listing of people (numeric ids numerically)."""
    return sorted(set(person_ids), key=_id_key)


def _id_key(person_id: str) -> tuple:
    # Numeric ids sort numerically ("2" before "10"), others alphabetically after them.
    return (0, int(person_id), "") if person_id.isdigit() else (1, 0, person_id)
