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
changed for some of them; at 750 the movement is about half that. Each phrasing is lemmatised once and
documents are counted from their phrasings, so training takes about 1.5 s of CPU (0.7 s at 150).

It never sees the held-out evaluation data. Its scores are combined with the statement votes in
:func:`analyzer.mapping.roles.role_from_content`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
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
        features, vocabulary, idf = _training_features(documents)
        self.words = TfidfVectorizer(analyzer=_word_analyzer, sublinear_tf=True, min_df=2, lowercase=False)
        self.words.vocabulary_, self.words.idf_ = vocabulary, idf  # fitted as sklearn would fit the texts
        self._fast = CachedTfidf(self.words, _word_analyzer)
        self.svm = LinearSVC(C=0.5, random_state=_SEED).fit(features, labels)
        self.labels = tuple(str(label) for label in self.svm.classes_)

    def scores(self, duty_statements: Sequence[str]) -> dict[str, float]:
        """Decision value per label (roles and ``"other"``); above 0 the SVM says "yes"."""
        return self.scores_many([duty_statements])[0]

    def scores_many(self, documents: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        if not documents:
            return []
        # Each statement is prepared on its own, as each training phrasing is (an advert lead-in is dropped
        # from every statement, not only from the first of the document).
        texts = [" \n".join(prepare(statement) for statement in statements) for statements in documents]
        values = self.svm.decision_function(self._fast.transform(texts))
        values = np.atleast_2d(values)
        return [{label: round(float(value), _DECIMALS) for label, value in zip(self.labels, row, strict=True)}
                for row in values]


def _training_features(documents: list[list[str]]) -> tuple[sparse.csr_matrix, dict[str, int], np.ndarray]:
    """TF-IDF of the training documents, equal to ``TfidfVectorizer(analyzer=_word_analyzer, sublinear_tf=True,
    min_df=2)`` fitted on their prepared phrasings joined (a test checks it), built from each distinct phrasing
    lemmatised once: a document's term counts are the sum of its phrasings' counts plus the bigrams that
    join one phrasing to the next. Returns (features, vocabulary, idf)."""
    phrasings = list(dict.fromkeys(p for parts in documents for p in parts))
    index = {phrasing: i for i, phrasing in enumerate(phrasings)}
    words = [lemmas(prepare(phrasing)) for phrasing in phrasings]
    terms: dict[str, int] = {}
    rows, columns = [], []
    for row, phrasing_words in enumerate(words):
        for term in [*phrasing_words, *(f"{a} {b}" for a, b in pairwise(phrasing_words))]:
            rows.append(row)
            columns.append(terms.setdefault(term, len(terms)))
    doc_rows, doc_phrasings, join_rows, join_terms = [], [], [], []
    for row, parts in enumerate(documents):
        last = None
        for phrasing in parts:
            doc_rows.append(row)
            doc_phrasings.append(index[phrasing])
            if phrasing_words := words[index[phrasing]]:
                if last is not None:
                    join_rows.append(row)
                    join_terms.append(terms.setdefault(f"{last} {phrasing_words[0]}", len(terms)))
                last = phrasing_words[-1]
    shape = (len(documents), len(terms))
    per_phrasing = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(phrasings), len(terms)))
    contains = sparse.csr_matrix((np.ones(len(doc_rows)), (doc_rows, doc_phrasings)),
                                 shape=(len(documents), len(phrasings)))
    counts = (contains @ per_phrasing + sparse.csr_matrix((np.ones(len(join_rows)), (join_rows, join_terms)),
                                                          shape=shape)).tocsc()
    document_frequency = np.diff(counts.indptr)
    kept = sorted(term for term, column in terms.items() if document_frequency[column] >= 2)  # min_df=2
    counts = counts[:, [terms[term] for term in kept]].tocsr()
    tfidf = TfidfTransformer(sublinear_tf=True)
    features = tfidf.fit_transform(counts)
    return features, {term: column for column, term in enumerate(kept)}, tfidf.idf_


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
