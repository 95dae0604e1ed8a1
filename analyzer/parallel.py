"""The mapping stage at scale: each distinct description mapped once, from the cache or across cores.

:func:`map_descriptions` is what the pipeline calls. Its cost grows with the number of *distinct*
descriptions, not with headcount:

1. every description is normalised (:func:`analyzer.cache.normalise_description`) and duplicates are
   dropped, so 100,000 rows sharing 5,000 descriptions cost 5,000 mappings;
2. descriptions mapped in an earlier run are read from the :class:`~analyzer.cache.MappingCache`;
3. the rest are mapped by the trained :class:`~analyzer.mapping.mapper.Mapper`: in this process, or
   split into chunks over a pool of worker processes when there are enough of them to pay for it (the
   semantic mapper always maps here: torch's own threads already use the cores, and do not survive a fork);
4. results are joined back to the rows by normalised text.

The result is the same, row for row, as ``Mapper.map_texts`` on the original texts: mapping is a
function of the normalised text alone, and workers run the same trained mapper (inherited by ``fork``
where the platform has it, else sent to each worker once, pickled).

Examples
--------
>>> from analyzer.model import load_model
>>> from analyzer.pipeline import get_mapper
>>> model = load_model()
>>> texts = ["- Own the product roadmap", "-  Own the product roadmap ", ""]
>>> mappings, stats = map_descriptions(texts, lambda: get_mapper(model), workers=1)
>>> mappings[0] == mappings[1], stats.distinct, stats.mapped
(True, 2, 2)
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyzer.cache import MappingCache, decode_mapping, encode_mapping, normalise_description, text_key
from analyzer.collector import frozen_heap
from analyzer.nlp import get_nlp
from analyzer.records import TextMapping

if TYPE_CHECKING:
    from analyzer.mapping.mapper import Mapper

# Below this many descriptions to map, starting worker processes costs more than it saves.
MIN_PARALLEL_TEXTS = 400
MAX_AUTO_WORKERS = 8
_CHUNKS_PER_WORKER = 4  # several chunks per worker even out slow and fast chunks

_worker_mapper: Mapper | None = None  # the mapper in a worker process


@dataclass(frozen=True)
class MappingStats:
    """What the mapping stage did: how many rows, distinct descriptions, cache hits, newly mapped."""

    texts: int
    distinct: int
    cached: int
    mapped: int
    workers: int

    def describe(self) -> str:
        """One line for progress output.

        Examples
        --------
        >>> MappingStats(100, 10, 7, 3, 1).describe()
        'mapping 100 job descriptions: 10 distinct, 7 from the cache, 3 new'
        >>> MappingStats(5000, 800, 0, 800, 2).describe()
        'mapping 5000 job descriptions: 800 distinct, on 2 processes'
        """
        line = f"mapping {self.texts} job descriptions: {self.distinct} distinct"
        if self.cached:
            line += f", {self.cached} from the cache"
        if self.mapped and self.cached:
            line += f", {self.mapped} new"
        return line + (f", on {self.workers} processes" if self.workers > 1 else "")


def available_cores() -> int:
    """Cores this process may run on (the CPU affinity mask where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def auto_workers(to_map: int, cores: int | None = None) -> int:
    """Worker processes worth starting for ``to_map`` descriptions: 1 for small inputs, else the cores.

    Examples
    --------
    >>> auto_workers(50, cores=8), auto_workers(5000, cores=2), auto_workers(5000, cores=32)
    (1, 2, 8)
    """
    cores = cores or available_cores()
    if to_map < MIN_PARALLEL_TEXTS:
        return 1
    return max(1, min(cores, MAX_AUTO_WORKERS, to_map // (MIN_PARALLEL_TEXTS // 2)))


def map_descriptions(texts: Sequence[str], mapper: Callable[[], Mapper], *, workers: int | None = None,
                     cache: MappingCache | None = None, progress: Callable[[str], None] | None = None
                     ) -> tuple[list[TextMapping], MappingStats]:
    """One :class:`TextMapping` per text, in order, mapping each distinct normalised description once.

    Parameters
    ----------
    texts:
        Job descriptions, one per row ("" for none).
    mapper:
        Returns the trained mapper; only called when something is not in the cache.
    workers:
        Worker processes; None picks :func:`auto_workers`, 1 maps in this process.
    cache:
        Where earlier results are read from and new ones stored; None for no disk cache.
    progress:
        Called with one line saying what is about to be mapped.
    """
    by_text = {text: normalise_description(text) for text in dict.fromkeys(texts)}  # exact copies normalised once
    normalised = [by_text[text] for text in texts]
    distinct = list(dict.fromkeys(normalised))
    keys = {text: text_key(text) for text in distinct}
    found = cache.get(keys.values()) if cache is not None else {}
    results = {text: found[keys[text]] for text in distinct if keys[text] in found}
    missing = [text for text in distinct if text not in results]
    trained = mapper() if missing else None
    used = 1
    if trained is not None and not trained.semantic:  # torch's threads would not survive a fork
        used = auto_workers(len(missing)) if workers is None else max(1, min(workers, len(missing)))
    stats = MappingStats(len(texts), len(distinct), len(distinct) - len(missing), len(missing), used)
    if progress is not None:
        progress(stats.describe())
    if trained is not None:
        if used == 1:
            mapped = trained.map_texts(missing)
            if cache is not None:
                cache.put({keys[text]: mapping for text, mapping in zip(missing, mapped, strict=True)})
        else:
            encoded = _map_in_workers(trained, missing, used)
            if cache is not None:
                cache.put_encoded({keys[text]: value for text, value in zip(missing, encoded, strict=True)})
            mapped = [decode_mapping(value) for value in encoded]
        results.update(zip(missing, mapped, strict=True))
    return [results[text] for text in normalised], stats


def _map_in_workers(mapper: Mapper, texts: list[str], workers: int) -> list[str]:
    """Encoded mappings of ``texts`` (JSON, see :func:`analyzer.cache.encode_mapping`), in order."""
    chunks = _chunks(texts, workers * _CHUNKS_PER_WORKER)
    global _worker_mapper
    if "fork" in multiprocessing.get_all_start_methods():
        # Workers inherit the trained mapper, the lemma table and the spaCy pipeline (loaded here once,
        # not once per worker) without copying or retraining.
        get_nlp()
        context, initializer, arguments = multiprocessing.get_context("fork"), None, ()
        _worker_mapper = mapper
    else:
        context, initializer = multiprocessing.get_context("spawn"), _receive_mapper
        arguments = (pickle.dumps(mapper, protocol=pickle.HIGHEST_PROTOCOL),)
    try:
        # Frozen: a forked worker's garbage collections then leave the inherited heap alone instead of
        # touching (and so copying) every page of it; on the mapper benchmark that made each worker a third
        # slower, and two workers hardly faster than one.
        with frozen_heap(), context.Pool(workers, initializer=initializer, initargs=arguments) as pool:
            mapped = pool.map(_map_chunk, chunks, chunksize=1)
    finally:
        _worker_mapper = None
    return [value for chunk in mapped for value in chunk]


def _chunks(items: list[str], count: int) -> list[list[str]]:
    """``items`` in ``count`` contiguous chunks of near-equal size (order kept)."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def _receive_mapper(pickled: bytes) -> None:
    global _worker_mapper
    _worker_mapper = pickle.loads(pickled)  # pickled by the parent process a moment ago


def _map_chunk(texts: list[str]) -> list[str]:
    # Encoded in the worker: JSON strings travel between processes faster than object graphs, and the
    # parent stores them in the cache as they are.
    assert _worker_mapper is not None, "worker started without a mapper"
    return [encode_mapping(mapping) for mapping in _worker_mapper.map_texts(texts)]
