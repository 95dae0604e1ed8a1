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
    line by :mod:`analyzer.graphxml` instead of through an element tree: several times faster and without
    the tree's memory (gigabytes at 100,000 people). Graphs it was not written for (attributes networkx
    treats specially, values of other types) go through networkx itself.
    """
    from analyzer.graphxml import NotStreamable, as_networkx_prints, graphml_lines

    try:
        document = "\n".join(graphml_lines(G))
    except NotStreamable:
        return "\n".join(nx.generate_graphml(_portable(G), prettyprint=True)) + "\n"
    return as_networkx_prints(document) + "\n"


def gexf_text(G: nx.DiGraph) -> str:
    """The graph as GEXF 1.2 text (lists as JSON strings, bare ids as ``ref``, coloured by kind).

    Written line by line like :func:`graphml_text`; the text is that of networkx's ``GEXFWriter``.
    """
    from analyzer.graphxml import NotStreamable, gexf_lines

    try:
        return "\n".join(gexf_lines(G)) + "\n\n"
    except NotStreamable:
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


def graph_files(analysis: Analysis, formats: tuple[str, ...] = tuple(GRAPH_FILES)) -> dict[str, str]:
    """File name -> text of the graph files of an :class:`~analyzer.records.Analysis` (all three by default).

    Uses ``analysis.graph``, building it from ``analysis.model`` when the analysis has none.
    """
    G = analysis.graph
    if G is None:
        from analyzer.graph import build_graph

        if analysis.model is None:
            raise ValueError("the analysis carries neither a graph nor a role model; build it with analyzer.analyze()")
        G = build_graph(analysis, analysis.model)
    return {name: _WRITERS[fmt](G) for fmt, name in GRAPH_FILES.items() if fmt in formats}
