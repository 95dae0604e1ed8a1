"""The graph as tables for the finding rules, read in one pass over its people and their edges.

Rules look up people's attributes, holdings, scopes and managers hundreds of thousands of times at
scale; going through networkx's views for each lookup cost more than the rules themselves. The pass
visits people in the order every listing uses (:func:`analyzer.graph.sort_people`), so the lists of
ids it builds are already sorted and need no sorting afterwards.

Examples
--------
>>> import networkx as nx
>>> from analyzer import graph as g
>>> G = nx.DiGraph()
>>> G.add_node(g.responsibility_node("backlog_management"), kind="responsibility", id="backlog_management")
>>> _ = g.add_person(G, "10", name="Bo", title="PO", team="Search", role="product_owner")
>>> _ = g.add_person(G, "2", name="Ada", title="PO", team="Search", role="product_owner")
>>> g.add_holding(G, "10", "backlog_management", "A"); g.add_holding(G, "2", "backlog_management", "A")
>>> tables = read_tables(G, {"backlog_management"})
>>> tables.index["Search"]["backlog_management"], tables.members, tables.by_role
({'A': ['2', '10']}, {'Search': ['2', '10']}, {'product_owner': ['2', '10']})
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import networkx as nx

from analyzer import graph as g
from analyzer.overlap import LEVEL_WEIGHTS


@dataclass
class Tables:
    """What the rules read of the graph (lists of person ids are sorted the graph's way)."""

    attrs: dict[str, dict]  # person id -> the person node's attribute dict (the graph's own)
    adjacency: dict[str, dict]  # person id -> the graph's successor dict of the person (node -> edge data)
    rank: dict[str, int]  # person id -> position in the sorted listing of people
    index: dict[str, dict[str, dict[str, list[str]]]]  # scope -> responsibility -> level -> holders
    members: dict[str, list[str]]  # scope -> member ids (sorted scopes)
    org_levels: dict[str, dict[str, list[str]]]  # responsibility -> level -> holders, whole organisation
    by_role: dict[str, list[str]]  # canonical role -> people with that role
    managers: dict[str, str]  # person id -> manager id (managers in the export only)
    node_ids: dict[str, str]  # node key -> bare id, for the nodes people point to
    vectors: dict[str, dict[str, float]]  # person id -> responsibility -> RACI weight (every holding)
    doing: dict[str, frozenset[str]]  # person id -> responsibilities held at A or R (people with any)


def read_tables(G: nx.DiGraph, responsibilities: Collection[str]) -> Tables:
    """Read the graph once; ``responsibilities`` (the model's, in its order) limit the holding indexes.

    ``index`` keeps only scopes whose members hold something, responsibilities in the order of
    ``responsibilities`` and levels in alphabetical order, as :func:`analyzer.graph.scope_index` does.
    """
    attrs: dict[str, dict] = {}
    node_of: dict[str, str] = {}
    node_ids: dict[str, str] = {}
    for node, data in G.nodes(data=True):
        if data.get("kind") == "person":
            attrs[data["id"]] = data
            node_of[data["id"]] = node
        if "id" in data:
            node_ids[node] = data["id"]
    order = g.sort_people(attrs)
    rank = {pid: position for position, pid in enumerate(order)}
    adjacency_of = dict(G.adjacency())  # node -> {target node: edge data}: the graph's own dicts
    wanted = {g.responsibility_node(resp): resp for resp in responsibilities}
    adjacency: dict[str, dict] = {}
    members: dict[str, list[str]] = {}
    by_role: dict[str, list[str]] = {}
    managers: dict[str, str] = {}
    scoped: dict[str, dict[str, dict[str, list[str]]]] = {}
    org: dict[str, dict[str, list[str]]] = {}
    vectors: dict[str, dict[str, float]] = {}
    doing: dict[str, frozenset[str]] = {}
    weights = LEVEL_WEIGHTS
    for pid in order:  # the hot loop of the findings stage: one step per edge of the graph
        data = attrs[pid]
        scope = data["scope"]
        ids = members.get(scope)
        if ids is None:
            members[scope] = [pid]
        else:
            ids.append(pid)
        if data.get("role"):
            by_role.setdefault(data["role"], []).append(pid)
        targets = adjacency[pid] = adjacency_of[node_of[pid]]
        by_resp = None
        vector = vectors[pid] = {}
        done = []
        for target, edge in targets.items():
            rel = edge.get("rel")
            if rel == g.HOLDS:
                level = edge["level"]
                vector[node_ids[target]] = weights[level]
                if by_resp is None:
                    by_resp = scoped.get(scope)
                    if by_resp is None:
                        by_resp = scoped[scope] = {}
                resp = wanted.get(target)
                if resp is None:  # not a responsibility of the model
                    continue
                if level == "A" or level == "R":
                    done.append(resp)
                levels = by_resp.get(resp)
                if levels is None:
                    by_resp[resp] = {level: [pid]}
                elif (holders := levels.get(level)) is None:
                    levels[level] = [pid]
                else:
                    holders.append(pid)
                levels = org.get(resp)
                if levels is None:
                    org[resp] = {level: [pid]}
                elif (holders := levels.get(level)) is None:
                    levels[level] = [pid]
                else:
                    holders.append(pid)
            elif rel == g.REPORTS_TO:
                managers[pid] = node_ids[target]
        if done:
            doing[pid] = frozenset(done)
    position = {resp: index for index, resp in enumerate(responsibilities)}
    index = {scope: {resp: _sorted_levels(by_resp[resp]) for resp in sorted(by_resp, key=position.__getitem__)}
             for scope in sorted(scoped) for by_resp in (scoped[scope],)}
    return Tables(attrs=attrs, adjacency=adjacency, rank=rank, index=index,
                  members={scope: members[scope] for scope in sorted(members)}, org_levels=org,
                  by_role=by_role, managers=managers, node_ids=node_ids, vectors=vectors, doing=doing)


def _sorted_levels(by_level: dict[str, list[str]]) -> dict[str, list[str]]:
    """The levels in alphabetical order (A, C, I, R), as every index lists them."""
    return by_level if len(by_level) == 1 else {level: by_level[level] for level in sorted(by_level)}
