"""The report stage: write an :class:`Analysis` as files (HTML, Markdown, JSON, CSV, XLSX, PNG).

Renderers only read the analysis. Every writer is deterministic: the same analysis gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
                  progress: Progress | None = None, workers: int | None = None) -> list[Path]:
    """Write the requested report files into ``out_dir`` (created if needed); returns their paths.

    ``formats=None`` writes :func:`default_formats` (everything, except the XLSX matrix and the graph
    files for organisations above :data:`LARGE_ORG_PEOPLE` people).

    ``progress`` is called with a short message before each slow step (the CLI shows them).
    Formats: ``html`` (report.html), ``md``, ``json``, ``csv`` and ``xlsx`` (responsibility matrix),
    ``png`` (heatmaps and ``team_graphs/``), ``graph`` (graph.graphml, graph.gexf, graph.json).

    ``workers``: processes to write with. None picks two for organisations of at least
    :data:`PARALLEL_REPORT_PEOPLE` people on a machine with two cores or more, else one. With two, a
    forked process takes the large file writers (XLSX, graph files, report.json, CSV) and then whatever
    is left, figures included, while this one draws the figures and writes the rest
    (:mod:`analyzer.report.lanes`). The files are the same either way.
    """
    from analyzer.collector import frozen_heap
    from analyzer.report.figures import once
    from analyzer.report.lanes import run_jobs

    say = once(progress)
    if formats is None:
        formats = default_formats(len(analysis.people))[0]
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise UsageError(f"unknown report format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {str(out)!r}: {exc.strerror}; "
                         "choose another folder with --out") from None
    formats = tuple(fmt for fmt in _WRITE_ORDER if fmt in formats)
    with frozen_heap():
        jobs, written_by = _jobs(analysis, out, formats)
        results = run_jobs(jobs, _report_processes(len(analysis.people), workers), say)
    written: dict[str, list[Path]] = {}
    for index, fmt in written_by.items():
        written.setdefault(fmt, []).extend(results[index])
    written["graph"] = sorted(written.get("graph", []), key=_graph_file_order)
    return [path for fmt in _WRITE_ORDER for path in written.get(fmt, [])]


# The order of the jobs (lanes.py): this process takes them from the front, the second one from the back.
# Jobs that need every figure come first, so this process writes them as soon as the figures are drawn;
# the figures next, in report order; the file writers last, the largest at the very end.
_NEEDS_FIGURES = ("md", "html", "png")
_FILE_JOBS = ("csv", "json", "graph", "xlsx")
_WRITE_ORDER = ("json", "md", "html", "csv", "xlsx", "png", "graph")
# Below this many people the reports take a few seconds and a second process would not pay for itself.
PARALLEL_REPORT_PEOPLE = 2_000


def _jobs(analysis: Analysis, out: Path, formats: tuple[str, ...]) -> tuple[list, dict[int, str]]:
    """The jobs that write ``formats`` and, for each job that writes a format, that format (by job index)."""
    from functools import partial

    from analyzer.report.lanes import Job

    def write(fmt: str, say: Progress, figures: list) -> list[Path]:
        say("writing the reports")
        return _write_format(analysis, out, fmt, formats, figures)

    def write_graph(fmt: str, say: Progress, figures: list) -> list[Path]:
        from analyzer.graphio import graph_files

        say("writing the reports")
        return [_write_file(out, name, text) for name, text in graph_files(analysis, (fmt,)).items()]

    jobs: list[Job] = []
    written_by: dict[int, str] = {}
    for fmt in _NEEDS_FIGURES:
        if fmt in formats:
            written_by[len(jobs)] = fmt  # report.md shows the figures only when their PNG files are written
            jobs.append(Job(partial(write, fmt), needs_figures=fmt != "md" or "png" in formats))
    if "png" in formats or "html" in formats:
        from analyzer.report.figures import figure_jobs

        jobs += [Job(partial(_draw, job), draws=True) for job in figure_jobs(analysis)]
    for fmt in _FILE_JOBS:
        if fmt == "graph" and fmt in formats:  # three files, three jobs: finer pieces balance better
            from analyzer.graphio import GRAPH_FILES

            for graph_format in reversed(GRAPH_FILES):
                written_by[len(jobs)] = fmt
                jobs.append(Job(partial(write_graph, graph_format)))
        elif fmt in formats:
            written_by[len(jobs)] = fmt
            jobs.append(Job(partial(write, fmt)))
    return jobs, written_by


def _graph_file_order(path: Path) -> int:
    from analyzer.graphio import GRAPH_FILES

    return list(GRAPH_FILES.values()).index(path.name)


def _draw(job: Callable, say: Progress, figures: list) -> list:
    return job(say)


def _report_processes(people: int, workers: int | None) -> int:
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # the second process shares the analysis by fork; pickling it would cost more than it saves
    if workers is not None:
        return 2 if workers >= 2 else 1
    from analyzer.parallel import available_cores

    return 2 if people >= PARALLEL_REPORT_PEOPLE and available_cores() >= 2 else 1


def _write_format(analysis: Analysis, out: Path, fmt: str, formats: tuple[str, ...],
                  figures: list) -> list[Path]:
    """Write the file(s) of one format; returns their paths."""
    if fmt == "json":
        from analyzer.report.json_report import json_chunks

        return [_write_file(out, "report.json", json_chunks(analysis))]
    if fmt == "md":
        from analyzer.report.markdown import to_markdown

        shown = [(figure.title, figure.filename) for figure in figures] if "png" in formats else []
        return [_write_file(out, "report.md", to_markdown(analysis, shown))]
    if fmt == "html":
        from analyzer.report.html import to_html

        return [_write_file(out, "report.html", to_html(analysis, figures))]
    if fmt == "csv":
        from analyzer.report.matrix import matrix_csv

        return [_write_file(out, "responsibility_matrix.csv", matrix_csv(analysis))]
    if fmt == "xlsx":
        from analyzer.report.xlsx import matrix_xlsx

        return [_write_file(out, "responsibility_matrix.xlsx", matrix_xlsx(analysis))]
    if fmt == "png":
        _remove_stale_team_graphs(out, {figure.filename for figure in figures})
        return [_write_file(out, figure.filename, figure.png) for figure in figures]
    raise ValueError(f"unknown report format {fmt!r}")


def _write_file(out: Path, name: str, content: str | bytes | Iterable[str]) -> Path:
    """Write ``content`` (text, bytes, or text in pieces, written as they come) to ``out / name``."""
    path = out / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="\n")
        else:
            with path.open("w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(content)
    except OSError as exc:
        raise UsageError(f"cannot write {str(path)!r}: {exc.strerror}; check the folder's permissions") from None
    return path


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
