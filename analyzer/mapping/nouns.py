"""Role nouns in statements ("the product owner, who ...", "As a PM, ...", "Engineers estimate ..."):
the patterns that find them, built over the few nouns a text can contain.

The role nouns of the language data (a hundred or so) make every pattern that names them a long
alternation, and Python's regular-expression engine tries each alternative at each position. A noun
that does not occur in the lowercased text cannot match, so for ASCII text (where case-insensitive
matching is exactly ``str.lower``) the patterns are compiled over the nouns present only, in the
same order: the matches are the same, found in a fraction of the time. Other texts get the patterns
over every noun.

Examples
--------
>>> nouns = role_nouns()
>>> nouns.present("Work with the Product Owner and engineers")
('product owner', 'engineers')
>>> text = "Work with the PO, who orders the backlog"
>>> nouns.present(text), relative_pattern(nouns.present(text)).search(text).group("noun")
(('po',), 'PO')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analyzer.language import load_language

TOKEN_RE = re.compile(r"[a-z0-9']+")  # words of lowercased text
_WORD_RE = re.compile(r"\w+")
_TOKEN_WORD_RE = re.compile(r"[a-z0-9]+")
_NEVER = r"(?!x)x"
# The role id (language.yaml's ``role_nouns``) of the nouns for people who hold no canonical role (engineers,
# stakeholders, a team), and so the subject of a clause about any party other than the reader or a canonical role.
SOMEONE_ELSE = "_other"


@dataclass(frozen=True)
class RoleNouns:
    noun_to_role: dict[str, str]  # lowercase noun -> role id (SOMEONE_ELSE for engineers, stakeholders, ...)
    nouns: tuple[str, ...]  # every noun, longest first: the order of every alternation
    canonical: frozenset[str]  # nouns of the canonical roles
    noun_words: frozenset[str]  # every word of every noun (a cheap pre-check)
    by_first_word: dict[str, tuple[str, ...]]  # first word (``\w+``) of a noun -> the nouns starting with it
    first_words: frozenset[str]  # the keys of ``by_first_word``
    unindexed: tuple[str, ...]  # nouns whose first word is not made of TOKEN_RE letters and digits

    def present(self, text: str, words: set[str] | None = None) -> tuple[str, ...] | None:
        """Nouns that may match in ``text``, in alternation order; None when any may (non-ASCII text).

        Every pattern here has a noun between word boundaries or spaces, so a noun can match only
        where its first word is a whole word of the text (``\\w+``: a :data:`TOKEN_RE` token or a
        part of one between apostrophes), and only if the text holds the noun. ``words``: the
        :data:`TOKEN_RE` tokens of the lowercased text, when the caller has them.
        """
        if not text.isascii() or not self.nouns:
            return None
        lowered = text.lower()
        if words is None:
            words = set(TOKEN_RE.findall(lowered))
        by_first_word = self.by_first_word
        if "'" in lowered:
            words = {part for word in words for part in word.split("'")}
        found = {noun for word in words & self.first_words for noun in by_first_word[word] if noun in lowered}
        if self.unindexed:
            found.update(noun for noun in self.unindexed if noun in lowered)
        if not found:
            return ()
        return tuple(noun for noun in self.nouns if noun in found)

    def canonical_in(self, nouns: tuple[str, ...] | None) -> tuple[str, ...]:
        """The canonical nouns among ``nouns`` (None: all nouns), in order."""
        return tuple(noun for noun in (self.nouns if nouns is None else nouns) if noun in self.canonical)


@lru_cache(maxsize=1)
def role_nouns() -> RoleNouns:
    noun_to_role = {}
    for role, nouns in load_language().raci.role_nouns.items():
        for noun in nouns:
            noun_to_role[noun.lower()] = role
    ordered = tuple(sorted(noun_to_role, key=len, reverse=True))
    by_first_word: dict[str, list[str]] = {}
    unindexed = []
    for noun in ordered:
        first = _WORD_RE.match(noun)
        if first is None or not _TOKEN_WORD_RE.fullmatch(first.group(0)):
            unindexed.append(noun)
        else:
            by_first_word.setdefault(first.group(0), []).append(noun)
    return RoleNouns(
        noun_to_role=noun_to_role, nouns=ordered,
        canonical=frozenset(noun for noun, role in noun_to_role.items() if role != SOMEONE_ELSE),
        noun_words=frozenset(word for noun in noun_to_role for word in noun.split()),
        by_first_word={word: tuple(nouns) for word, nouns in by_first_word.items()},
        first_words=frozenset(by_first_word), unindexed=tuple(unindexed),
    )


NO_NOUN_WORD = ("no role-noun word",)  # what nouns_in answers for text without a word of any role noun


def nouns_in(text: str) -> tuple[str, ...] | None:
    """:data:`NO_NOUN_WORD` when no word of ``text`` is a word of a role noun (a cheap gate before the
    large role-noun alternations: then nothing is masked), else :meth:`RoleNouns.present`.

    Remembered per lowercased text (for ASCII text the answer depends on nothing else): a clause is
    read here for its RACI level, again as the classifier's input and, when it is the whole statement,
    for the roles it names (bounded: the memory is emptied when full). Most answers are shared objects
    (the marker, ``()``, None), so the memory adds little for the garbage collector to scan.
    """
    lowered = text.lower()
    key = lowered if text.isascii() else text
    found = _NOUNS_IN.get(key, _UNKNOWN)
    if found is _UNKNOWN:
        words = set(TOKEN_RE.findall(lowered))
        nouns = role_nouns()
        found = NO_NOUN_WORD if words.isdisjoint(nouns.noun_words) else nouns.present(text, words)
        if len(_NOUNS_IN) >= _NOUNS_IN_SIZE:
            _NOUNS_IN.clear()
        _NOUNS_IN[key] = found
    return found


_NOUNS_IN: dict[str, tuple[str, ...] | None] = {}
_NOUNS_IN_SIZE = 200_000  # texts; a batch reads each of its clauses and statements two or three times
_UNKNOWN = object()


def clear_nouns_in() -> None:
    """Forget the role nouns remembered per text (:func:`nouns_in`)."""
    _NOUNS_IN.clear()


def _alternatives(nouns: tuple[str, ...], subset: bool) -> str:
    # A subset that is empty must match nothing (no noun occurs); a whole list is joined as it is.
    alternatives = "|".join(re.escape(noun) for noun in nouns)
    return alternatives if alternatives or not subset else _NEVER


# Each pattern is cached per tuple of nouns: texts share few distinct tuples. ``subset``: the nouns
# are those :meth:`RoleNouns.present` found, not a whole list.

@lru_cache(maxsize=4096)
def noun_pattern(nouns: tuple[str, ...], subset: bool = True) -> re.Pattern:
    """Any of ``nouns`` as a whole word, any case."""
    return re.compile(rf"\b(?:{_alternatives(nouns, subset)})\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def relative_pattern(nouns: tuple[str, ...], subset: bool = True) -> re.Pattern:
    """"<role noun>, who <clause>"."""
    return re.compile(
        rf"\b(?:the |a |an |our |your |their |each |every )?(?P<noun>{_alternatives(nouns, subset)})\b\s*,?\s+"
        rf"(?P<pronoun>who|which|that|whose)\s+(?P<clause>[^,;]+?)\s*(?:,|;|$)", re.IGNORECASE)


# A word qualifying a group or a titled head ("the data team", "our Group Head of Data"): not a determiner or a
# preposition, which would make the words before it a verb and its object ("Assists the Head of Product ...").
_QUALIFIER = r"(?:(?!(?:the|a|an|our|your|their|with|to|for|of|from|by|on|in)\b)[a-z-]+ )"
# Titles that head something, before its "of" ("the Head of Data", "a Director of Engineering").
TITLED_HEADS = r"heads?|directors?|vps?|vice presidents?|chief [a-z]+ officers?"


@lru_cache(maxsize=4096)
def leading_pattern(nouns: tuple[str, ...], subset: bool = True) -> re.Pattern:
    """"<role noun> <verb> ..." at the start of a clause, perhaps after a word or two that qualify it ("Business
    analysts write ...", "Senior engineers estimate ..."), or a team, group, colleagues, a titled head of something
    ("The Director of Engineering hires ..."), the noun perhaps followed by an apposition ("Your manager, the Head of
    Product, decides ...")."""
    alternatives = _alternatives(nouns, subset)
    return re.compile(
        rf"^(?:the |a |an |our |your |their |each |every )?(?:[a-z]+'s )?"
        rf"(?:{_QUALIFIER}{{1,2}}(?=(?:{alternatives})\b))?(?P<noun>{alternatives}"
        rf"|{_QUALIFIER}{{0,3}}(?:team|teams|group|department|board|office|committee|function|counterparts?|leads?"
        r"|managers?|directors?|colleagues?|partners?|leadership)(?: else)?"
        rf"|{_QUALIFIER}{{0,2}}(?:{TITLED_HEADS}|general managers?)"
        r" of (?:the )?[a-z&-]+(?: (?:and|&) [a-z-]+)?)"
        r"(?:\s*,\s*(?!and\b|or\b|[^,;]*\byou)[^,;]{2,50}?,)?\s+"
        r"(?!and\b|or\b|to\b|in\b|on\b|with\b|of\b|for\b|at\b|from\b|by\b|as\b|up\b|,)(?P<verb>[a-z']+)",
        re.IGNORECASE)


@lru_cache(maxsize=4096)
def as_a_pattern(nouns: tuple[str, ...], subset: bool = True) -> re.Pattern:
    """"as a <role noun>"."""
    return re.compile(rf"(?:^|[.;:]\s*|,\s*)as (?:a|an|the|our|your) (?:senior |lead |new )?"
                      rf"(?P<noun>{_alternatives(nouns, subset)})\b", re.IGNORECASE)


# Words before a role noun that leave the role as it is ("a certified Scrum Master", "a lead product owner"); not "lead"
# or "principal" before a product manager, a noun of its own. A technical program manager is a program manager.
_ROLE_MODIFIERS = (r"(?:(?:senior|junior|certified|successful|experienced|practising|practicing|dedicated|professional"
                   r"|digital|agile|technical(?= (?:programm?e? manager|product owner|po)\b)"
                   r"|lead(?= (?:product owner|po|scrum master|delivery manager)\b)) )*")
# After the role noun: not its possessive ("the PO's proxy") nor a noun it qualifies ("a Scrum Master trainer").
_NOT_QUALIFYING = (r"(?!['\u2019]s\b)(?! (?:trainer|analyst|assistant|proxy|coordinator|support|office|consultant"
                   r"|certification|course|training|community|team)s?\b)")


@lru_cache(maxsize=4096)
def experience_as_pattern(nouns: tuple[str, ...], subset: bool = True) -> re.Pattern:
    """The job a requirement asks the candidate to have done: "experience as a <role noun>" ("3+ years as a", "worked as
    a", "background as an"), "have been a <role noun>", "in a <role noun> role", "<role noun> experience". Group
    ``as``, ``been``, ``held`` or ``before``: the noun, or a list of them ("a product manager or product owner")."""
    alternatives = _alternatives(nouns, subset)

    def listed(group: str) -> str:
        return (rf"(?P<{group}>(?:{alternatives})(?:(?:,? or |,? and |, |/)(?:an? |the )?(?:{alternatives}))*)\b"
                + _NOT_QUALIFYING)

    return re.compile(
        r"\b(?:(?:experience|background|years?|yrs|track record|career|worked|working|served|serving)"
        r"(?: [a-z-]+){0,2}? (?:as|in the role of) (?:an? |the )?(?:[a-z]+'s )?" + _ROLE_MODIFIERS + listed("as")
        + r"|(?:have|has|'ve) (?:already |previously |ideally )?been (?:an? |the )?" + _ROLE_MODIFIERS + listed("been")
        + r"|(?:in|into) (?:an? |the )?" + _ROLE_MODIFIERS + rf"(?P<held>{alternatives}) (?:role|position|capacity)\b"
        + rf"|(?P<before>{alternatives})(?: \([a-z]+\))? experience\b)", re.IGNORECASE)


def full_pattern(pattern) -> re.Pattern:
    """``pattern`` over every noun (cheaper than finding the nouns present where it is anchored)."""
    return pattern(role_nouns().nouns, False)
