"""Statement -> responsibility classifier trained on the role model's own phrasings.

Features: TF-IDF over word lemmas (unigrams and bigrams, lemmas from spaCy's lookup tables) and over
character n-grams (robust to spelling variants, plurals and jargon). Classes: the model's
responsibilities plus one class per non-product job family (so an engineer's "write and ship code"
is recognised as engineering work, not forced onto a product responsibility). A multinomial logistic
regression gives a probability per class; a responsibility is reported when its probability clears
``threshold``, a second one when it is close to the first (multi-label sentences such as "hire and
grow the team").

Training data are only the model file's ``phrasings``, ``keywords``, names and descriptions; the
held-out evaluation set in ``evaluation/`` is never read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from analyzer.model import RoleModel
from analyzer.nlp import lemmas

FAMILY_PREFIX = "family:"
DEFAULT_THRESHOLD = 0.30  # below this the statement is listed as unmapped (see the model card)
SECOND_LABEL_RATIO = 0.45  # a second responsibility is kept when p2 >= ratio * p1 ...
SECOND_LABEL_MIN = 0.20  # ... and p2 >= this
_KEYWORD_REPEAT = 2  # keywords are short: each becomes this many training rows
_REGULARISATION_C = 8.0


@dataclass(frozen=True)
class Prediction:
    """Classifier output for one text."""

    labels: tuple[tuple[str, float], ...]  # responsibilities kept, strongest first
    best: str  # top class (responsibility id or "family:<id>")
    best_score: float

    @property
    def family(self) -> str | None:
        return self.best[len(FAMILY_PREFIX):] if self.best.startswith(FAMILY_PREFIX) else None


def _word_analyzer(text: str) -> list[str]:
    words = lemmas(text)
    return words + [f"{a} {b}" for a, b in pairwise(words)]


class ResponsibilityClassifier:
    """Fit on a :class:`RoleModel`, then :meth:`predict` texts.

    Examples
    --------
    >>> from analyzer.model import load_model
    >>> clf = ResponsibilityClassifier(load_model())
    >>> clf.predict(["Own and order the product backlog"])[0].labels[0][0]
    'backlog_management'
    """

    def __init__(self, model: RoleModel, threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        texts, labels = training_rows(model)
        self.words = TfidfVectorizer(analyzer=_word_analyzer, sublinear_tf=True, min_df=1)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                     min_df=2, lowercase=True)
        features = self._fit_features(texts)
        self.classes_ = np.array(sorted(set(labels)))
        self.clf = LogisticRegression(C=_REGULARISATION_C, max_iter=3000, random_state=0)
        self.clf.fit(features, labels)
        self.classes_ = self.clf.classes_
        self._is_family = np.array([str(c).startswith(FAMILY_PREFIX) for c in self.classes_])

    def _fit_features(self, texts: list[str]) -> sparse.csr_matrix:
        return sparse.hstack([self.words.fit_transform(texts), self.chars.fit_transform(texts)]).tocsr()

    def _features(self, texts: list[str]) -> sparse.csr_matrix:
        return sparse.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Class probabilities, shape (len(texts), len(classes_))."""
        if not texts:
            return np.zeros((0, len(self.classes_)))
        return self.clf.predict_proba(self._features(texts))

    def predict(self, texts: list[str]) -> list[Prediction]:
        probs = self.probabilities(texts)
        return [self._decide(row) for row in probs]

    def _decide(self, row: np.ndarray) -> Prediction:
        order = np.argsort(-row, kind="stable")
        best = int(order[0])
        best_label, best_score = str(self.classes_[best]), float(row[best])
        if self._is_family[best] or best_score < self.threshold:
            return Prediction((), best_label, best_score)
        kept = [(best_label, best_score)]
        second = int(order[1])
        second_score = float(row[second])
        if (not self._is_family[second] and second_score >= SECOND_LABEL_MIN
                and second_score >= SECOND_LABEL_RATIO * best_score):
            kept.append((str(self.classes_[second]), second_score))
        return Prediction(tuple(kept), best_label, best_score)


def training_rows(model: RoleModel) -> tuple[list[str], list[str]]:
    """(texts, labels) the classifier learns from: the model's phrasings, keywords, names, descriptions."""
    texts: list[str] = []
    labels: list[str] = []
    for resp in model.responsibilities:
        rows = [*resp.phrasings, resp.description, resp.name]
        rows += [keyword for keyword in resp.keywords for _ in range(_KEYWORD_REPEAT)]
        texts += rows
        labels += [resp.id] * len(rows)
    for family in model.families:
        rows = list(family.phrasings)
        texts += rows
        labels += [FAMILY_PREFIX + family.id] * len(rows)
    return texts, labels
