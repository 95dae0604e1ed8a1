"""Write the accountability graph as GraphML, GEXF and node-link JSON, and read those files back.

The three files hold the same graph (see :mod:`analyzer.graph` for nodes and edges):

``graph.graphml``
    For yEd, Gephi, Cytoscape and networkx. Every node has a ``label`` (a person's name, a role's or
    responsibility's name, a team's name) and a ``kind``; yEd shows attributes under Properties and
    can turn ``label`` into the visible label with *Edit > Properties Mapper*.
``graph.gexf``
    For Gephi (GEXF 1.2). Labels are native; nodes are coloured by kind. GEXF keeps a node's key in its
    ``id``, so the bare id (``"17"`` for ``person:17``) is written as the attribute ``ref``. Graph
    attributes (model id and version, input path, format) are stored as JSON in ``meta/description``.
``graph.json``
    networkx node-link data (``nodes``, ``edges``, ``graph``); each node's key is under ``key``.

GraphML and GEXF cannot store lists: the ``evidence`` of an edge is written as a JSON array in a
string (``["Own the backlog.", "Decide what ships."]``), which Gephi shows as text and the readers turn
back into a list. XML cannot hold most control characters: they are dropped from text attributes, and
line ends become ``\n`` (:func:`xml_safe`); node-link JSON keeps every character. For readability,
edges also get a ``label``: the RACI letter for ``holds`` edges, the relation otherwise; the readers
drop it again. Files are deterministic: no dates, no versions.

Examples
--------
>>> G = nx.DiGraph(model_id="m")
>>> G.add_node("person:1", kind="person", id="1", label="Ada")
>>> G.add_node("responsibility:hiring", kind="responsibility", id="hiring", label="Hiring")
>>> G.add_edge("person:1", "responsibility:hiring", rel="holds", level="A", score=0.9, evidence=["Hire."])
>>> H = parse_graph(graphml_text(G), "graphml")
>>> H.edges["person:1", "responsibility:hiring"]["evidence"]
['Hire.']
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from analyzer.errors import InputError, Problem
from analyzer.records import Analysis

GRAPH_FORMAT = 1
GRAPH_FILES = {"graphml": "graph.graphml", "gexf": "graph.gexf", "json": "graph.json"}
LIST_ATTRIBUTES = ("evidence",)
GEXF_ID_ATTRIBUTE = "ref"
_KIND_COLOURS = {  # Gephi node colours by kind (r, g, b)
    "person": (66, 133, 244), "role": (52, 168, 83), "family": (150, 150, 150),
    "responsibility": (251, 140, 0), "team": (120, 94, 180),
}
_READER_GRAPH_NOISE = ("node_default", "edge_default", "mode")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def graphml_text(G: nx.DiGraph) -> str:
    """The graph as GraphML text (lists stored as JSON strings).

    The text is networkx's (``generate_graphml`` of the portable copy, pretty-printed), written line by
    line by :func:`_graphml_lines` instead of through an element tree: several times faster and without
    the tree's memory (gigabytes at 100,000 people). Graphs it was not written for (attributes networkx
    treats specially, values of other types) go through networkx itself.
    """
    try:
        document = "\n".join(_graphml_lines(G))
    except _NotStreamable:
        return "\n".join(nx.generate_graphml(_portable(G), prettyprint=True)) + "\n"
    return _as_networkx_prints(document) + "\n"


def gexf_text(G: nx.DiGraph) -> str:
    """The graph as GEXF 1.2 text (lists as JSON strings, bare ids as ``ref``, coloured by kind).

    Written line by line like :func:`graphml_text`; the text is that of networkx's ``GEXFWriter``.
    """
    try:
        return "\n".join(_gexf_lines(G)) + "\n\n"
    except _NotStreamable:
        return _gexf_text_networkx(G)


def _gexf_text_networkx(G: nx.DiGraph) -> str:
    portable = _portable(G)
    for _, data in portable.nodes(data=True):
        data[GEXF_ID_ATTRIBUTE] = data.pop("id", "")
        r, g, b = _KIND_COLOURS.get(data.get("kind", ""), (0, 0, 0))
        data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}}
    writer = GEXFWriter(version="1.2draft", prettyprint=True)
    writer.add_graph(portable)
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)  # a date would make the file differ on every run
    meta.find("creator").text = "org-overlap-analyzer"
    ET.SubElement(meta, "description").text = json.dumps(portable.graph, sort_keys=True, ensure_ascii=False)
    return str(writer) + "\n"


def node_link_text(G: nx.DiGraph) -> str:
    """The graph as node-link JSON (sorted keys, two-space indent)."""
    from analyzer.report.jsontext import dumps_indented

    data = nx.node_link_data(G, edges="edges", name="key")
    data["graph"] = {**data["graph"], "graph_format": GRAPH_FORMAT}
    return dumps_indented(data) + "\n"


_WRITERS = {"graphml": graphml_text, "gexf": gexf_text, "json": node_link_text}


def write_graph(G: nx.DiGraph, path: str | Path) -> Path:
    """Write ``G`` to ``path``; the format follows the suffix (.graphml, .gexf, .json)."""
    path = Path(path)
    fmt = _format_of(path)
    path.write_text(_WRITERS[fmt](G), encoding="utf-8", newline="\n")
    return path


def write_graph_files(G: nx.DiGraph, out_dir: str | Path) -> list[Path]:
    """Write graph.graphml, graph.gexf and graph.json into ``out_dir``; returns their paths."""
    return [write_graph(G, Path(out_dir) / name) for name in GRAPH_FILES.values()]


def read_graph(path: str | Path) -> nx.DiGraph:
    """Read a graph written by :func:`write_graph` (any of the three formats) back into the in-memory form.

    Raises
    ------
    InputError
        The file is missing, is not a graph file, or its suffix is not .graphml, .gexf or .json.
    """
    path = Path(path)
    fmt = _format_of(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "file not found", [Problem("", "not_found", "no such file", "check the path")]) \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "cannot read the file", [Problem("", "unreadable", str(exc))]) from None
    return parse_graph(text, fmt, str(path))


def parse_graph(text: str, fmt: str, source: str = "<graph>") -> nx.DiGraph:
    """Parse graph text in ``fmt`` (``graphml``, ``gexf`` or ``json``); see :func:`read_graph`."""
    try:
        if fmt == "graphml":
            G = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
        elif fmt == "gexf":
            G = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
            for _, data in G.nodes(data=True):
                data["id"] = data.pop(GEXF_ID_ATTRIBUTE, "")
                data.pop("viz", None)
            G.graph.update(_gexf_graph_attributes(text))
        else:
            G = nx.node_link_graph(json.loads(text), directed=True, multigraph=False, edges="edges", name="key")
    except (ET.ParseError, json.JSONDecodeError, KeyError, TypeError, ValueError, nx.NetworkXError) as exc:
        raise InputError(source, f"not a readable {fmt} graph",
                         [Problem("", "bad_graph_file", str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                                  "write the file again with analyzer.graphio.write_graph")]) from None
    return _restored(G)


def _portable(G: nx.DiGraph) -> nx.DiGraph:
    """A copy with list attributes as JSON strings, edge labels added and a format number."""
    H = nx.DiGraph()
    H.graph.update({**G.graph, "graph_format": GRAPH_FORMAT})
    for node, data in G.nodes(data=True):
        H.add_node(node, **{key: _scalar(value) for key, value in data.items()})
    for source, target, data in G.edges(data=True):
        attrs = {key: _scalar(value) for key, value in data.items()}
        attrs["label"] = data.get("level") or data.get("rel", "")
        H.add_edge(source, target, **attrs)
    return H


def _scalar(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)  # JSON escapes control characters: exact round trip
    if isinstance(value, str):
        return xml_safe(value)
    return "" if value is None else value


def xml_safe(text: str) -> str:
    r"""``text`` as XML keeps it: characters XML 1.0 forbids (most control characters) removed, line ends as ``\n``.

    Examples
    --------
    >>> xml_safe("Ann\x00 Lee\r\nPO")
    'Ann Lee\nPO'
    """
    return _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# -- streaming writers ------------------------------------------------------------------------------
# They print what networkx's writers print for _portable(G) (tests compare the two): the same element and
# attribute order, ElementTree's escaping and two-space indent, and ElementTree's ASCII output (other
# characters as &#NNN; references).

class _NotStreamable(Exception):
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


def _as_networkx_prints(document: str) -> str:
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
            raise _NotStreamable
        items.append((name, value))
    return items


def _edge_items(data: dict, cache: dict) -> list[tuple[str, object]]:
    items = _portable_items(data, cache)
    label = data.get("level") or data.get("rel", "")
    if type(label) is not str:
        raise _NotStreamable
    names = [name for name, _ in items]
    if "label" in names:
        items[names.index("label")] = ("label", label)
    else:
        items.append(("label", label))
    return items


def _graphml_lines(G: nx.DiGraph) -> Iterator[str]:
    graph_data = {**G.graph, "graph_format": GRAPH_FORMAT}
    if not G.is_directed() or G.is_multigraph() or {"id", "node_default", "edge_default"} & set(graph_data):
        raise _NotStreamable
    keys: dict[str, dict[tuple[str, type], str]] = {"graph": {}, "node": {}, "edge": {}}  # scope -> key ids
    declared: list[str] = []
    lines: dict[str, dict[str, str]] = {}  # key id -> text -> its data line (texts repeat a lot)

    def key(name: str, value: object, scope: str) -> str:
        kind = _GRAPHML_TYPES.get(type(value))
        if kind is None or type(name) is not str:
            raise _NotStreamable
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


def _gexf_lines(G: nx.DiGraph) -> Iterator[str]:
    if not G.is_directed() or G.is_multigraph() or {"name", "mode"} & set(G.graph):
        raise _NotStreamable
    graph_data = {**G.graph, "graph_format": GRAPH_FORMAT}
    ids: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    declared: dict[str, list[str]] = {"node": [], "edge": []}
    counter = 0

    def attr_id(name: str, value: object, scope: str) -> str:
        nonlocal counter
        kind = _GRAPHML_TYPES.get(type(value))
        if kind is None:
            raise _NotStreamable
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
                raise _NotStreamable
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
                raise _NotStreamable
            checked.add(names)
        label = data.get("level") or data.get("rel", "")  # _portable's edge label (GEXF's own attribute)
        if type(label) is not str:
            raise _NotStreamable
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


def _restored(G: nx.DiGraph) -> nx.DiGraph:
    """The in-memory form: a plain DiGraph, lists back from JSON, reader and writer extras removed."""
    H = nx.DiGraph()
    H.graph.update({key: value for key, value in G.graph.items() if key not in _READER_GRAPH_NOISE})
    H.graph.pop("graph_format", None)
    for node, data in G.nodes(data=True):
        H.add_node(node, **data)
    for source, target, data in G.edges(data=True):
        attrs = {key: value for key, value in data.items() if key not in ("label", "id")}
        for key in LIST_ATTRIBUTES:
            if isinstance(attrs.get(key), str):
                attrs[key] = json.loads(attrs[key]) if attrs[key] else []
        H.add_edge(source, target, **attrs)
    return H


def _gexf_graph_attributes(text: str) -> dict:
    description = ET.fromstring(text).find("{http://www.gexf.net/1.2draft}meta/{http://www.gexf.net/1.2draft}description")
    if description is None or not description.text:
        return {}
    return json.loads(description.text)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("graphml", "gexf", "json"):
        return suffix
    raise InputError(str(path), "unknown graph format",
                     [Problem("", "unknown_graph_format", f"the suffix {path.suffix!r} is not a graph format",
                              "use .graphml, .gexf or .json")])


def graph_files(analysis: Analysis) -> dict[str, str]:
    """File name -> text of the three graph files of an :class:`~analyzer.records.Analysis`.

    Uses ``analysis.graph``, building it from ``analysis.model`` when the analysis has none.
    """
    G = analysis.graph
    if G is None:
        from analyzer.graph import build_graph

        if analysis.model is None:
            raise ValueError("the analysis carries neither a graph nor a role model; build it with analyzer.analyze()")
        G = build_graph(analysis, analysis.model)
    return {name: _WRITERS[fmt](G) for fmt, name in GRAPH_FILES.items()}
