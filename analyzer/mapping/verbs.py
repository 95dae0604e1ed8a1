"""Which words are duty verbs, in the forms job descriptions use: the base form or its lemma ("own", "owned"), the -ing
form of a gerund bullet ("Coaching the team"), and the -s form of an HR export's third-person bullet ("Writes specs").

The duty verbs themselves are data (``duty_verbs`` in ``analyzer/data/language.yaml``). The subject, clause and
coordination readers (:mod:`analyzer.mapping.clauses`, :mod:`analyzer.mapping.parties`,
:mod:`analyzer.mapping.coordination`) all ask these questions of a word, so they are answered once here.

Examples
--------
>>> is_duty_verb("Coaching"), is_duty_verb("planning"), is_duty_verb("marketing")
(True, True, False)
>>> is_duty_verb_or_lemma("hiring"), is_duty_verb_or_lemma("Hiring"), is_duty_verb_or_lemma("coaching")
(True, False, True)
>>> third_person_duty_verb("clarifies"), third_person_duty_verb("clarify"), third_person_duty_verb("budgets")
(True, False, False)
"""

from __future__ import annotations

from analyzer.language import load_language
from analyzer.nlp import is_verb_among

_MIN_GERUND_LETTERS = 6  # "sing", "bring" and "thing" end in -ing too; the shortest duty gerund kept is "owning"


def is_duty_verb(word: str) -> bool:
    """True for a duty verb, its lemma (:func:`analyzer.nlp.verb_lemma`) or its -ing form ("coaching", "running",
    "planning", "writing"). "Marketing" and "engineering" stay nouns: no duty verb "market" or "engineer"."""
    word = word.lower()
    return is_duty_verb_or_lemma(word) or is_duty_gerund(word)


def is_duty_verb_or_lemma(word: str) -> bool:
    """True for a lowercase duty verb or a word whose lemma is one (:func:`analyzer.nlp.is_verb_among`): the test of a
    word that opens a duty ("own", "owns", "hiring") where the caller has lowercased it. Unlike :func:`is_duty_verb` it
    does not restore a gerund's stem the lemma table lacks."""
    return is_verb_among(word, load_language().duty_verbs)


def is_duty_gerund(word: str) -> bool:
    """True for the -ing form of a duty verb, with its dropped "e" ("writing") or doubled consonant ("planning")
    restored."""
    word = word.lower()
    if not word.endswith("ing") or len(word) < _MIN_GERUND_LETTERS:
        return False
    verbs = load_language().duty_verbs
    stem = word[:-3]
    return stem in verbs or f"{stem}e" in verbs or (stem[-1] == stem[-2] and stem[:-1] in verbs)


def third_person_duty_verb(word: str) -> bool:
    """True for the -s form of a duty verb ("writes", "automates", "clarifies")."""
    verbs = load_language().duty_verbs
    return word.endswith("s") and (word[:-1] in verbs or (word.endswith("es") and word[:-2] in verbs)
                                   or (word.endswith("ies") and f"{word[:-3]}y" in verbs))
