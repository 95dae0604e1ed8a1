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
    percentile **and** at least :data:`MIN_OVERLAP`. The report gives the percentile of the pair within
    the baseline and an empirical p-value ``(1 + #baseline >= overlap) / (1 + #baseline)``. With fewer
    than :data:`MIN_BASELINE_PAIRS` baseline pairs nothing is called significant.
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

import networkx as nx
import numpy as np

from analyzer import graph as g

LEVEL_WEIGHTS = {"A": 1.0, "R": 0.75, "C": 0.35, "I": 0.1}
BASELINE_PAIRS = 5000
BASELINE_SEED = 20_240_917
SIGNIFICANCE_PERCENTILE = 95.0
MIN_OVERLAP = 0.5
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

    @property
    def threshold(self) -> float:
        """The :data:`SIGNIFICANCE_PERCENTILE`-th percentile of the baseline."""
        if not self.values:
            return 1.0
        return round(float(np.percentile(self.values, SIGNIFICANCE_PERCENTILE)), _DECIMALS)

    def percentile(self, value: float) -> float:
        """Share of baseline pairs (in %) whose overlap is below ``value``."""
        if not self.values:
            return 0.0
        below = int(np.searchsorted(self.values, value, side="left"))
        return round(100.0 * below / len(self.values), 2)

    def p_value(self, value: float) -> float:
        """Empirical p-value: how often a random pair overlaps at least as much."""
        at_least = len(self.values) - int(np.searchsorted(self.values, value, side="left"))
        return round((1 + at_least) / (1 + len(self.values)), _DECIMALS)

    def significant(self, value: float) -> bool:
        return self.usable and value >= MIN_OVERLAP and value > self.threshold


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

    def __init__(self, G: nx.DiGraph, person_ids: list[str]):
        vectors = [responsibility_vector(G, pid) for pid in person_ids]
        columns = sorted({resp for vector in vectors for resp in vector})
        position = {resp: index for index, resp in enumerate(columns)}
        self.ids = person_ids
        self.matrix = np.zeros((len(person_ids), len(columns)))
        for row, vector in enumerate(vectors):
            for resp, weight in vector.items():
                self.matrix[row, position[resp]] = weight

    def pairs(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Overlaps of the row pairs (left[k], right[k])."""
        a, b = self.matrix[left], self.matrix[right]
        top = np.minimum(a, b).sum(axis=1)
        bottom = np.maximum(a, b).sum(axis=1)
        return np.round(np.divide(top, bottom, out=np.zeros_like(top), where=bottom > 0), _DECIMALS)

    def all_pairs(self) -> np.ndarray:
        """Square matrix of overlaps: sum(min) by thresholding the few RACI weights, via matrix products."""
        levels = sorted(set(LEVEL_WEIGHTS.values()))
        minimum = np.zeros((len(self.ids), len(self.ids)))
        previous = 0.0
        for level in levels:
            above = (self.matrix >= level - 1e-9).astype(float)
            minimum += (level - previous) * (above @ above.T)
            previous = level
        totals = self.matrix.sum(axis=1)
        maximum = totals[:, None] + totals[None, :] - minimum
        return np.round(np.divide(minimum, maximum, out=np.zeros_like(minimum), where=maximum > 0), _DECIMALS)


def _with_responsibilities(G: nx.DiGraph, person_ids: list[str]) -> list[str]:
    return [pid for pid in person_ids if any(True for _ in g.person_holdings(G, pid))]


def baseline(G: nx.DiGraph, pairs: int = BASELINE_PAIRS, seed: int = BASELINE_SEED) -> Baseline:
    """Overlaps of random pairs of distinct people of the organisation (deterministic for a seed)."""
    population = _with_responsibilities(G, g.people(G))
    n = len(population)
    if n < 2:
        return Baseline((), n, seed, sampled=False)
    vectors = _Vectors(G, population)
    if n * (n - 1) // 2 <= pairs:
        left, right = np.triu_indices(n, k=1)
        sampled = False
    else:
        rng = np.random.default_rng(seed)
        left = rng.integers(0, n, size=pairs)
        right = (left + rng.integers(1, n, size=pairs)) % n  # never the same person
        sampled = True
    values = np.sort(vectors.pairs(left, right))
    return Baseline(tuple(float(v) for v in values), n, seed, sampled)


def scope_overlaps(G: nx.DiGraph, scope: str, reference: Baseline, members: list[str] | None = None,
                   seed: int = BASELINE_SEED) -> list[PairOverlap]:
    """Every pair of people in ``scope`` (sampled above :data:`MAX_EXACT_SCOPE`), sorted by overlap, highest first."""
    people = _with_responsibilities(G, members if members is not None else g.people_in_scope(G, scope))
    n = len(people)
    if n < 2:
        return []
    vectors = _Vectors(G, people)
    if n <= MAX_EXACT_SCOPE:
        left, right = np.triu_indices(n, k=1)
        values = vectors.all_pairs()[left, right]
    else:
        rng = np.random.default_rng(seed)
        left = rng.integers(0, n, size=MAX_SCOPE_PAIRS)
        right = (left + rng.integers(1, n, size=MAX_SCOPE_PAIRS)) % n
        left, right = np.minimum(left, right), np.maximum(left, right)
        unique = sorted(set(zip(left.tolist(), right.tolist(), strict=True)))
        left, right = np.array([u[0] for u in unique]), np.array([u[1] for u in unique])
        values = vectors.pairs(left, right)
    result = []
    for i, j, value in zip(left.tolist(), right.tolist(), values.tolist(), strict=True):
        a, b = g.sort_people([people[i], people[j]])
        result.append(PairOverlap(scope, a, b, float(value), reference.percentile(value), reference.p_value(value),
                                  reference.significant(value)))
    return sorted(result, key=lambda pair: (-pair.overlap, g.id_sort_key(pair.a), g.id_sort_key(pair.b)))


def significant_overlaps(G: nx.DiGraph, reference: Baseline | None = None) -> list[PairOverlap]:
    """Pairs of people in the same scope whose overlap is significant, by scope then overlap."""
    reference = reference or baseline(G)
    if not reference.usable:
        return []
    members = g.scope_members(G)
    return [pair for scope in sorted(members) for pair in scope_overlaps(G, scope, reference, members[scope])
            if pair.significant]
