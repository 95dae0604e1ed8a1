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
    without_holdings: int  # people left out because they hold nothing
    capped: bool  # True when only the ``len(ids)`` most overlapping people are shown
    flagged: frozenset[frozenset[str]] = frozenset()  # pairs an ``overlap`` finding names


def raci_vectors(analysis: Analysis, people: list[PersonAnalysis] | None = None) -> np.ndarray:
    """One row per person, one column per responsibility (model order), weighted by RACI level."""
    assert analysis.model is not None
    resp_index = {resp: index for index, resp in enumerate(analysis.model.responsibility_ids)}
    chosen = analysis.people if people is None else people
    vectors = np.zeros((len(chosen), len(resp_index)))
    for row, person in enumerate(chosen):
        for holding in person.holdings:
            vectors[row, resp_index[holding.responsibility]] = LEVEL_WEIGHTS[holding.level.value]
    return vectors


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


def person_overlap(analysis: Analysis, cap: int = DEFAULT_CAP) -> OverlapView:
    """The clustered overlap of everyone who holds something, capped at the ``cap`` most overlapping.

    When more people hold responsibilities than ``cap``, the people whose strongest overlap with
    someone else is highest are kept (ties: team, then input order), so the heatmap stays readable.
    """
    holders = [person for person in analysis.people if person.holdings]
    similarity = weighted_jaccard(raci_vectors(analysis, holders)) if holders else np.zeros((0, 0))
    chosen = list(range(len(holders)))
    capped = len(holders) > cap
    if capped:
        strongest = similarity - np.eye(len(holders))
        best = strongest.max(axis=1)
        ranked = sorted(chosen, key=lambda i: (-best[i], scope_of(holders[i]), i))
        chosen = sorted(ranked[:cap])
    sub = similarity[np.ix_(chosen, chosen)] if chosen else similarity
    order = cluster_order(sub)
    picked = [chosen[i] for i in order]
    return OverlapView(
        ids=tuple(holders[i].id for i in picked),
        values=similarity[np.ix_(picked, picked)] if picked else similarity,
        considered=len(holders),
        without_holdings=len(analysis.people) - len(holders),
        capped=capped,
        flagged=frozenset(frozenset(f.people) for f in analysis.findings
                          if f.kind is FindingKind.OVERLAP and len(f.people) == 2),
    )
