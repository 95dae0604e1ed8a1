"""Document-level reading of a whole job description: which canonical role, or another job entirely.

The statement classifier sees one sentence at a time; this classifier sees all duty statements of a
job description at once, then its requirements (:func:`document_statements`), so it can tell, for instance, a
data analyst's job (dashboards, SQL, insights, with a little product talk) from a product manager's. The
requirements are not responsibilities, but who a posting asks for ("3+ years as a Scrum Master", "experience
managing engineers") is evidence of the job. Reading them raised the real postings kept for development from 39 to
44 of 65 roles (round 1, design) with the same 30 of 40 other jobs kept out, and from 10 to 13 of 15 other jobs
kept out with 32 instead of 34 of 59 roles (round 2, confirmation); the example adverts cut to their first 5 duty
statements and requirements from 246 to 287 of 354 roles
(evaluation/HISTORY.md, iteration 5). It is trained on synthetic job
descriptions assembled from the role model itself (seeded, so deterministic):

- a role's documents draw phrasings from the responsibilities it owns (each with probability
  ``OWNED_P``), from those of the role it specialises (``BASE_P``), from those it contributes to
  (``CONTRIBUTED_P``), a few unrelated ones (noise) and some generic workplace statements;
- "other" documents draw mostly from one non-product job family, with product phrasings mixed in: those
  of the responsibilities the family's ``adjacent`` list names in the model (``ADJACENT_P`` each:
  analysts talk about success metrics, recruiters about hiring) and a few unrelated ones.

Each family is its own class (``other:<family id>``), and a job's "other" score is the best of them: a
linear one-vs-rest classifier cannot draw one boundary around fourteen unlike families, but it can
draw one around each. On the development adverts, one "other" class said "yes" to few of the
non-product jobs; per-family classes rank the right family above the product roles for most of them.

Many documents are drawn (``DOCUMENTS_PER_ROLE``, ``DOCUMENTS_PER_FAMILY``): with few, a real advert's
scores depend on which random documents happened to be drawn (at 150 per role and no adverts, the "other"
margin of borderline adverts moved by up to 0.4 between sampling seeds). With the adverts in training, they
matter less: leaving each set of adverts out in turn, 200 per role and 80 per family read the 296 adverts of sets 1-5
as well as 300 and 120 (over two seeds: 188-190 of 200 roles and 79-81 of 96 other jobs, against 187-189
and 80-82) and as 500 and 200 did on the first three sets. With the 456 adverts of nine sets, 100 per role
and 40 per family read sets 1-5 (each left out) as well as 200 and 80, over three seeds: 196-198 of 200 roles
both, 91-92 of 96 other jobs against 88-91; cut to 8 duty statements 156-159 roles against 155-156, cut to 5
95-97 against 96-99. Each phrasing is lemmatised once and
documents are counted from their phrasings; more than half the training time goes to segmenting the
576 example descriptions (1.4 s of CPU on a first run, against 0.9 s for the rest of the training).

The model's example adverts (:mod:`analyzer.adverts`: invented but whole job descriptions, labelled) are
training documents too, each weighing ``ADVERT_WEIGHT`` assembled ones: assembled documents teach the
vocabulary of every duty, the adverts how real job descriptions mix duties, context and other people's
work. Read leaving one set of adverts out at a time (``python -m analyzer.evaluate --adverts``; the first
three sets), they raised the non-product adverts kept out of the product roles from 33 to 39 of 48 (cut to their first 8
duty statements: from 30 to 33), and the roles read right stayed at 115 of 120 (cut: from 82 to 87).

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

from analyzer.adverts import OTHER_PREFIX, Advert
from analyzer.mapping.advert_segments import advert_statements
from analyzer.mapping.classifier import _word_analyzer, prepare
from analyzer.mapping.features import CachedTfidf
from analyzer.model import RoleModel
from analyzer.nlp import lemmas
from analyzer.records import Statement, StatementKind

DOCUMENTS_PER_ROLE = 100
DOCUMENTS_PER_FAMILY = 40
OWNED_P, BASE_P, CONTRIBUTED_P, NOISE_P = 0.75, 0.5, 0.3, 0.3
ADJACENT_P = 0.3
ADVERT_WEIGHT = 10.0
_SEED = 0
_DECIMALS = 4


class JobClassifier:
    """Scores a job description's duty statements and requirements against every canonical role and ``"other"``.

    Examples
    --------
    >>> from analyzer.model import load_model
    >>> jobs = JobClassifier(load_model())
    >>> scores = jobs.scores(["Own and order the product backlog", "Write user stories with acceptance criteria"])
    >>> max(scores, key=scores.get)
    'product_owner'
    """

    def __init__(self, model: RoleModel, adverts: Sequence[Advert] | None = None):
        """``adverts``: the example adverts to learn from (default: the model's)."""
        documents, labels, weights = document_parts(model, adverts)
        features, vocabulary, idf = _training_features(documents)
        self.words = TfidfVectorizer(analyzer=_word_analyzer, sublinear_tf=True, min_df=2, lowercase=False)
        self.words.vocabulary_, self.words.idf_ = vocabulary, idf  # fitted as sklearn would fit the texts
        self._fast = CachedTfidf(self.words, _word_analyzer)
        self.svm = LinearSVC(C=0.5, random_state=_SEED).fit(features, labels, sample_weight=weights)
        self.labels = tuple(str(label) for label in self.svm.classes_)

    def scores(self, statements: Sequence[str]) -> dict[str, float]:
        """Decision value per label (roles and ``"other"``) of one document's statements (see
        :func:`document_statements`); above 0 the SVM says "yes"."""
        return self.scores_many([statements])[0]

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


def document_statements(statements: Sequence[Statement], cut: int | None = None) -> list[str]:
    r"""What the document classifier reads of a segmented description: its duty statements, then its requirements
    (the first ``cut`` of each, to read a description as if it were that short). Boilerplate and headings are left
    out.

    Examples
    --------
    >>> from analyzer.segment import segment
    >>> text = "- Own the roadmap\n- Hire two designers\n\nAbout us\nWe sell shoes.\n\nRequirements\n- 5+ years as a PM"
    >>> document_statements(segment(text))
    ['Own the roadmap', 'Hire two designers', '5+ years as a PM']
    >>> document_statements(segment(text), cut=1)
    ['Own the roadmap', '5+ years as a PM']
    """
    kept = statements if cut is None else first_statements(statements, cut)
    return ([s.text for s in kept if s.kind is StatementKind.DUTY]
            + [s.text for s in kept if s.kind is StatementKind.REQUIREMENT])


def first_statements(statements: Sequence[Statement], cut: int) -> tuple[Statement, ...]:
    """The statements of a description cut to its first ``cut`` duty statements and first ``cut`` requirements, with
    its headings and boilerplate: the description as if it were that short."""
    kept: list[Statement] = []
    seen = {StatementKind.DUTY: 0, StatementKind.REQUIREMENT: 0}
    for statement in statements:
        if statement.kind in seen:
            seen[statement.kind] += 1
            if seen[statement.kind] > cut:
                continue
        kept.append(statement)
    return tuple(kept)


def document_parts(model: RoleModel, adverts: Sequence[Advert] | None = None
                   ) -> tuple[list[list[str]], list[str], list[float]]:
    """The statements of each training document, its label (a role id or ``"other:<family id>"``) and its
    weight: the documents assembled from the model's phrasings, then the example adverts' duty statements and
    requirements."""
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
            for resp in family.adjacent:
                if rng.random() < ADJACENT_P:
                    parts.append(rng.choice(by_resp[resp]))
            for resp in rng.sample(all_resps, 3):
                if rng.random() < 0.4:
                    parts.append(rng.choice(by_resp[resp]))
            if generic:
                parts += rng.sample(generic, min(len(generic), rng.randint(0, 3)))
            documents.append(parts)
            labels.append(OTHER_PREFIX + family.id)
    weights = [1.0] * len(documents)
    for advert in model.adverts if adverts is None else adverts:
        documents.append(document_statements(advert_statements(advert.text)))
        labels.append(advert.label)
        weights.append(ADVERT_WEIGHT)
    return documents, labels, weights
