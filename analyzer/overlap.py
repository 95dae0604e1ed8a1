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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

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
    nodes = G.nodes
    for source, targets in G.adjacency():
        vector = None
        for target, data in targets.items():
            if data.get("rel") == g.HOLDS:
                if vector is None:
                    vector = vectors[nodes[source]["id"]]
                vector[nodes[target]["id"]] = LEVEL_WEIGHTS[data["level"]]
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

    def __init__(self, G: nx.DiGraph, person_ids: list[str], known: Mapping[str, dict[str, float]] | None = None,
                 fill: bool = True):
        """Rows for the people holding at least one responsibility (``ids``), in the given order.

        ``known``: vectors already computed (:func:`responsibility_vectors`), else read from ``G``.
        ``fill``: False leaves the matrix empty until :meth:`fill_rows` fills the rows that are needed.
        """
        if known is None:
            known = {pid: responsibility_vector(G, pid) for pid in person_ids}
        self.ids = [pid for pid in person_ids if known[pid]]
        self.vectors = [known[pid] for pid in self.ids]
        self.columns = sorted({resp for vector in self.vectors for resp in vector})
        self.matrix = np.zeros((len(person_ids), len(self.columns)))
        if fill:
            self.fill_rows(range(len(self.ids)))

    def fill_rows(self, rows: Iterable[int]) -> None:
        """Write the weights of the people at ``rows`` (positions in ``ids``) into the matrix."""
        position = {resp: index for index, resp in enumerate(self.columns)}
        where_row, where_column, weights = [], [], []
        for row in rows:
            vector = self.vectors[row]
            where_row += [row] * len(vector)
            where_column += [position[resp] for resp in vector]
            weights += vector.values()
        self.matrix[where_row, where_column] = weights

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
             vectors_of: Mapping[str, dict[str, float]] | None = None, people: list[str] | None = None) -> Baseline:
    """Overlaps of random pairs of distinct people of the organisation (deterministic for a seed).

    ``vectors_of``: everybody's :func:`responsibility_vectors`, when the caller has them already;
    ``people``: ``analyzer.graph.people(G)``, likewise.
    """
    vectors = _Vectors(G, g.people(G) if people is None else people, vectors_of, fill=False)
    n = len(vectors.ids)
    if n < 2:
        return Baseline((), n, seed, sampled=False)
    if n * (n - 1) // 2 <= pairs:
        left, right = _upper_pairs(n)
        sampled = False
    else:
        rng = np.random.default_rng(seed)
        left = rng.integers(0, n, size=pairs)
        right = (left + rng.integers(1, n, size=pairs)) % n  # never the same person
        sampled = True
    vectors.fill_rows(np.unique(np.concatenate([left, right])).tolist())  # only the people drawn
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
        left, right = _upper_pairs(n)
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
    if only_significant and not significant.any():
        return []
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


@lru_cache(maxsize=256)
def _upper_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.triu_indices(n, k=1)``, read-only and computed once per size (scopes of one size are common)."""
    left, right = np.triu_indices(n, k=1)
    left.flags.writeable = right.flags.writeable = False
    return left, right


def significant_overlaps(G: nx.DiGraph, reference: Baseline | None = None) -> list[PairOverlap]:
    """Pairs of people in the same scope whose overlap is significant, by scope then overlap."""
    reference = reference or baseline(G)
    if not reference.usable:
        return []
    return significant_scope_overlaps(G, g.scope_members(G), reference, responsibility_vectors(G))


def significant_scope_overlaps(G: nx.DiGraph, members_by_scope: Mapping[str, list[str]], reference: Baseline,
                               vectors_of: Mapping[str, dict[str, float]]) -> list[PairOverlap]:
    """``scope_overlaps(G, scope, reference, members, only_significant=True)`` for every scope, in order.

    The same numbers, computed for the pairs of all scopes at once (the overlap of a pair does not
    depend on the other pairs of its scope) instead of a few dozen small array operations per scope.
    Each number goes through the very same floating-point operations as in :func:`scope_overlaps`:
    shared weight from the counts of responsibilities both hold at each RACI weight or above, and
    each person's total weight summed over the row of their scope's matrix, laid out as there.
    Scopes above :data:`MAX_EXACT_SCOPE` people are sampled, by :func:`scope_overlaps` itself.
    """
    if not reference.usable:
        return []
    people = list(dict.fromkeys(pid for members in members_by_scope.values() for pid in members if vectors_of[pid]))
    columns = sorted({resp for pid in people for resp in vectors_of[pid]})
    position = {resp: index for index, resp in enumerate(columns)}
    weights = np.zeros((len(people), len(columns)))
    where_row: list[int] = []
    where_column: list[int] = []
    values: list[float] = []
    for row, pid in enumerate(people):
        vector = vectors_of[pid]
        where_row += [row] * len(vector)
        where_column += map(position.__getitem__, vector)
        values += vector.values()
    weights[where_row, where_column] = values
    row_of = {pid: row for row, pid in enumerate(people)}
    found: dict[int, list[PairOverlap]] = {}
    scopes = list(members_by_scope)
    rows_of_scope: list[np.ndarray] = []  # scopes compared exactly: their people's rows and total weights
    totals_of_scope: list[np.ndarray] = []
    numbers: list[int] = []
    for number, scope in enumerate(scopes):
        members = members_by_scope[scope]
        ids = [row_of[pid] for pid in members if vectors_of[pid]]
        n = len(ids)
        if n < 2:
            continue
        if n > MAX_EXACT_SCOPE:
            found[number] = scope_overlaps(G, scope, reference, members, only_significant=True,
                                           vectors_of=vectors_of)
            continue
        rows = np.array(ids, dtype=np.intp)
        held = weights[rows]
        used = held.any(axis=0)
        # The scope's matrix as _Vectors lays it out: its responsibilities as columns, a row per member,
        # in C order. The totals depend on it: numpy sums a contiguous row in blocks of eight, another
        # layout in sequence, and the last bit of a total can round an overlap the other way at a tie.
        matrix = np.zeros((len(members), int(used.sum())))
        matrix[:n] = held[:, used]
        rows_of_scope.append(rows)
        totals_of_scope.append(matrix.sum(axis=1)[:n])
        numbers.append(number)
    if numbers:
        left, right, left_totals, right_totals, pair_scope = _scope_pairs(rows_of_scope, totals_of_scope, numbers)
        shared = _shared_weight(weights, left, right)
        maximum = (left_totals + right_totals) - shared
        overlaps = np.round(np.divide(shared, maximum, out=np.zeros_like(shared), where=maximum > 0), _DECIMALS)
        keep = np.flatnonzero(reference.significant(overlaps) & (shared >= MIN_SHARED_WEIGHT - 1e-9))
        overlaps, pair_scope = overlaps[keep], pair_scope[keep]
        percentiles, p_values = reference.percentile(overlaps), reference.p_value(overlaps)
        for k, (number, i, j) in enumerate(zip(pair_scope.tolist(), left[keep].tolist(), right[keep].tolist(),
                                               strict=True)):
            a, b = g.sort_people([people[i], people[j]])
            found.setdefault(number, []).append(PairOverlap(scopes[number], a, b, float(overlaps[k]),
                                                            float(percentiles[k]), float(p_values[k]), True))
    return [pair for number in sorted(found) for pair in sorted(
        found[number], key=lambda pair: (-pair.overlap, g.id_sort_key(pair.a), g.id_sort_key(pair.b)))]


def _scope_pairs(rows_of_scope: list[np.ndarray], totals_of_scope: list[np.ndarray],
                 numbers: list[int]) -> tuple[np.ndarray, ...]:
    """Every pair within each scope (as np.triu_indices orders them): (left rows, right rows, left totals,
    right totals, scope number), scopes of one size at a time."""
    sizes = np.array([len(rows) for rows in rows_of_scope])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat_rows, flat_totals = np.concatenate(rows_of_scope), np.concatenate(totals_of_scope)
    numbers_array = np.array(numbers)
    lefts, rights, scope_numbers = [], [], []
    for size in np.unique(sizes).tolist():
        chosen = np.flatnonzero(sizes == size)
        left, right = _upper_pairs(size)
        lefts.append((starts[chosen][:, None] + left[None, :]).ravel())
        rights.append((starts[chosen][:, None] + right[None, :]).ravel())
        scope_numbers.append(np.repeat(numbers_array[chosen], len(left)))
    left, right = np.concatenate(lefts), np.concatenate(rights)
    return flat_rows[left], flat_rows[right], flat_totals[left], flat_totals[right], np.concatenate(scope_numbers)


def _shared_weight(weights: np.ndarray, left: np.ndarray, right: np.ndarray, chunk: int = 1 << 18) -> np.ndarray:
    """``sum(min(a, b))`` of the row pairs (left[k], right[k]), as :func:`_pairwise_minimum` computes it."""
    shared = np.zeros(len(left))
    previous = 0.0
    for level in sorted(set(LEVEL_WEIGHTS.values())):
        above = weights >= level - 1e-9
        counts = np.concatenate([np.count_nonzero(above[left[start:start + chunk]] & above[right[start:start + chunk]],
                                                  axis=1) for start in range(0, len(left), chunk)])
        shared += (level - previous) * counts.astype(float)
        previous = level
    return shared
