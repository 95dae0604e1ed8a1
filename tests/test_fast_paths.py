"""The fast paths of segmentation and statement reading give what the plain code gives.

Each fast path (literal gates before long alternations, role-noun patterns over the nouns present,
spaCy's sentence rule on token arrays, vectorised classifier decisions ...) is compared here with the
straightforward computation it replaces, on arbitrary text from hypothesis and on crafted cases.
"""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from analyzer import nlp
from analyzer.language import _GATES, any_match, leftmost_level, load_language
from analyzer.mapping import clauses, coordination
from analyzer.mapping.classifier import SECOND_LABEL_FLOOR, SECOND_LABEL_GAP, Prediction
from analyzer.mapping.features import CachedTfidf
from analyzer.mapping.literals import LiteralGate, required_literals
from analyzer.mapping.nouns import TOKEN_RE, as_a_pattern, leading_pattern, noun_pattern, relative_pattern, role_nouns
from analyzer.segment import _BULLET_RE, _DECORATION_RE, _clean

# Text made of the words the patterns look for, odd characters and the case-insensitive look-alikes
# of ASCII letters (dotless i, long s, Kelvin sign), so that matches, near misses and non-ASCII occur.
_WORDS = ["own", "éown", "owns", "owner", "the", "product", "owner", "PO", "pm's", "PMs", "not", "only", "help",
          "helps", "support", "sign-off", "sign off", "decide", "by", "you", "as", "a", "an", "who", "which", "that",
          "engineers", "scrum", "master", "team", "and", "&", "+", ",", ";", ".", "!", "?", ":", "e.g.", "U.S.",
          "Inc.", "5+", "years", "experience", "equal", "opportunity", "keep", "informed", "rather", "than",
          "ſ", "ı", "\u212a", "İ", "é", "PMſ", "ſtakeholders", "buſineſs", "\u212aeep", "engıneers", "’", "'", "-",
          "(", ")", "\u00a0", "\t", "\n", "  ", "…", "。", "!!", "?!"]
_texts = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=4)), max_size=14).map(
    lambda parts: "".join(part + (" " if index % 3 else "") for index, part in enumerate(parts)))
_ascii_texts = st.lists(st.one_of(st.sampled_from([w for w in _WORDS if w.isascii()]),
                                  st.text(alphabet=st.characters(max_codepoint=127), max_size=4)),
                        max_size=14).map(" ".join)


def _spacy_sentences(text: str) -> list[str]:
    return [sent.text.strip() for sent in nlp.get_nlp()(text).sents if sent.text.strip()]


@settings(max_examples=300, deadline=None)
@given(st.one_of(_texts, st.text(max_size=60)))
def test_sentence_split_equals_spacy(text):
    nlp.clear_sentences()
    assert nlp.split_sentences([text]) == [nlp.reattach_openers(_spacy_sentences(text), text)]
    assert nlp._sentencize(text) == _spacy_sentences(text) if text.strip() else True
    single = nlp.single_sentence(text)
    assert single is None or single == _spacy_sentences(text)


def test_sentence_split_of_typical_paragraphs():
    texts = ["Own the roadmap.", "Own the roadmap", "Own it. Hire people!", "Work with e.g. Acme Inc. on it.",
             "Ship it!!", "Ship it?!\"", "Tools: Jira; Confluence", "U.S. market. Next.", " ", "A.B.C. d"]
    nlp.clear_sentences()
    assert nlp.split_sentences(texts) == [nlp.reattach_openers(_spacy_sentences(text), text) for text in texts]
    assert nlp.split_sentences(texts) == [nlp.reattach_openers(_spacy_sentences(text), text)
                                          for text in texts]  # remembered


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_lemmas_per_chunk_equal_lemmas_of_the_text(text):
    nlp.clear_lemmas()
    get = nlp._lemma_table().get
    assert nlp.lemmas(text) == [get(word, word) for word in nlp._WORD_RE.findall(text.lower())]


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_language_gates_answer_as_the_combined_patterns(text):
    lang = load_language()
    for pattern, gate in _GATES.values():
        for candidate in (text, text.lower()):
            assert gate.any_match(candidate) == (pattern.search(candidate) is not None)
    for candidate in (text, text.lower()):
        found = lang.raci.levels.search(candidate)
        expected = None if found is None else next(name for name in "ARCI" if found.group(name) is not None)
        assert leftmost_level(lang.raci.levels, candidate) == expected
        assert any_match(lang.raci.negated, candidate) == (lang.raci.negated.search(candidate) is not None)


_TRICKY = [r"\b(own|owns|owned)\b", r"(?i:\bsign(s|ed)?[- ]off\b)", r"^(help|helps)\b", r"colou?r", r"prioriti[sz]e",
           r"\b\w+ly\b", r"(?<=not )only", r"(?!x)x", r"\bno\b [a-z -]{0,40}\b(budget|remit)\b", r"(a)\1",
           r"(?i:Own)er", r"[.;:]\s*as (a|an) pm\b", r"\Bown", r"e\.g\.", r"\d+\s*\+?\s*years?", r"(?:)", r"x*",
           r"(?a:\bown\b)", r"\bſtar\b", r"(?a:\b)é?own"]


@settings(max_examples=300, deadline=None)
@given(_texts, st.sampled_from([0, re.IGNORECASE]))
def test_gate_over_tricky_patterns(text, flags):
    gate = LiteralGate(_TRICKY, flags)
    combined = re.compile("|".join(f"(?:{pattern})" for pattern in _TRICKY), flags)
    assert gate.any_match(text) == (combined.search(text) is not None)
    for index, pattern in enumerate(_TRICKY):
        single = LiteralGate([pattern], flags)
        assert single.any_match(text) == (re.search(pattern, text, flags) is not None), pattern
        assert (index in gate.candidates(text)) or re.search(pattern, text, flags) is None or not gate.splittable
    if gate.splittable:
        found = combined.search(text)
        first = gate.first(text)
        assert (first is None) == (found is None)
        if found is not None:
            assert first[0] == found.start()


def test_required_literals_are_needed():
    assert required_literals(r"\bown\b") == frozenset({"\x00own\x00"})
    assert required_literals(r"(a)\1") is None  # a backreference: nothing is claimed
    assert required_literals(r"x*") is None
    gate = LiteralGate([r"(a)\1", r"b"])
    assert not gate.splittable and gate.any_match("aa") and gate.any_match("b") and not gate.any_match("a")
    with pytest.raises(ValueError):
        gate.first("aa")


def _full(pattern_function):
    return pattern_function(role_nouns().nouns, False)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_role_noun_patterns_over_present_nouns_match_as_over_all(text):
    clauses.clear_caches()
    assert (clauses.mask_role_nouns(text.lower()), clauses.mask_partner_roles(text)) == _plain_masks(text)
    present = role_nouns().present(text)
    for make in (noun_pattern, relative_pattern, leading_pattern, as_a_pattern):
        expected = [(m.span(), m.groupdict()) for m in _full(make).finditer(text)]
        if present is not None:
            assert [(m.span(), m.groupdict()) for m in make(present).finditer(text)] == expected
            assert [(m.span(), m.groupdict()) for m in make(present).finditer(text.strip())] == \
                [(m.span(), m.groupdict()) for m in _full(make).finditer(text.strip())]


@pytest.mark.parametrize("text", ["Work with PMſ on it", "the ſtakeholders decide", "the buſineſs owns it",
                                  "engıneers, who estimate", "As a PMſ, you own it", "Product Owner\u212a"])
def test_role_nouns_in_text_with_case_insensitive_look_alikes(text):
    # 'ſ' and 'ı' match 's' and 'i' case-insensitively but are not lowercase ASCII: every noun is tried.
    clauses.clear_caches()
    assert role_nouns().present(text) is None
    assert (clauses.mask_role_nouns(text.lower()), clauses.mask_partner_roles(text)) == _plain_masks(text)


def _plain_masks(text: str) -> tuple[str, str]:
    """mask_role_nouns(text.lower()) and mask_partner_roles(text) as first written: a word gate, then
    the alternation of every (canonical) noun."""
    nouns = role_nouns()
    if set(TOKEN_RE.findall(text.lower())).isdisjoint(nouns.noun_words):
        return text.lower(), text
    canonical = noun_pattern(nouns.canonical_in(None), False)
    return _full(noun_pattern).sub("someone", text.lower()), canonical.sub("colleague", text)


def test_role_nouns_found_inside_possessives_and_case():
    nouns = role_nouns()
    assert nouns.present("The PM's roadmap") == ("pm",)
    assert nouns.present("Stakeholders, engineers and the Product Owner") == (
        "product owner", "stakeholders", "engineers")
    assert nouns.present("caf\u00e9 product owner") is None  # not ASCII: every noun may match


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_coordinator_split_as_before(text):
    before = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s*&\s*|\s*\+\s*)(?=[A-Za-z])")
    assert coordination._COORDINATOR_RE.split(text) == before.split(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_texts, st.text(max_size=40)))
def test_line_cleaning_as_before(line):
    md_heading, emphasis, spaces = re.compile(r"^\s*#{1,6}\s*"), re.compile(r"(\*\*|__)(.+?)\1"), re.compile(r"\s+")
    expected = md_heading.sub("", line) if line.lstrip().startswith("#") else line
    if not _BULLET_RE.match(expected.lstrip()):  # emoji decorating a line go (a list mark stays for the bullet reader)
        expected = _DECORATION_RE.sub("", expected.lstrip())
    expected = spaces.sub(" ", emphasis.sub(r"\2", expected)).strip()
    assert _clean(line) == expected


def _plain_transform(fast: CachedTfidf, texts: list[str]) -> sparse.csr_matrix:
    """The transform as first written (lists of Python ints), for comparison; idf weighs each stored count in place
    (a product with ``diag(idf)`` gives the same values, with each row's columns in another order)."""
    indptr, indices = [0], []
    for text in texts:
        if fast.word_analyzer is not None:
            indices.extend(fast.vocabulary[t] for t in fast.word_analyzer(text) if t in fast.vocabulary)
        else:
            for word in text.split():
                indices.extend(fast._char_columns(word))
        indptr.append(len(indices))
    counts = sparse.csr_matrix((np.ones(len(indices)), np.asarray(indices, dtype=np.int64),
                                np.asarray(indptr, dtype=np.int64)), shape=(len(texts), fast.n_features))
    counts.sum_duplicates()
    np.log(counts.data, out=counts.data)
    counts.data += 1.0
    counts.data *= fast.idf[counts.indices]
    return normalize(counts, norm="l2", copy=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(_ascii_texts, min_size=1, max_size=6))
def test_cached_tfidf_is_the_plain_transform(texts):
    corpus = ["own the product backlog", "hire and coach engineers", "write user stories with the team", "the po"]
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=False).fit(corpus)

    def words(text: str) -> list[str]:
        found = nlp.lemmas(text)
        return found + [f"{a} {b}" for a, b in pairwise(found)]

    lemma_words = TfidfVectorizer(analyzer=words, sublinear_tf=True, lowercase=False).fit(corpus)
    for fitted, analyzer in ((chars, None), (lemma_words, words)):
        fast = CachedTfidf(fitted, analyzer)
        got, plain = fast.transform(texts), _plain_transform(CachedTfidf(fitted, analyzer), texts)
        assert (got.indptr == plain.indptr).all() and (got.indices == plain.indices).all()
        assert got.data.tobytes() == plain.data.tobytes()
        assert abs(got - fitted.transform(texts)).max() < 1e-12 if got.nnz else True


def test_vectorised_decisions_are_the_row_by_row_ones(tiny_model):
    from analyzer.mapping.classifier import ResponsibilityClassifier, _calibration_features

    clf = ResponsibilityClassifier(tiny_model)
    texts = ["Own and order the product backlog", "Hire and grow the team", "Write code", "Be transparent",
             "Prioritise features on the roadmap and decide what to drop", "Run the retrospectives", "hello"]
    values = clf.decision_values(texts)
    order = np.argsort(-values, axis=1, kind="stable")[:, :2]
    rows = np.arange(len(values))
    top, second = values[rows, order[:, 0]], values[rows, order[:, 1]]
    confidence = clf.calibrator.predict_proba(_calibration_features(top, second))[:, 1]
    for threshold in (0.0, clf.threshold, 1.1):
        clf.threshold = threshold
        assert clf._decide(order, top, second, confidence) == [
            _decide_one(clf, order[i], values[i], float(confidence[i])) for i in range(len(texts))]


def _decide_one(clf, order, values, confidence) -> Prediction:
    """The decision for one row as first written."""
    best, second = int(order[0]), int(order[1])
    best_label = str(clf.classes_[best])
    if clf._is_family[best] or confidence < clf.threshold:
        return Prediction((), best_label, confidence)
    kept = [(best_label, confidence)]
    if (not clf._is_family[second] and values[second] >= SECOND_LABEL_FLOOR
            and values[best] - values[second] <= SECOND_LABEL_GAP):
        share = float(np.clip(confidence * np.exp(values[second] - values[best]), 0.0, 1.0))
        kept.append((str(clf.classes_[second]), share))
    return Prediction(tuple(kept), best_label, confidence)


@pytest.mark.parametrize("rows", [0, 1, 47, 48, 49, 97])
def test_the_blocked_dense_product_is_the_plain_product(rows):
    from analyzer.mapping.classifier import _dense_product

    generator = np.random.default_rng(rows)
    values, weights = generator.normal(size=(rows, 128)), generator.normal(size=(128, 54))
    got = _dense_product(values, weights)
    assert got.shape == (rows, 54)
    assert np.allclose(got, values @ weights, rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=8))
def test_static_sentence_vectors_of_any_text_are_unit_rows_or_zeros(texts):
    from analyzer.mapping.wordvectors import SentenceVectors

    vectors = SentenceVectors.fit(["Own the product roadmap.", "Run performance reviews for the team."])
    rows = vectors.transform(texts)
    assert rows.shape == (len(texts), 128) and np.isfinite(rows).all()
    norms = (rows ** 2).sum(axis=1)
    assert np.all(np.isclose(norms, 1.0) | (norms == 0.0))
    for text, row in zip(texts, rows, strict=True):  # the same alone as in the batch
        assert np.array_equal(vectors.transform([text])[0], row)
