"""Who else acts in a statement: the parties a job description names beside its reader, and the clauses that are their
work rather than the reader's.

A duty statement often names someone else and what they do: "Work with Finance, who approve the budget", "Partner
with the data team, which owns the dashboards", "Budgets are signed off by Group Finance", "Join a squad where the
scrum master runs the ceremonies". Read whole, such a statement gives the reader the other party's responsibility
(a budget, dashboards, ceremonies). :mod:`analyzer.mapping.clauses` cuts those clauses off with the subject found here;
this module only finds them.

The rules were designed on a blind probe set written for them (``evaluation/probes/who_acts.csv``) and confirmed on a
second one written later by another hand (``evaluation/probes/who_acts_2.csv``); see ``evaluation/HISTORY.md``,
iteration 13.

Examples
--------
>>> party_clauses("Work with Finance, who approve the budget")
[(', who approve the budget', 'approve the budget', '_other')]
>>> passive_agent("Stand-ups are facilitated by the scrum master"), passive_agent("Work is prioritised by impact")
('scrum_master', None)
"""

from __future__ import annotations

import re

from analyzer.mapping.nouns import TOKEN_RE, full_pattern, noun_pattern, role_nouns

# A relative clause about a party the statement opens with ("Our agency, who produce the campaigns, ...") or someone
# the reader works with, for, reports to or is managed by, whoever they are ("Work with Finance, who approve the
# budget", "Partner with the data team, which owns the dashboards"): that party's work, not the reader's. Only after a
# comma, which sets the party apart from the reader's own description ("be a PM who owns ..."); not after the reader
# named in the third person ("... by this role, who decides ..."), nor a clause that spells out the reader's own work
# ("..., which includes running the retros") or speaks to the reader ("..., who rely on you to run the reviews"; "who
# runs your review" is the party's work).
_PARTY_RELATIVE_RE = re.compile(
    r"(?:^[-*\u2022\s]*(?=(?:the|our|your|their|a|an)\s)|\b(?:with|alongside|to|for|from|by|between|among|across|beside"
    r"|support|supports|supporting|serve|serves|serving)\s+)"
    r"(?!you\b|yourself\b|this role\b|the (?:post ?holder|role holder|successful candidate)\b)"
    r"(?P<party>[^,;()]{1,60}?)(?P<removed>\s*,\s*(?P<pronoun>who|which)\s+"
    r"(?!(?:include|includes|including|involve|involves|mean|means|require|requires|cover|covers|entail|entails)\b)"
    r"(?P<clause>(?:(?!\byou\b|\byou')[^,;])+?))\s*(?=,|;|$)", re.IGNORECASE)
# "which" is about a group of people only after a group's noun; after a thing it may say the scope of the reader's own
# work ("... company-level bets, which typically involve four or five product teams").
_GROUP_NOUNS = frozenset({"team", "teams", "office", "department", "function", "group", "board", "committee", "squad",
                          "squads", "unit", "org", "organisation", "organization", "leadership"})
_DETERMINER_RE = re.compile(r"^(?:the|a|an|our|your|their|each|every) ")
# A clause that only says whom the reader works with, once what that party does is cut off as a clause of its own.
_COLLABORATION_ONLY_RE = re.compile(
    r"^[-*\u2022\s]*(?:you(?:'ll| will)? )?(?:work|works|working|partner|partners|partnering|collaborate|collaborates"
    r"|collaborating|liaise|liaises|liaising|engage|engages|engaging|team up|sit|sits|join|joins)"
    r"(?: (?:closely|directly|daily|together|hand in hand|side by side))? (?:with|alongside) "
    r"(?:(?!\b(?:on|about|around|to|for|so|and)\b)[^,;]){1,60}$",
    re.IGNORECASE)
# "Join a squad where the scrum master runs the ceremonies": a place of the work whose own subject does the work.
_WHERE_CLAUSE_RE = re.compile(r"\s+where\s+(?P<clause>(?:the|a|an|our|their|each|every)\s[^,;]+?)\s*(?=,|;|$)",
                              re.IGNORECASE)
# Before a role noun, words that make it the reader: "Be the product manager who calls ...", "You're a scrum master who
# ...", "We're looking for a PM who ...".
_READER_NOUN_BEFORE_RE = re.compile(
    r"\b(?:be|become|being|are|you're|you are|am|as|looking for|searching for|seeking|hire|hiring|need|want|after)\s+$",
    re.IGNORECASE)
# Work in the passive voice done by an agent named after "by" ("Budgets are signed off by Group Finance", "Stand-ups
# are facilitated by the agile coach"): the agent's work. Not "prioritised by impact": the agent must be a party, named
# with a capital, a role noun or a word for people.
_PASSIVE_BY_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|gets?|got)\s+(?:[a-z]+ly\s+)?(?:[a-z]+(?:ed|en)|set|run|led|made|held|kept"
    r"|done|built|owned|taken|drawn)(?:\s+(?:and|or)\s+[a-z]+(?:ed|en))?(?:\s+(?:off|up|out))?\s+by\s+"
    r"(?:the |our |your |their |a |an |each |every )?(?P<agent>[^,;.]{1,60})", re.IGNORECASE)
_YOU_RE = re.compile(r"\byou\b", re.IGNORECASE)
_PARTY_WORDS = frozenset({
    "team", "teams", "office", "board", "committee", "group", "department", "guild", "council", "panel", "director",
    "directors", "head", "lead", "leads", "manager", "managers", "officer", "officers", "ceo", "cto", "cfo", "coo",
    "cpo", "vp", "chief", "executive", "executives", "leadership", "colleagues", "partner", "partners", "agency",
    "vendor", "vendors", "supplier", "suppliers", "developers", "engineers", "architect", "architects", "analyst",
    "analysts", "designer", "designers", "coach", "coaches", "regulator", "regulators"})


def party_clauses(part: str) -> list[tuple[str, str, str]]:
    """(text to cut from ``part``, clause, its subject) for each relative clause about a party the reader works with,
    for or reports to: ``partner:<role>`` when the party is a role's noun, ``_other`` for anyone else.

    Examples
    --------
    >>> party_clauses("Partner with the data team, which owns the dashboards")
    [(', which owns the dashboards', 'owns the dashboards', '_other')]
    >>> party_clauses("Own the roadmap, which includes running the quarterly planning")
    []
    """
    found = []
    noun_to_role = role_nouns().noun_to_role
    for match in _PARTY_RELATIVE_RE.finditer(part):
        party = _DETERMINER_RE.sub("", match.group("party").strip().lower())
        if match.group("pronoun").lower() == "which" and party.rsplit(maxsplit=1)[-1] not in _GROUP_NOUNS:
            continue
        role = noun_to_role.get(party)
        found.append((match.group("removed"), match.group("clause").strip(), f"partner:{role}" if role else "_other"))
    return found


def where_clauses(part: str) -> list[tuple[str, str]]:
    """(text to cut from ``part``, clause) for each "where" clause that opens with a subject of its own; whether that
    subject is someone else is the caller's reading.

    >>> where_clauses("Join a squad where the scrum master runs the retros")
    [(' where the scrum master runs the retros', 'the scrum master runs the retros')]
    """
    return [(match.group(0), match.group("clause").strip()) for match in _WHERE_CLAUSE_RE.finditer(part)]


def only_names_a_collaborator(clause: str) -> bool:
    """True for a clause that only says whom the reader works with ("Work closely with Finance").

    >>> only_names_a_collaborator("Work closely with Finance"), only_names_a_collaborator("Set the budget with Finance")
    (True, False)
    >>> only_names_a_collaborator("Work with Finance on pricing")
    False
    """
    return bool(_COLLABORATION_ONLY_RE.match(clause))


def names_the_reader(part: str, match: re.Match) -> bool:
    """Whether the role noun a relative clause follows (``match``, of :func:`analyzer.mapping.nouns.relative_pattern`
    over ``part``) is the reader: after "be", "you're", "looking for" and the like, or opening a line with "a"/"an", as
    a profile of the person sought does ("A product owner who writes crisp stories")."""
    before = part[:match.start()]
    if not before.strip():
        return match.group(0).lower().startswith(("a ", "an "))
    return bool(_READER_NOUN_BEFORE_RE.search(before))


def passive_agent(text: str) -> str | None:
    """The subject of a clause in the passive voice whose agent is a party other than the reader: its role when the
    agent is a role's noun ("... are facilitated by the scrum master"), else "_other"; None when there is none."""
    match = _PASSIVE_BY_RE.search(text)
    if match is None or _YOU_RE.search(text, match.end()):
        return None  # none, or the reader acts on it too: "... by the Strategy team, whose findings you'll use to ..."
    agent = match.group("agent").strip()
    leading = full_pattern(noun_pattern).match(agent)
    if leading is not None:
        return role_nouns().noun_to_role.get(leading.group(0).lower(), "_other")
    if agent[:1].isupper() or _PARTY_WORDS.intersection(TOKEN_RE.findall(agent.lower())[:5]):
        return "_other"
    return None
