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


@dataclass(frozen=True)
class SegmentLanguage:
    duty_headings: re.Pattern
    requirement_headings: re.Pattern
    boilerplate_headings: re.Pattern
    duty_lead_ins: re.Pattern
    requirement_lead_ins: re.Pattern
    boilerplate_patterns: re.Pattern
    requirement_patterns: re.Pattern


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


@dataclass(frozen=True)
class Language:
    segment: SegmentLanguage
    raci: RaciLanguage
    titles: TitleLanguage
    duty_verbs: frozenset[str]


def _compile(patterns: list[str]) -> re.Pattern:
    """One alternation of all patterns: a single search finds the leftmost match of any of them."""
    for pattern in patterns:
        re.compile(pattern)  # fail on the faulty pattern itself, not on the combination
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or r"(?!x)x")


@lru_cache(maxsize=1)
def load_language() -> Language:
    """The packaged language data, compiled (cached: it never changes while the process runs)."""
    text = (resources.files("analyzer") / "data" / "language.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    seg, raci, titles = data["segment"], data["raci"], data["titles"]
    return Language(
        segment=SegmentLanguage(
            duty_headings=_compile(seg["duty_headings"]),
            requirement_headings=_compile(seg["requirement_headings"]),
            boilerplate_headings=_compile(seg["boilerplate_headings"]),
            duty_lead_ins=_compile(seg["duty_lead_ins"]),
            requirement_lead_ins=_compile(seg["requirement_lead_ins"]),
            boilerplate_patterns=_compile(seg["boilerplate_patterns"]),
            requirement_patterns=_compile(seg["requirement_patterns"]),
        ),
        raci=RaciLanguage(
            levels=re.compile("|".join(
                f"(?P<{level}>{_compile(raci[key]).pattern})"
                for level, key in (("A", "accountable"), ("R", "responsible"), ("C", "consulted"), ("I", "informed")))),
            accountable=_compile(raci["accountable"]),
            responsible=_compile(raci["responsible"]),
            consulted=_compile(raci["consulted"]),
            informed=_compile(raci["informed"]),
            negated=_compile(raci["negated"]),
            role_nouns={role: tuple(nouns) for role, nouns in raci["role_nouns"].items()},
        ),
        titles=TitleLanguage(
            abbreviations={str(k): str(v) for k, v in titles["abbreviations"].items()},
            seniority=tuple(str(word) for word in titles["seniority"]),
            people_lead_prefixes=tuple(titles["people_lead_prefixes"]),
            ambiguous={key: tuple(value) for key, value in titles["ambiguous"].items()},
        ),
        duty_verbs=frozenset(str(verb) for verb in data["coordination"]["duty_verbs"]),
    )


def any_match(patterns: re.Pattern, text: str) -> bool:
    """True when one of the combined ``patterns`` is found in ``text``."""
    return patterns.search(text) is not None
