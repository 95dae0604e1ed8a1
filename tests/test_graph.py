"""The accountability graph: builder, query functions, vacancy detection and file round trips."""

from __future__ import annotations

import json
from dataclasses import replace

import networkx as nx
import pytest
import yaml
from conftest import TINY_MODEL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orgs import engineer, org, person

from analyzer import graph as g
from analyzer.errors import InputError
from analyzer.graphio import (
    _gexf_text_networkx,
    _portable,
    gexf_text,
    graphml_text,
    node_link_text,
    parse_graph,
    read_graph,
    write_graph_files,
    xml_safe,
)
from analyzer.model import parse_model
from analyzer.report import parse_formats, write_reports


@pytest.fixture(scope="module")
def model():
    return parse_model(yaml.safe_load(TINY_MODEL), "tiny.yaml")


@pytest.fixture(scope="module")
def analysis(model):
    return org(
        model,
        person("1", name="Ann Lee", title="Senior Product Owner, Search", manager="3", role="product_owner",
               holds={"backlog_management": ("A", "Own the backlog; decide what ships."), "acceptance_criteria": "R"}),
        engineer("2", manager="3", holds={"technical_delivery": "R"}),
        person("3", name="Dee Fox", title="Engineering Manager", role="engineering_manager", team="Leadership",
               holds={"technical_delivery": "A", "hiring": "A"}),
        person("4", name="", title="Product Manager", team=None, manager="3", role="product_manager",
               holds={"roadmap_prioritization": "A"}),
        person("5", name="Zed", title="Scrum Master", team=None, role="scrum_master", holds={"scrum_ceremonies": "C"}),
    )


def test_nodes_and_edges_of_every_kind(analysis):
    G = analysis.graph
    kinds = {data["kind"] for _, data in G.nodes(data=True)}
    assert kinds == {"person", "role", "family", "responsibility", "team"}
    edge = G.edges["person:1", "responsibility:backlog_management"]
    assert edge == {"rel": "holds", "level": "A", "score": 0.9, "evidence": ["Own the backlog; decide what ships."]}
    assert G.edges["person:1", "role:product_owner"]["rel"] == "is"
    assert G.edges["person:2", "family:software_engineering"]["rel"] == "is"
    assert G.edges["person:1", "person:3"]["rel"] == "reports_to"
    assert G.edges["person:1", "team:Search"]["rel"] == "member_of"
    assert G.nodes["responsibility:hiring"] == {"kind": "responsibility", "id": "hiring", "label": "Hiring",
                                                "owner": "engineering_manager", "impact": "high"}
    assert G.graph == {"model_id": "tiny", "model_version": "0.0.1", "input": "org.csv"}


def test_person_attributes_scope_and_title_key(analysis):
    ann = g.person(analysis.graph, "1")
    assert (ann["label"], ann["scope"], ann["title_key"], ann["status"], ann["manager_id"]) == (
        "Ann Lee", "Search", "product owner", "active", "3")
    assert g.person(analysis.graph, "4")["scope"] == "reports of 3"
    assert g.person(analysis.graph, "5")["scope"] == g.ORG_SCOPE
    assert g.person(analysis.graph, "4")["status"] == "vacant"  # a title without a name
    assert analysis.graph.nodes["team:reports of 3"]["derived"] is True
    assert analysis.graph.nodes["team:Search"]["derived"] is False


def test_ingest_scope_wins_over_the_team(model):
    moved = person("1", title="Product Owner", team="Search", role="product_owner")
    moved = replace(moved, record=replace(moved.record, scope="team of Dee Fox (3)"))
    G = org(model, moved).graph
    assert g.scopes(G) == ["team of Dee Fox (3)"] and g.person(G, "1")["team"] == "Search"


def test_a_description_that_reads_as_engineering_counts_when_the_title_says_nothing(model):
    def staff(content_family, title="Member of Technical Staff", role=None):
        someone = person("7", title=title, team="Ledger", role=role)
        return replace(someone, role=replace(someone.role, content_family=content_family))

    G = org(model, staff("software_engineering")).graph
    assert g.delivery_scopes(G) == ["Ledger"]
    assert ("person:7", "family:software_engineering") in G.edges
    # A title's family or product role is what the person is counted as, whatever the description reads as.
    assert g.delivery_scopes(org(model, staff("software_engineering", role="product_manager")).graph) == []
    assert g.delivery_scopes(org(model, staff(None)).graph) == []


def test_query_functions(analysis):
    G = analysis.graph
    assert g.people(G) == ["1", "2", "3", "4", "5"]
    assert g.scopes(G) == ["Leadership", "Search", "org", "reports of 3"]
    assert g.people_in_scope(G, "Search") == ["1", "2"] and g.people_in_scope(G, "nowhere") == []
    assert g.holders(G, "technical_delivery", "AR") == ["2", "3"]
    assert g.holders(G, "technical_delivery", "AR", scope="Search") == ["2"]
    assert g.level_of(G, "1", "acceptance_criteria").value == "R" and g.level_of(G, "1", "hiring") is None
    assert g.levels_of(G, "1") == {"backlog_management": "A", "acceptance_criteria": "R"}
    assert g.manager_of(G, "1") == "3" and g.management_chain(G, "1") == ["3"] and g.manages(G, "3", "2")
    assert g.reports_of(G, "3") == ["1", "2", "4"]
    assert g.delivery_scopes(G) == ["Search"] and g.is_delivery_scope(G, "Search")
    assert g.scope_index(G)["Search"]["technical_delivery"] == {"R": ["2"]}
    assert g.scope_members(G)["reports of 3"] == ["4"]


def test_management_chain_stops_at_a_cycle(model):
    G = org(model, person("1", manager="2"), person("2", manager="3"), person("3", manager="1")).graph
    assert g.management_chain(G, "1") == ["2", "3"]


def test_people_sort_numerically_then_alphabetically():
    assert g.sort_people(["10", "b", "2", "a", "2"]) == ["2", "10", "a", "b"]


@pytest.mark.parametrize(("name", "title", "expected"), [
    ("TBH", "Product Owner", "vacant"),
    ("Open position", "Scrum Master", "vacant"),
    ("Req #4411", "Engineer", "vacant"),
    ("", "Product Owner (vacant)", "vacant"),
    ("Ann Lee", "Product Owner - Open", "vacant"),
    ("Jo Doe (left)", "Product Owner", "departed"),
    ("Former employee", "PM", "departed"),
    ("Ann Lee", "Hiring Manager", "active"),
    ("Ann Lee", "Open Source Engineer", "active"),
    ("Openshaw, Tim", "Product Manager", "active"),
    ("Ann Lee", "Executive Assistant", "active"),
])
def test_vacancy_vocabulary(name, title, expected):
    assert g.position_status(name, title)[0] == expected


def test_empty_names_are_not_vacancies_without_a_name_column():
    assert g.position_status("", "Product Owner", has_name_column=False) == ("active", "")


# -- files -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_round_trip_through_each_format(analysis, fmt):
    writer = {"graphml": graphml_text, "gexf": gexf_text, "json": node_link_text}[fmt]
    text = writer(analysis.graph)
    back = parse_graph(text, fmt)
    assert nx.utils.graphs_equal(analysis.graph, back)
    assert back.edges["person:1", "responsibility:backlog_management"]["evidence"] == [
        "Own the backlog; decide what ships."]
    assert writer(analysis.graph) == text  # deterministic


def test_graphml_and_gexf_hold_readable_labels_and_json_evidence(analysis):
    graphml, gexf = graphml_text(analysis.graph), gexf_text(analysis.graph)
    assert 'attr.name="label"' in graphml and ">Ann Lee<" in graphml
    assert '>["Own the backlog; decide what ships."]<' in graphml
    assert 'label="Ann Lee"' in gexf and 'label="Backlog management"' in gexf
    assert "lastmodifieddate" not in gexf and "viz:color" in gexf
    data = json.loads(node_link_text(analysis.graph))
    assert {"key": "person:1", "id": "1"}.items() <= next(n for n in data["nodes"] if n["key"] == "person:1").items()


def test_write_and_read_files(analysis, tmp_path):
    paths = write_graph_files(analysis.graph, tmp_path)
    assert [p.name for p in paths] == ["graph.graphml", "graph.gexf", "graph.json"]
    for path in paths:
        assert nx.utils.graphs_equal(read_graph(path), analysis.graph), path.name


def test_reading_bad_graph_files_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="unknown graph format"):
        read_graph(tmp_path / "graph.txt")
    with pytest.raises(InputError, match="file not found"):
        read_graph(tmp_path / "missing.graphml")
    broken = tmp_path / "broken.graphml"
    broken.write_text("<graphml><oops", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable graphml graph"):
        read_graph(broken)


def test_graph_is_a_report_format(analysis, tmp_path):
    assert "graph" in parse_formats(None) and parse_formats("graph") == ("graph",)
    written = write_reports(analysis, tmp_path, ("graph",))
    assert sorted(p.name for p in written) == ["graph.gexf", "graph.graphml", "graph.json"]
    assert nx.utils.graphs_equal(read_graph(tmp_path / "graph.gexf"), analysis.graph)


names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(names, names, st.sampled_from(["Search", "Pay & <Ops>", None]),
                          st.dictionaries(st.sampled_from(["hiring", "backlog_management"]), st.sampled_from("ARCI"))),
                min_size=1, max_size=6))
def test_any_text_survives_every_format(model, rows):
    people = [person(str(n), name=name, title=title, team=team,
                     holds={resp: (level, f"{name}: {title}") for resp, level in holds.items()})
              for n, (name, title, team, holds) in enumerate(rows, start=1)]
    G = org(model, *people).graph
    for fmt, writer in (("graphml", graphml_text), ("gexf", gexf_text), ("json", node_link_text)):
        back = parse_graph(writer(G), fmt)
        keep = (lambda text: text) if fmt == "json" else xml_safe
        assert sorted(back.nodes) == sorted(G.nodes) and sorted(back.edges) == sorted(G.edges), fmt
        for node, data in G.nodes(data=True):
            assert back.nodes[node]["label"] == keep(data["label"]), fmt
        for u, v, data in G.edges(data=True):
            assert back.edges[u, v].get("evidence") == data.get("evidence"), fmt  # JSON inside: exact


# -- the streaming writers print networkx's documents ---------------------------------------------------

def _networkx_graphml(G: nx.DiGraph) -> str:
    return "\n".join(nx.generate_graphml(_portable(G), prettyprint=True)) + "\n"


def test_streaming_writers_print_what_networkx_prints(analysis):
    assert graphml_text(analysis.graph) == _networkx_graphml(analysis.graph)
    assert gexf_text(analysis.graph) == _gexf_text_networkx(analysis.graph)


odd_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)
scalars = st.one_of(odd_text, st.integers(-5, 10**12), st.booleans(), st.none(),
                    st.floats(allow_nan=True, allow_infinity=True), st.lists(odd_text, max_size=3))
node_names = st.sampled_from(["kind", "label", "id", "team", "row", "x"])
edge_names = st.sampled_from(["rel", "level", "score", "evidence", "label"])


@settings(max_examples=80, deadline=None)
@given(nodes=st.lists(st.tuples(odd_text, st.dictionaries(node_names, scalars, max_size=5)), max_size=5),
       edges=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.dictionaries(edge_names, scalars, max_size=4)),
                      max_size=6),
       graph=st.dictionaries(st.sampled_from(["model_id", "input", "count"]), st.one_of(odd_text, st.integers()),
                             max_size=3))
def test_streaming_writers_match_networkx_on_any_graph(nodes, edges, graph):
    """Any text (markup, quotes, line breaks, control characters, non-ASCII), numbers, NaN, lists, empty graphs."""
    G = nx.DiGraph(**graph)
    for key, data in nodes:
        G.add_node(f"person:{key}", **data)
    keys = list(G)
    for source, target, data in edges:
        if keys:
            G.add_edge(keys[source % len(keys)], keys[target % len(keys)], **data)
    assert _outcome(graphml_text, G) == _outcome(_networkx_graphml, G)
    assert _outcome(gexf_text, G) == _outcome(_gexf_text_networkx, G)


def _outcome(writer, G: nx.DiGraph) -> str:
    """The text, or the error for graphs networkx cannot write (a None edge label): the same either way."""
    try:
        return writer(G)
    except (nx.NetworkXError, TypeError) as exc:
        return f"{type(exc).__name__}: {exc}"


def test_graphs_the_streaming_writers_leave_to_networkx_still_round_trip(analysis):
    G = analysis.graph.copy()
    G.graph["name"] = "named"  # GEXF writes a graph name as an attribute of <graph>
    nx.set_node_attributes(G, {"person:1": 7}, "start")  # ... and a node's start as a time
    assert gexf_text(G) == _gexf_text_networkx(G)
    G.graph["node_default"] = {"kind": "person"}  # GraphML writes defaults into its keys
    assert graphml_text(G) == _networkx_graphml(G)

def _person_by_person(analysis, model) -> nx.DiGraph:
    """The graph as add_person and add_holding build it, one person at a time (what build_graph must equal)."""
    from analyzer.mapping.titles import TitleReader

    G = nx.DiGraph(model_id=model.id, model_version=model.version, input=analysis.input_path)
    for role in model.roles:
        G.add_node(g.role_node(role.id), kind="role", id=role.id, label=role.name)
    for family in model.families:
        G.add_node(g.family_node(family.id), kind="family", id=family.id, label=family.name, delivery=family.delivery)
    for resp in model.responsibilities:
        G.add_node(g.responsibility_node(resp.id), kind="responsibility", id=resp.id, label=resp.name,
                   owner=resp.owner, impact=resp.impact)
    titles, delivery = TitleReader(model), {family.id for family in model.families if family.delivery}
    for p in analysis.people:
        record = p.record
        g.add_person(G, record.id, name=record.name, title=record.title, team=record.team, role=p.role.canonical,
                     family=p.role.family, scope=g.scope_of(p), manager_id=record.manager_id, row=record.row,
                     confidence=p.role.confidence, title_only=p.title_only,
                     title_key=g._title_key(titles, record.title), delivery=p.role.family in delivery,
                     has_name_column="name" in analysis.columns, description_key=g.description_key(record.text))
        for item in p.holdings:
            g.add_holding(G, record.id, item.responsibility, item.level, item.score, item.evidence)
    known = {p.id for p in analysis.people}
    for p in analysis.people:
        if p.record.manager_id and p.record.manager_id in known and p.record.manager_id != p.id:
            G.add_edge(g.person_node(p.id), g.person_node(p.record.manager_id), rel=g.REPORTS_TO)
    return G


def test_bulk_build_equals_person_by_person_including_order(analysis, model):
    from analyzer.records import Holding, Level

    odd = person("7", name="TBH", title="Chief Vibes Officer", team="Search", manager="1", role="vibes_officer",
                 holds={"hiring": "C"})
    twice = Holding("hiring", Level.A, 0.5, ("Hire people.",))
    odd = replace(odd, holdings=(*odd.holdings, Holding("not_in_model", Level.R, 0.7, ("Other work.",)), twice))
    shared = replace(analysis.people[0], record=replace(analysis.people[0].record, id="8", row=8))  # same holdings
    people = [*analysis.people, odd, shared, person("9", title="Designer", team="New team", family="design")]
    whole = replace(analysis, people=people)
    built, reference = g.build_graph(whole, model), _person_by_person(whole, model)
    assert list(built.nodes(data=True)) == list(reference.nodes(data=True))
    assert list(built.edges(data=True)) == list(reference.edges(data=True))
    assert [list(built.pred[node]) for node in built] == [list(reference.pred[node]) for node in reference]
    assert built.graph == reference.graph
    evidence = [data["evidence"] for _, _, data in built.edges(data=True) if data["rel"] == g.HOLDS]
    assert len({id(item) for item in evidence}) == len(evidence)  # every edge has its own evidence list
