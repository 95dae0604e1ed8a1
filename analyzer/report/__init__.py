"""The report stage: write an :class:`Analysis` as files (HTML, Markdown, JSON, CSV, XLSX, PNG).

Renderers only read the analysis. Every writer is deterministic: the same analysis gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analyzer.errors import UsageError
from analyzer.records import Analysis

FORMATS = ("html", "md", "json", "csv", "xlsx", "png", "graph")  # graph: graph.graphml, graph.gexf, graph.json
DEFAULT_FORMATS = FORMATS
# Above this many people the XLSX matrix and the graph files are only written when asked for: they take
# minutes, reach hundreds of megabytes and are past what Excel colouring or Gephi/yEd layouts make usable
# (BENCHMARKS.md). The CSV matrix and report.json carry the same data.
LARGE_ORG_PEOPLE = 20_000
HEAVY_FORMATS = ("xlsx", "graph")
Progress = Callable[[str], None]


def default_formats(people: int) -> tuple[tuple[str, ...], str]:
    """The formats written when none are asked for, and a note on what was left out (or "").

    Examples
    --------
    >>> default_formats(40)[0] == DEFAULT_FORMATS
    True
    >>> default_formats(100_000)[0]
    ('html', 'md', 'json', 'csv', 'png')
    """
    if people <= LARGE_ORG_PEOPLE:
        return DEFAULT_FORMATS, ""
    kept = tuple(fmt for fmt in DEFAULT_FORMATS if fmt not in HEAVY_FORMATS)
    note = (f"{people:,} people: the XLSX matrix and the graph files are not written by default above "
            f"{LARGE_ORG_PEOPLE:,} people (ask for them with --format ...,xlsx,graph); the CSV matrix and "
            "report.json hold the same data")
    return kept, note


def parse_formats(value: str | None) -> tuple[str, ...]:
    """'html,json' -> ('html', 'json'); raises :class:`UsageError` for unknown names.

    Examples
    --------
    >>> parse_formats("html, XLSX")
    ('html', 'xlsx')
    """
    if value is None or not value.strip():
        return DEFAULT_FORMATS
    wanted = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in FORMATS]
    if unknown:
        raise UsageError(f"unknown report format {', '.join(map(repr, unknown))}; "
                         f"choose from {', '.join(FORMATS)} (comma-separated)")
    return tuple(dict.fromkeys(wanted))


def write_reports(analysis: Analysis, out_dir: str | Path, formats: tuple[str, ...] | None = None,
                  progress: Progress | None = None) -> list[Path]:
    """Write the requested report files into ``out_dir`` (created if needed); returns their paths.

    ``formats=None`` writes :func:`default_formats` (everything, except the XLSX matrix and the graph
    files for organisations above :data:`LARGE_ORG_PEOPLE` people).

    ``progress`` is called with a short message before each slow step (the CLI shows them).
    Formats: ``html`` (report.html), ``md``, ``json``, ``csv`` and ``xlsx`` (responsibility matrix),
    ``png`` (heatmaps and ``team_graphs/``), ``graph`` (graph.graphml, graph.gexf, graph.json).
    """
    from analyzer.graphio import graph_files
    from analyzer.report.figures import build_figures
    from analyzer.report.html import to_html
    from analyzer.report.json_report import to_json
    from analyzer.report.markdown import to_markdown
    from analyzer.report.matrix import matrix_csv
    from analyzer.report.xlsx import matrix_xlsx

    say = progress or (lambda message: None)
    if formats is None:
        formats = default_formats(len(analysis.people))[0]
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {str(out)!r}: {exc.strerror}; "
                         "choose another folder with --out") from None
    written: list[Path] = []
    figures = build_figures(analysis, say) if "png" in formats or "html" in formats else []

    def write(name: str, content: str | bytes) -> None:
        path = out / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="\n")
        except OSError as exc:
            raise UsageError(f"cannot write {str(path)!r}: {exc.strerror}; check the folder's permissions") from None
        written.append(path)

    say("writing the reports")
    if "json" in formats:
        write("report.json", to_json(analysis))
    if "md" in formats:
        shown = [(figure.title, figure.filename) for figure in figures] if "png" in formats else []
        write("report.md", to_markdown(analysis, shown))
    if "html" in formats:
        write("report.html", to_html(analysis, figures))
    if "csv" in formats:
        write("responsibility_matrix.csv", matrix_csv(analysis))
    if "xlsx" in formats:
        write("responsibility_matrix.xlsx", matrix_xlsx(analysis))
    if "png" in formats:
        _remove_stale_team_graphs(out, {figure.filename for figure in figures})
        for figure in figures:
            write(figure.filename, figure.png)
    if "graph" in formats:
        for name, text in graph_files(analysis).items():
            write(name, text)
    return written


def _remove_stale_team_graphs(out: Path, keep: set[str]) -> None:
    """Delete team graphs of an earlier run that this run does not draw (teams renamed or gone)."""
    import re

    from analyzer.report.figures import TEAM_GRAPH_FOLDER

    folder = out / TEAM_GRAPH_FOLDER
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        name = f"{TEAM_GRAPH_FOLDER}/{path.name}"
        if re.fullmatch(r"\d{2,}-[a-z0-9-]+\.png", path.name) and name not in keep:
            path.unlink(missing_ok=True)
