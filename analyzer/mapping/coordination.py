"""Duties joined in one clause: "Hire engineers and run their performance reviews" holds two, "Own pricing and
packaging" one. :mod:`analyzer.mapping.clauses` gives each clause its parts, and the mapper classifies every part
beside the whole clause, so that a sentence of two duties can be read as both (``Clause.parts``).

Examples
--------
>>> coordinated_parts("Hire and grow the product design team")
('Hire the product design team', 'grow the product design team')
"""

from __future__ import annotations

import re

from analyzer.language import load_language
from analyzer.mapping.verbs import is_duty_verb_or_lemma, third_person_duty_verb

MIN_CLAUSE_WORDS = 2  # a clause or a part of fewer words says too little to be read on its own
# Every joint starts with a space, ',', '&' or '+': the leading lookahead (implied by the rest) lets
# the engine pass over other positions at once.
_COORDINATOR_RE = re.compile(r"(?=[\s,&+])(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s*&\s*|\s*\+\s*)(?=[A-Za-z])")
_COORDINATOR_HINTS = (",", "and", "&", "+")  # every joint of _COORDINATOR_RE holds one of these


def coordinated_parts(text: str) -> tuple[str, ...]:
    """Duties joined by "and", "&" or commas, each starting with a duty verb (empty when only one).

    Examples
    --------
    >>> coordinated_parts("Hire engineers and run their performance reviews")
    ('Hire engineers', 'run their performance reviews')
    >>> coordinated_parts("Own pricing and packaging")
    ()
    >>> coordinated_parts("Hire and grow the product design team")
    ('Hire the product design team', 'grow the product design team')
    """
    if not any(joint in text for joint in _COORDINATOR_HINTS):
        return ()  # one piece: nothing coordinated
    verbs = load_language().duty_verbs
    pieces = _COORDINATOR_RE.split(text)
    # Third-person duties ("Writes X, automates Y") as HR exports word them; only when the first duty is
    # worded so, because plural nouns look the same ("own launch plans, reports and reviews").
    third_person = third_person_duty_verb(pieces[0].split(maxsplit=1)[0].lower() if pieces[0].split() else "")
    parts: list[str] = []
    for piece in pieces:
        words = piece.split(maxsplit=1)
        first = words[0].lower() if words else ""
        starts_duty = is_duty_verb_or_lemma(first) or (third_person and third_person_duty_verb(first))
        if parts and not starts_duty:
            parts[-1] = f"{parts[-1]} and {piece}" if piece else parts[-1]
        else:
            parts.append(piece)
    parts = _share_objects([part.strip() for part in parts], verbs)
    parts = [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]
    return tuple(parts) if len(parts) > 1 else ()


_PREPOSITIONS = frozenset({"on", "to", "for", "with", "in", "about", "at", "from", "into", "across", "by", "of", "up",
                           "out", "back", "through", "over", "around", "against", "towards", "toward", "within"})
_VERB_LEAD_INS = frozenset({"will", "you'll", "we'll", "to", "also", "must", "should", "shall", "can", "and"})


def _share_objects(parts: list[str], verbs: frozenset[str]) -> list[str]:
    """Parts ending in a bare duty verb take the object of the next part that has one: in "Hire and grow the design
    team" (and "You will hire and grow ...") the team is hired too."""
    shared = list(parts)
    for index, part in enumerate(parts[:-1]):
        words = part.lower().split()
        # Only a verb standing alone or after its lead-in: "Own the launch plan" ends in a noun that is a verb too.
        if not words or words[-1] not in verbs or (len(words) > 1 and words[-2] not in _VERB_LEAD_INS):
            continue
        following = next((p.split(maxsplit=1) for p in parts[index + 1:] if len(p.split()) >= MIN_CLAUSE_WORDS), None)
        # An object, not the next verb's preposition: "Track and report on KPIs" does not track "on KPIs"
        if following is not None and following[1].split()[0].lower() not in _PREPOSITIONS:
            shared[index] = f"{part} {following[1]}"
    return shared
