"""What the statement classifier learns from: the role model's phrasings as weighted rows, and their digest.

Kept apart from :mod:`analyzer.mapping.classifier` (which needs scikit-learn) because the model loader checks the
digest: a calibration on real prose (:mod:`analyzer.mapping.prose`) holds for the classifier it was fitted on, and a
model whose phrasings changed since has another classifier (``training_rows`` in ``models/README.md``).

Examples
--------
>>> from analyzer.model import load_model
>>> texts, labels, weights = training_rows(load_model())
>>> len(texts) == len(labels) == len(weights), len(training_digest(load_model()))
(True, 16)
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analyzer.model import RoleModel

FAMILY_PREFIX = "family:"  # a job family's class, beside the responsibilities' ("family:software_engineering")
KEYWORD_WEIGHT = 2.0  # keywords are short: each weighs this many training rows
DIGEST_LENGTH = 16  # hex digits of sha256 kept: a digest to compare, not a security check


def training_rows(model: RoleModel) -> tuple[list[str], list[str], list[float]]:
    """(texts, labels, weights) the classifier learns from: the model's phrasings, keywords, names and
    descriptions, each distinct (text, label) pair once, weighing as many rows as it was given (a keyword
    weighs ``KEYWORD_WEIGHT``).

    A pair given twice is one weighted row rather than two equal ones: the SVM's objective is the same, and
    the calibration's folds cannot hold one copy out while training on the other (which made the held-out
    scores of those rows optimistic).
    """
    weights: dict[tuple[str, str], float] = {}

    def add(texts: list[str], label: str, weight: float = 1.0) -> None:
        for text in texts:
            weights[text, label] = weights.get((text, label), 0.0) + weight

    for resp in model.responsibilities:
        add([*resp.phrasings, resp.description, resp.name], resp.id)
        add(list(resp.keywords), resp.id, KEYWORD_WEIGHT)
    for family in model.families:
        add(list(family.phrasings), FAMILY_PREFIX + family.id)
    return [text for text, _ in weights], [label for _, label in weights], list(weights.values())


def training_digest(model: RoleModel) -> str:
    """A digest of :func:`training_rows` in their order (the order the classifier meets them in): it changes when
    any phrasing, keyword, name or description the classifier learns from changes, and with nothing else (a
    responsibility's owner, a rule)."""
    rows = json.dumps(list(zip(*training_rows(model), strict=True)), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(rows.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_LENGTH]
