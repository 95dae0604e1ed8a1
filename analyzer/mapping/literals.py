"""Literal prefilters for long alternations of regular expressions.

Python's regular-expression engine tries every alternative of ``a|b|c|...`` at every position of the
text; with the dozens of cue patterns of the language data that is most of the time spent reading a
statement. But almost every alternative needs some literal text: ``\\b(own|owns|owned)\\b`` cannot
match a text without the word ``own``, ``owns`` or ``owned``. A :class:`LiteralGate` reads, once,
which literals each alternative needs (from the parsed pattern, so it works for any pattern the data
holds) and then searches only the alternatives whose literals occur in the text. The answer is the
same as the combined pattern's: an alternative left out could not have matched anywhere.

A required string may hold :data:`WORD_BOUNDARY` where the pattern has ``\\b``: a word between two
such marks (or between a mark and a space) must be a whole word of the text, which a set of the
text's words tells at once.

Examples
--------
>>> show = lambda need: sorted(s.replace(WORD_BOUNDARY, "|") for s in need)
>>> show(required_literals(r"\\b(own|owns|owning) (the )?roadmap\\b"))
[' roadmap|']
>>> show(required_literals(r"\\b(decide|decides)\\b"))
['|decides|', '|decide|']
>>> show(required_literals(r"^[a-z]+ly\\b")), required_literals(r"\\b(?:[a-z]+ )?\\d+")
(['ly'], None)
>>> gate = LiteralGate([r"\\b(support|supports)\\b", r"\\bown\\b"])
>>> gate.first("support the team and own the backlog"), gate.first("write stories"), gate.first("owner")
((0, 0), None, None)
>>> gate.candidates("the owner"), gate.candidates("they own it")
((), (1,))
"""

from __future__ import annotations

import re
from collections.abc import Sequence

try:  # the standard library's own parser: exact, but private, so a missing one only disables the gate
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    _sre = _sre_parse = None

WORD_BOUNDARY = "\x00"  # stands for ``\b`` in a required string (a NUL in a pattern is never spelled)
_MAX_STRINGS = 48  # a requirement of more alternative strings than this is not worth checking
_WORD_RE = re.compile(r"\w+")
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) if _sre else ()


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings of which every match of ``pattern`` contains at least one (None: nothing certain).

    :data:`WORD_BOUNDARY` in a string marks a ``\\b`` of the pattern. With ``re.IGNORECASE``
    (global or scoped) the strings are lowercase and hold for the lowercased text of an ASCII string
    only (see :class:`LiteralGate`).
    """
    if _sre_parse is None:
        return None
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    if _has_backreference(parsed):
        return None
    # Under re.ASCII (global or scoped), \b is not the boundary of the text's (Unicode) words: no marks.
    reader = _Reader(marks=not parsed.state.flags & re.ASCII and not _has_flag(parsed, re.ASCII))
    return reader.needs(parsed, bool(parsed.state.flags & re.IGNORECASE))


class _Reader:
    def __init__(self, marks: bool):
        self.marks = marks

    def needs(self, items, ignore_case: bool) -> frozenset[str] | None:
        """Requirement of a sequence: the most selective of its items' requirements and of the strings
        that stretches of fixed items spell (``\\b(own|owns) the`` -> ``|own the``, ``|owns the``)."""
        options: list[frozenset[str] | None] = []
        run: list[frozenset[str]] = []  # consecutive items that match one of a few fixed strings
        for op, av in items:
            exact = self.exact(op, av, ignore_case)
            if exact is not None:
                run.append(exact)
                continue
            options += _spelled(run)
            run = []
            options.append(self.item_needs(op, av, ignore_case))
        options += _spelled(run)
        usable = [_minimal(option) for option in options if option and all(map(_core, option))]
        return max(usable, key=_selectivity) if usable else None

    def exact(self, op, av, ignore_case: bool) -> frozenset[str] | None:
        """Every string the item can match, when they are few; else None."""
        if op is _sre.LITERAL:
            if av == 0 or (ignore_case and av >= 128):
                return None
            return frozenset([chr(av).lower() if ignore_case else chr(av)])
        if op is _sre.AT and av is _sre.AT_BOUNDARY and self.marks:
            return frozenset([WORD_BOUNDARY])
        if op is _sre.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            return self.exact_sequence(sub, ignore_case or bool(add_flags & re.IGNORECASE))
        if op is _sre.BRANCH:
            strings: set[str] = set()
            for branch in av[1]:
                spelled = self.exact_sequence(branch, ignore_case)
                if spelled is None:
                    return None
                strings |= spelled
            return frozenset(strings) if len(strings) <= _MAX_STRINGS else None
        if op is _sre.IN and len(av) <= 4 and all(kind is _sre.LITERAL for kind, _ in av):  # [sz]
            chars = [self.exact(kind, char, ignore_case) for kind, char in av]
            return None if None in chars else frozenset().union(*chars)
        if op in _REPEATS and av[1] == 1:  # x? or x{1}
            spelled = self.exact_sequence(av[2], ignore_case)
            if spelled is None:
                return None
            return spelled | {""} if av[0] == 0 else spelled
        return None

    def exact_sequence(self, items, ignore_case: bool) -> frozenset[str] | None:
        spelled = {""}
        for op, av in items:
            exact = self.exact(op, av, ignore_case)
            if exact is None:
                return None
            spelled = {head + tail for head in spelled for tail in exact}
            if len(spelled) > _MAX_STRINGS:
                return None
        return frozenset(spelled)

    def item_needs(self, op, av, ignore_case: bool) -> frozenset[str] | None:
        if op is _sre.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            return self.needs(sub, ignore_case or bool(add_flags & re.IGNORECASE))
        if op is _sre.ATOMIC_GROUP:
            return self.needs(av, ignore_case)
        if op in _REPEATS:
            low, _high, sub = av
            return self.needs(sub, ignore_case) if low >= 1 else None
        if op is _sre.BRANCH:
            strings: set[str] = set()
            for branch in av[1]:
                need = self.needs(branch, ignore_case)
                if need is None:
                    return None
                strings |= need
            minimal = _minimal(strings)
            return minimal if len(minimal) <= _MAX_STRINGS else None
        return None  # classes, anchors, lookarounds, characters outside ASCII under IGNORECASE: nothing certain


def _spelled(run: list[frozenset[str]]) -> list[frozenset[str]]:
    """The strings each stretch of ``run`` spells (stretches spelling too many are left out)."""
    options = []
    for start in range(len(run)):
        spelled = {""}
        for exact in run[start:]:
            spelled = {head + tail for head in spelled for tail in exact}
            if len(spelled) > _MAX_STRINGS:
                break
            options.append(frozenset(spelled))
    return options


def _minimal(strings) -> frozenset[str]:
    """Drop strings that contain another one: finding the shorter one is the weaker, sufficient test."""
    return frozenset(s for s in strings if not any(t != s and t in s for t in strings))


def _core(marked: str) -> str:
    return marked.replace(WORD_BOUNDARY, "")


def word_key(marked: str) -> str | None:
    """The longest word that ``marked`` pins down as a whole word of the text: one with a mark or a
    non-word character on both sides (the text's character there is no word character either).

    >>> word_key(WORD_BOUNDARY + "sign off" + WORD_BOUNDARY), word_key("sign off"), word_key(" own" + WORD_BOUNDARY)
    ('sign', None, 'own')
    """
    best = None
    for word in _WORD_RE.finditer(marked):
        if word.start() > 0 and word.end() < len(marked) and (best is None or len(word.group()) > len(best)):
            best = word.group()
    return best


def _selectivity(option: frozenset[str]) -> tuple[int, int, int, int]:
    # Strings of 4 characters are fairly selective; then the fewer strings to look for, those with a
    # whole word (found in a set) costing nothing; then the longer.
    shortest = min(len(_core(marked)) for marked in option)
    return min(shortest, 4), -sum(word_key(marked) is None for marked in option), -len(option), shortest


def _has_flag(items, flag: int) -> bool:
    """True when a scoped group of the parsed pattern turns ``flag`` on."""
    for op, av in items:
        if op is _sre.SUBPATTERN and (av[1] & flag or _has_flag(av[3], flag)):
            return True
        if op is _sre.ATOMIC_GROUP and _has_flag(av, flag):
            return True
        if op in _REPEATS and _has_flag(av[2], flag):
            return True
        if op is _sre.BRANCH and any(_has_flag(branch, flag) for branch in av[1]):
            return True
        if op in (_sre.ASSERT, _sre.ASSERT_NOT) and _has_flag(av[1], flag):
            return True
        if op is _sre.GROUPREF_EXISTS and any(branch is not None and _has_flag(branch, flag) for branch in av[1:]):
            return True
    return False


def _has_backreference(items) -> bool:
    for op, av in items:
        if op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
            return True
        if op is _sre.SUBPATTERN and _has_backreference(av[3]):
            return True
        if op is _sre.ATOMIC_GROUP and _has_backreference(av):
            return True
        if op in _REPEATS and _has_backreference(av[2]):
            return True
        if op is _sre.BRANCH and any(_has_backreference(branch) for branch in av[1]):
            return True
        if op in (_sre.ASSERT, _sre.ASSERT_NOT) and _has_backreference(av[1]):
            return True
    return False


class LiteralGate:
    """The alternatives ``(?:p1)|(?:p2)|...`` searched one by one, only where their literals occur.

    Parameters
    ----------
    patterns:
        The alternatives, in the order of the combined pattern.
    flags:
        Flags of the combined pattern. With ``re.IGNORECASE`` the prefilter applies to ASCII texts only
        (other texts try every alternative): only there does lowercasing keep every possible match.
    """

    def __init__(self, patterns: Sequence[str], flags: int = 0):
        self.patterns = [re.compile(pattern, flags) for pattern in patterns]
        self.combined = re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or r"(?!x)x", flags)
        self.ignore_case = bool(flags & re.IGNORECASE)
        # A backreference means something else inside the combination (groups are renumbered), so such
        # alternatives are never searched apart.
        self.splittable = _sre_parse is not None and not any(
            _has_backreference(_sre_parse.parse(pattern, flags)) for pattern in patterns)
        needs = [required_literals(pattern, flags) for pattern in patterns] if self.splittable else []
        self.always = frozenset(index for index, need in enumerate(needs) if need is None)
        # (text to find, whole word it needs or None) -> alternatives needing one of their strings
        checks: dict[tuple[str, str | None], set[int]] = {}
        for index, need in enumerate(needs):
            for marked in need or ():
                checks.setdefault((_core(marked), word_key(marked)), set()).add(index)
        self.substrings = [(core, frozenset(alternatives)) for (core, key), alternatives in sorted(
            checks.items(), key=lambda item: (item[0][0], item[0][1] or "")) if key is None]
        self.keyed: dict[str, list[tuple[str, frozenset[int]]]] = {}
        for (core, key), alternatives in sorted(checks.items(), key=lambda item: (item[0][0], item[0][1] or "")):
            if key is not None:
                self.keyed.setdefault(key, []).append((core, frozenset(alternatives)))
        self.keys = frozenset(self.keyed)
        self._all = tuple(range(len(self.patterns)))
        self._always = tuple(sorted(self.always))

    def candidates(self, text: str) -> tuple[int, ...]:
        """Indices of the alternatives that may match ``text``, in order."""
        if self.ignore_case:
            if not text.isascii():
                return self._all
            text = text.lower()
        hits = [alternatives for core, alternatives in self.substrings if core in text]
        if self.keys:
            keyed = self.keyed
            for key in self.keys.intersection(_WORD_RE.findall(text)):
                hits += [alternatives for core, alternatives in keyed[key] if core in text]
        if not hits:
            return self._always
        return tuple(sorted(self.always.union(*hits)))

    def any_match(self, text: str) -> bool:
        """``combined.search(text) is not None``."""
        if not self.splittable:
            return self.combined.search(text) is not None
        return any(self.patterns[index].search(text) for index in self.candidates(text))

    def first(self, text: str) -> tuple[int, int] | None:
        """(start, alternative) of ``combined.search(text)``: the leftmost match; at one position the
        earlier alternative wins, as in the combined pattern. Only for a :attr:`splittable` gate."""
        if not self.splittable:
            raise ValueError("these alternatives cannot be searched apart")
        best = None
        for index in self.candidates(text):
            found = self.patterns[index].search(text)
            if found is not None and (best is None or found.start() < best[0]):
                best = (found.start(), index)
        return best
