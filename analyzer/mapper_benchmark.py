"""The mapper's throughput, for ``python -m analyzer.benchmark --mapper`` (and ``--semantic``).

``--mapper`` maps the distinct duty statements of the 100k organisation (3,481 since iteration 12, when the
company context before a posting's first heading stopped being read as duties), then those of eight such
organisations (seeds 100000 and 1-7: about 12,600, enough that starting the worker pool does not dominate the
two-process figure; four gave 12,350 before iteration 12 and 7,851 after), each run with a freshly unpickled
mapper and nothing remembered from earlier texts; wall-clock and CPU time are both printed (CPU time is the
steadier figure on a shared machine). Timings are printed, never asserted.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def mapper_throughput(repeat: int, rows: int = 100_000, workers: int = 2,
                      extra_seeds: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)) -> dict:
    """Statements per second of the default mapper on the distinct duty statements of synthetic orgs.

    The first figure is on the organisation of ``rows`` people (seed ``rows``); the second on the
    distinct duty statements of that organisation and of ``extra_seeds`` more (a set large enough
    that starting the worker processes no longer dominates). Every run maps with a freshly unpickled
    mapper and with the per-text memories emptied (:func:`_cold`), so each statement is new to it.
    """
    import pickle

    from analyzer.model import load_model
    from analyzer.pipeline import get_mapper

    sets: list[list[str]] = []
    seen: dict[str, None] = {}
    for seed in (rows, *extra_seeds):
        texts, duties, seconds, cpu = _org_duties(rows, seed)
        if seed == rows:  # the first organisation, segmented in a fresh process (nothing remembered)
            texts_first, segment_seconds, segment_cpu = texts, seconds, cpu
        seen.update(dict.fromkeys(duties))
        if seed == rows:
            sets.append(list(seen))
    sets.append(list(seen))
    trained = pickle.dumps(get_mapper(load_model()))
    measured = [_throughput(statements, trained, repeat, workers) for statements in sets]
    return {"texts": texts_first, "statements": len(sets[0]), "segment_seconds": segment_seconds,
            "segment_cpu": segment_cpu, **measured[0], "workers": workers,
            "large": {"statements": len(sets[1]), "orgs": 1 + len(extra_seeds), **measured[1]},
            "profile": _mapper_profile(sets[0], trained)}


def semantic_throughput(repeat: int, rows: int = 100_000, sample: int = 2_000) -> dict:
    """Statements per second of the semantic mapper (``--semantic``), in one process as the pipeline runs it,
    on the first ``sample`` distinct duty statements of the synthetic organisation of ``rows`` people."""
    import pickle

    from analyzer.model import load_model
    from analyzer.pipeline import get_mapper

    _, duties, _, _ = _org_duties(rows, rows)
    statements = duties[:sample]
    begun = time.perf_counter()
    trained_mapper = get_mapper(load_model(), semantic=True)
    training = time.perf_counter() - begun
    trained = pickle.dumps(trained_mapper)
    measured = _throughput(statements, trained, repeat, workers=1)
    return {"statements": len(statements), "training": training, **measured}


def _org_duties(rows: int, seed: int) -> tuple[int, list[str], float, float]:
    """(distinct descriptions, their distinct duty statements, seconds and CPU seconds to segment them) of the
    synthetic organisation of ``rows`` people drawn with ``seed``."""
    from analyzer.cache import normalise_description
    from analyzer.records import StatementKind
    from analyzer.segment import segment
    from analyzer.synthetic import generate_org

    org = generate_org(rows, seed=seed)
    texts = list(dict.fromkeys(normalise_description(person.description) for person in org.people))
    begun, begun_cpu = time.perf_counter(), time.process_time()
    segmented = [segment(text) for text in texts]
    seconds, cpu = time.perf_counter() - begun, time.process_time() - begun_cpu
    duties = dict.fromkeys(s.text for items in segmented for s in items if s.kind is StatementKind.DUTY)
    return len(texts), list(duties), seconds, cpu


def _cold(trained: bytes):
    """A newly trained mapper (no per-word feature caches yet) and no per-text memory."""
    import pickle

    from analyzer.mapping.clauses import clear_caches

    clear_caches()
    return pickle.loads(trained)


def _throughput(statements: list[str], trained: bytes, repeat: int, workers: int) -> dict:
    global _bench_mapper
    import multiprocessing

    from analyzer.collector import frozen_heap
    from analyzer.parallel import _chunks
    serial, serial_cpu = [], []
    for _ in range(repeat):
        mapper = _cold(trained)
        begun, begun_cpu = time.perf_counter(), time.process_time()
        mapper.map_statements(statements)
        serial.append(time.perf_counter() - begun)
        serial_cpu.append(time.process_time() - begun_cpu)
    parallel_times = []
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        for _ in range(repeat):
            _bench_mapper = _cold(trained)
            begun = time.perf_counter()
            with frozen_heap(), multiprocessing.get_context("fork").Pool(workers) as pool:  # as the pipeline does
                pool.map(_map_statement_chunk, _chunks(statements, workers), chunksize=1)
            parallel_times.append(time.perf_counter() - begun)
    return {"serial": statistics.median(serial), "serial_cpu": statistics.median(serial_cpu),
            "parallel": statistics.median(parallel_times) if parallel_times else None}


def _mapper_profile(statements: list[str], trained: bytes) -> dict[str, list[str]]:
    import cProfile
    import io
    import pstats

    profile = cProfile.Profile()
    mapper = _cold(trained)
    profile.enable()
    mapper.map_statements(statements)
    profile.disable()
    top = {}
    for order in ("cumulative", "tottime"):
        listing = io.StringIO()
        pstats.Stats(profile, stream=listing).sort_stats(order).print_stats(14)
        lines = [line for line in listing.getvalue().splitlines() if line.strip()]
        start = next(index for index, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        top[order] = [line.replace(str(Path.cwd()) + "/", "") for line in lines[start:start + 15]]
    return top


_bench_mapper = None


def _map_statement_chunk(statements: list[str]) -> int:
    return len(_bench_mapper.map_statements(statements))
