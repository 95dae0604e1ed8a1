"""The example descriptions' duty statements and requirements, segmented once and shipped beside them.

The document classifier (:mod:`analyzer.mapping.jobs`) learns from the model's example descriptions as the segmenter
reads them. Segmenting the 576 of the default model was about 1.4 s of CPU, more than half of the classifier's
training and about 0.85 s of a machine's first run on two cores (training 3.9 s -> 3.0 s). So their statements are
stored in ``segments.json`` in the default model's ``adverts`` folder, keyed by each description's text (sha256) and by
a fingerprint of the segmenter: the source of the modules segmentation runs through, the language data, and the versions
of spaCy and spacy-lookups-data. A description whose text is not in the file, or a file written by another segmenter, is
segmented as before: a stale file costs time, never a different reading. Left out on purpose: PyYAML's version (it only
reads the language data, whose bytes are in the fingerprint) and Python's Unicode database (each Python minor version
has its own, so the file would be stale on every Python but the one that wrote it; the example descriptions are English
prose, whose segmentation does not turn on the characters a Unicode version adds). A user's own model reads its own
descriptions the same way (they are not in the file).

``tests/test_map.py`` checks that the shipped file is what the segmenter reads now; after a change to segmentation or
to the example descriptions, write it again with ``python -m analyzer.mapping.advert_segments``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from analyzer.records import Statement, StatementKind
from analyzer.segment import segment

SEGMENTS_FILE = "segments.json"
# The modules and data that segment() reads (its imports, transitively within the package) and the records it returns.
# This module too: what it keeps of each description (``_KEPT``) and how it writes them.
_SEGMENTER_SOURCES = ("segment.py", "htmltext.py", "nlp.py", "language.py", "records.py", "mapping/literals.py",
                      "mapping/advert_segments.py", "data/language.yaml")
_KEPT = (StatementKind.DUTY, StatementKind.REQUIREMENT)  # all the document classifier reads of a description


def segmenter_fingerprint() -> str:
    """sha256 of what decides how a text is segmented (see the module docstring)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in _SEGMENTER_SOURCES:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes() + b"\0")
    for distribution in ("spacy", "spacy-lookups-data"):
        digest.update(f"{distribution}=={metadata.version(distribution)}\0".encode())
    return digest.hexdigest()


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def segments_path() -> Path:
    """Where the default model's segmented descriptions are (installed or in a source checkout)."""
    from analyzer.model import default_model_path

    return default_model_path().parent / "adverts" / SEGMENTS_FILE


def advert_statements(text: str) -> tuple[Statement, ...]:
    """The duty statements and requirements of an example description, in order: from the shipped file when it holds
    this text for this segmenter, else segmented now. Only their text and kind are kept (not their section): all the
    document classifier reads."""
    stored = _stored().get(text_key(text))
    return stored if stored is not None else _segmented(text)


def _segmented(text: str) -> tuple[Statement, ...]:
    return tuple(statement for statement in segment(text) if statement.kind in _KEPT)


@lru_cache(maxsize=1)
def _stored() -> dict[str, tuple[Statement, ...]]:
    """The shipped statements by text key; empty when the file is missing, malformed or from another segmenter (or
    when the segmenter's sources cannot be read to tell, as in an install without them)."""
    try:
        data = json.loads(segments_path().read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("segmenter") != segmenter_fingerprint():
            return {}
        return {key: _statements(entries) for key, entries in data["descriptions"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _statements(entries: list) -> tuple[Statement, ...]:
    kinds = {kind.value: kind for kind in _KEPT}
    statements = []
    for kind, text in entries:
        if not isinstance(text, str):
            raise TypeError(f"a statement's text is {type(text).__name__}, not a string")
        statements.append(Statement(text, kinds[kind]))
    return tuple(statements)


def segments_document(texts: Iterable[str]) -> str:
    """The file's content for ``texts``: one description per line, sorted by key, so that a change reads as a diff."""
    entries = {}
    for text in texts:
        entries[text_key(text)] = [[s.kind.value, s.text] for s in _segmented(text)]
    lines = [f"  {json.dumps(key)}: {json.dumps(entries[key], ensure_ascii=False)}" for key in sorted(entries)]
    return ('{\n  "segmenter": ' + json.dumps(segmenter_fingerprint()) + ',\n  "descriptions": {\n'
            + ",\n".join("  " + line for line in lines) + "\n  }\n}\n")


def main(argv: list[str] | None = None) -> int:
    """Write the default model's segmented descriptions (run after changing segmentation or the descriptions)."""
    from analyzer.model import load_model

    model = load_model()
    path = segments_path()
    path.write_text(segments_document(advert.text for advert in model.adverts), encoding="utf-8")
    print(f"wrote {path} ({len(model.adverts)} descriptions)", file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
