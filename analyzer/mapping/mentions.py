"""Who a posting names: the role its reader holds ("As a Scrum Master, you ...") and the roles it asks the candidate
to have been ("3+ years as a Product Owner"). Both are evidence of which job a description is
(:func:`analyzer.mapping.roles.role_from_content`), read beside its duties.
"""

from __future__ import annotations

import re

from analyzer.mapping.nouns import (
    NO_NOUN_WORD,
    SOMEONE_ELSE,
    as_a_pattern,
    experience_as_pattern,
    full_pattern,
    leading_pattern,
    noun_pattern,
    nouns_in,
    role_nouns,
)


def _may_name_a_canonical_role(text: str) -> bool:
    """False when no canonical role noun can be in ``text`` (no word of a role noun, or only other nouns found):
    only a canonical noun found in the text can name a canonical role, whatever pattern is then matched."""
    present = nouns_in(text)
    return present is not NO_NOUN_WORD and (present is None or role_nouns().canonical_in(present))


def self_mentions(statement: str) -> tuple[str, ...]:
    """Canonical roles a statement names as the job holder: "As a Scrum Master, you ...",
    "PMs are expected to ...", "The product owner decides ...".

    Examples
    --------
    >>> self_mentions("As a product owner, you will order the backlog")
    ('product_owner',)
    >>> self_mentions("Work with the product owner on the backlog")
    ()
    """
    if not _may_name_a_canonical_role(statement):
        return ()
    noun_to_role = role_nouns().noun_to_role
    found = []
    lowered = statement.lower()
    if "as " in lowered or not statement.isascii():  # "as a <noun>" needs "as " (ASCII: in any case)
        for match in full_pattern(as_a_pattern).finditer(statement):
            found.append(noun_to_role.get(match.group("noun").lower(), SOMEONE_ELSE))
    leading = full_pattern(leading_pattern).match(statement.strip())
    if leading:
        found.append(noun_to_role.get(leading.group("noun").lower(), SOMEONE_ELSE))
    return tuple(dict.fromkeys(role for role in found if role != SOMEONE_ELSE))


# A requirement that says the experience is not needed. Not "desirable but not essential", a nice-to-have that still
# names the job.
_NO_EXPERIENCE_RE = re.compile(
    r"^(?:no|without)\b|\bno (?:prior |previous |formal )?experience\b|\bnot (?:required|needed|necessary)\b"
    r"|\b(?:don't|do not|doesn't|does not|won't|will not) need\b|\bneed(?:n't| not)\b",
    re.IGNORECASE)


def asked_experience(requirement: str) -> tuple[str, ...]:
    """Canonical roles a requirement asks the candidate to have been: "3+ years as a Scrum Master", "experience as a
    product owner or product manager" (the first of a list). Who a posting asks for says which job it is; another job
    ("experience as a software engineer") names no canonical role.

    Examples
    --------
    >>> asked_experience("5+ years of experience as a Product Owner in an agile team")
    ('product_owner',)
    >>> asked_experience("Experience working with product owners")
    ()
    >>> asked_experience("Previous Scrum Master (CSM) experience"), asked_experience("You have been a PO before")
    (('scrum_master',), ('product_owner',))
    """
    if not _may_name_a_canonical_role(requirement) or _NO_EXPERIENCE_RE.search(requirement):
        return ()  # "No prior experience as a Scrum Master is needed"
    noun_to_role = role_nouns().noun_to_role
    found = []
    for match in full_pattern(experience_as_pattern).finditer(requirement):
        listed = match.group("as") or match.group("been") or match.group("held") or match.group("before")
        # The first noun of a list is the job; the others are what the posting accepts instead ("experience as a
        # product owner or product manager" in a product owner's posting): on the real postings kept for development
        # and the example descriptions, the first was the labelled role in all ten lists seen.
        found.append(noun_to_role.get(full_pattern(noun_pattern).match(listed).group(0).lower(), SOMEONE_ELSE))
    return tuple(dict.fromkeys(role for role in found if role != SOMEONE_ELSE))
