"""Read who does what, and how strongly, from the wording of one statement.

A statement is split into clauses at contrastive conjunctions ("..., but ...") and at relative
clauses about another role ("work with the product owner, who prioritises the backlog") or any other
party ("work with Finance, who approve the budget"; "join a squad where the scrum master runs the
ceremonies"; :mod:`analyzer.mapping.parties`). Each clause gets a subject (the reader, a role, or
other people), a negation flag and a RACI level read from its wording: ownership and decision words
give A, support/advice words C, being kept informed I, anything else R.

Examples
--------
>>> [(c.text, c.subject, c.level) for c in read_clauses("Support the PM in defining OKRs")]
[('Support the PM in defining OKRs', None, <Level.C: 'C'>)]
>>> [(c.subject, c.negated) for c in read_clauses("You will not manage people, but you will mentor PMs")]
[(None, True), (None, False)]
>>> [(c.text, c.subject) for c in read_clauses("Agree the scope with the product owner, who prioritises the backlog")]
[('Agree the scope with the product owner', None), ('prioritises the backlog', 'partner:product_owner')]
>>> [(c.text, c.subject) for c in read_clauses("Work with the product owner, who prioritises the backlog")]
[('prioritises the backlog', 'partner:product_owner')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.language import RaciLanguage, any_match, leftmost_level, load_language
from analyzer.mapping.coordination import MIN_CLAUSE_WORDS, coordinated_parts
from analyzer.mapping.nouns import (
    NO_NOUN_WORD,
    SOMEONE_ELSE,
    clear_nouns_in,
    full_pattern,
    leading_pattern,
    noun_pattern,
    nouns_in,
    relative_pattern,
    role_nouns,
)
from analyzer.mapping.parties import (
    READER_ACTS_RE,
    READER_IN_THIRD_PERSON,
    YOU_RE,
    bare_party_clauses,
    function_as_subject,
    names_a_party,
    names_the_reader,
    only_names_a_collaborator,
    opens_with_a_profile,
    partner_subject,
    party_clauses,
    passive_agent,
    run_on_end,
    where_clauses,
)
from analyzer.mapping.verbs import is_duty_verb, is_duty_verb_or_lemma
from analyzer.nlp import clear_lemmas
from analyzer.records import Level

_CONTRAST_RE = re.compile(
    r"\s*(?:;|,?\s+\b(?:but|whereas|although|though|while)\b"
    r"|,\s*(?:so|and so|and)?\s*(?=(?:you|you'll|you're)\b)"  # "..., so you'll ...": the reader's clause
    # "Mentor PMs without line management": the "without" phrase is a clause of its own (negated), so it denies
    # line management and leaves the mentoring held
    r"|,?\s+(?=without (?:any )?(?:direct reports|line management|people management|managing)\b))\s*",
    re.IGNORECASE)
# "not only X", "the start, not the end" and "rather than" contrast rather than negate.
_NOT_ONLY_RE = re.compile(r"\bnot (only|just|merely)\b|,\s*not\b|\brather than\b", re.IGNORECASE)
# "explain it to directors who have never heard of Kafka": a negation about other people, not the reader.
_WHO_CLAUSE_RE = re.compile(r"\bwho\b[^,;]*")
# "When our architects propose X, you'll ...": the opening context clause is no duty of the reader's.
# "As a Lead PM you'll mentor ...": "as a <role>" before the reader names the reader; it sets no scene, and the role
# noun in it ("Lead") is not the clause's subject.
_AS_A_READER_RE = re.compile(r"^as (?:an?|the) [^,;]{1,40}?,?\s*\byou(?:'ll|'re)?\b", re.IGNORECASE)
_CONTEXT_OPENER_RE = re.compile(
    r"^(?:because|since|as|when|whenever|while|if|once|with|given|now that|after|before|until|where)\b", re.IGNORECASE)
_NOT_THE_READER_RE = re.compile(r"\bnot (?:by |with |for )?(?:you|this role|the postholder)\b")
_BY_READER_RE = re.compile(
    r"\bby (this role|you|the postholder|the post holder|the role holder|the successful candidate)\b", re.IGNORECASE)
_READER_SUBJECT_RE = re.compile(rf"^(?:you|we|be|become|{READER_IN_THIRD_PERSON})\b", re.IGNORECASE)
# An imperative that is no duty verb of its own, before the group it acts on ("Make sure the leadership team ...").
_MAKE_SURE_RE = re.compile(r"^(?:make|makes|making) (?:sure|certain)\b", re.IGNORECASE)
# Substrings without which a statement has no contrast, relative clause or "as a" phrase (fast paths).
_CONTRAST_HINTS = (";", " but ", " whereas ", "though ", " while ", ", you", ",you", ", so ", ", and you", " without ")
_RELATIVE_HINTS = (" who ", " which ", " that ", " whose ")
_BARE_HINTS = (" with ", " alongside ", " support", " report")
_COLLABORATION_HINTS = (" with", " to ", "support", " alongside")  # a statement that only names a collaborator


@dataclass(frozen=True)
class Clause:
    text: str
    # None: the reader ("you", imperative, "the successful candidate"); a role id when the clause's
    # subject is that role ("PMs decide ...", "The scrum master facilitates ..."); "partner:<role>" for
    # a relative clause about a colleague ("the product owner, who prioritises ..."); "_other" for
    # other people (engineers, stakeholders).
    subject: str | None
    negated: bool
    level: Level  # RACI level of the wording (meaningless when negated)
    parts: tuple[str, ...] = ()  # coordinated duties ("hire engineers", "run their reviews"), when several


def read_level(text: str, raci: RaciLanguage | None = None) -> Level:
    """RACI level of the wording: the earliest ownership, support or informed cue wins; else R.

    Examples
    --------
    >>> read_level("Own the roadmap").value, read_level("Help the PO refine the backlog").value
    ('A', 'C')
    >>> read_level("Keep the team informed of risks").value, read_level("Write user stories").value
    ('R', 'R')
    """
    return _read_level(text.lower(), raci or load_language().raci)


def _read_level(lowered: str, raci: RaciLanguage) -> Level:
    lowered = mask_role_nouns(lowered)
    found = leftmost_level(raci.levels, lowered)
    if found is None:
        return Level.R
    level = _LEVELS[found]
    if level is Level.I and _informs_others(lowered):
        return Level.R
    return level


_LEVELS = {level.value: level for level in Level}


def mask_role_nouns(lowered: str) -> str:
    """Replace role nouns by a neutral word, so "product owner" never reads as an ownership cue."""
    present = nouns_in(lowered)
    if present is NO_NOUN_WORD or present == ():
        return lowered
    pattern = noun_pattern(role_nouns().nouns, False) if present is None else noun_pattern(present)
    return pattern.sub("someone", lowered)


def mask_partner_roles(text: str) -> str:
    """Replace canonical role nouns by "colleague": in "work with the product owner on X" the duty is X,
    so the classifier must not read the partner's role as the topic."""
    present = nouns_in(text)
    if present is NO_NOUN_WORD:
        return text
    nouns = role_nouns()
    if present is None:
        pattern = noun_pattern(nouns.canonical_in(None), False)
    else:
        canonical = nouns.canonical_in(present)
        if not canonical:
            return text
        pattern = noun_pattern(canonical)
    return pattern.sub("colleague", text)


def clear_caches() -> None:
    """Forget what was remembered per text and word (benchmarks measure texts never seen before)."""
    clear_nouns_in()
    clear_lemmas()


def _informs_others(lowered: str) -> bool:
    # "keep stakeholders informed", "ensure leadership is regularly updated", "make sure the board is aware" are the
    # reader informing others (doing the work), not being informed.
    return bool(_INFORMS_OTHERS_RE.search(lowered))


_INFORMS_OTHERS_RE = re.compile(
    r"\b(?:(?:keep|keeps|keeping|kept)\s+(?!up\b|abreast\b)"
    r"|(?:ensure|ensures|ensuring|make sure|makes sure|making sure)\s+(?:that\s+)?(?!you\b|you're\b)[a-z]+\b)"
    r"[a-z ,&-]{0,60}\s+(?:informed|up to date|up-to-date|in the loop|aware|briefed|updated|notified)\b")


def is_negated(text: str, raci: RaciLanguage | None = None) -> bool:
    """True when the clause says the reader does not do it ("you will not manage people")."""
    return _is_negated(text.lower(), raci or load_language().raci)


def _is_negated(lowered: str, raci: RaciLanguage) -> bool:
    # Both patterns below need "not" or "rather than" (lowercase letters without case-insensitive
    # look-alikes), so texts without them skip them.
    has_not = "not" in lowered
    if has_not and _NOT_THE_READER_RE.search(lowered):  # "engineering managers, not you, decide ..."
        return True
    if has_not or "rather than" in lowered:
        lowered = _NOT_ONLY_RE.sub(" ", lowered)
    if "who" in lowered:  # "not"/"never" inside a "who ..." clause is about that someone, not the reader
        lowered = _WHO_CLAUSE_RE.sub(" ", lowered)
    return any_match(raci.negated, lowered)


def read_clauses(statement: str) -> list[Clause]:
    """Clauses of a statement with subject, negation and RACI level."""
    raci = load_language().raci
    noun_to_role = role_nouns().noun_to_role
    clauses: list[Clause] = []
    for part in _split_contrast(statement):
        main = part
        before = len(clauses)  # someone else's clauses are cut from ``main`` after this many
        lowered_part = f" {part.lower()} "
        has_relative = any(hint in lowered_part for hint in _RELATIVE_HINTS)
        relative_clauses = _relative_clauses(part) if has_relative else None
        for match in list(relative_clauses.finditer(part)) if relative_clauses is not None else ():
            if names_the_reader(part, match):
                continue
            role = noun_to_role.get(match.group("noun").lower(), SOMEONE_ELSE)
            end = run_on_end(part, match.end(), match.start(), match.start("clause"))
            relative = part[match.start("clause"):end].strip(" ,;")
            if match.group("pronoun").lower() == "whose" and YOU_RE.search(relative):
                continue  # "Support the PMs, whose roadmaps you will turn into launch plans": the reader's work
            if len(relative.split()) >= MIN_CLAUSE_WORDS:
                clauses.append(_clause(relative, partner_subject(role), raci))
                up_to_noun = match.group(0)[: match.end("noun") - match.start()]
                main = main.replace(part[match.start():end], up_to_noun + " ")
        # fast path: a party's clause needs ", who", ", which", " where ", or a relative pronoun after "with",
        # "alongside" or "support"
        others = (_others_clauses(main) if (has_relative and (("," in part and ("who" in lowered_part
                                                                               or "which" in lowered_part))
                                                              or any(hint in lowered_part for hint in _BARE_HINTS)))
                  or " where " in lowered_part else [])
        for start, end, relative, subject in sorted(others, reverse=True):  # cut from the end: spans stay valid
            clauses.append(_clause(relative, subject, raci))
            main = f"{main[:start]} {main[end:]}"
        main = " ".join(main.split()).strip(" ,")  # as re.sub(r"\s+", " ", main).strip(" ,")
        cut = len(clauses) > before  # someone else's clause was cut from ``main``
        if (cut or any(hint in lowered_part for hint in _COLLABORATION_HINTS)) \
                and only_names_a_collaborator(main) and (cut or names_a_party(main)):
            # "Work with Finance, who approve the budget", "Partner with our Head of Sales": the reader's part names
            # no work of its own ("Work with tools that ..." names no one)
            continue
        if len(main.split()) >= MIN_CLAUSE_WORDS or not clauses:
            clauses.append(_clause(main, None, raci))
    return _in_statement_order(clauses, statement)


def _others_clauses(part: str) -> list[tuple[int, int, str, str]]:
    """(start, end, clause, its subject) for each clause of ``part`` about a party that is not the reader
    (:func:`analyzer.mapping.parties.party_clauses`), and each "where" clause with a subject of its own ("Join a squad
    where the scrum master runs the ceremonies"), without overlaps: the span to cut from ``part``.

    Examples
    --------
    >>> _others_clauses("Work with Finance, who approve the budget")
    [(17, 41, 'approve the budget', '_other')]
    >>> _others_clauses("Join a squad where the scrum master runs the retros")
    [(12, 51, 'the scrum master runs the retros', 'partner:scrum_master')]
    """
    found = [span for span in (*party_clauses(part), *bare_party_clauses(part))
             if len(span[2].split()) >= MIN_CLAUSE_WORDS]
    for start, end, clause in where_clauses(part):
        subject = _leading_subject(clause)
        # a subject, a verb and what it acts on: "where the team needs it" is a setting, not someone's work
        if subject is not None and len(clause.split()) > MIN_CLAUSE_WORDS:
            found.append((start, end, clause, partner_subject(subject)))
    kept: list[tuple[int, int, str, str]] = []
    for span in sorted(found):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _relative_clauses(part: str) -> re.Pattern | None:
    """The relative-clause pattern over the nouns that may occur in ``part`` (None: none can)."""
    present = nouns_in(part)
    if present is NO_NOUN_WORD:  # the gate says nothing of relative clauses: look at the nouns
        present = role_nouns().present(part)
    if present is None:
        return relative_pattern(role_nouns().nouns, False)
    return relative_pattern(present) if present else None


def _in_statement_order(clauses: list[Clause], statement: str) -> list[Clause]:
    if len(clauses) < 2:
        return clauses

    def position(clause: Clause) -> int:
        found = statement.find(clause.text)
        return found if found >= 0 else len(statement)

    return sorted(clauses, key=position)


def _clause(text: str, subject: str | None, raci: RaciLanguage) -> Clause:
    text = text.strip(" ,;:")
    lowered = text.lower()
    if subject is None:
        subject = _leading_subject(text, lowered)
    return Clause(text=text, subject=subject, negated=_is_negated(lowered, raci), level=_read_level(lowered, raci),
                  parts=coordinated_parts(text))


def _leading_subject(text: str, lowered: str | None = None) -> str | None:
    lowered = text.lower() if lowered is None else lowered
    if _READER_SUBJECT_RE.match(text) or (text[:3].lower() == "as " and _AS_A_READER_RE.match(text)):
        return None  # "you ...", "the successful candidate ...", "As a Lead PM, you ..."
    if _MAKE_SURE_RE.match(text):
        return None  # "Make sure the leadership team is aware ...": the reader's imperative, not the team's duty
    if ("by " in lowered or not text.isascii()) and _BY_READER_RE.search(text):
        return None  # "... are set by this role" (the pattern needs "by "; in ASCII, in any case)
    if lowered.lstrip("-*\u2022 ")[:2] in ("a ", "an") and opens_with_a_profile(text):
        return None  # "A product owner who writes crisp stories": the person sought
    if "by " in lowered and (agent := passive_agent(text)) is not None:
        return agent  # "Budgets are signed off by Finance", "Hiring is owned by the Head of Engineering"
    words = text.split(maxsplit=1)
    first = words[0].lower().rstrip(",;:") if words else ""
    if is_duty_verb(first):  # imperative or gerund duty: "Build team culture", "Lead, manage and grow ..."
        return None
    match = full_pattern(leading_pattern).match(text)
    if not match:
        # "Group Finance approves all budgets", "Legal will review the contracts": a function as the subject
        return SOMEONE_ELSE if function_as_subject(text) and not READER_ACTS_RE.search(text) else None
    if first.endswith("ing") and not match.group("noun").lower().startswith(first):
        return None  # a gerund bullet ("Bringing teams together ...")
    if READER_ACTS_RE.search(text, match.end("noun")):
        return None  # "Your manager, the CDO, will rely on you to present the roadmap": the reader's part
    return role_nouns().noun_to_role.get(match.group("noun").lower(), SOMEONE_ELSE)  # a team or group: others


def _is_context(first: str, following: str) -> bool:
    """True for an opening clause that only sets the scene for the reader's duty: "When X happens, ...",
    or "The company is moving to subscriptions, so you'll ..." (no duty verb, no one else as subject)."""
    if _CONTEXT_OPENER_RE.match(first) and not _AS_A_READER_RE.match(first):
        return True
    if not following.lower().startswith("you") or YOU_RE.search(first):
        return False  # "In delivery you own the backlog, and you accept ...": the reader's duty too
    opener = first.split(maxsplit=1)[0]
    return not (is_duty_verb(opener) or _READER_SUBJECT_RE.match(first)) and _leading_subject(first) is None


# Where a "without ..." phrase (a clause of its own, negated) ends: at a comma before the next duty ("Drive alignment
# without managing them, and report status weekly": the reporting is the reader's).
_WITHOUT_END_RE = re.compile(r",\s*(?:and\s+)?(?=[a-z]+\b)", re.IGNORECASE)


def _end_of_without(part: str) -> list[str]:
    part = part.strip()
    if not part.lower().startswith("without "):
        return [part]
    for joint in _WITHOUT_END_RE.finditer(part):
        rest = part[joint.end():]
        first = rest.split(maxsplit=1)[0].lower() if rest.split() else ""
        if is_duty_verb_or_lemma(first):
            return [part[:joint.start()].strip(), rest.strip()]
    return [part]


def _split_contrast(statement: str) -> list[str]:
    lowered = statement.lower()
    if not any(hint in lowered for hint in _CONTRAST_HINTS):
        return [statement.strip()]
    guarded = _NOT_ONLY_RE.sub(lambda m: m.group(0).replace(" ", "\u00a0"), statement)
    parts = [piece for part in _CONTRAST_RE.split(guarded) for piece in _end_of_without(part.replace("\u00a0", " "))]
    kept = [part for part in parts if part and len(part.split()) >= MIN_CLAUSE_WORDS]
    if len(kept) > 1 and _is_context(kept[0], kept[1]):
        kept = kept[1:]
    return kept or [statement.strip()]
