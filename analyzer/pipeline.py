"""The whole pipeline, as one library call: ingest -> segment -> map -> graph -> findings.

:func:`analyze` is what the CLI and the notebooks call. Reports are written separately by
:func:`analyzer.report.write_reports`, so a notebook can analyse without writing files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from analyzer.cache import MappingCache
from analyzer.collector import paused
from analyzer.errors import Problem
from analyzer.findings import find_all
from analyzer.graph import build_graph
from analyzer.ingest import ColumnChoice, OrgTable, read_org
from analyzer.ingest.problems import FIXES, descriptions_of, rows_where
from analyzer.mapping.assemble import assemble_person
from analyzer.mapping.mapper import Mapper, check_mapper_options, shown_min_confidence
from analyzer.mapping.own_title import as_read_by
from analyzer.mapping.roles import ContentReading, combine, role_from_content
from analyzer.mapping.titles import TitleReader
from analyzer.model import RoleModel, load_model
from analyzer.parallel import map_descriptions
from analyzer.records import Analysis, PersonAnalysis, PersonRecord, TextMapping

Progress = Callable[[str], None]


@lru_cache(maxsize=4)
def _mapper_for(model: RoleModel, semantic: bool) -> Mapper:
    return Mapper(model, semantic=semantic)


def get_mapper(model: RoleModel, min_confidence: float | None = None, semantic: bool = False) -> Mapper:
    """A trained :class:`Mapper` for ``model`` (trained once per model per process), mapping a statement when
    its confidence is at least ``min_confidence`` (on the scale shown to the user, see :mod:`analyzer.mapping.prose`;
    None: the model's default); with
    ``semantic``, the mapper that also reads sentence vectors (the ``semantic`` extra).

    Raises
    ------
    UsageError
        A bad ``min_confidence``, or ``semantic`` without the ``semantic`` extra installed.
    """
    check_mapper_options(min_confidence, semantic, model)  # before training (half a minute for the semantic mapper)
    return _mapper_for(model, semantic).with_min_confidence(min_confidence)


def analyze(path: str | Path, model: RoleModel | str | Path | None = None,
            columns: ColumnChoice | None = None, progress: Progress | None = None, *,
            sheet: str | int | None = None, scope: str = "auto", anonymize: bool = False,
            documents: str | Path | None = None, workers: int | None = 1,
            cache: str | Path | None = None, min_confidence: float | None = None,
            semantic: bool = False) -> Analysis:
    """Analyse an HR export or job-description collection.

    Parameters
    ----------
    path:
        The input: an export (CSV, XLSX, XLS, JSON), a folder of job descriptions or one document.
    model:
        A loaded :class:`RoleModel`, a path to a model file, or None for the default model.
    columns:
        Explicit column choices (see :class:`analyzer.ingest.ColumnChoice`).
    progress:
        Called with a short message as each stage starts (the CLI shows them).
    sheet, scope, anonymize, documents:
        Passed to :func:`analyzer.ingest.read_org`: the worksheet to read, how people are grouped
        (``auto``/``team``/``department``/``manager``), pseudonyms for names and ids, and a folder of
        job descriptions to join to the export.
    workers, cache:
        Passed to :func:`analyze_table`: processes for the mapping stage and the mapping cache folder.
    min_confidence:
        Confidence a duty statement needs to be mapped onto a responsibility; below it, the statement is listed as
        unmapped. The confidence is the chance the mapping is right as measured on real job descriptions (the
        model's ``confidence_on_real_prose``, see :mod:`analyzer.mapping.prose`). None: the model's default (0.215
        for the bundled model). Higher values (0.3-0.4) map fewer statements, more surely: they trade some right
        mappings for fewer wrong ones (see the README).
    semantic:
        Read each duty statement with all-MiniLM-L6-v2 itself too, beside its wording and the static word vectors
        the default mapper reads (needs the ``semantic`` extra). On real postings it is a little more often right
        (see the README); it reads about 280 statements a second, in this process only, against the default's
        20,000 on two.

    Raises
    ------
    AnalyzerError
        Bad input or model; the message says what, where and how to fix it.
    """
    say = progress or (lambda message: None)
    check_mapper_options(min_confidence, semantic)  # before loading anything: a bad option fails fast
    role_model = model if isinstance(model, RoleModel) else load_model(model)
    check_mapper_options(min_confidence, semantic, role_model)  # ... and before the slow reading
    say("reading input")
    org = read_org(path, columns, sheet=sheet, scope=scope, anonymize=anonymize, documents=documents)
    return analyze_table(org, role_model, progress=say, workers=workers, cache=cache, min_confidence=min_confidence,
                         semantic=semantic)


def analyze_table(org: OrgTable, model: RoleModel, progress: Progress | None = None, *,
                  workers: int | None = 1, cache: str | Path | None = None,
                  min_confidence: float | None = None, semantic: bool = False) -> Analysis:
    """Analyse already-ingested records (used by :func:`analyze` and by tests with literal records).

    Each distinct description is mapped once (see :mod:`analyzer.parallel`): on ``workers`` processes
    (1, the default: this process only; None: as many as pay off, as the CLI does), reading and storing
    results in the mapping cache folder ``cache`` (None: no disk cache; see :mod:`analyzer.cache`). Neither
    changes the results. Worker processes are forked where the platform allows it; in a program with
    threads of its own (a Jupyter kernel) keep the default. ``min_confidence`` and ``semantic`` are as for
    :func:`analyze`.
    """
    say = progress or (lambda message: None)
    threshold = check_mapper_options(min_confidence, semantic, model)
    titles = TitleReader(model)
    mappings = _map_descriptions([record.text for record in org.records], model, say, workers, cache, threshold,
                                 semantic)
    with paused():
        people = _assemble_people(org.records, mappings, model, titles, semantic)
    analysis = Analysis(
        input_path=org.path, input_rows=org.rows, input_sha256=org.sha256, model_id=model.id,
        model_version=model.version, people=people, skipped_rows=list(org.skipped), findings=[],
        warnings=_warnings_in_order(org, [*_model_warnings(model, semantic),
                                          *_descriptions_without_duties(org.records, mappings)]),
        columns=dict(org.columns), title_only=org.title_only,
        column_reasons=dict(org.column_reasons), model=model,
        min_confidence=shown_min_confidence(threshold, model, semantic), semantic=semantic,
    )
    return add_graph_and_findings(analysis, progress=say)


# Warnings about how the descriptions could be read come first: the CLI prints the first few.
_READING_WARNINGS = ("not_english", "title_only")


def _warnings_in_order(org: OrgTable, reading: list[str]) -> list[str]:
    """The input's warnings, those about reading the descriptions (and ``reading``, the mapping stage's) first."""
    first = [str(p) for p in org.problems if p.code in _READING_WARNINGS]
    return [*first, *reading, *(str(p) for p in org.problems if p.code not in _READING_WARNINGS)]


def _model_warnings(model: RoleModel, semantic: bool) -> list[str]:
    """What the model says about how the mapper's readings can be trusted (a calibration fitted for other phrasings)."""
    note = model.calibration_note(semantic)
    return [note] if note else []


def _descriptions_without_duties(records: list[PersonRecord], mappings: list[TextMapping]) -> list[str]:
    """A warning naming the people whose description holds no duty statement (only requirements, company text or
    benefits): they hold no responsibility, and their role comes from the title alone (see :mod:`analyzer.segment`).
    Rare in job descriptions (one of the 179 real postings kept for development lists only what it asks for); more
    likely a layout the segmenter misread, which the user should see."""
    empty = [record for record, mapping in zip(records, mappings, strict=True) if record.text and not mapping.mappings]
    if not empty:
        return []
    where = rows_where([record.row for record in empty], [record.source or "" for record in empty])
    message = (descriptions_of(empty, "holds", "hold") + " no duty statement (only requirements, company text or "
               "benefits): their people hold no responsibility and their role is read from the title alone")
    return [str(Problem(where, "no_duties", message, FIXES["no_duties"]))]


def _assemble_people(records: list[PersonRecord], mappings: list[TextMapping], model: RoleModel,
                     titles: TitleReader, semantic: bool = False) -> list[PersonAnalysis]:
    """Role and holdings of every person. People with the same description (the same mapping object)
    and the same title get the same reading, so it is computed once and given each person's record;
    each distinct title and each distinct description is read once."""
    readings: dict[tuple[int, bool, str], PersonAnalysis] = {}
    contents: dict[int, ContentReading] = {}
    holdings: dict = {}  # see assemble_person: titles that read as one role share the holdings
    # descriptions read anew for a title ("The Technical Manager runs ..." is the reader in its own description): kept
    # alive with the caches above, which are keyed by id()
    own_readings: list[TextMapping] = []
    read_title = functools.cache(titles.read)
    people: list[PersonAnalysis] = []
    for record, mapping in zip(records, mappings, strict=True):
        key = (id(mapping), bool(record.text), record.title)
        shared = readings.get(key)
        if shared is None:
            if record.text and (read := as_read_by(mapping, record.title, titles)) is not mapping:
                own_readings.append(read)
                mapping = read
            content = contents.get(id(mapping)) if record.text else None
            if record.text and content is None:
                content = contents[id(mapping)] = role_from_content(mapping, model)
            role = combine(read_title(record.title), content)
            shared = readings[key] = assemble_person(record, mapping if record.text else None, role, model,
                                                     holdings, semantic=semantic)
            people.append(shared)
        else:  # dataclasses.replace(shared, record=record), without its per-call introspection
            people.append(PersonAnalysis(record, shared.role, shared.holdings, shared.unmapped, shared.excluded,
                                         shared.title_only))
    return people


def _map_descriptions(texts: list[str], model: RoleModel, say: Progress, workers: int | None,
                      cache_dir: str | Path | None, min_confidence: float, semantic: bool) -> list[TextMapping]:
    cache = MappingCache(cache_dir, model, min_confidence=min_confidence, semantic=semantic) \
        if cache_dir is not None else None

    def trained() -> Mapper:
        say("training the semantic responsibility mapper" if semantic else "training the responsibility mapper")
        if cache is None:
            return get_mapper(model, min_confidence, semantic)
        return cache.mapper(model, lambda m: get_mapper(m, semantic=semantic)).with_min_confidence(min_confidence)

    try:
        mappings, _ = map_descriptions(texts, trained, workers=workers, cache=cache, progress=say)
    finally:
        if cache is not None:
            cache.close()
    if cache is not None and cache.problem:
        say(cache.problem)
    return mappings


def add_graph_and_findings(analysis: Analysis, progress: Progress | None = None) -> Analysis:
    """Build ``analysis.graph`` from its people and recompute ``analysis.findings`` (returns it)."""
    say = progress or (lambda message: None)
    if analysis.model is None:
        raise ValueError("the analysis carries no role model; build it with analyzer.analyze()")
    with paused():  # see analyzer.collector: millions of edges and findings, no cycles
        say("building the accountability graph")
        analysis.graph = build_graph(analysis, analysis.model)
        say("looking for findings")
        analysis.findings = find_all(analysis.graph, analysis.model, analysis.people, analysis.skipped_rows)
    return analysis
