"""On-disk cache of the mapping stage: what the NLP read from each distinct job description.

Mapping a description depends only on its text, the role model and the mapping code, so results are
stored under a **namespace** that hashes everything that could change them: the model's id, version and
fingerprint (sha256 of the model file), the analyzer's version, a hash of the mapping code and language
data (:func:`code_fingerprint`) and the versions of the libraries that compute the features and scores.
Within a namespace, a result is keyed by the sha256 of the normalised description
(:func:`normalise_description`). Editing three rows of an export and re-running maps only those three
descriptions; editing the model or upgrading the analyzer starts a new namespace, so stale results are
never used.

Storage: one SQLite file (``mappings.sqlite3``) with JSON values, which round-trip to identical
:class:`~analyzer.records.TextMapping` objects. Only the :data:`KEEP_NAMESPACES` most recently used
namespaces are kept, so the cache does not grow without bound while a model is being tuned.

The trained mapper (a few seconds of training) is cached too, as a pickle per namespace in
``mappers/``. Loading a pickle runs code, so the cache folder must be the user's own: the folder is
created private (mode 0700) and a pickle is only loaded when it belongs to the current user and nobody
else can write to it. Anything wrong with the cache (unreadable, corrupt, full disk) only means it is
not used: results never depend on it.

The default folder is ``$XDG_CACHE_HOME/org-overlap-analyzer`` (``~/.cache/org-overlap-analyzer``; on
Windows ``%LOCALAPPDATA%\\org-overlap-analyzer``); the CLI's ``--cache-dir`` and ``--no-cache`` change it.

Examples
--------
>>> import tempfile
>>> from analyzer.records import Statement, StatementKind, TextMapping
>>> cache = MappingCache(tempfile.mkdtemp(), namespace="example")
>>> mapping = TextMapping((Statement("Own the roadmap", StatementKind.DUTY),), ())
>>> cache.put({text_key("Own the roadmap"): mapping})
>>> cache.get([text_key("Own the roadmap"), text_key("Other")]) == {text_key("Own the roadmap"): mapping}
True
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
import os
import pickle
import sqlite3
import stat
import sys
import time
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer import __version__
from analyzer.htmltext import looks_like_html
from analyzer.records import TextMapping

if TYPE_CHECKING:
    from analyzer.mapping.mapper import Mapper
    from analyzer.model import RoleModel

APP_FOLDER = "org-overlap-analyzer"
DATABASE = "mappings.sqlite3"
KEEP_NAMESPACES = 4
_FORMAT = 1  # bump when the stored JSON layout changes
# Source and data files whose content decides what a description maps to (hashed into the namespace).
# model.py is here because the pickled trained mapper holds the role model's objects.
_MAPPING_SOURCES = ("mapping", "segment.py", "nlp.py", "htmltext.py", "language.py", "records.py", "model.py",
                    "modelprose.py", "modelcheck.py", "adverts.py", "semantic.py", "cache.py", "data/language.yaml",
                    "data/word_vectors.npz")
# Modules the mapper imports whose code cannot change a mapping: the package's version (in the namespace on its own),
# the error types (messages only) and the garbage collector's switches. A test checks that every other module the
# mapper imports is hashed.
UNHASHED_MODULES = ("__init__.py", "errors.py", "collector.py")
_LIBRARIES = ("scikit-learn", "numpy", "scipy", "spacy", "spacy-lookups-data")
_BATCH = 500  # keys per SELECT (below SQLite's bound on query parameters)


# -- keys ------------------------------------------------------------------------------------------

def normalise_description(text: str) -> str:
    """The description as the mapper reads it: line breaks unified, spaces collapsed, blank lines dropped.

    Descriptions that differ only in layout noise (doubled spaces, trailing blanks, CRLF, empty lines)
    normalise to the same text and are mapped once; the segmenter reads lines the same way, so the
    result is the same as for the original text. HTML is left as it is (the segmenter converts it).

    Examples
    --------
    >>> normalise_description("  Own the   roadmap \\r\\n\\r\\n- Hire\\tengineers ")
    'Own the roadmap\\n- Hire engineers'
    """
    if looks_like_html(text):
        return text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(flat for line in lines if (flat := " ".join(line.split())))


def text_key(normalised: str) -> str:
    """sha256 (hex) of a normalised description: its key within a namespace."""
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the mapping code, the language data and the library versions that shape a mapping."""
    digest = hashlib.sha256()
    root = resources.files("analyzer")
    for name in _MAPPING_SOURCES:
        item = root / name
        files = sorted((f for f in item.iterdir() if f.name.endswith(".py")), key=lambda f: f.name) \
            if item.is_dir() else [item]
        for file in files:
            digest.update(f"{name}/{file.name}\0".encode())
            digest.update(file.read_bytes())
    for library in _LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{library}={version}\0".encode())
    digest.update(f"python={sys.version_info[:2]}\0format={_FORMAT}".encode())
    return digest.hexdigest()


def namespace_for(model: RoleModel, min_confidence: float | None = None, semantic: bool = False) -> str:
    """The cache namespace of a role model with this analyzer (see the module docstring), of a mapping
    threshold other than the model's default, and of the semantic mapper (with the versions of its libraries)."""
    parts = [model.id, model.version, model.fingerprint or _model_digest(model), __version__, code_fingerprint()]
    if min_confidence is not None and min_confidence != model.default_min_confidence(semantic):
        parts.append(f"min_confidence={float(min_confidence)!r}")
    if semantic:
        from analyzer.semantic import library_versions

        parts.append(f"semantic={library_versions()}")
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _model_digest(model: RoleModel) -> str:
    # A model built in memory (parse_model) has no file fingerprint: hash its content instead.
    return hashlib.sha256(repr(model).encode()).hexdigest()


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/org-overlap-analyzer``, else ``~/.cache/...`` (``%LOCALAPPDATA%`` on Windows)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base and sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
    return Path(base or Path.home() / ".cache") / APP_FOLDER


# -- JSON codec ------------------------------------------------------------------------------------
# Generic over the record dataclasses: a dataclass is stored as the list of its field values, and read
# back guided by the fields' type hints, so a field added to the records is stored without changes here
# (and, as records.py is part of the code fingerprint, starts a new namespace).

def encode_mapping(mapping: TextMapping) -> str:
    """Compact JSON of a :class:`TextMapping` (floats round-trip exactly).

    Examples
    --------
    >>> from analyzer.records import Statement, StatementKind
    >>> m = TextMapping((Statement("Own it", StatementKind.DUTY, "you will"),), ())
    >>> decode_mapping(encode_mapping(m)) == m
    True
    """
    return json.dumps(_plain(mapping), ensure_ascii=False, separators=(",", ":"))


def decode_mapping(value: str) -> TextMapping:
    """The :class:`TextMapping` of :func:`encode_mapping`'s JSON."""
    return _decoder(TextMapping)(json.loads(value))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return [_plain(getattr(value, item.name)) for item in dataclasses.fields(value)]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


@functools.cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A function turning the JSON form of ``hint`` (a type) back into a value of that type."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        parts = [_decoder(hints[item.name]) for item in dataclasses.fields(hint) if item.init]
        return lambda data: hint(*(part(item) for part, item in zip(parts, data, strict=True)))
    if origin in (types.UnionType, typing.Union):
        inner = _decoder(next(argument for argument in arguments if argument is not type(None)))
        return lambda data: None if data is None else inner(data)
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        item_decoder = _decoder(arguments[0])
        return lambda data: tuple(item_decoder(item) for item in data)
    if origin is tuple:
        decoders = [_decoder(argument) for argument in arguments]
        return lambda data: tuple(part(item) for part, item in zip(decoders, data, strict=True))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    if hint in (str, int, float, bool):
        return lambda data: data
    raise TypeError(f"the mapping cache cannot store values of type {hint!r}")


# -- the cache -------------------------------------------------------------------------------------

class MappingCache:
    """Mapping results (and the trained mapper) of one namespace in a cache folder.

    Parameters
    ----------
    directory:
        The cache folder (created if needed, private to the user).
    model:
        The role model; its namespace keys every entry. Give ``namespace`` instead to choose it.
    min_confidence:
        The mapping threshold the results are computed with (None: the default); another threshold gives
        other results, so it has its own namespace. The trained mapper does not depend on it and is shared.
    semantic:
        Whether the results come from the semantic mapper: its results and its trained mapper have
        namespaces of their own.

    Nothing here raises for a broken cache: :attr:`problem` says what went wrong and the cache then
    behaves as empty (reads miss, writes are skipped).
    """

    def __init__(self, directory: str | Path, model: RoleModel | None = None, *, namespace: str | None = None,
                 min_confidence: float | None = None, semantic: bool = False):
        if namespace is None:
            if model is None:
                raise ValueError("give a role model or a namespace")
            # The threshold is applied after training: one trained mapper serves every threshold.
            namespace = namespace_for(model, min_confidence, semantic)
            mapper_namespace = namespace_for(model, semantic=semantic)
        else:
            mapper_namespace = namespace
        self._mapper_namespace = mapper_namespace
        self.directory = Path(directory)
        self.namespace = namespace
        self.problem: str | None = None
        self.hits = 0
        self.stored = 0
        self._connection: sqlite3.Connection | None = None

    # storage

    def _db(self) -> sqlite3.Connection | None:
        if self._connection is not None or self.problem:
            return self._connection
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            connection = sqlite3.connect(self.directory / DATABASE, timeout=30)
            with connection:
                connection.execute("CREATE TABLE IF NOT EXISTS mapping (namespace TEXT NOT NULL, key TEXT NOT NULL, "
                                   "value TEXT NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID")
                connection.execute("CREATE TABLE IF NOT EXISTS namespace (namespace TEXT PRIMARY KEY, "
                                   "last_used REAL NOT NULL)")
                # The trained mapper's namespace too, so that its pickle is kept while in use and evicted after.
                connection.executemany("INSERT OR REPLACE INTO namespace VALUES (?, ?)",
                                       [(name, time.time()) for name in {self.namespace, self._mapper_namespace}])
                stale = [row[0] for row in connection.execute(
                    "SELECT namespace FROM namespace ORDER BY last_used DESC, namespace LIMIT -1 OFFSET ?",
                    (KEEP_NAMESPACES,))]
                for name in stale:
                    connection.execute("DELETE FROM mapping WHERE namespace = ?", (name,))
                    connection.execute("DELETE FROM namespace WHERE namespace = ?", (name,))
                    (self.directory / "mappers" / f"{name}.pickle").unlink(missing_ok=True)
        except (sqlite3.Error, OSError) as exc:
            self.problem = f"the mapping cache in {self.directory} cannot be used ({exc}); continuing without it"
            return None
        self._connection = connection
        return connection

    def get(self, keys: Iterable[str]) -> dict[str, TextMapping]:
        """The cached mappings among ``keys`` (text keys, see :func:`text_key`)."""
        wanted = list(dict.fromkeys(keys))
        connection = self._db()
        found: dict[str, TextMapping] = {}
        if connection is None:
            return found
        try:
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start:start + _BATCH]
                marks = ",".join("?" * len(batch))
                for key, value in connection.execute(
                        f"SELECT key, value FROM mapping WHERE namespace = ? AND key IN ({marks})",
                        (self.namespace, *batch)):
                    found[key] = decode_mapping(value)
        except (sqlite3.Error, ValueError, TypeError, KeyError) as exc:
            self.problem = f"the mapping cache in {self.directory} is damaged ({exc}); continuing without it"
            return {}
        self.hits += len(found)
        return found

    def put(self, mappings: Mapping[str, TextMapping]) -> None:
        """Store mappings by text key (existing entries are replaced)."""
        self.put_encoded({key: encode_mapping(mapping) for key, mapping in mappings.items()})

    def put_encoded(self, values: Mapping[str, str]) -> None:
        """Store already encoded mappings (:func:`encode_mapping`) by text key."""
        connection = self._db()
        if connection is None or not values:
            return
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO mapping VALUES (?, ?, ?)",
                                       ((self.namespace, key, value) for key, value in values.items()))
        except sqlite3.Error as exc:
            self.problem = f"cannot write the mapping cache in {self.directory} ({exc}); results were not cached"
            return
        self.stored += len(values)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # the trained mapper

    def _mapper_path(self) -> Path:
        return self.directory / "mappers" / f"{self._mapper_namespace}.pickle"

    def mapper(self, model: RoleModel, train: Callable[[RoleModel], Mapper]) -> Mapper:
        """A trained mapper for ``model``: from the cache when trained before, else ``train(model)`` (then stored).

        The whole mapper is stored (every classifier it trains), so new parts of the mapper are cached too.
        """
        path = self._mapper_path()
        mapper = self._load_mapper(path)
        if mapper is not None and mapper.model == model:
            return mapper
        mapper = train(model)
        self._store_mapper(path, mapper)
        return mapper

    def _load_mapper(self, path: Path):
        try:
            info = path.stat()
        except OSError:
            return None
        if not _private(info) or not _private(path.parent.stat()):
            return None  # someone else could have written it: never unpickle
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)  # safe only because the cache is private (see the module docstring)
        except Exception:  # a damaged or outdated pickle only means training again
            path.unlink(missing_ok=True)
            return None

    def _store_mapper(self, path: Path, mapper: object) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump(mapper, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except (OSError, pickle.PicklingError, AttributeError, TypeError) as exc:
            self.problem = self.problem or f"cannot store the trained mapper in {path.parent} ({exc})"


def _private(info: os.stat_result) -> bool:
    """Owned by the current user and writable by nobody else (always true where there are no uids)."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
