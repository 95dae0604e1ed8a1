"""Statement -> responsibility classifier trained on the role model's own phrasings.

Features: TF-IDF over word lemmas (unigrams and bigrams, lemmas from spaCy's lookup tables) and over
character n-grams (robust to spelling variants, plurals and jargon), and a static sentence vector (the meaning of
the words, distilled from all-MiniLM-L6-v2 into a table shipped with the package, see
:mod:`analyzer.mapping.wordvectors`), so that "write appraisals" reads close to "run performance reviews" though
no phrasing says "appraisals". On the hand-labelled statements of real postings it raised macro precision from
0.351 to 0.395 and from 0.409 to 0.462, and top-1 from 0.457 to 0.493 and from 0.452 to 0.462
(evaluation/HISTORY.md, iteration 4).
Classes: the model's responsibilities plus one class per non-product job family, so that an engineer's "write and ship
code" or a values statement ("be transparent") is recognised as such instead of being forced onto a
product responsibility. A linear SVM (one-vs-rest) scores every class.

Confidence: the SVM's decision values are turned into the probability that the top class is right
by a logistic (Platt) calibration fitted on cross-validated decision values of the training rows,
using the top value and its margin over the runner-up. A responsibility is reported when that
probability clears ``threshold``; a second one when its own decision value is close to the first
(multi-label sentences such as "hire and grow the team").

Semantic variant (``semantic=True``, the ``semantic`` extra): each text's all-MiniLM-L6-v2 sentence vector (the
model itself, reading the words in context), scaled by ``SEMANTIC_SCALE``, is appended to the same features. Beside
the static vectors it adds little on the real postings (top-1 0.484 and 0.462 -> 0.493 and 0.481,
see evaluation/HISTORY.md);
it encodes every text (about 280 a second on two cores, against the default's 20,000).

Training data are only the model file's ``phrasings``, ``keywords``, names and descriptions; the
held-out evaluation set in ``evaluation/`` is never read here.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from analyzer.mapping.clauses import mask_partner_roles
from analyzer.mapping.features import CachedTfidf
from analyzer.mapping.prose import DEFAULT_THRESHOLD
from analyzer.mapping.training import FAMILY_PREFIX, training_rows
from analyzer.mapping.wordvectors import SentenceVectors
from analyzer.model import RoleModel
from analyzer.nlp import lemmas

# A coordinated part ("..., and run their reviews") is a fragment: short, without the sentence's context,
# and its calibrated confidence (fitted on whole phrasings) runs high. It adds a responsibility only
# above this stricter bar (chosen on the dev split; 0.6-0.8 score alike there).
PART_THRESHOLD = 0.7
SECOND_LABEL_GAP = 0.25  # a second responsibility is kept when its decision value is this close ...
SECOND_LABEL_FLOOR = -0.35  # ... and at least this high (the SVM's own "yes" is 0)
_SVM_C = 1.0  # 0.5-2 score alike on dev; 1-2 a little better in cross-validation over the phrasings
_SVM_TOL = 1e-3  # scikit-learn's 1e-4 gives the same predictions on dev and takes 25% longer to train
# Two folds fit in two processes beside the final SVM, where three left one process fitting two in turn: training
# took 3.8 s instead of 5.4 s on two cores, and the dev split, the real postings' statements and roles read alike
# (evaluation/HISTORY.md, iteration 5).
_CALIBRATION_FOLDS = 2
_SEED = 0
# Weight of a sentence vector (unit length) beside the TF-IDF blocks (each of unit length too). 0.35, 0.5, 0.7 and 1.0
# were measured on the real postings kept for development; none of the others was better on every measure
# (evaluation/HISTORY.md, iteration 3).
SEMANTIC_SCALE = 0.5
# Weight of the static sentence vector (analyzer.mapping.wordvectors, unit length). 0.4, 0.5 and 0.65 read the dev
# split and round 1 of the real postings alike; 0.8 and 1.2 read the dev split worse
# (evaluation/HISTORY.md, iteration 4).
STATIC_SCALE = 0.5


@dataclass(frozen=True)
class Prediction:
    """Classifier output for one text."""

    labels: tuple[tuple[str, float], ...]  # responsibilities kept, strongest first, with confidence
    best: str  # top class (responsibility id or "family:<id>")
    best_score: float  # calibrated probability that ``best`` is right

    @property
    def family(self) -> str | None:
        return self.best[len(FAMILY_PREFIX):] if self.best.startswith(FAMILY_PREFIX) else None


# Advert lead-ins that say who does the duty, not which duty it is ("The successful candidate will ...").
# Dropped so that they neither dilute a statement's features nor tie a style to the classes whose
# training phrasings happen to use it.
_LEAD_IN_RE = re.compile(
    r"^(?:(?:as (?:a|an|the|our) [a-z -]{2,40}?|in this (?:role|position|job)|day[- ]to[- ]day),? )?"
    r"(?:(?:(?:the|our) (?:successful|ideal|right|new) (?:candidate|applicant|person|hire)"
    r"|you|this role|the postholder)"
    r"(?: will| shall|'ll| would| should)?(?: also)?(?: be (?:expected|asked) to)?"
    r"|your (?:role|job|mission|remit) (?:is|will be) to|we(?:'re| are) looking for someone (?:to|who will)"
    r"|we need someone (?:to|who will|who can))\s+")


def prepare(text: str) -> str:
    """Text as the classifier sees it: lowercase, advert lead-in removed, partner role nouns masked."""
    return mask_partner_roles(_LEAD_IN_RE.sub("", text.lower(), count=1))


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

    def __init__(self, model: RoleModel, threshold: float = DEFAULT_THRESHOLD, *, semantic: bool = False):
        self.threshold = threshold
        self.semantic = semantic
        texts, labels, weights = training_rows(model)
        prepared = [prepare(text) for text in texts]
        y = np.array(labels)
        self.words = TfidfVectorizer(analyzer=_word_analyzer, sublinear_tf=True, lowercase=False)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
                                     lowercase=False)
        self.sentences = SentenceVectors.fit(texts)
        wording = sparse.hstack([self.words.fit_transform(prepared), self.chars.fit_transform(prepared)]).tocsr()
        meaning = self._sentence_blocks(texts)
        self._fast_words = CachedTfidf(self.words, _word_analyzer)
        self._fast_chars = CachedTfidf(self.chars)
        features = sparse.hstack([wording, sparse.csr_matrix(meaning)]).tocsr()
        # torch keeps threads of its own: the calibration folds are not fitted in forked processes beside it.
        self.svm, self.calibrator = _fit_svm_and_calibrator(features, y, np.array(weights), fork=not semantic)
        self.classes_ = self.svm.classes_
        self._is_family = np.array([str(c).startswith(FAMILY_PREFIX) for c in self.classes_])
        self._split_weights()

    def _split_weights(self) -> None:
        """The SVM's weights as two C-ordered matrices: for the sparse wording block and the dense sentence vectors."""
        width = self._fast_words.n_features + self._fast_chars.n_features
        self._wording_weights = np.ascontiguousarray(self.svm.coef_[:, :width].T)
        self._meaning_weights = np.ascontiguousarray(self.svm.coef_[:, width:].T)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for derived in ("_wording_weights", "_meaning_weights"):  # recomputed on loading: half the pickle's size
            state.pop(derived)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._split_weights()

    def _sentence_blocks(self, texts: list[str]) -> np.ndarray:
        """The dense features: the static sentence vector and, for the semantic variant, the MiniLM one."""
        blocks = [self.sentences.transform(texts) * STATIC_SCALE]
        if self.semantic:
            blocks.append(_sentence_vectors(texts) * SEMANTIC_SCALE)
        return np.hstack(blocks) if len(blocks) > 1 else blocks[0]

    def decision_values(self, texts: list[str], prepared: Sequence[str] | None = None) -> np.ndarray:
        """Raw SVM scores, shape (len(texts), len(classes_)); ``prepared``: the texts through :func:`prepare`,
        when the caller has them already.

        Each block of features is multiplied by its own weights (the dense sentence vectors in fixed-shape blocks,
        see ``_dense_product``), which is faster than stacking them into one sparse matrix.
        """
        if not texts:
            return np.zeros((0, len(self.classes_)))
        if prepared is None:
            prepared = [prepare(text) for text in texts]
        words = self._fast_words.transform(prepared)
        values = words @ self._wording_weights[:words.shape[1]]
        values += self._fast_chars.transform(prepared) @ self._wording_weights[words.shape[1]:]
        values += _dense_product(self._sentence_blocks(texts), self._meaning_weights)
        values += self.svm.intercept_
        return values

    def predict(self, texts: list[str], prepared: Sequence[str] | None = None) -> list[Prediction]:
        """One :class:`Prediction` per text; ``prepared`` as for :meth:`decision_values`."""
        values = self.decision_values(texts, prepared)
        if not len(values):
            return []
        order = np.argsort(-values, axis=1, kind="stable")[:, :2]
        rows = np.arange(len(values))
        top, second = values[rows, order[:, 0]], values[rows, order[:, 1]]
        confidence = self.calibrator.predict_proba(_calibration_features(top, second))[:, 1]
        return self._decide(order, top, second, confidence)

    def _decide(self, order: np.ndarray, top: np.ndarray, second: np.ndarray,
                confidence: np.ndarray) -> list[Prediction]:
        """Labels kept per row: the top class when it is a responsibility whose confidence clears the
        threshold, and the runner-up when its decision value is close (computed for all rows at once,
        with the same float64 operations as row by row)."""
        labels = [str(label) for label in self.classes_]
        kept = ~self._is_family[order[:, 0]] & ~(confidence < self.threshold)
        with_second = (kept & ~self._is_family[order[:, 1]] & (second >= SECOND_LABEL_FLOOR)
                       & (top - second <= SECOND_LABEL_GAP))
        share = np.clip(confidence * np.exp(second - top), 0.0, 1.0)
        predictions = []
        for best, runner_up, confident, keep, keep_second, second_share in zip(
                order[:, 0].tolist(), order[:, 1].tolist(), confidence.tolist(), kept.tolist(),
                with_second.tolist(), share.tolist(), strict=True):
            if not keep:
                predictions.append(Prediction((), labels[best], confident))
            elif keep_second:
                predictions.append(Prediction(((labels[best], confident), (labels[runner_up], second_share)),
                                              labels[best], confident))
            else:
                predictions.append(Prediction(((labels[best], confident),), labels[best], confident))
        return predictions


def _sentence_vectors(texts: list[str]) -> np.ndarray:
    """MiniLM vectors of the texts as written (the encoder reads case and lead-ins as context)."""
    from analyzer.semantic import shared_encoder  # the semantic extra: imported only when asked for

    return np.asarray(shared_encoder().encode(list(texts)), dtype=np.float64)


_DENSE_BLOCK_ROWS = 48  # a multiple of the row blocking of the usual BLAS kernels (4, 6, 8, 16)


def _dense_product(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``values @ weights`` computed in products of exactly ``_DENSE_BLOCK_ROWS`` rows (the last one padded).

    BLAS picks its kernels and blocking from a product's shape, so a row's result could change in its last bits
    with the number of rows multiplied beside it; with one shape for every product, a text scores the same
    alone and in any batch (the report is byte-identical with and without the mapping cache).
    """
    rows = len(values)
    padded = -(-rows // _DENSE_BLOCK_ROWS) * _DENSE_BLOCK_ROWS
    blocks = np.zeros((padded, values.shape[1]))
    blocks[:rows] = values
    out = np.empty((padded, weights.shape[1]))
    for start in range(0, padded, _DENSE_BLOCK_ROWS):
        np.matmul(blocks[start:start + _DENSE_BLOCK_ROWS], weights, out=out[start:start + _DENSE_BLOCK_ROWS])
    return out[:rows]


def _svm() -> LinearSVC:
    return LinearSVC(C=_SVM_C, tol=_SVM_TOL, random_state=_SEED)


def _calibration_features(top: np.ndarray, second: np.ndarray) -> np.ndarray:
    return np.column_stack([top, top - second])


def _fit_svm_and_calibrator(features: sparse.csr_matrix, y: np.ndarray, weights: np.ndarray, *, fork: bool = True
                            ) -> tuple[LinearSVC, LogisticRegression]:
    """The SVM on every training row, and its calibration from the held-out scores of each fold.

    The folds are fitted in forked processes while this one fits the final SVM (about twice as fast on
    two cores). Processes, not threads: liblinear draws its coordinate order from one random generator
    global to the process, so fits in threads of one process would interleave their draws and their
    results would change from run to run. Each process seeds that generator before each fit, so the
    models are the same as fitted one after the other in one process. ``fork=False`` fits every fold here.
    """
    global _fold_job
    splits = _calibration_splits(features, y)
    processes = _training_processes(len(splits)) if fork else 0
    if processes <= 1:
        return (_svm().fit(features, y, sample_weight=weights),
                _fit_calibrator([_held_out_scores(features, y, weights, *split) for split in splits]))
    import multiprocessing

    _fold_job = (features, y, weights, splits)  # inherited by the forked processes, not pickled
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pending = pool.map_async(_fold_scores, range(len(splits)), chunksize=1)
            svm = _svm().fit(features, y, sample_weight=weights)
            folds = pending.get()
    finally:
        _fold_job = None
    return svm, _fit_calibrator(folds)


_fold_job: tuple[sparse.csr_matrix, np.ndarray, np.ndarray, list] | None = None


def _fold_scores(index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    assert _fold_job is not None, "fold process started without its data"
    features, y, weights, splits = _fold_job
    return _held_out_scores(features, y, weights, *splits[index])


def _training_processes(folds: int) -> int:
    """Processes to fit the calibration folds in, besides this one (0: fit them here)."""
    from analyzer.parallel import available_cores

    if not can_fork_training():
        return 0
    # A process per fold, up to one per core, so that no fold waits for another while this one fits the final SVM.
    return min(folds, available_cores())


def can_fork_training() -> bool:
    """Whether training may fork processes: fork exists (not on Windows), there are two cores or more, and
    this is not a pool worker already (those may not start processes of their own)."""
    import multiprocessing

    from analyzer.parallel import available_cores

    return ("fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon
            and available_cores() >= 2)


def _calibration_splits(features: sparse.csr_matrix, y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    folds = StratifiedKFold(n_splits=_CALIBRATION_FOLDS, shuffle=True, random_state=_SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # classes with fewer members than folds are fine here
        return list(folds.split(features, y))


def _held_out_scores(features: sparse.csr_matrix, y: np.ndarray, weights: np.ndarray, train: np.ndarray,
                     held: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(top decision value, runner-up value, top class right?, weight) of the held-out rows of one fold."""
    svm = _svm().fit(features[train], y[train], sample_weight=weights[train])
    values = svm.decision_function(features[held])
    order = np.argsort(-values, axis=1, kind="stable")[:, :2]
    rows = np.arange(len(held))
    return values[rows, order[:, 0]], values[rows, order[:, 1]], svm.classes_[order[:, 0]] == y[held], weights[held]


def _fit_calibrator(folds: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]) -> LogisticRegression:
    """Platt scaling of (top value, margin) -> P(top class is right), from cross-validated SVM scores."""
    tops, seconds, correct, weights = zip(*folds, strict=True)
    X = _calibration_features(np.concatenate(tops), np.concatenate(seconds))
    return LogisticRegression(random_state=_SEED).fit(X, np.concatenate(correct).astype(int),
                                                      sample_weight=np.concatenate(weights))
