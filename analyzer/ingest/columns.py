"""Find which column of an export holds which field (id, name, title, team, manager, text).

Headers are matched against the synonyms in ``analyzer/data/columns.yaml``; explicit choices
(``--title-column`` ...) override them. When no header names the description, the column holding the
longest prose is taken, so hand-made sheets with odd headers still work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources

import pandas as pd
import yaml

from analyzer.errors import Problem

FIELDS = ("id", "name", "title", "team", "manager", "text")
_NORMALISE_RE = re.compile(r"[^a-z0-9]+")
_PROSE_MIN_MEDIAN_WORDS = 12


@dataclass(frozen=True)
class ColumnChoice:
    """Columns chosen by the user (None: detect)."""

    id: str | None = None
    name: str | None = None
    title: str | None = None
    team: str | None = None
    manager: str | None = None
    text: str | None = None

    def given(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def normalise_header(header: str) -> str:
    return _NORMALISE_RE.sub("", header.lower())


@lru_cache(maxsize=1)
def header_synonyms() -> dict[str, tuple[str, ...]]:
    text = (resources.files("analyzer") / "data" / "columns.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)["fields"]
    return {field: tuple(normalise_header(s) for s in synonyms) for field, synonyms in data.items()}


def detect_columns(frame: pd.DataFrame, choice: ColumnChoice,
                   problems: list[Problem]) -> tuple[dict[str, str], list[str]]:
    """Map fields to column names. Unknown user choices are added to ``problems``.

    Returns the mapping and notes saying how each column was chosen.
    """
    headers = list(frame.columns)
    by_normalised = {}
    for header in headers:
        by_normalised.setdefault(normalise_header(header), header)
    mapping: dict[str, str] = {}
    notes: list[str] = []
    for field, column in choice.given().items():
        if column in headers:
            mapping[field] = column
            continue
        found = by_normalised.get(normalise_header(column))
        if found:
            mapping[field] = found
            continue
        listing = ", ".join(repr(h) for h in headers[:20])
        problems.append(Problem(f"--{field}-column", "unknown_column",
                                f"no column named {column!r} (columns: {listing})",
                                "pass one of the listed column names"))
    taken = set(mapping.values())
    synonyms = header_synonyms()
    for field in FIELDS:
        if field in mapping:
            continue
        for synonym in synonyms.get(field, ()):
            header = by_normalised.get(synonym)
            if header and header not in taken:
                mapping[field] = header
                taken.add(header)
                break
    if "text" not in mapping:
        prose = _prose_column(frame, taken)
        if prose:
            mapping["text"] = prose
            notes.append(f"description column {prose!r} chosen because it holds long prose")
    return mapping, notes


def _prose_column(frame: pd.DataFrame, taken: set[str]) -> str | None:
    best, best_words = None, 0.0
    for column in frame.columns:
        if column in taken:
            continue
        values = frame[column].astype(str)
        values = values[values.str.strip() != ""]
        if values.empty:
            continue
        median_words = float(values.str.split().str.len().median())
        if median_words >= _PROSE_MIN_MEDIAN_WORDS and median_words > best_words:
            best, best_words = column, median_words
    return best
