"""The mapping stage: job-description text -> statements -> responsibilities with RACI wording levels.

:class:`Mapper` segments each text, splits duty statements into clauses (subject, negation, level),
classifies every clause in one batch and returns a :class:`TextMapping` per text. Identical texts
are mapped once. The same work is available as a spaCy pipeline component,
``responsibility_mapper`` (see :mod:`analyzer.mapping.component`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence

from analyzer.collector import frozen_heap
from analyzer.errors import UsageError
from analyzer.mapping.classifier import (
    DEFAULT_THRESHOLD,
    PART_THRESHOLD,
    Prediction,
    ResponsibilityClassifier,
    can_fork_training,
    prepare,
)
from analyzer.mapping.clauses import Clause, read_clauses
from analyzer.mapping.jobs import JobClassifier, document_statements
from analyzer.mapping.mentions import self_mentions
from analyzer.mapping.title_lines import is_title_line
from analyzer.model import RoleModel, load_model
from analyzer.nlp import straight_apostrophes
from analyzer.records import ResponsibilityMatch, StatementKind, StatementMapping, TextMapping
from analyzer.segment import segment
from analyzer.semantic import require_semantic

_MIN_PART_WORDS = 2  # words a coordinated part needs once its lead-in is dropped
_SCORE_DECIMALS = 4  # rounding keeps reports byte-identical across platforms' float noise


class Mapper:
    """Maps job-description texts onto a role model's responsibilities.

    Examples
    --------
    >>> from analyzer.model import load_model
    >>> mapper = Mapper(load_model())
    >>> mapping = mapper.map_text("- Own the product roadmap and decide what we build next")
    >>> [(m.responsibility, m.level.value) for m in mapping.mappings[0].matches][:1]
    [('roadmap_prioritization', 'A')]
    """

    def __init__(self, model: RoleModel, classifier: ResponsibilityClassifier | None = None,
                 jobs: JobClassifier | None = None, *, semantic: bool = False):
        """Train the mapper for ``model`` (or use the classifiers given).

        ``semantic=True`` reads every statement's MiniLM sentence vector beside its wording (the ``semantic``
        extra; see :mod:`analyzer.mapping.classifier`); the document classifier is the same either way.

        Raises
        ------
        UsageError
            ``semantic=True`` and the ``semantic`` extra is not installed.
        """
        self.model = model
        if semantic and classifier is None:
            require_semantic()
        if classifier is None and jobs is None and can_fork_training():
            self.classifier, self.jobs = _train_side_by_side(model, semantic)
        else:
            self.classifier = classifier or ResponsibilityClassifier(model, semantic=semantic)
            self.jobs = jobs or JobClassifier(model)

    @property
    def semantic(self) -> bool:
        """Whether statements are read with sentence vectors too (then map in one process: torch is not forked)."""
        return self.classifier.semantic

    @property
    def min_confidence(self) -> float:
        """Confidence a statement needs to be mapped onto a responsibility (below it: unmapped), on the scale the
        user sees (the model's calibration on real prose, :mod:`analyzer.mapping.prose`), to 3 decimals."""
        return round(self.model.confidence_scale(self.semantic).shown(self.classifier.threshold), 3)

    def with_min_confidence(self, min_confidence: float | None) -> Mapper:
        """This mapper with another confidence threshold (None: the default), sharing the trained classifiers.

        ``min_confidence`` is on the scale the user sees (:attr:`min_confidence`); the classifier compares its own
        probability with the one shown as that. A higher threshold maps fewer statements, more surely; the rest are
        listed as unmapped. A coordinated part ("..., and run their reviews") needs the stricter of this and its own
        bar (``PART_THRESHOLD``).

        Raises
        ------
        UsageError
            ``min_confidence`` is not a number from 0 up to (not including) 1, or is above the highest confidence the
            model's mapper shows.
        """
        checked = check_min_confidence(min_confidence, self.model, self.semantic)
        scale = self.model.confidence_scale(self.semantic)
        # The default as shown (rounded) is the default itself: the same mappings, and the same cache namespace.
        threshold = DEFAULT_THRESHOLD if checked in (None, self.model.default_min_confidence(self.semantic)) \
            else scale.phrasing(checked)
        if threshold == self.classifier.threshold:
            return self
        mapper = copy.copy(self)
        mapper.classifier = copy.copy(self.classifier)
        mapper.classifier.threshold = threshold
        return mapper

    def map_text(self, text: str) -> TextMapping:
        return self.map_texts([text])[0]

    # The trained mapper, the lemma table and the spaCy pipeline are hundreds of thousands of objects that
    # live as long as the process; mapping allocates many small ones, and each full garbage collection would
    # walk all of them, finding nothing to free: about a fifth of the mapper's time in one process
    # (``python -m analyzer.benchmark --mapper``). Worker processes are forked with the heap frozen already.
    @frozen_heap()
    def map_texts(self, texts: Sequence[str]) -> list[TextMapping]:
        """One :class:`TextMapping` per text, in order; duplicates are mapped once."""
        unique = list(dict.fromkeys(texts))
        segmented = [segment(text) for text in unique]
        duties_per_text = [[s.text for s in statements if s.kind is StatementKind.DUTY] for statements in segmented]
        duty_statements = [duty for duties in duties_per_text for duty in duties]
        mapped = dict(zip(duty_statements, self.map_statements(duty_statements), strict=True))
        job_scores = self.jobs.scores_many([document_statements(statements) for statements in segmented])
        results = {}
        for text, statements, duties, scores in zip(unique, segmented, duties_per_text, job_scores, strict=True):
            results[text] = TextMapping(
                statements=tuple(statements), mappings=tuple(mapped[duty] for duty in duties),
                job_scores=tuple(sorted(scores.items())) if duties else (),
            )
        return [results[text] for text in texts]

    @frozen_heap()  # see map_texts
    def map_statements(self, statements: Sequence[str]) -> list[StatementMapping]:
        """Map duty statements (already segmented) onto responsibilities.

        Every clause is classified whole and, when it coordinates several duties ("hire engineers and
        run their reviews"), part by part; a part adds its responsibility when it clears the (stricter) part threshold.
        """
        unique = list(dict.fromkeys(statements))
        # Read with straight apostrophes (as segment() gives them), so that "won’t" negates as "won't" does.
        plain = [straight_apostrophes(statement) for statement in unique]
        clauses_per_statement = [[] if is_title_line(text) else read_clauses(text) for text in plain]
        texts = [text for clauses in clauses_per_statement for clause in clauses
                 for text in (clause.text, *clause.parts)]
        distinct = list(dict.fromkeys(texts))  # a part ("hire engineers") recurs in many statements
        prepared = [prepare(text) for text in distinct]  # once: the classifier's input and a part's word count
        predicted = dict(zip(distinct, self.classifier.predict(distinct, prepared), strict=True))
        word_counts = {text: len(words.split()) for text, words in zip(distinct, prepared, strict=True)}
        predictions = iter([predicted[text] for text in texts])
        by_statement = {}
        for statement, text, clauses in zip(unique, plain, clauses_per_statement, strict=True):
            read = []
            for clause in clauses:
                whole = next(predictions)
                parts = [next(predictions) for _ in clause.parts]
                read.append((clause, whole, parts))
            by_statement[statement] = _combine(statement, read, max(PART_THRESHOLD, self.classifier.threshold),
                                               self_mentions(text), word_counts)
        return [by_statement[statement] for statement in statements]


def _train_side_by_side(model: RoleModel, semantic: bool = False) -> tuple[ResponsibilityClassifier, JobClassifier]:
    """The statement classifier trained here while a forked process trains the document classifier.

    The two are independent and each is seeded, so they come out as trained one after the other (a test
    compares them); on two cores a machine's first run is about a second shorter. The forked process never
    uses torch, so the semantic variant trains the same way.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        jobs = pool.submit(JobClassifier, model)
        return ResponsibilityClassifier(model, semantic=semantic), jobs.result()


def check_min_confidence(min_confidence: float | None, model: RoleModel | None = None, semantic: bool = False
                         ) -> float | None:
    """``min_confidence`` as a float once checked (None stays None: the model's default); with ``model``, also against
    the highest confidence its mapper (the semantic one with ``semantic``) shows.

    Raises
    ------
    UsageError
        Not a number from 0 up to (not including) 1, or above what the model's mapper ever shows.
    """
    if min_confidence is None:
        return None
    if isinstance(min_confidence, bool) or not isinstance(min_confidence, int | float) \
            or math.isnan(min_confidence) or not 0 <= min_confidence < 1:
        raise UsageError(
            f"the minimum confidence must be a number from 0 up to (not including) 1, got {min_confidence!r}; the "
            "default is the model's (0.215 for the bundled one: the share of mappings right on real job descriptions; "
            "0.3 for a model without a calibration on real prose), and a higher value maps fewer statements, more "
            "surely (the others are listed as unmapped)")
    highest = model.confidence_scale(semantic).highest if model is not None else 1.0
    if min_confidence > highest:
        raise UsageError(
            f"the minimum confidence {min_confidence!r} is above the highest confidence the {model.id} model's mapper "
            f"shows ({highest:.3f}), so no statement would be mapped; give a lower value (0.3-0.5 map fewer "
            "statements, more surely)")
    return float(min_confidence)


def shown_min_confidence(min_confidence: float | None, model: RoleModel | None = None, semantic: bool = False
                         ) -> float:
    """The threshold as the user sees it: ``min_confidence``, or for None the default (``DEFAULT_THRESHOLD`` of the
    classifier's probability) on the scale of ``model``'s mapper (the default model's when None), to 3 decimals."""
    if min_confidence is not None:
        return float(min_confidence)
    return (model or load_model()).default_min_confidence(semantic)


def check_mapper_options(min_confidence: float | None, semantic: bool, model: RoleModel | None = None
                         ) -> float | None:
    """``min_confidence`` checked (see :func:`check_min_confidence`, against ``model`` when given), once the
    ``semantic`` extra is known to be installed if ``semantic`` asks for it: callers check before slow work (reading
    an export, training).

    Raises
    ------
    UsageError
        A bad ``min_confidence``, or ``semantic`` without the ``semantic`` extra.
    """
    threshold = check_min_confidence(min_confidence, model, semantic)
    if semantic:
        require_semantic()
    return threshold


def _combine(statement: str, clause_predictions: Iterable[tuple[Clause, Prediction, list[Prediction]]],
             part_threshold: float, mentions: tuple[str, ...], word_counts: dict[str, int]) -> StatementMapping:
    """One statement's mapping from its clauses' predictions; ``word_counts``: words of each clause and part once
    prepared for the classifier (a part needs ``_MIN_PART_WORDS``)."""
    matches: dict[tuple[str, str | None], ResponsibilityMatch] = {}
    best_label, best_score, family = None, 0.0, None
    for clause, whole, parts in clause_predictions:
        if whole.best_score > best_score:
            best_label, best_score = whole.best, whole.best_score
            family = whole.family
        labels = list(whole.labels)
        for text, part in zip(clause.parts, parts, strict=True):
            if word_counts[text] >= _MIN_PART_WORDS:  # not a bare "You'll write" (and own X)
                labels += [label for label in part.labels[:1] if label[1] >= part_threshold]
        for responsibility, score in labels:
            match = ResponsibilityMatch(
                responsibility=responsibility,
                score=round(score, _SCORE_DECIMALS),
                level=None if clause.negated else clause.level,
                subject=clause.subject,
            )
            key = (responsibility, clause.subject)
            previous = matches.get(key)
            if previous is None or _stronger(match, previous):
                matches[key] = match
    ordered = tuple(sorted(matches.values(), key=lambda m: (-m.score, m.responsibility, m.subject or "")))
    if ordered:
        family = None
    return StatementMapping(
        text=statement, matches=ordered, best_guess=best_label,
        best_score=round(best_score, _SCORE_DECIMALS), family=family, self_mentions=mentions,
    )


def _stronger(match: ResponsibilityMatch, other: ResponsibilityMatch) -> bool:
    rank = match.level.rank if match.level else -1
    other_rank = other.level.rank if other.level else -1
    return (rank, match.score) > (other_rank, other.score)

