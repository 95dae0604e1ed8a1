"""How much two people's jobs overlap, and whether that is more than chance in this organisation.

Overlap
    Each person is a vector over the model's responsibilities, weighted by RACI level
    (:data:`LEVEL_WEIGHTS`: A=1.0, R=0.75, C=0.35, I=0.1; nothing = 0). The overlap of two people is the
    weighted Jaccard index ``sum(min(a, b)) / sum(max(a, b))``: 1.0 for identical jobs, 0.0 for jobs with
    nothing in common. Both owning the backlog counts fully; one owning it and the other advising on it
    counts 0.35 out of 1.0.
Baseline
    The distribution of overlaps between randomly paired jobs of the same organisation: up to
    :data:`BASELINE_PAIRS` pairs of distinct people drawn uniformly with a fixed seed (all pairs when the
    organisation has fewer). Only people holding at least one responsibility take part; engineers or
    designers with no product responsibilities would otherwise make every product pair look special.
Significance
    Two people *overlap* when their overlap is above the baseline's :data:`SIGNIFICANCE_PERCENTILE`-th
    percentile **and** at least :data:`MIN_OVERLAP`, and they share at least :data:`MIN_SHARED_WEIGHT` of
    RACI weight (two responsibilities both do, or one both own and one both do). The report gives the
    percentile of the pair within the baseline and an empirical p-value
    ``(1 + #baseline >= overlap) / (1 + #baseline)``. With fewer than :data:`MIN_BASELINE_PAIRS`
    baseline pairs nothing is called significant.
Cost
    Pairs are compared within a scope (team), never across the whole organisation: for 100k people in
    teams of ~10 that is about half a million pairs, computed with matrix products. A scope with more
    than :data:`MAX_EXACT_SCOPE` people holding responsibilities is compared on a deterministic sample of
    :data:`MAX_SCOPE_PAIRS` pairs. :func:`overlap` compares any two people on demand.

Examples
--------
>>> weighted_jaccard({"roadmap": 1.0, "backlog": 1.0}, {"roadmap": 1.0, "backlog": 0.35})
0.675
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np

from analyzer import graph as g

LEVEL_WEIGHTS = {"A": 1.0, "R": 0.75, "C": 0.35, "I": 0.1}
BASELINE_PAIRS = 5000
BASELINE_SEED = 20_240_917
SIGNIFICANCE_PERCENTILE = 95.0
MIN_OVERLAP = 0.5
MIN_SHARED_WEIGHT = 1.5  # shared RACI weight (sum of min) for an overlap finding: two tasks done together
MIN_BASELINE_PAIRS = 20
MAX_EXACT_SCOPE = 2000
MAX_SCOPE_PAIRS = 200_000
_DECIMALS = 4


def weighted_jaccard(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Weighted Jaccard index of two sparse non-negative vectors (0.0 when both are empty)."""
    keys = set(a) | set(b)
    top = sum(min(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    bottom = sum(max(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    return round(top / bottom, _DECIMALS) if bottom else 0.0


def responsibility_vector(G: nx.DiGraph, person_id: str) -> dict[str, float]:
    """responsibility id -> RACI weight of everything the person holds."""
    return {resp: LEVEL_WEIGHTS[data["level"]] for resp, data in g.person_holdings(G, person_id)}


def responsibility_vectors(G: nx.DiGraph) -> dict[str, dict[str, float]]:
    """person id -> :func:`responsibility_vector`, for everybody, in one pass over the edges."""
    vectors: dict[str, dict[str, float]] = {pid: {} for pid in g.people(G)}
    for source, target, data in G.edges(data=True):
        if data.get("rel") == g.HOLDS:
            vectors[G.nodes[source]["id"]][G.nodes[target]["id"]] = LEVEL_WEIGHTS[data["level"]]
    return vectors


def overlap(G: nx.DiGraph, a: str, b: str) -> float:
    """Weighted Jaccard overlap of two people's responsibilities (see the module docstring)."""
    return weighted_jaccard(responsibility_vector(G, a), responsibility_vector(G, b))


@dataclass(frozen=True)
class Baseline:
    """Overlaps of randomly paired jobs in one organisation (sorted ascending)."""

    values: tuple[float, ...]
    population: int  # people with at least one responsibility
    seed: int
    sampled: bool  # False: every pair of the population was compared

    @property
    def usable(self) -> bool:
        return len(self.values) >= MIN_BASELINE_PAIRS

    @cached_property
    def _sorted(self) -> np.ndarray:
        return np.asarray(self.values, dtype=float)

    @cached_property
    def threshold(self) -> float:
        """The :data:`SIGNIFICANCE_PERCENTILE`-th percentile of the baseline."""
        if not self.values:
            return 1.0
        return round(float(np.percentile(self._sorted, SIGNIFICANCE_PERCENTILE)), _DECIMALS)

    def percentile(self, value: float | np.ndarray) -> float | np.ndarray:
        """Share of baseline pairs (in %) whose overlap is below ``value`` (elementwise for arrays)."""
        if not self.values:
            return np.zeros_like(value, dtype=float) if isinstance(value, np.ndarray) else 0.0
        below = np.searchsorted(self._sorted, value, side="left")
        return _plain(np.round(100.0 * below / len(self.values), 2))

    def p_value(self, value: float | np.ndarray) -> float | np.ndarray:
        """Empirical p-value: how often a random pair overlaps at least as much (elementwise for arrays)."""
        at_least = len(self.values) - np.searchsorted(self._sorted, value, side="left")
        return _plain(np.round((1 + at_least) / (1 + len(self.values)), _DECIMALS))

    def significant(self, value: float | np.ndarray) -> bool | np.ndarray:
        """Above the baseline's threshold and at least :data:`MIN_OVERLAP` (elementwise for arrays)."""
        result = (np.asarray(value) >= MIN_OVERLAP) & (np.asarray(value) > self.threshold) & self.usable
        return bool(result) if result.ndim == 0 else result


def _plain(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


@dataclass(frozen=True)
class PairOverlap:
    scope: str
    a: str
    b: str
    overlap: float
    percentile: float
    p_value: float
    significant: bool


class _Vectors:
    """Dense RACI-weight matrix of a set of people (rows) over responsibilities (columns)."""

    def __init__(self, G: nx.DiGraph, person_ids: list[str], known: Mapping[str, dict[str, float]] | None = None):
        """Rows for the people holding at least one responsibility (``ids``), in the given order.

        ``known``: vectors already computed (:func:`responsibility_vectors`), else read from ``G``.
        """
        by_person = [(pid, known[pid] if known is not None else responsibility_vector(G, pid)) for pid in person_ids]
        self.ids = [pid for pid, vector in by_person if vector]
        vectors = [vector for _, vector in by_person if vector]
        columns = sorted({resp for vector in vectors for resp in vector})
        position = {resp: index for index, resp in enumerate(columns)}
        self.matrix = np.zeros((len(person_ids), len(columns)))
        for row, vector in enumerate(vectors):
            for resp, weight in vector.items():
                self.matrix[row, position[resp]] = weight

    def pairs(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(overlaps, shared weights) of the row pairs (left[k], right[k])."""
        a, b = self.matrix[left], self.matrix[right]
        top = np.minimum(a, b).sum(axis=1)
        bottom = np.maximum(a, b).sum(axis=1)
        return np.round(np.divide(top, bottom, out=np.zeros_like(top), where=bottom > 0), _DECIMALS), top

    def all_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(overlap matrix, shared-weight matrix) of all row pairs."""
        shared = _pairwise_minimum(self.matrix)
        return _jaccard(self.matrix, shared), shared


def pairwise_overlap(matrix: np.ndarray) -> np.ndarray:
    """Square matrix of weighted Jaccard overlaps between the rows of a RACI-weight matrix.

    ``sum(min(a, b))`` is computed by thresholding at the few RACI weights (:data:`LEVEL_WEIGHTS`):
    ``min(a, b) = sum over weights w of (w - previous w) * [a >= w] * [b >= w]``, one matrix product per
    weight, so thousands of people take a fraction of a second. Rows must hold RACI weights only.

    Examples
    --------
    >>> pairwise_overlap(np.array([[1.0, 0.35], [1.0, 1.0]])).tolist()
    [[1.0, 0.675], [0.675, 1.0]]
    """
    return _jaccard(matrix, _pairwise_minimum(matrix))


def _pairwise_minimum(matrix: np.ndarray) -> np.ndarray:
    """``sum(min(a, b))`` for every pair of rows (see :func:`pairwise_overlap`)."""
    minimum = np.zeros((len(matrix), len(matrix)))
    previous = 0.0
    for level in sorted(set(LEVEL_WEIGHTS.values())):
        above = (matrix >= level - 1e-9).astype(float)
        minimum += (level - previous) * (above @ above.T)
        previous = level
    return minimum


def _jaccard(matrix: np.ndarray, minimum: np.ndarray) -> np.ndarray:
    totals = matrix.sum(axis=1)
    maximum = totals[:, None] + totals[None, :] - minimum
    return np.round(np.divide(minimum, maximum, out=np.zeros_like(minimum), where=maximum > 0), _DECIMALS)


def baseline(G: nx.DiGraph, pairs: int = BASELINE_PAIRS, seed: int = BASELINE_SEED,
             vectors_of: Mapping[str, dict[str, float]] | None = None) -> Baseline:
    """Overlaps of random pairs of distinct people of the organisation (deterministic for a seed).

    ``vectors_of``: everybody's :func:`responsibility_vectors`, when the caller has them already.
    """
    vectors = _Vectors(G, g.people(G), vectors_of)
    n = len(vectors.ids)
    if n < 2:
        return Baseline((), n, seed, sampled=False)
    if n * (n - 1) // 2 <= pairs:
        left, right = np.triu_indices(n, k=1)
        sampled = False
    else:
        rng = np.random.default_rng(seed)
        left = rng.integers(0, n, size=pairs)
        right = (left + rng.integers(1, n, size=pairs)) % n  # never the same person
        sampled = True
    values = np.sort(vectors.pairs(left, right)[0])
    return Baseline(tuple(float(v) for v in values), n, seed, sampled)


def scope_overlaps(G: nx.DiGraph, scope: str, reference: Baseline, members: list[str] | None = None,
                   seed: int = BASELINE_SEED, only_significant: bool = False,
                   vectors_of: Mapping[str, dict[str, float]] | None = None) -> list[PairOverlap]:
    """Every pair of people in ``scope`` (sampled above :data:`MAX_EXACT_SCOPE`), sorted by overlap, highest first.

    ``only_significant`` keeps the significant pairs only (what the findings need; much less to build).
    ``vectors_of``: everybody's :func:`responsibility_vectors`, when the caller has them already.
    """
    vectors = _Vectors(G, members if members is not None else g.people_in_scope(G, scope), vectors_of)
    people = vectors.ids
    n = len(people)
    if n < 2:
        return []
    if n <= MAX_EXACT_SCOPE:
        left, right = np.triu_indices(n, k=1)
        overlaps, shared = vectors.all_pairs()
        values, shared = overlaps[left, right], shared[left, right]
    else:
        rng = np.random.default_rng(seed)
        left = rng.integers(0, n, size=MAX_SCOPE_PAIRS)
        right = (left + rng.integers(1, n, size=MAX_SCOPE_PAIRS)) % n
        pairs = np.unique(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1), axis=0)
        left, right = pairs[:, 0], pairs[:, 1]
        values, shared = vectors.pairs(left, right)
    # Two jobs sharing a single consulted task can be "identical"; overlap needs real shared work.
    significant = reference.significant(values) & (shared >= MIN_SHARED_WEIGHT - 1e-9)
    if only_significant:
        left, right, values, significant = left[significant], right[significant], values[significant], \
            significant[significant]
    percentiles, p_values = reference.percentile(values), reference.p_value(values)
    result = []
    for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        a, b = g.sort_people([people[i], people[j]])
        result.append(PairOverlap(scope, a, b, float(values[k]), float(percentiles[k]), float(p_values[k]),
                                  bool(significant[k])))
    return sorted(result, key=lambda pair: (-pair.overlap, g.id_sort_key(pair.a), g.id_sort_key(pair.b)))


def significant_overlaps(G: nx.DiGraph, reference: Baseline | None = None) -> list[PairOverlap]:
    """Pairs of people in the same scope whose overlap is significant, by scope then overlap."""
    reference = reference or baseline(G)
    if not reference.usable:
        return []
    members = g.scope_members(G)
    return [pair for scope in sorted(members)
            for pair in scope_overlaps(G, scope, reference, members[scope], only_significant=True)]
