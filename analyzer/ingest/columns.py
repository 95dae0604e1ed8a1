"""Find which column of an export holds which field, and say why.

Fields: ``id``, ``name`` (or ``first_name`` + ``last_name``), ``title``, ``team``, ``department``,
``manager`` (an id, name or e-mail), ``manager_name``, ``email`` (only to resolve managers given by
e-mail), ``text`` (the job description) and ``file`` (a job-description file name, to join a folder
of documents). Three sources, in order:

1. explicit choices (``--title-column`` ...), matched exactly or after normalisation;
2. header synonyms from ``analyzer/data/columns.yaml`` (Workday, BambooHR, HiBob, Rippling, SAP
   SuccessFactors, ADP and hand-made sheets);
3. content, when no header says: the column of long prose is the description, a column whose values are
   the ids (or names) of other rows is the manager, a column of short texts with job words is the title.

Columns holding personal data the analysis does not need (salary, birth date, address, national id...)
are never taken by content sniffing; no column outside the plan is ever copied (see privacy.py).

Examples
--------
>>> plan = detect_columns(["Employee #", "Job Title", "Reporting to", "Salary"],
...                       [["1", "Product Owner", "2", "90000"], ["2", "Head of Product", "", "120000"]])
>>> plan.mapping()
{'id': 'Employee #', 'title': 'Job Title', 'manager': 'Reporting to'}
>>> plan.reasons["manager"]
'known header (BambooHR)'
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources

import yaml

from analyzer.ingest.problems import ProblemLog

FIELDS = ("id", "name", "first_name", "last_name", "title", "team", "department", "manager", "manager_name",
          "email", "text", "file")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_PROSE_MIN_MEDIAN_WORDS = 12
_SNIFF_ROWS = 500  # content sniffing looks at the first rows only, so huge exports stay fast
_SNIFF_CELL = 2000  # and at the start of each cell, so multi-megabyte cells cost nothing
_MANAGER_MATCH = 0.8
_TITLE_MATCH = 0.6
_SENSITIVE_STEMS = ("salary", "birth", "passport", "compensation", "nationalid", "socialsecurity", "iban")


@dataclass(frozen=True)
class ColumnChoice:
    """Columns chosen by the user (None: detect). Names are matched exactly, then ignoring case and
    punctuation."""

    id: str | None = None
    name: str | None = None
    title: str | None = None
    team: str | None = None
    manager: str | None = None
    text: str | None = None
    department: str | None = None
    manager_name: str | None = None
    file: str | None = None

    def given(self) -> dict[str, str]:
        """The fields the user chose, field -> column name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


@dataclass
class ColumnPlan:
    """Which input column holds which field, and why it was taken."""

    headers: list[str]
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    reasons: dict[str, str] = field(default_factory=dict)  # field -> why (for the CLI and the report)
    system: str | None = None  # the HR system whose headers the export uses, when one stands out

    def mapping(self) -> dict[str, str]:
        """field -> header, in field order."""
        return {name: self.headers[self.columns[name]] for name in FIELDS if name in self.columns}

    def take(self, name: str, index: int, reason: str) -> None:
        self.columns[name] = index
        self.reasons[name] = reason

    def taken(self) -> set[int]:
        return set(self.columns.values())


@dataclass(frozen=True)
class HeaderData:
    """The content of columns.yaml, normalised."""

    synonyms: dict[str, tuple[str, ...]]  # field -> normalised synonyms, preferred first
    lookup: dict[str, str]  # normalised synonym -> field
    systems: dict[str, dict[str, tuple[str, ...]]]  # system -> field -> headers as exported
    sensitive: frozenset[str]
    title_words: frozenset[str]


def normalise_header(header: str) -> str:
    """Lowercase letters and digits only, accents removed; '#' reads as 'number'.

    >>> normalise_header("Employee #"), normalise_header("Manager - ID"), normalise_header("Équipe")
    ('employeenumber', 'managerid', 'equipe')
    """
    decomposed = unicodedata.normalize("NFKD", str(header).lower().replace("#", "number"))
    return _NON_ALNUM.sub("", "".join(char for char in decomposed if not unicodedata.combining(char)))


@lru_cache(maxsize=1)
def header_data() -> HeaderData:
    """columns.yaml, loaded once."""
    text = (resources.files("analyzer") / "data" / "columns.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    synonyms: dict[str, list[str]] = {name: [] for name in FIELDS}
    lookup: dict[str, str] = {}
    for name, values in data["fields"].items():
        for value in values:
            key = normalise_header(value)
            if key not in lookup:
                lookup[key] = name
                synonyms[name].append(key)
    systems = {system: {name: tuple(str(h) for h in headers) for name, headers in by_field.items()}
               for system, by_field in data.get("systems", {}).items()}
    return HeaderData(
        synonyms={name: tuple(values) for name, values in synonyms.items()}, lookup=lookup, systems=systems,
        sensitive=frozenset(normalise_header(value) for value in data.get("sensitive", [])),
        title_words=frozenset(str(word).lower() for word in data.get("title_words", [])),
    )


def header_fields(headers: list[str]) -> set[str]:
    """The fields that ``headers`` name (used to find the header row and the sheet of people).

    >>> sorted(header_fields(["Worker", "Business Title", "Salary"]))
    ['name', 'title']
    """
    lookup = header_data().lookup
    short = (header for header in headers if len(header) <= 100)  # a multi-megabyte cell is no header
    return {lookup[key] for key in map(normalise_header, short) if key in lookup}


def is_sensitive(header: str) -> bool:
    """True for headers of personal data the analysis never needs (salary, birth date, address...).

    >>> is_sensitive("Annual Salary (EUR)"), is_sensitive("Job Title")
    (True, False)
    """
    key = normalise_header(header)
    return key in header_data().sensitive or any(stem in key for stem in _SENSITIVE_STEMS)


def detect_columns(headers: list[str], rows: list[list[str]], choice: ColumnChoice | None = None,
                   log: ProblemLog | None = None) -> ColumnPlan:
    """Choose the column of each field; unknown explicit choices are added to ``log`` as fatal problems.

    Parameters
    ----------
    headers:
        The header cells, unique.
    rows:
        The data rows (lists of strings as wide as ``headers``); only the first rows are looked at.
    choice:
        Explicit choices; they override everything else.
    log:
        Where problems go.
    """
    data = header_data()
    log = log or ProblemLog("")
    plan = ColumnPlan(headers=list(headers))
    normalised = [normalise_header(header) for header in headers]
    for name, column in (choice or ColumnChoice()).given().items():
        index = _find_header(headers, normalised, column)
        if index is None:
            listing = ", ".join(repr(h) for h in headers[:20]) + (", ..." if len(headers) > 20 else "")
            log.fatal(f"--{name.replace('_', '-')}-column", "unknown_column",
                      f"no column named {column!r} (columns: {listing})")
        else:
            plan.take(name, index, f"chosen with --{name.replace('_', '-')}-column")
    plan.system = _system(normalised)
    for name in FIELDS:
        if name in plan.columns:
            continue
        for synonym in data.synonyms[name]:
            index = next((i for i, key in enumerate(normalised) if key == synonym and i not in plan.taken()), None)
            if index is not None:
                plan.take(name, index, f"known header{_system_note(plan.system, name, headers[index])}")
                break
    sample = rows[:_SNIFF_ROWS]
    candidates = [i for i, key in enumerate(normalised)
                  if key not in data.lookup and not is_sensitive(headers[i]) and i not in plan.taken()]
    if "title" not in plan.columns:
        _sniff_title(plan, sample, candidates, data.title_words)
    if "text" not in plan.columns:
        _sniff_prose(plan, sample, candidates)
    if "manager" not in plan.columns and "manager_name" not in plan.columns:
        _sniff_manager(plan, sample, candidates)
    return plan


def _find_header(headers: list[str], normalised: list[str], column: str) -> int | None:
    if column in headers:
        return headers.index(column)
    key = normalise_header(column)
    return normalised.index(key) if key and key in normalised else None


def _system(normalised: list[str]) -> str | None:
    """The HR system the headers come from: at least one header only it uses, three of its headers in
    all, and more (distinctive, then all) than any other system."""
    present = set(normalised)
    by_system = {system: {normalise_header(h) for headers in by_field.values() for h in headers}
                 for system, by_field in header_data().systems.items()}
    scores = []
    for system, headers in by_system.items():
        if system.startswith("Hand-made"):
            continue
        others = set().union(*(h for name, h in by_system.items() if name != system))
        scores.append((len(present & (headers - others)), len(present & headers), system))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < 1 or scores[0][1] < 3:
        return None
    if len(scores) > 1 and scores[0][:2] == scores[1][:2]:
        return None
    return scores[0][2]


def _system_note(system: str | None, name: str, header: str) -> str:
    data = header_data()
    key = normalise_header(header)
    if system and key in {normalise_header(h) for h in data.systems[system].get(name, ())}:
        return f" ({system})"
    return ""


def _values(rows: list[list[str]], index: int) -> list[str]:
    return [row[index][:_SNIFF_CELL].strip() for row in rows if index < len(row) and row[index].strip()]


def _sniff_prose(plan: ColumnPlan, rows: list[list[str]], candidates: list[int]) -> None:
    best, best_words = None, 0.0
    for index in candidates:
        if index in plan.taken():
            continue
        values = _values(rows, index)
        if not values:
            continue
        median_words = float(statistics.median(len(value.split()) for value in values))
        if median_words >= _PROSE_MIN_MEDIAN_WORDS and median_words > best_words:
            best, best_words = index, median_words
    if best is not None:
        plan.take("text", best, f"no description header; this column holds long prose (median {best_words:g} words)")


def _sniff_title(plan: ColumnPlan, rows: list[list[str]], candidates: list[int], words: frozenset[str]) -> None:
    for index in candidates:
        values = _values(rows, index)
        if not values or any(len(value.split()) > 8 for value in values):
            continue
        hits = sum(bool(words & set(re.findall(r"[a-z]+", value.lower()))) for value in values)
        if hits >= _TITLE_MATCH * len(values):
            plan.take("title", index, f"no title header; this column holds short texts with job words "
                                      f"({hits} of {len(values)})")
            return


def _sniff_manager(plan: ColumnPlan, rows: list[list[str]], candidates: list[int]) -> None:
    keys = {}
    if "id" in plan.columns:
        keys["id"] = plan.columns["id"]
    if "name" in plan.columns:
        keys["name"] = plan.columns["name"]
    for what, key_index in keys.items():
        known = {value.casefold() for value in _values(rows, key_index)}
        if len(known) < 2:
            continue
        for index in candidates:
            if index in plan.taken():
                continue
            pairs = [(row[index].strip().casefold(), row[key_index].strip().casefold()) for row in rows
                     if row[index].strip()]
            if len(pairs) < 2:
                continue
            matches = sum(value in known for value, _ in pairs)
            own = sum(value == own_key for value, own_key in pairs)
            if matches >= _MANAGER_MATCH * len(pairs) and own < 0.5 * len(pairs):
                share = round(100 * matches / len(pairs))
                plan.take("manager", index, f"no manager header; {share}% of this column's values are "
                                            f"{what}s of other rows (column {plan.headers[key_index]!r})")
                return
