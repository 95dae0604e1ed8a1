"""A job title standing as a line of its own among the duties ("Engineering Manager, Checkout squad."): an HR export's
or a pasted description's heading, which names a job and is no duty of it. The mapper does not classify such lines.
"""

from __future__ import annotations

import functools

from analyzer.mapping.nouns import TOKEN_RE, role_nouns
from analyzer.mapping.verbs import is_duty_verb_or_lemma, third_person_duty_verb

_TITLE_WORDS = frozenset({"manager", "engineer", "designer", "analyst", "lead", "owner", "director", "head",
                          "specialist", "coordinator", "position", "vacancy", "role", "master", "coach", "marketer",
                          "officer", "consultant", "architect", "developer", "scientist", "intern", "vp", "chief"})
# Role nouns that name who else acts in a sentence ("the customers", "the team", "the business"), not a job a title
# line could name; the others' last words ("pm", "po", "tpm", "cpo", "marketers") are job words. A line of every word
# of every role noun ("the", "product") read "Groom the product backlog" as a title and dropped it.
_NOT_JOB_HEADS = frozenset({"customers", "users", "stakeholders", "team", "teams", "squad", "business", "else",
                            "product", "engineering"})
_MAX_TITLE_LINE_WORDS = 6


@functools.cache
def _job_heads() -> frozenset[str]:
    """Last words of the role nouns that name a job ("product owner" -> "owner", "the cpo" -> "cpo")."""
    return frozenset(noun.split()[-1] for noun in role_nouns().noun_to_role) - _NOT_JOB_HEADS


def is_title_line(statement: str) -> bool:
    """True for a job title standing as a line of its own ("Engineering Manager, Checkout squad."):
    a few words naming a job, with no duty verb. Such lines are not mapped onto responsibilities.

    A duty verb in any form makes the line a duty ("Facilitates sprint reviews", "Hiring engineers"), except an
    -ing or -s word that modifies a capitalised job word after it, as in a title: "Training Manager", "Reports
    Analyst".

    Examples
    --------
    >>> is_title_line("Engineering Manager, Checkout squad."), is_title_line("Hire engineers")
    (True, False)
    >>> is_title_line("Hiring Manager"), is_title_line("Hiring engineers")
    (True, False)
    >>> is_title_line("Senior PM, Payments"), is_title_line("Groom the product backlog")
    (True, False)
    """
    found = list(TOKEN_RE.finditer(statement.lower()))
    words = [match.group() for match in found]
    if not words or len(words) > _MAX_TITLE_LINE_WORDS or {"you", "will", "we"} & set(words):
        return False
    heads = _job_heads()

    def names_a_job(word: str) -> bool:
        return word in _TITLE_WORDS or word.rstrip("s") in _TITLE_WORDS or word in heads

    def modifies_a_title(index: int) -> bool:
        # "Training Manager", "Reports Analyst", "Lead TPM", "Lead Product Manager": a title names one job, so before
        # people in the plural the word is the verb ("Hiring Engineers", "Lead Engineers", "Coach Product Owners").
        word, last = words[index], words[-1]
        if (not word.endswith(("ing", "s")) and word not in _TITLE_WORDS) or index + 1 == len(words):
            return False
        if last.endswith("s") and not last.endswith(("ss", "us")):
            return False
        return statement[found[index + 1].start()].isupper() and any(map(names_a_job, words[index + 1:]))

    if any((is_duty_verb_or_lemma(word) or third_person_duty_verb(word)) and not modifies_a_title(index)
           for index, word in enumerate(words)):
        return False
    return any(names_a_job(word) for word in words)
