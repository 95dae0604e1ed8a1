"""The confidence a user sees: the classifier's calibrated probability, re-calibrated on real job descriptions.

The statement classifier (:mod:`analyzer.mapping.classifier`) turns its scores into the probability that its top
responsibility is right with a calibration fitted on the model's own phrasings. On real postings that probability runs
high: on the hand-labelled statements of the real postings kept for development, a statement given 0.9 or more got
the annotator's responsibility about 3 times in 4, one given 0.3-0.5 about 1 time in 4. This module maps it onto the
scale of real prose with one more logistic (Platt) step on its log-odds,

    shown = sigmoid(slope * logit(p) + intercept)

fitted on those labelled statements (every statement the segmenter reads as a duty whose top class is a
responsibility; right when the annotator gives that responsibility). The map is monotone, so it changes no reading:
the role reader and every internal rule keep the classifier's probability (``ResponsibilityMatch.score``), and the
threshold a user gives (``--min-confidence``) is taken on the shown scale and converted back. What is shown on
that scale: each holding's score (the strongest statement's) in the reports, and the threshold.

The two numbers are model data (``confidence_on_real_prose`` in the model file, one pair per mapper). A model
without them shows the classifier's own probability (the identity map). ``python -m analyzer.evaluate --statements
FILE... --fit-prose-calibration`` fits them on the labelled statements and prints how well a fit on one round
calibrates the other (evaluation/HISTORY.md, iteration 10).

Examples
--------
>>> calibration = ProseCalibration(slope=0.5, intercept=-1.0)
>>> round(calibration.shown(0.9), 3), round(calibration.phrasing(calibration.shown(0.9)), 3)
(0.525, 0.9)
>>> IDENTITY.shown(0.3)
0.3
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

# The classifier's calibrated P(right) below which a statement is unmapped, on its own scale. Chosen on the dev split:
# 0.25-0.30 read best there (0.45 missed one held row in a hundred more, with the same abstention on requirements and
# other jobs' duties). The calibration is fitted on the model's own phrasings, which the classifier reads more surely
# than adverts.
DEFAULT_THRESHOLD = 0.30
# Probabilities are clipped away from 0 and 1 before their log-odds are taken (the calibration's own outputs never
# reach them, but a user's threshold of 0 does).
_EPSILON = 1e-6


def _logit(p: float) -> float:
    p = min(max(p, _EPSILON), 1 - _EPSILON)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    # Either form for its own sign, so that no exponent overflows (a model's slope may be tiny or huge).
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    return math.exp(x) / (1 + math.exp(x))


@dataclass(frozen=True)
class ProseCalibration:
    """``shown = sigmoid(slope * logit(p) + intercept)``; ``slope`` > 0, so the order of scores is kept."""

    slope: float = 1.0
    intercept: float = 0.0

    @property
    def is_identity(self) -> bool:
        return self.slope == 1.0 and self.intercept == 0.0

    def shown(self, probability: float) -> float:
        """The confidence shown for the classifier's calibrated ``probability``."""
        if self.is_identity:
            return probability
        return _sigmoid(self.slope * _logit(probability) + self.intercept)

    @property
    def highest(self) -> float:
        """The highest confidence this scale shows (probabilities are clipped just below 1)."""
        return self.shown(1.0)

    def phrasing(self, shown: float) -> float:
        """The classifier's probability that is shown as ``shown`` (the inverse of :meth:`shown`, clipped as it is:
        above :attr:`highest` nothing is shown, and the probability returned is above 1)."""
        if self.is_identity or shown <= 0:
            return shown
        if shown > self.highest:
            return math.inf
        return min(_sigmoid((_logit(shown) - self.intercept) / self.slope), 1 - _EPSILON)


IDENTITY = ProseCalibration()


def default_min_confidence(scale: ProseCalibration) -> float:
    """The default threshold (``DEFAULT_THRESHOLD`` of the classifier's probability) as shown on ``scale``, to 3
    decimals: what a user sees, and gives back, as the default."""
    return round(scale.shown(DEFAULT_THRESHOLD), 3)


def fit_prose_calibration(probabilities: Sequence[float], right: Sequence[bool]) -> ProseCalibration:
    """The map fitted (by maximum likelihood, unregularised) to statements' probabilities and whether each was right.

    Raises
    ------
    ValueError
        Fewer than two statements, or all right or all wrong: nothing to fit.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    outcomes = np.asarray(right, dtype=int)
    if len(outcomes) < 2 or outcomes.min() == outcomes.max():
        raise ValueError("fitting a calibration needs statements both right and wrong")
    log_odds = np.array([[_logit(float(p))] for p in probabilities])
    fitted = LogisticRegression(C=1e6).fit(log_odds, outcomes)
    return ProseCalibration(slope=float(fitted.coef_[0][0]), intercept=float(fitted.intercept_[0]))


# How far the dev split's mean log-odds may move before the calibration must be fitted again. The probe is a
# fingerprint, not a measure of harm: 0.01 lets through the floating-point differences between machines and library
# versions, and changes that move a few of its 370 statements a little (a lemma corrected). Measured on the default
# mapper (evaluation/HISTORY.md, iteration 11): the SVM's C from 1 to 2 moved it by 0.054, to 0.5 by 0.124, the static
# vectors' weight from 0.5 to 0.65 by 0.012 and to 0.4 by 0.088.
PROBE_TOLERANCE = 0.01


def mean_log_odds(probabilities: Sequence[float]) -> float:
    """The mean log-odds of ``probabilities`` to 3 decimals: the probe that says whether the classifier a calibration
    was fitted for still reads a fixed set of statements (the dev split) as it did (each entry's ``dev_split_log_odds``
    in the model file).

    >>> mean_log_odds([0.5, 0.9, 0.1])
    0.0
    """
    if not probabilities:
        raise ValueError("the probe needs at least one statement")
    return round(sum(_logit(p) for p in probabilities) / len(probabilities), 3) + 0.0


BANDS = (0.0, 0.3, 0.5, 0.7, 0.9, 1.0001)  # confidence bands of the calibration tables (the last one holds 1.0)


def calibration_bands(confidences: Sequence[float], right: Sequence[bool], edges: Sequence[float] = BANDS
                      ) -> list[tuple[float, float, int, float, float]]:
    """(low, high, rows, mean confidence, share right) per band of ``edges``; an empty band has 0 for both means.

    >>> calibration_bands([0.9, 0.9, 0.2], [True, False, False], (0.0, 0.5, 1.0001))
    [(0.0, 0.5, 1, 0.2, 0.0), (0.5, 1.0, 2, 0.9, 0.5)]
    """
    table = []
    for low, high in pairwise(edges):
        band = [(value, hit) for value, hit in zip(confidences, right, strict=True) if low <= value < high]
        count = len(band)
        table.append((low, min(high, 1.0), count, sum(value for value, _ in band) / count if count else 0.0,
                      sum(hit for _, hit in band) / count if count else 0.0))
    return table


def calibration_error(confidences: Sequence[float], right: Sequence[bool], edges: Sequence[float] = BANDS) -> float:
    """Expected calibration error over the bands of ``edges``: the mean gap, weighted by rows, between the confidence
    and the share right in each band.

    >>> calibration_error([0.9, 0.9, 0.2, 0.2], [True, False, False, False])
    0.3
    """
    total = sum(count * abs(mean - share) for _, _, count, mean, share in calibration_bands(confidences, right, edges))
    return round(total / len(confidences), 12) if len(confidences) else 0.0
