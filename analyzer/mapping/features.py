"""Fast TF-IDF transforms for the mapper's hot path.

scikit-learn's ``TfidfVectorizer.transform`` builds every n-gram of every text in Python. Job
descriptions reuse a small vocabulary, so :class:`CachedTfidf` takes a *fitted* vectorizer and
caches the feature columns of each word: character n-grams within word boundaries (``char_wb``) are
exactly the union of each word's n-grams, and word-lemma features are looked up per token. The
result is identical to ``vectorizer.transform`` (a test checks it) and several times faster.

Examples
--------
>>> from sklearn.feature_extraction.text import TfidfVectorizer
>>> fitted = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(["own the backlog"])
>>> fast = CachedTfidf(fitted)
>>> bool(abs(fast.transform(["own it"]) - fitted.transform(["own it"])).max() < 1e-12)
True
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

_MAX_CACHED_WORDS = 500_000  # bounded memory on adversarial input (every word unique)


class CachedTfidf:
    """Drop-in ``transform`` for a fitted ``TfidfVectorizer`` (``char_wb`` or a callable word analyzer).

    Parameters
    ----------
    fitted:
        A fitted vectorizer with ``lowercase=False`` or lowercase input, ``norm='l2'``, ``use_idf``.
    word_analyzer:
        For a callable-analyzer vectorizer: the same callable (its output terms are looked up).
    """

    def __init__(self, fitted: TfidfVectorizer, word_analyzer: Callable[[str], list[str]] | None = None):
        if fitted.analyzer != "char_wb" and word_analyzer is None:
            raise ValueError("CachedTfidf supports char_wb vectorizers or a given word analyzer")
        self.vocabulary = fitted.vocabulary_
        self.idf = fitted.idf_.astype(np.float64)
        self.sublinear = fitted.sublinear_tf
        self.norm = fitted.norm
        self.ngram_range = fitted.ngram_range
        self.word_analyzer = word_analyzer
        self.n_features = len(self.vocabulary)
        self._word_columns: dict[str, array] = {}

    def _char_columns(self, word: str) -> array:
        cached = self._word_columns.get(word)
        if cached is not None:
            return cached
        padded = f" {word} "
        length = len(padded)
        vocabulary = self.vocabulary
        columns = array("q")
        min_n, max_n = self.ngram_range
        for n in range(min_n, max_n + 1):
            if n >= length:  # as scikit-learn: a short word counts once, as itself, and ends the loop
                column = vocabulary.get(padded)
                if column is not None:
                    columns.append(column)
                break
            for start in range(length - n + 1):
                column = vocabulary.get(padded[start:start + n])
                if column is not None:
                    columns.append(column)
        if len(self._word_columns) < _MAX_CACHED_WORDS:
            self._word_columns[word] = columns
        return columns

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        # Columns are gathered in machine-integer arrays: extending one by a cached word's columns is a
        # copy, and numpy reads the result without converting a Python int per n-gram.
        indptr = array("q", [0])
        indices = array("q")
        if self.word_analyzer is not None:
            vocabulary = self.vocabulary
            analyzer = self.word_analyzer
            for text in texts:
                indices.extend([vocabulary[term] for term in analyzer(text) if term in vocabulary])
                indptr.append(len(indices))
        else:
            cached = self._word_columns
            for text in texts:
                for word in text.split():
                    columns = cached.get(word)
                    indices.extend(columns if columns is not None else self._char_columns(word))
                indptr.append(len(indices))
        counts = sparse.csr_matrix(
            (np.ones(len(indices)), np.frombuffer(indices, dtype=np.int64) if indices else np.zeros(0, np.int64),
             np.frombuffer(indptr, dtype=np.int64)),
            shape=(len(texts), self.n_features),
        )
        counts.sum_duplicates()
        if self.sublinear:
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
        counts.data *= self.idf[counts.indices]  # as a product with diag(idf), without building one
        return normalize(counts, norm=self.norm, copy=False) if self.norm else counts
