"""The accountability graph: the single source of truth for findings, heatmaps and exports.

:func:`build_graph` is the one builder. Nodes (``kind`` attribute):

- ``person`` (``id``, ``name``, ``title``, ``title_key``, ``team``, ``scope``, ``manager_id``, ``role``,
  ``family``, ``status``, ...), ``role``, ``family``, ``responsibility`` (``owner``, ``impact``), ``team``
  (one per scope; ``derived`` is true when the scope is not a team of the input).

Edges (``rel`` attribute):

- person -> responsibility: ``holds`` with ``level`` (A/R/C/I), ``score`` and ``evidence`` (list of str)
- person -> role or person -> family: ``is`` with ``confidence``
- person -> person: ``reports_to`` (only when the manager is in the export)
- person -> team: ``member_of``

Node keys are prefixed (``person:17``, ``role:product_owner``, ``responsibility:hiring``,
``team:Search``) so that ids from different namespaces never collide; the ``id`` attribute holds the
bare id. Query functions are plain functions over ``G``, in families like networkx's: people and
scopes, holdings, management chain, delivery teams.

A person's **scope** is the group ingest assigned (``--scope``: team, department or the manager's
team); failing that, their team as written in the input; without a team, the people reporting to the
same manager (``"reports of 12"``); with neither, the top level ``"org"``. ``status`` is
``active``, ``vacant`` or ``departed`` (from the vocabulary in ``analyzer/data/positions.yaml``).

Examples
--------
>>> G = nx.DiGraph()
>>> _ = add_person(G, "1", name="Ada", title="PO", team="Search", role="product_owner")
>>> _ = add_person(G, "2", name="TBH", title="Engineer", team="Search")
>>> people_in_scope(G, "Search"), person(G, "2")["status"]
(['1', '2'], 'vacant')
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources

import networkx as nx
import yaml

from analyzer.model import RoleModel
from analyzer.records import Analysis, Level, PersonAnalysis

ORG_SCOPE = "org"
ACTIVE, VACANT, DEPARTED = "active", "vacant", "departed"
HOLDS, IS, REPORTS_TO, MEMBER_OF = "holds", "is", "reports_to", "member_of"
_DECIMALS = 4

ScopeIndex = dict[str, dict[str, dict[str, list[str]]]]  # scope -> responsibility -> level -> person ids


# -- node keys -------------------------------------------------------------------------------------

def person_node(person_id: str) -> str:
    return f"person:{person_id}"


def responsibility_node(responsibility_id: str) -> str:
    return f"responsibility:{responsibility_id}"


def role_node(role_id: str) -> str:
    return f"role:{role_id}"


def family_node(family_id: str) -> str:
    return f"family:{family_id}"


def team_node(scope: str) -> str:
    return f"team:{scope}"


# -- building --------------------------------------------------------------------------------------

def scope_of(person: PersonAnalysis) -> str:
    """A person's scope: the one computed at ingest (``--scope``, see analyzer/ingest/structure.py) when
    set; else the team as written in the input, else the manager's reports, else ``org``."""
    if person.record.scope:
        return person.record.scope
    if person.record.team:
        return person.record.team
    if person.record.manager_id:
        return f"reports of {person.record.manager_id}"
    return ORG_SCOPE


@dataclass(frozen=True)
class _StatusPatterns:
    name: tuple[tuple[str, re.Pattern], ...]  # (status, pattern)
    title: tuple[tuple[str, re.Pattern], ...]
    empty_name_is_vacant: bool
    any_name: re.Pattern | None  # every name pattern in one: most names match none, and one search says so
    any_title: re.Pattern | None


@lru_cache(maxsize=1)
def _status_patterns() -> _StatusPatterns:
    text = (resources.files("analyzer") / "data" / "positions.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)

    def compiled(section: dict) -> tuple[tuple[str, re.Pattern], ...]:
        # One alternation per status: a row is tested against two patterns, not twenty.
        return tuple((status, re.compile("|".join(f"(?:{pattern})" for pattern in section[status]), re.IGNORECASE))
                     for status in (VACANT, DEPARTED) if section.get(status))

    def joined(patterns: tuple[tuple[str, re.Pattern], ...]) -> re.Pattern | None:
        return re.compile("|".join(f"(?:{p.pattern})" for _, p in patterns), re.IGNORECASE) if patterns else None

    name, title = compiled(data["name"]), compiled(data["title"])
    return _StatusPatterns(name, title, bool(data["empty_name_is_vacant"]), joined(name), joined(title))


def _status_of(text: str, ordered: tuple[tuple[str, re.Pattern], ...], any_pattern: re.Pattern | None) -> str | None:
    """The first status whose pattern ``text`` matches (vacant before departed), or None."""
    if any_pattern is None or not any_pattern.search(text):
        return None
    return next((status for status, pattern in ordered if pattern.search(text)), None)


@lru_cache(maxsize=1 << 16)  # titles repeat (and names, often): each distinct one is read once
def _title_status(title: str) -> str | None:
    patterns = _status_patterns()
    return _status_of(title, patterns.title, patterns.any_title)


@lru_cache(maxsize=1 << 16)
def _name_status(name: str) -> str | None:
    patterns = _status_patterns()
    return _status_of(name, patterns.name, patterns.any_name)


def position_status(name: str, title: str, has_name_column: bool = True) -> tuple[str, str]:
    """Whether a row is a person, a vacant position or a departed person, and why.

    Returns ``(status, reason)`` with status ``active``, ``vacant`` or ``departed``.

    Examples
    --------
    >>> position_status("TBH", "Product Owner")
    ('vacant', "name 'TBH'")
    >>> position_status("", "Product Owner"), position_status("", "Product Owner", has_name_column=False)
    (('vacant', 'no name'), ('active', ''))
    >>> position_status("Jo Bloggs (left)", "PM")[0], position_status("Ada", "Hiring Manager")[0]
    ('departed', 'active')
    """
    patterns = _status_patterns()
    if name and (status := _name_status(name)):
        return status, f"name {name!r}"
    if title and (status := _title_status(title)):
        return status, f"title {title!r}"
    if not name.strip() and title.strip() and has_name_column and patterns.empty_name_is_vacant:
        return VACANT, "no name"
    return ACTIVE, ""


def description_key(text: str) -> str:
    """A short fingerprint of a job description ("" for none), whitespace and case ignored."""
    normalised = " ".join(text.lower().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16] if normalised else ""


def _person_attrs(person_id: str, name: str, title: str, team: str | None, role: str | None, family: str | None,
                  scope: str, manager_id: str | None, row: int, title_only: bool, title_key: str, delivery: bool,
                  has_name_column: bool, description_key: str) -> dict:
    status, reason = position_status(name, title, has_name_column)
    return dict(kind="person", id=person_id, label=name or title or person_id, name=name, title=title,
                title_key=title_key or " ".join(title.lower().split()), team=team or "", scope=scope,
                manager_id=manager_id or "", role=role or "", family=family or "", row=row, title_only=title_only,
                delivery=delivery, status=status, status_reason=reason, description_key=description_key)


def add_person(G: nx.DiGraph, person_id: str, *, name: str = "", title: str = "", team: str | None = None,
               role: str | None = None, family: str | None = None, scope: str | None = None,
               manager_id: str | None = None, row: int = 0, confidence: float = 0.0, title_only: bool = False,
               title_key: str = "", delivery: bool = False, has_name_column: bool = True,
               description_key: str = "") -> str:
    """Add a person node with its team and role edges; returns the node key.

    ``description_key`` identifies the job description text (people hired on one template share it).
    """
    node = person_node(person_id)
    scope = scope or team or ORG_SCOPE
    G.add_node(node, **_person_attrs(person_id, name, title, team, role, family, scope, manager_id, row, title_only,
                                     title_key, delivery, has_name_column, description_key))
    scope_key = team_node(scope)
    if scope_key not in G:
        G.add_node(scope_key, kind="team", id=scope, label=scope, derived=scope != team)
    G.add_edge(node, scope_key, rel=MEMBER_OF)
    if role:
        if role_node(role) not in G:
            G.add_node(role_node(role), kind="role", id=role, label=role)
        G.add_edge(node, role_node(role), rel=IS, confidence=round(float(confidence), _DECIMALS))
    elif family:
        if family_node(family) not in G:
            G.add_node(family_node(family), kind="family", id=family, label=family, delivery=delivery)
        G.add_edge(node, family_node(family), rel=IS, confidence=round(float(confidence), _DECIMALS))
    return node


def add_holding(G: nx.DiGraph, person_id: str, responsibility: str, level: Level | str, score: float = 1.0,
                evidence: Iterable[str] = ()) -> None:
    """Add (or replace) a person -> responsibility edge."""
    G.add_edge(person_node(person_id), responsibility_node(responsibility), rel=HOLDS, level=Level(level).value,
               score=round(float(score), _DECIMALS), evidence=list(evidence))


def build_graph(analysis: Analysis, model: RoleModel) -> nx.DiGraph:
    """Build the accountability graph of an analysis (deterministic node and edge order).

    The result is the graph :func:`add_person` and :func:`add_holding` would build person by person;
    nodes and edges are prepared first and added in bulk, each distinct set of holdings (people with
    one description and title share it) read once.

    Examples
    --------
    >>> from analyzer.model import load_model
    >>> from analyzer.records import Holding, PersonRecord, RoleGuess
    >>> ada = PersonAnalysis(PersonRecord(1, "1", "Ada", "Product Owner", "Search", None, ""),
    ...                      RoleGuess("product_owner", 1.0, "product_owner", None),
    ...                      (Holding("backlog_management", Level.A, 0.9, ("Own the backlog.",)),))
    >>> analysis = Analysis("org.csv", 1, "0" * 64, "m", "1", [ada], [], [])
    >>> G = build_graph(analysis, load_model())
    >>> holders(G, "backlog_management", "A", scope="Search")
    ['1']
    """
    G = nx.DiGraph(model_id=model.id, model_version=model.version, input=analysis.input_path)
    G.add_nodes_from((role_node(role.id), dict(kind="role", id=role.id, label=role.name)) for role in model.roles)
    G.add_nodes_from((family_node(family.id), dict(kind="family", id=family.id, label=family.name,
                                                   delivery=family.delivery)) for family in model.families)
    G.add_nodes_from((responsibility_node(resp.id), dict(kind="responsibility", id=resp.id, label=resp.name,
                                                         owner=resp.owner, impact=resp.impact))
                     for resp in model.responsibilities)
    # Edges first: each person's first edge (to their team) adds the person's node, then the team's and
    # the role's when new, in the order add_person adds them; their attributes are set afterwards.
    G.add_edges_from(_person_edges(analysis.people))
    G.add_nodes_from(_person_nodes(analysis, model))
    known = {person.id for person in analysis.people}
    G.add_edges_from((person_node(person.id), person_node(manager), {"rel": REPORTS_TO})
                     for person in analysis.people
                     if (manager := person.record.manager_id) and manager in known and manager != person.id)
    return G


def _person_edges(people: list[PersonAnalysis]) -> Iterator[tuple[str, str, dict]]:
    """The edges :func:`add_person` and :func:`add_holding` add for each person, in their order."""
    member_of = {"rel": MEMBER_OF}  # networkx copies edge data: one dict serves every edge
    prepared: dict[int, list[tuple[str, str, float, tuple[str, ...]]]] = {}  # id(holdings) -> edge values
    for person in people:
        node, guess = person_node(person.record.id), person.role
        yield node, team_node(scope_of(person)), member_of
        if guess.canonical or guess.job_family:
            yield (node, role_node(guess.canonical) if guess.canonical else family_node(guess.job_family),
                   {"rel": IS, "confidence": round(float(guess.confidence), _DECIMALS)})
        holdings = prepared.get(id(person.holdings))  # people with one reading share it (and stay alive)
        if holdings is None:
            holdings = prepared[id(person.holdings)] = [
                (responsibility_node(item.responsibility), Level(item.level).value,
                 round(float(item.score), _DECIMALS), tuple(item.evidence)) for item in person.holdings]
        for target, level, score, evidence in holdings:
            yield node, target, {"rel": HOLDS, "level": level, "score": score, "evidence": list(evidence)}


def _person_nodes(analysis: Analysis, model: RoleModel) -> Iterator[tuple[str, dict]]:
    """Attributes of the person nodes and of the team, role and family nodes people bring in.

    Team nodes, and role and family nodes outside the model, take the attributes of the first person
    who brings them in, as with :func:`add_person`.
    """
    from analyzer.mapping.titles import TitleReader

    delivery_families = {family.id for family in model.families if family.delivery}
    titles = TitleReader(model)
    title_keys = {title: _title_key(titles, title) for title in {p.record.title for p in analysis.people}}
    has_name_column = "name" in analysis.columns  # document folders have no names: no vacancies by name
    description_keys: dict[str, str] = {}  # people share descriptions: each text is fingerprinted once
    model_nodes = {role_node(role.id) for role in model.roles} | {family_node(f.id) for f in model.families}
    brought: set[str] = set()
    for person in analysis.people:
        record, guess = person.record, person.role
        if record.text not in description_keys:
            description_keys[record.text] = description_key(record.text)
        team, role, family = record.team, guess.canonical, guess.job_family
        delivery = family in delivery_families
        scope = scope_of(person)
        yield person_node(record.id), _person_attrs(
            record.id, record.name, record.title, team, role, family, scope, record.manager_id, record.row,
            person.title_only, title_keys[record.title], delivery, has_name_column, description_keys[record.text])
        scope_key = team_node(scope)
        if scope_key not in brought:
            brought.add(scope_key)
            yield scope_key, dict(kind="team", id=scope, label=scope, derived=scope != team)
        if role or family:
            target = role_node(role) if role else family_node(family)
            if target not in brought and target not in model_nodes:
                brought.add(target)
                yield target, (dict(kind="role", id=role, label=role) if role else
                               dict(kind="family", id=family, label=family, delivery=delivery))


def _title_key(titles, title: str) -> str:
    # The title proper, without team qualifiers ("Product Manager, Payments" -> "product manager"),
    # seniority or abbreviations; a one-word head ("Director, Product") keeps its qualifier.
    segments = titles.normalise(title).split(" | ")
    head = segments[0]
    return head if len(head.split()) > 1 or len(segments) == 1 else " ".join(segments)


# -- people and scopes -----------------------------------------------------------------------------

def people(G: nx.DiGraph) -> list[str]:
    """Ids of all people, sorted."""
    return sort_people(data["id"] for _, data in G.nodes(data=True) if data.get("kind") == "person")


def person(G: nx.DiGraph, person_id: str) -> dict:
    """Attributes of a person node."""
    return G.nodes[person_node(person_id)]


def scopes(G: nx.DiGraph) -> list[str]:
    """All scopes that have people, sorted (including ``org`` when someone has neither team nor manager)."""
    return sorted(data["id"] for node, data in G.nodes(data=True)
                  if data.get("kind") == "team" and G.in_degree(node))


def people_in_scope(G: nx.DiGraph, scope: str) -> list[str]:
    """Ids of the members of ``scope`` (for ``org``: the people with neither team nor manager)."""
    node = team_node(scope)
    if node not in G:
        return []
    return sort_people(G.nodes[member]["id"] for member, _, data in G.in_edges(node, data=True)
                       if data.get("rel") == MEMBER_OF)


def scope_members(G: nx.DiGraph) -> dict[str, list[str]]:
    """scope -> sorted member ids, for every scope, in one pass."""
    members: dict[str, list[str]] = defaultdict(list)
    for _, data in G.nodes(data=True):
        if data.get("kind") == "person":
            members[data["scope"]].append(data["id"])
    return {scope: sort_people(ids) for scope, ids in sorted(members.items())}


def role_of(G: nx.DiGraph, person_id: str) -> str | None:
    return person(G, person_id).get("role") or None


def is_active(G: nx.DiGraph, person_id: str) -> bool:
    """False for vacant and departed positions."""
    return person(G, person_id).get("status", ACTIVE) == ACTIVE


def sort_people(person_ids: Iterable[str]) -> list[str]:
    """``person_ids`` unique and sorted like every listing of people (numeric ids numerically)."""
    return sorted(set(person_ids), key=id_sort_key)


@lru_cache(maxsize=1 << 18)  # called for every id of every sorted listing: millions of times at scale
def id_sort_key(person_id: str) -> tuple:
    """Sort key of a person id: numeric ids numerically ("2" before "10"), others alphabetically after them."""
    return (0, int(person_id), "") if person_id.isdigit() else (1, 0, person_id)


# -- holdings --------------------------------------------------------------------------------------

def holders(G: nx.DiGraph, responsibility: str, levels: Iterable[str] = ("A",), scope: str | None = None) -> list[str]:
    """Ids of the people holding ``responsibility`` at one of ``levels``, in ``scope`` (None: everybody).

    ``levels`` is an iterable of letters, so ``"AR"`` means A or R.
    """
    wanted = set(levels)
    node = responsibility_node(responsibility)
    if node not in G:
        return []
    found = []
    for member, _, data in G.in_edges(node, data=True):
        if data.get("rel") == HOLDS and data["level"] in wanted:
            attrs = G.nodes[member]
            if scope is None or attrs["scope"] == scope:
                found.append(attrs["id"])
    return sort_people(found)


def holding(G: nx.DiGraph, person_id: str, responsibility: str) -> dict | None:
    """Edge data of a person's hold on a responsibility, or None."""
    return G.get_edge_data(person_node(person_id), responsibility_node(responsibility))


def person_holdings(G: nx.DiGraph, person_id: str) -> Iterator[tuple[str, dict]]:
    """(responsibility id, edge data) for everything a person holds."""
    for target, data in G.succ[person_node(person_id)].items():  # adjacency dict: the hot path of every rule
        if data.get("rel") == HOLDS:
            yield G.nodes[target]["id"], data


def level_of(G: nx.DiGraph, person_id: str, responsibility: str) -> Level | None:
    data = holding(G, person_id, responsibility)
    return Level(data["level"]) if data else None


def levels_of(G: nx.DiGraph, person_id: str) -> dict[str, str]:
    """responsibility id -> RACI letter for everything a person holds."""
    return {resp: data["level"] for resp, data in person_holdings(G, person_id)}


def scope_index(G: nx.DiGraph) -> ScopeIndex:
    """scope -> responsibility -> level -> sorted holder ids, built in one pass over the edges.

    Rules that look at every responsibility in every scope read this instead of calling
    :func:`holders` per scope, so their cost grows with the number of edges, not scopes x people.
    """
    index: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for source, target, data in G.edges(data=True):
        if data.get("rel") == HOLDS:
            attrs = G.nodes[source]
            index[attrs["scope"]][G.nodes[target]["id"]][data["level"]].append(attrs["id"])
    return {scope: {resp: {level: sort_people(ids) for level, ids in sorted(levels.items())}
                    for resp, levels in sorted(by_resp.items())}
            for scope, by_resp in sorted(index.items())}


# -- management chain ------------------------------------------------------------------------------

def manager_of(G: nx.DiGraph, person_id: str) -> str | None:
    """Id of the person's manager when the manager is in the export, else None."""
    for target, data in G.succ[person_node(person_id)].items():
        if data.get("rel") == REPORTS_TO:
            return G.nodes[target]["id"]
    return None


def reports_of(G: nx.DiGraph, person_id: str) -> list[str]:
    """Ids of the person's direct reports."""
    return sort_people(G.nodes[source]["id"] for source, _, data in G.in_edges(person_node(person_id), data=True)
                       if data.get("rel") == REPORTS_TO)


def manager_map(G: nx.DiGraph) -> dict[str, str]:
    """person id -> manager id, for everyone whose manager is in the export (one pass over the edges)."""
    return {G.nodes[source]["id"]: G.nodes[target]["id"]
            for source, target, data in G.edges(data=True) if data.get("rel") == REPORTS_TO}


def management_chain(G: nx.DiGraph, person_id: str, managers: Mapping[str, str] | None = None) -> list[str]:
    """Ids of the person's managers, nearest first (stops at a cycle or at a manager outside the export).

    ``managers`` (from :func:`manager_map`) saves looking every manager up in the graph when many
    chains are needed.
    """
    manager = managers.get if managers is not None else partial(manager_of, G)
    chain: list[str] = []
    seen = {person_id}
    current = manager(person_id)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = manager(current)
    return chain


def manages(G: nx.DiGraph, manager_id: str, person_id: str) -> bool:
    """True when ``manager_id`` is somewhere up ``person_id``'s management chain."""
    return manager_id in management_chain(G, person_id)


# -- delivery teams --------------------------------------------------------------------------------

def is_delivery_scope(G: nx.DiGraph, scope: str) -> bool:
    """True when the scope has a member of a delivery family (engineers)."""
    return any(person(G, pid).get("delivery") for pid in people_in_scope(G, scope))


def delivery_scopes(G: nx.DiGraph) -> list[str]:
    """Scopes with engineers in them, sorted."""
    return sorted({data["scope"] for _, data in G.nodes(data=True)
                   if data.get("kind") == "person" and data.get("delivery")})
