"""Static sentence vectors for the statement classifier: MiniLM's meaning of words, without torch.

The table (``analyzer/data/word_vectors.npz``, built by :mod:`analyzer.distil_vectors`) holds, for about
56,000 English words, what all-MiniLM-L6-v2 makes of each word alone, reduced to 128 dimensions. A text's vector
is the sum of its words' vectors weighted by smooth inverse frequency (``a / (a + p(word))``: "the" weighs
little, "appraisals" much), minus its projection on the common direction of the model's training rows (the part
every sentence shares), scaled to unit length (Arora et al., 2017, "A simple but tough-to-beat baseline for
sentence embeddings"). Words outside the table add nothing; the character n-grams still read them.

Each row is computed from its own words only, so a text gets the same vector in any batch (byte-identical
reports with and without the cache). The table is loaded once per process and never pickled with a trained
mapper.

Examples
--------
>>> vectors = SentenceVectors.fit(["Own the product roadmap", "Run performance reviews for the team"])
>>> rows = vectors.transform(["Write appraisals for your reports", "zzqx"])
>>> rows.shape, round(float((rows[0] ** 2).sum()), 6), float(abs(rows[1]).sum())
((2, 128), 1.0, 0.0)
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

TABLE = Path(__file__).resolve().parent.parent / "data" / "word_vectors.npz"
TOKEN_RE = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_MAX_CACHED_CHUNKS = 500_000  # bounded memory on adversarial input (every word unique)
# Smooth-inverse-frequency constant; 1e-4 and 1e-2 read the dev data alike (evaluation/HISTORY.md, iteration 4).
SIF_A = 1e-3


class WordTable:
    """The word-vector table: ``index`` (word -> row), ``vectors`` (float32, one row per word), ``weights`` (SIF)."""

    def __init__(self, path: Path = TABLE):
        with np.load(path) as data:
            words = [str(word) for word in data["words"]]
            self.vectors = (data["vectors"].astype(np.float32) * data["scale"]).astype(np.float32)
            probability = np.exp(data["log_probability"].astype(np.float64))
        self.index = {word: row for row, word in enumerate(words)}
        # float32 like the vectors: a product of mixed types would copy the whole table to float64 on every call.
        self.weights = (SIF_A / (SIF_A + probability)).astype(np.float32)
        self.dimensions = self.vectors.shape[1]

    def rows_of(self, chunk: str) -> array:
        """Table rows of the words in a whitespace-free chunk of text ("Roadmap," -> the row of "roadmap")."""
        index = self.index
        return array("i", (row for word in TOKEN_RE.findall(chunk.lower()) if (row := index.get(word)) is not None))


@lru_cache(maxsize=1)
def shared_table() -> WordTable:
    """The packaged table, loaded once per process."""
    return WordTable()


class SentenceVectors:
    """Unit sentence vectors with the common direction of a set of training texts removed (see the module)."""

    def __init__(self, common: np.ndarray):
        self.common = common
        self.table = shared_table()  # loaded here, so a process forked after training or unpickling shares it
        self._chunks: dict[str, array] = {}  # chunk of text -> table rows, as CachedTfidf keeps words

    def __getstate__(self) -> dict:
        return {"common": self.common}  # the table ships with the package, not in every pickled mapper

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["common"])

    @classmethod
    def fit(cls, texts: Sequence[str]) -> SentenceVectors:
        """Learn the common direction: the first right singular vector of the training texts' unit vectors."""
        units = _unit_rows(cls(np.zeros(shared_table().dimensions)).weighted_sums(texts))
        _, _, directions = np.linalg.svd(units, full_matrices=False)
        return cls(directions[0])

    def weighted_sums(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's SIF-weighted sum of word vectors (float64, one row per text; zeros without a known word)."""
        # Rows are gathered in machine-integer arrays, as in CachedTfidf: extending by a cached chunk's rows is a
        # copy, and numpy reads the result without converting a Python int per word.
        table, cached = self.table, self._chunks
        indptr, columns = array("q", [0]), array("i")
        for text in texts:
            for chunk in text.split():  # words never span whitespace (TOKEN_RE has none)
                rows = cached.get(chunk)
                if rows is None:
                    rows = table.rows_of(chunk)
                    if len(cached) < _MAX_CACHED_CHUNKS:
                        cached[chunk] = rows
                columns.extend(rows)
            indptr.append(len(columns))
        rows_of_words = np.frombuffer(columns, dtype=np.int32) if columns else np.zeros(0, np.int32)
        counts = sparse.csr_matrix((table.weights[rows_of_words], rows_of_words, np.frombuffer(indptr, dtype=np.int64)),
                                   shape=(len(texts), len(table.index)))
        return np.asarray(counts @ table.vectors, dtype=np.float64)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (float64); a text without a word of the table gets zeros."""
        sums = self.weighted_sums(texts)
        # Row by row (a reduction along each row), not a matrix product: BLAS may block a product differently for
        # another number of rows, and the vector of a text must not depend on the texts beside it.
        sums -= np.outer((sums * self.common).sum(axis=1), self.common)
        return _unit_rows(sums)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
