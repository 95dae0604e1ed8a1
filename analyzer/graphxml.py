"""Streaming GraphML and GEXF writers for :mod:`analyzer.graphio`: networkx's documents, line by line.

networkx builds each document as an ElementTree first (gigabytes for 100,000 people) and serialises it
after. These writers print what networkx's writers print for ``graphio._portable(G)`` (the tests compare
the two on any graph): the same element and attribute order, ElementTree's escaping and two-space indent,
and ElementTree's ASCII output (other characters as ``&#NNN;`` references). A graph using something
networkx treats specially (a graph name or id, node or edge attributes such as ``start``, ``pid``,
``weight``, default values, values of other types) raises :class:`NotStreamable`, and graphio hands it
to networkx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import networkx as nx

from analyzer.graphio import _KIND_COLOURS, GEXF_ID_ATTRIBUTE, GRAPH_FORMAT, _scalar, xml_safe


class NotStreamable(Exception):
    """A graph the streaming writers leave to networkx (it uses something networkx treats specially)."""


_GRAPHML_TYPES = {str: "string", bool: "boolean", int: "long", float: "double"}
_GRAPHML_ROOT = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                 'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                 'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
_GEXF_NS = "http://www.gexf.net/1.2draft"
_GEXF_NODE_SPECIAL = ("id", "ref", "pid", "start", "end", "parents", "spells", "slices", "viz")
_GEXF_EDGE_SPECIAL = ("id", "weight", "type", "start", "end", "spells", "slices", "viz")


def _text(value: str) -> str:
    """ElementTree's escaping of element text, then its ASCII output (other characters as references).

    Values are escaped one by one (most of them once: the writers remember the lines of repeated
    values), so the document is ASCII as it is built and never re-encoded whole.
    """
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value if value.isascii() else _ascii(value)


def _attribute(value: str) -> str:
    """ElementTree's escaping of an attribute value, in ASCII like :func:`_text`."""
    value = _text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#09;")
    return value


def _ascii(document: str) -> str:
    """ElementTree's serialisation: ASCII, other characters as character references."""
    return document.encode("ascii", "xmlcharrefreplace").decode("ascii")


# str.splitlines also breaks lines at these; only raw graph attributes and node keys (never xml_safe'd) hold them
_OTHER_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e"


def as_networkx_prints(document: str) -> str:
    """The (ASCII) document as networkx's generate_graphml yields it: split into lines, joined by "\\n"."""
    if any(character in document for character in _OTHER_LINE_BREAKS):  # one fast scan each, unlike a regex
        return "\n".join(document.splitlines())
    return document


def _portable_items(data: dict, cache: dict) -> list[tuple[str, object]]:
    """(name, value) of a node's or edge's attributes as _portable stores them.

    ``cache`` keeps the stored form of strings and lists met before: most values repeat (kinds, teams,
    RACI letters, the evidence of one description on all its holders).
    """
    items = []
    for name, value in data.items():
        if type(value) is str:
            safe = cache.get(value)
            if safe is None:
                safe = cache[value] = xml_safe(value)
            value = safe
        elif type(value) is list:  # evidence: the same few statements on many edges
            key = tuple(value)
            safe = cache.get(key)
            if safe is None:
                safe = cache[key] = _scalar(value)
            value = safe
        elif type(value) not in _GRAPHML_TYPES:
            value = _scalar(value)
        if type(name) is not str or type(value) not in _GRAPHML_TYPES:
            raise NotStreamable
        items.append((name, value))
    return items


def _edge_items(data: dict, cache: dict) -> list[tuple[str, object]]:
    items = _portable_items(data, cache)
    label = data.get("level") or data.get("rel", "")
    if type(label) is not str:
        raise NotStreamable
    names = [name for name, _ in items]
    if "label" in names:
        items[names.index("label")] = ("label", label)
    else:
        items.append(("label", label))
    return items


def graphml_lines(G: nx.DiGraph) -> Iterator[str]:
    graph_data = {**G.graph, "graph_format": GRAPH_FORMAT}
    if not G.is_directed() or G.is_multigraph() or {"id", "node_default", "edge_default"} & set(graph_data):
        raise NotStreamable
    keys: dict[str, dict[tuple[str, type], str]] = {"graph": {}, "node": {}, "edge": {}}  # scope -> key ids
    declared: list[str] = []
    lines: dict[str, dict[str, str]] = {}  # key id -> text -> its data line (texts repeat a lot)

    def key(name: str, value: object, scope: str) -> str:
        kind = _GRAPHML_TYPES.get(type(value))
        if kind is None or type(name) is not str:
            raise NotStreamable
        found = keys[scope][(name, type(value))] = f"d{len(declared)}"
        declared.append(f'  <key id="{found}" for="{scope}" attr.name="{_attribute(name)}" attr.type="{kind}" />')
        lines[found] = {}
        return found

    def data_lines(items: list[tuple[str, object]], scope: str, indent: str = "      ") -> Iterator[str]:
        known = keys[scope]
        for name, value in items:
            kind = type(value)
            ident = known.get((name, kind)) or key(name, value, scope)
            if kind is not str:
                yield f'{indent}<data key="{ident}">{value}</data>'
                continue
            seen = lines[ident]
            line = seen.get(value)
            if line is None:
                text = _text(value)
                line = seen[value] = (f'{indent}<data key="{ident}">{text}</data>' if text
                                      else f'{indent}<data key="{ident}" />')
            yield line

    graph_lines = list(data_lines(list(graph_data.items()), "graph", "    "))
    body: list[str] = []
    cache: dict = {}
    for node, data in G.nodes(data=True):
        items = _portable_items(data, cache)
        opening = f'    <node id="{_attribute(str(node))}"'
        if not items:
            body.append(opening + " />")
            continue
        body.append(opening + ">")
        body.extend(data_lines(items, "node"))
        body.append("    </node>")
    for source, target, data in G.edges(data=True):
        body.append(f'    <edge source="{_attribute(str(source))}" target="{_attribute(str(target))}">')
        body.extend(data_lines(_edge_items(data, cache), "edge"))
        body.append("    </edge>")
    body += graph_lines
    yield _GRAPHML_ROOT
    yield from reversed(declared)  # networkx inserts each new key first
    if body:
        yield '  <graph edgedefault="directed">'
        yield from body
        yield "  </graph>"
    else:
        yield '  <graph edgedefault="directed" />'
    yield "</graphml>"


def _gexf_value(value: object) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    text = str(value)
    if type(value) is float:
        text = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text)
    return _attribute(text)


def gexf_lines(G: nx.DiGraph) -> Iterator[str]:
    if not G.is_directed() or G.is_multigraph() or {"name", "mode"} & set(G.graph):
        raise NotStreamable
    graph_data = {**G.graph, "graph_format": GRAPH_FORMAT}
    ids: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    declared: dict[str, list[str]] = {"node": [], "edge": []}
    counter = 0

    def attr_id(name: str, value: object, scope: str) -> str:
        nonlocal counter
        kind = _GRAPHML_TYPES.get(type(value))
        if kind is None:
            raise NotStreamable
        found = ids[scope][name] = str(counter)
        counter += 1
        declared[scope].append(f'      <attribute id="{found}" title="{_attribute(name)}" type="{kind}" />')
        return found

    seen: dict[str, dict[object, str]] = {}  # attribute id -> text -> its attvalue line (texts repeat a lot)

    def attvalues(items: list, scope: str, known: dict) -> Iterator[str]:
        yield "        <attvalues>"
        for name, value in items:
            ident = known.get(name) or attr_id(name, value, scope)
            if type(value) is not str:
                yield f'          <attvalue for="{ident}" value="{_gexf_value(value)}" />'
                continue
            lines = seen.setdefault(ident, {})
            line = lines.get(value)
            if line is None:
                line = lines[value] = f'          <attvalue for="{ident}" value="{_attribute(value)}" />'
            yield line
        yield "        </attvalues>"

    nodes: list[str] = []
    cache: dict = {}
    known = ids["node"]
    checked: set[tuple] = set()  # attribute names met before (one set of names per kind of node or edge)
    for node, data in G.nodes(data=True):
        names = tuple(data)
        if names not in checked:
            if (set(names) - {"id", "label"}) & set(_GEXF_NODE_SPECIAL):
                raise NotStreamable
            checked.add(names)
        items = _portable_items(data, cache)
        ref, label = "", node  # gexf_text moves a node's bare id to "ref" (GEXF's id is the node key)
        if "id" in data or "label" in data:
            ref = next((value for name, value in items if name == "id"), "")
            label = next((value for name, value in items if name == "label"), node)
            items = [(name, value) for name, value in items if name != "id" and name != "label"]
        items.append((GEXF_ID_ATTRIBUTE, ref))
        r, g, b = _KIND_COLOURS.get(next((value for name, value in items if name == "kind"), ""), (0, 0, 0))
        nodes.append(f'      <node id="{_attribute(str(node))}" label="{_attribute(str(label))}">')
        nodes.append(f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />')
        nodes.extend(attvalues(items, "node", known))
        nodes.append("      </node>")
    edges: list[str] = []
    known = ids["edge"]
    for number, (source, target, data) in enumerate(G.edges(data=True)):
        names = tuple(data)
        if names not in checked:
            if set(names) & set(_GEXF_EDGE_SPECIAL):
                raise NotStreamable
            checked.add(names)
        label = data.get("level") or data.get("rel", "")  # _portable's edge label (GEXF's own attribute)
        if type(label) is not str:
            raise NotStreamable
        items = _portable_items(data, cache)
        if "label" in data:
            items = [(name, value) for name, value in items if name != "label"]
        opening = (f'      <edge source="{_attribute(str(source))}" target="{_attribute(str(target))}" '
                   f'id="{number}" label="{_attribute(label)}"')
        if not items:
            edges.append(opening + " />")
            continue
        edges.append(opening + ">")
        edges.extend(attvalues(items, "edge", known))
        edges.append("      </edge>")
    description = _text(json.dumps(graph_data, sort_keys=True, ensure_ascii=False))
    namespaces = f'xmlns:viz="{_GEXF_NS}/viz" ' if nodes else ""
    yield (f'<gexf {namespaces}xmlns="{_GEXF_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:schemaLocation="{_GEXF_NS} {_GEXF_NS}/gexf.xsd" version="1.2">')
    yield from ("  <meta>", "    <creator>org-overlap-analyzer</creator>",
                f"    <description>{description}</description>", "  </meta>")
    yield '  <graph defaultedgetype="directed" mode="static" name="">'
    for scope in ("edge", "node"):  # networkx inserts the attributes of each class first, edges come last
        if declared[scope]:
            yield f'    <attributes mode="static" class="{scope}">'
            yield from declared[scope]
            yield "    </attributes>"
    for tag, lines in (("nodes", nodes), ("edges", edges)):
        if lines:
            yield f"    <{tag}>"
            yield from lines
            yield f"    </{tag}>"
        else:
            yield f"    <{tag} />"
    yield "  </graph>"
    yield "</gexf>"
