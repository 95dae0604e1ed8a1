"""Person x person overlap for the clustered heatmap: weighted Jaccard on RACI vectors.

The measure is :mod:`analyzer.overlap`'s (same RACI weights, same index), computed here for all pairs
at once with numpy: each person is a vector over the model's responsibilities, and the overlap of two
people is ``sum(min) / sum(max)`` of their vectors (1.0 for identical holdings, 0.0 when they share
nothing). People are then ordered by hierarchical clustering so that groups who overlap sit next to
each other on the heatmap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analyzer.graph import scope_of
from analyzer.overlap import LEVEL_WEIGHTS
from analyzer.records import Analysis, FindingKind, PersonAnalysis

DEFAULT_CAP = 40


@dataclass(frozen=True)
class OverlapView:
    """The people shown on the heatmap (clustered order) and their pairwise overlap."""

    ids: tuple[str, ...]
    values: np.ndarray  # square, symmetric, diagonal 1.0, in ``ids`` order
    considered: int  # people holding any responsibility (candidates for the heatmap)
    without_holdings: int  # people left out: no product role and accountable for nothing
    capped: bool  # True when only the ``len(ids)`` most overlapping people are shown
    flagged: frozenset[frozenset[str]] = frozenset()  # pairs an ``overlap`` finding names


def _distinct_vectors(analysis: Analysis, people: list[PersonAnalysis]) -> tuple[np.ndarray, np.ndarray]:
    """The RACI vectors of ``people`` as (one row per distinct holdings tuple, each person's row).

    People who share a description share their holdings tuple: its vector is made once.
    """
    assert analysis.model is not None
    resp_index = {resp: index for index, resp in enumerate(analysis.model.responsibility_ids)}
    rows: dict[int, int] = {}  # id of a holdings tuple (alive as long as its people) -> its row
    vectors: list[np.ndarray] = []
    index = np.empty(len(people), dtype=np.intp)
    for position, person in enumerate(people):
        row = rows.get(id(person.holdings))
        if row is None:
            vector = np.zeros(len(resp_index))
            for holding in person.holdings:
                vector[resp_index[holding.responsibility]] = LEVEL_WEIGHTS[holding.level.value]
            row = rows[id(person.holdings)] = len(vectors)
            vectors.append(vector)
        index[position] = row
    distinct = np.array(vectors) if vectors else np.zeros((0, len(resp_index)))
    return distinct, index


def weighted_jaccard(vectors: np.ndarray) -> np.ndarray:
    """Pairwise weighted Jaccard similarity of the rows of ``vectors`` (non-negative).

    Examples
    --------
    >>> weighted_jaccard(np.array([[1.0, 0.75], [1.0, 0.0], [0.0, 0.0]])).round(3).tolist()
    [[1.0, 0.571, 0.0], [0.571, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    mins = np.minimum(vectors[:, None, :], vectors[None, :, :]).sum(axis=2)
    maxs = np.maximum(vectors[:, None, :], vectors[None, :, :]).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        similarity = np.where(maxs > 0, mins / np.where(maxs > 0, maxs, 1.0), 0.0)
    np.fill_diagonal(similarity, 1.0)
    return np.round(similarity, 4)  # the precision analyzer.overlap reports; keeps clustering platform-stable


def cluster_order(similarity: np.ndarray) -> list[int]:
    """Row order that puts similar rows next to each other (average linkage, optimal leaf order).

    Examples
    --------
    >>> cluster_order(np.array([[1, 0, .9], [0, 1, 0], [.9, 0, 1]]))
    [1, 2, 0]
    """
    count = len(similarity)
    if count <= 2:
        return list(range(count))
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    distance = 1.0 - np.asarray(similarity, dtype=float)
    np.fill_diagonal(distance, 0.0)
    distance = np.clip((distance + distance.T) / 2.0, 0.0, 1.0)
    tree = linkage(squareform(distance, checks=False), method="average", optimal_ordering=True)
    return [int(index) for index in leaves_list(tree)]


def _in_product_work(person: PersonAnalysis, accountable: dict[int, bool] | None = None) -> bool:
    """People in a product role, and anyone else accountable (A) for something.

    Engineers or designers who are merely responsible (R) for delivery all look alike and would fill
    the heatmap with one big, expected block; one who *owns* a product responsibility is worth seeing.
    ``accountable`` remembers, per holdings tuple, whether it holds an A.
    """
    if not person.holdings:
        return False
    if person.role.canonical:
        return True
    key = id(person.holdings)
    known = accountable.get(key) if accountable is not None else None
    if known is None:
        known = any(holding.level.value == "A" for holding in person.holdings)
        if accountable is not None:
            accountable[key] = known
    return known


def _closest_other(vectors: np.ndarray, block_bytes: int = 64 * 2**20) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the most RACI weight shared with any *other* row (``sum(min)``, rounded) and the best overlap
    ratio with any other row.

    People who share a description share a vector, so the rows are compared as distinct vectors (a vector
    held twice is its own closest other), in blocks of bounded memory: the cost grows with the number of
    distinct vectors squared, not with headcount squared. The values are computed exactly as
    :func:`weighted_jaccard` computes them.

    Examples
    --------
    >>> shared, ratio = _closest_other(np.array([[1.0, 0.35], [1.0, 0.35], [0.75, 0.0]]))
    >>> shared.tolist(), ratio.tolist()
    ([1.35, 1.35, 0.75], [1.0, 1.0, 0.5556])
    """
    distinct, inverse, counts = np.unique(vectors, axis=0, return_inverse=True, return_counts=True)
    inverse = np.asarray(inverse).reshape(-1)
    most_shared, best_ratio = _closest_distinct(distinct, counts, block_bytes)
    return most_shared[inverse], best_ratio[inverse]


def _closest_distinct(distinct: np.ndarray, counts: np.ndarray, block_bytes: int = 64 * 2**20
                      ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_closest_other` of distinct vectors, each held by ``counts`` rows."""
    size = len(distinct)
    most_shared, best_ratio = np.zeros(size), np.zeros(size)
    rows = max(1, block_bytes // max(1, 8 * size * distinct.shape[1]))
    for start in range(0, size, rows):
        block = distinct[start:start + rows]
        mins = np.minimum(block[:, None, :], distinct[None, :, :]).sum(axis=2)
        maxs = np.maximum(block[:, None, :], distinct[None, :, :]).sum(axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = np.round(np.where(maxs > 0, mins / np.where(maxs > 0, maxs, 1.0), 0.0), 4)
        own = np.arange(start, start + len(block))
        alone = counts[own] == 1  # a vector held once is not compared with itself
        mins[np.arange(len(block))[alone], own[alone]] = 0.0
        ratios[np.arange(len(block))[alone], own[alone]] = 0.0
        most_shared[own] = mins.max(axis=1).round(4)
        best_ratio[own] = ratios.max(axis=1)
    return most_shared, best_ratio


def person_overlap(analysis: Analysis, cap: int = DEFAULT_CAP) -> OverlapView:
    """The clustered overlap of the people in product work, capped at the ``cap`` who share the most.

    When more people hold responsibilities than ``cap``, the people who share the most work with
    someone else are kept: the shared RACI weight ``sum(min)``, not the ratio, so two engineers who are
    each merely responsible for delivery (a 100% overlap of one small thing) do not push out two product
    owners who both own five responsibilities. Ties: overlap ratio, team, input order.
    """
    accountable: dict[int, bool] = {}
    holders = [person for person in analysis.people if _in_product_work(person, accountable)]
    by_holdings, index = _distinct_vectors(analysis, holders)
    vectors = by_holdings[index]
    chosen = list(range(len(holders)))
    capped = len(holders) > cap
    if capped:
        # distinct vectors of the distinct holdings tuples: what _closest_other computes, on fewer rows
        distinct, inverse = np.unique(by_holdings, axis=0, return_inverse=True)
        rows = np.asarray(inverse).reshape(-1)[index]
        most_shared, best_ratio = (values[rows] for values in _closest_distinct(distinct, np.bincount(rows)))
        scopes = [scope_of(person) for person in holders]
        rank = {scope: position for position, scope in enumerate(sorted(set(scopes)))}
        # most shared first, then best ratio, team, input order (np.lexsort: the last key sorts first)
        ranked = np.lexsort((np.arange(len(holders)), np.array([rank[scope] for scope in scopes]), -best_ratio,
                             -most_shared))
        chosen = sorted(int(i) for i in ranked[:cap])
    # Only the people shown are compared pairwise: the full matrix of 100,000 people would not fit in memory.
    similarity = weighted_jaccard(vectors[chosen]) if chosen else np.zeros((0, 0))
    order = cluster_order(similarity)
    picked = [chosen[i] for i in order]
    return OverlapView(
        ids=tuple(holders[i].id for i in picked),
        values=similarity[np.ix_(order, order)] if picked else similarity,
        considered=len(holders),
        without_holdings=len(analysis.people) - len(holders),
        capped=capped,
        flagged=frozenset(frozenset(f.people) for f in analysis.findings
                          if f.kind is FindingKind.OVERLAP and len(f.people) == 2),
    )
