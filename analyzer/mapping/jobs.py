"""Document-level reading of a whole job description: which canonical role, or another job entirely.

The statement classifier sees one sentence at a time; this classifier sees all duty statements of a
job description at once, so it can tell, for instance, a data analyst's job (dashboards, SQL,
insights, with a little product talk) from a product manager's. It is trained on synthetic job
descriptions assembled from the role model itself (seeded, so deterministic):

- a role's documents draw phrasings from the responsibilities it owns (each with probability
  ``OWNED_P``), from those of the role it specialises (``BASE_P``), from those it contributes to
  (``CONTRIBUTED_P``), a few unrelated ones (noise) and some generic workplace statements;
- "other" documents draw mostly from one non-product job family, with some product phrasings mixed
  in (designers do research, analysts talk about metrics).

Many documents are drawn (``DOCUMENTS_PER_ROLE``): with few, a real advert's scores depend on which
random documents happened to be drawn. At 150 per role, the "other" margin of borderline adverts in the
development set moved by up to 0.4 between sampling seeds and the role read from the document alone
changed for some of them; at 750 the movement is about half that. Each phrasing is lemmatised once, so
the extra documents cost little.

It never sees the held-out evaluation data. Its scores are combined with the statement votes in
:func:`analyzer.mapping.roles.role_from_content`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from analyzer.mapping.classifier import _word_analyzer, prepare
from analyzer.mapping.features import CachedTfidf
from analyzer.model import RoleModel
from analyzer.nlp import lemmas

OTHER = "other"
DOCUMENTS_PER_ROLE = 750
DOCUMENTS_PER_FAMILY = 300
OWNED_P, BASE_P, CONTRIBUTED_P, NOISE_P = 0.75, 0.5, 0.3, 0.3
_SEED = 0
_DECIMALS = 4


class JobClassifier:
    """Scores a job description's duty text against every canonical role and ``"other"``.

    Examples
    --------
    >>> from analyzer.model import load_model
    >>> jobs = JobClassifier(load_model())
    >>> scores = jobs.scores(["Own and order the product backlog", "Write user stories with acceptance criteria"])
    >>> max(scores, key=scores.get)
    'product_owner'
    """

    def __init__(self, model: RoleModel):
        documents, labels = document_parts(model)
        phrasings = list(dict.fromkeys(p for parts in documents for p in parts))
        index = {phrasing: i for i, phrasing in enumerate(phrasings)}
        analyzer = _JoinedLemmas([lemmas(prepare(phrasing)) for phrasing in phrasings])
        self.words = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=2, lowercase=False)
        features = self.words.fit_transform([tuple(index[p] for p in parts) for parts in documents])
        # Scoring reads text: the fitted vocabulary and weights stay, the analyzer becomes the text one.
        self.words.set_params(analyzer=_word_analyzer)
        self._fast = CachedTfidf(self.words, _word_analyzer)
        self.svm = LinearSVC(C=0.5, random_state=_SEED).fit(features, labels)
        self.labels = tuple(str(label) for label in self.svm.classes_)

    def scores(self, duty_statements: Sequence[str]) -> dict[str, float]:
        """Decision value per label (roles and ``"other"``); above 0 the SVM says "yes"."""
        return self.scores_many([duty_statements])[0]

    def scores_many(self, documents: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        if not documents:
            return []
        texts = [prepare(" \n".join(statements)) for statements in documents]
        values = self.svm.decision_function(self._fast.transform(texts))
        values = np.atleast_2d(values)
        return [{label: round(float(value), _DECIMALS) for label, value in zip(self.labels, row, strict=True)}
                for row in values]


class _JoinedLemmas:
    """Training analyzer: a document given as phrasing indices -> the terms ``_word_analyzer`` gives for the
    joined text (lemmas, then bigrams across the whole document), from lemmas computed once per phrasing."""

    def __init__(self, phrasing_lemmas: list[list[str]]):
        self.phrasing_lemmas = phrasing_lemmas

    def __call__(self, document: tuple[int, ...]) -> list[str]:
        words = [word for i in document for word in self.phrasing_lemmas[i]]
        return words + [f"{a} {b}" for a, b in pairwise(words)]


def synthetic_documents(model: RoleModel) -> tuple[list[str], list[str]]:
    """Training documents assembled from the model's phrasings (see the module docstring), as text."""
    documents, labels = document_parts(model)
    return [" \n".join(parts) for parts in documents], labels


def document_parts(model: RoleModel) -> tuple[list[list[str]], list[str]]:
    """The phrasings of each training document, and its label (a role id or ``"other"``)."""
    rng = random.Random(_SEED)
    by_resp = {resp.id: list(resp.phrasings) for resp in model.responsibilities}
    all_resps = list(by_resp)
    generic = [p for family in model.families if family.generic for p in family.phrasings]
    documents: list[list[str]] = []
    labels: list[str] = []
    for role in model.roles:
        owned = [r.id for r in model.responsibilities if r.owner == role.id]
        base = [r.id for r in model.responsibilities if role.specialises and r.owner == role.specialises]
        contributed = [r.id for r in model.responsibilities if role.id in r.contributors]
        for _ in range(DOCUMENTS_PER_ROLE):
            parts: list[str] = []
            for resp in owned:
                if rng.random() < OWNED_P:
                    parts += rng.sample(by_resp[resp], min(len(by_resp[resp]), rng.randint(1, 2)))
            for group, probability in ((base, BASE_P), (contributed, CONTRIBUTED_P),
                                       (rng.sample(all_resps, 2), NOISE_P)):
                for resp in group:
                    if rng.random() < probability:
                        parts.append(rng.choice(by_resp[resp]))
            if generic:
                parts += rng.sample(generic, min(len(generic), rng.randint(0, 3)))
            documents.append(parts)
            labels.append(role.id)
    for family in model.families:
        if family.generic or not family.phrasings:
            continue
        for _ in range(DOCUMENTS_PER_FAMILY):
            phrasings = list(family.phrasings)
            parts = rng.sample(phrasings, min(len(phrasings), rng.randint(4, 10)))
            for resp in rng.sample(all_resps, 3):
                if rng.random() < 0.4:
                    parts.append(rng.choice(by_resp[resp]))
            if generic:
                parts += rng.sample(generic, min(len(generic), rng.randint(0, 3)))
            documents.append(parts)
            labels.append(OTHER)
    return documents, labels
