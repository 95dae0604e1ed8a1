"""Language data (``analyzer/data/language.yaml``) loaded once and compiled.

The data is model-independent wording: section headings, boilerplate and requirement patterns, RACI
cues, negation, role nouns and title vocabulary. Keeping it apart from code lets it be reviewed and
extended without touching the pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from analyzer.mapping.literals import LiteralGate


@dataclass(frozen=True)
class SegmentLanguage:
    duty_headings: re.Pattern
    requirement_headings: re.Pattern
    boilerplate_headings: re.Pattern
    duty_lead_ins: re.Pattern
    requirement_lead_ins: re.Pattern
    boilerplate_patterns: re.Pattern
    requirement_patterns: re.Pattern
    field_headings: re.Pattern  # "Location", "Salary": a boilerplate section of one line
    # Headings of more than a few words that open boilerplate ("What does our interview process look like?"), read
    # from their start: the keywords of short headings, found anywhere in a long one, would drop duties under
    # "Key outcomes for the compensation platform squad".
    long_boilerplate_headings: re.Pattern
    # Wording of the job's work in a posting's introduction, before its first heading (see segment.py)
    intro_work_patterns: re.Pattern


@dataclass(frozen=True)
class RaciLanguage:
    levels: re.Pattern  # all cues in one pattern, one named group per level: the leftmost cue wins
    accountable: re.Pattern
    responsible: re.Pattern
    consulted: re.Pattern
    informed: re.Pattern
    negated: re.Pattern
    role_nouns: dict[str, tuple[str, ...]]  # role id (or "_other") -> nouns


@dataclass(frozen=True)
class TitleLanguage:
    abbreviations: dict[str, str]
    seniority: tuple[str, ...]
    people_lead_prefixes: tuple[str, ...]
    ambiguous: dict[str, tuple[str, ...]]
    inverted_heads: tuple[str, ...] = ()  # "Manager, Engineering": the head noun first, its field after


@dataclass(frozen=True)
class Language:
    segment: SegmentLanguage
    raci: RaciLanguage
    titles: TitleLanguage
    duty_verbs: frozenset[str]


# id of a combined pattern -> (the pattern, its gate) (see :func:`any_match`); filled by :func:`_compile`.
# Keyed by id: hashing a compiled pattern hashes all of its code, on every look-up.
_GATES: dict[int, tuple[re.Pattern, LiteralGate]] = {}


def _compile(patterns: list[str], gated: bool = False) -> re.Pattern:
    """One alternation of all patterns: a single search finds the leftmost match of any of them.

    ``gated``: :func:`any_match` searches it through a :class:`LiteralGate`. That pays for long lists
    of patterns that backtrack (statement wording, negation); short lists (headings) are searched
    faster whole.
    """
    for pattern in patterns:
        re.compile(pattern)  # fail on the faulty pattern itself, not on the combination
    combined = re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or r"(?!x)x")
    if gated:
        _GATES[id(combined)] = (combined, LiteralGate(patterns))
    return combined


# id of the levels pattern -> (the pattern, a gate over every cue of every level in order, each cue's level).
_LEVEL_GATES: dict[int, tuple[re.Pattern, LiteralGate, tuple[str, ...]]] = {}


def _compile_levels(raci: dict) -> re.Pattern:
    keys = (("A", "accountable"), ("R", "responsible"), ("C", "consulted"), ("I", "informed"))
    levels = re.compile("|".join(f"(?P<{level}>{_compile(raci[key]).pattern})" for level, key in keys))
    cues = [pattern for _, key in keys for pattern in raci[key]]
    _LEVEL_GATES[id(levels)] = (levels, LiteralGate(cues), tuple(level for level, key in keys for _ in raci[key]))
    return levels


@lru_cache(maxsize=1)
def load_language() -> Language:
    """The packaged language data, compiled (cached: it never changes while the process runs)."""
    text = (resources.files("analyzer") / "data" / "language.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml's parser when there
    seg, raci, titles = data["segment"], data["raci"], data["titles"]
    return Language(
        segment=SegmentLanguage(
            duty_headings=_compile(seg["duty_headings"]),
            requirement_headings=_compile(seg["requirement_headings"]),
            boilerplate_headings=_compile(seg["boilerplate_headings"]),
            duty_lead_ins=_compile(seg["duty_lead_ins"]),
            requirement_lead_ins=_compile(seg["requirement_lead_ins"]),
            boilerplate_patterns=_compile(seg["boilerplate_patterns"], gated=True),
            requirement_patterns=_compile(seg["requirement_patterns"], gated=True),
            field_headings=_compile(seg.get("field_headings", [])),
            long_boilerplate_headings=_compile(seg.get("long_boilerplate_headings", [])),
            intro_work_patterns=_compile(seg.get("intro_work_patterns", [])),
        ),
        raci=RaciLanguage(
            levels=_compile_levels(raci),
            accountable=_compile(raci["accountable"]),
            responsible=_compile(raci["responsible"]),
            consulted=_compile(raci["consulted"]),
            informed=_compile(raci["informed"]),
            negated=_compile(raci["negated"], gated=True),
            role_nouns={role: tuple(nouns) for role, nouns in raci["role_nouns"].items()},
        ),
        titles=TitleLanguage(
            abbreviations={str(k): str(v) for k, v in titles["abbreviations"].items()},
            seniority=tuple(str(word) for word in titles["seniority"]),
            people_lead_prefixes=tuple(titles["people_lead_prefixes"]),
            ambiguous={key: tuple(value) for key, value in titles["ambiguous"].items()},
            inverted_heads=tuple(str(word) for word in titles.get("inverted_heads", ())),
        ),
        duty_verbs=frozenset(str(verb) for verb in data["coordination"]["duty_verbs"]),
    )


def any_match(patterns: re.Pattern, text: str) -> bool:
    """True when one of the combined ``patterns`` is found in ``text``.

    Patterns compiled from the language data are searched through their :class:`LiteralGate`: only
    the alternatives whose literal words occur in ``text`` are tried (the same answer, much sooner).

    Examples
    --------
    >>> requirement = load_language().segment.requirement_patterns
    >>> any_match(requirement, "5+ years of product experience"), any_match(requirement, "own the roadmap")
    (True, False)
    """
    gated = _GATES.get(id(patterns))
    if gated is None or gated[0] is not patterns:
        return patterns.search(text) is not None
    return gated[1].any_match(text)


def leftmost_level(levels: re.Pattern, text: str) -> str | None:
    """Name of the group of ``levels`` (:attr:`RaciLanguage.levels`) holding its leftmost match in
    ``text`` ("A", "R", "C" or "I"), None without a match.

    Examples
    --------
    >>> raci = load_language().raci
    >>> leftmost_level(raci.levels, "help the team own the roadmap"), leftmost_level(raci.levels, "write")
    ('C', None)
    """
    gated = _LEVEL_GATES.get(id(levels))
    if gated is None or gated[0] is not levels:
        raise ValueError("not a levels pattern of the language data")
    _, gate, labels = gated
    if not gate.splittable:
        match = levels.search(text)
        return None if match is None else next(name for name in labels if match.group(name) is not None)
    found = gate.first(text)
    return None if found is None else labels[found[1]]
