"""Who else acts in a statement: the parties a job description names beside its reader, and the clauses that are their
work rather than the reader's.

A duty statement often names someone else and what they do: "Work with Finance, who approve the budget", "Partner
with the data team, which owns the dashboards", "Budgets are signed off by Group Finance", "Join a squad where the
scrum master runs the ceremonies". Read whole, such a statement gives the reader the other party's responsibility
(a budget, dashboards, ceremonies). :mod:`analyzer.mapping.clauses` cuts those clauses off with the subject found here;
this module only finds them, and the ways a statement names its reader that keep a clause the reader's.

The rules were designed on a blind probe set written for them (``evaluation/probes/who_acts.csv``), confirmed on a
second one written later by another hand (``evaluation/probes/who_acts_2.csv``) and narrowed after a review's probes;
see ``evaluation/HISTORY.md``, iteration 13. Iteration 14 added relative clauses without a comma, a function as a
subject and statements that only name a collaborator, measured on a third probe set (``who_acts_3.csv``); iteration 15
a clause that runs on over a list after a comma (:func:`run_on_end`), "whose" and a name with an apposition before the
clause, measured on a fourth (``who_acts_4.csv``).

Examples
--------
>>> [(clause, subject) for _, _, clause, subject in party_clauses("Work with Finance, who approve the budget")]
[('approve the budget', '_other')]
>>> passive_agent("Stand-ups are facilitated by the scrum master"), passive_agent("Work is prioritised by impact")
('scrum_master', None)
"""

from __future__ import annotations

import re

from analyzer.mapping.nouns import SOMEONE_ELSE, TITLED_HEADS, TOKEN_RE, full_pattern, noun_pattern, role_nouns
from analyzer.mapping.verbs import is_duty_verb, is_duty_verb_or_lemma, third_person_duty_verb

_DETERMINERS = r"(?:the|a|an|our|your|their|each|every)"
_LEADING_DETERMINER_RE = re.compile(rf"^{_DETERMINERS} ")
# The reader named in the third person ("The successful candidate will ...", "... by this role").
READER_IN_THIRD_PERSON = (r"the (?:successful|ideal|right) (?:candidate|applicant|person|hire)|this (?:role|position"
                          r"|person)|the (?:role|position|post ?holder|post|role holder|job ?holder|incumbent)")
YOU_RE = re.compile(r"\byou\b", re.IGNORECASE)
# Someone else's clause in which the reader then acts: "Your manager will rely on you to present the roadmap",
# "Operations will bring you requests that you'll weigh up", "The PMO publishes a report, which you'll receive" (not
# "tells you what fits", "holds 1:1s with you", "the teams you'll work with": the reader is told, met or named).
READER_ACTS_RE = re.compile(r"\byou to\b|\b(?:that|which|and) you(?:'ll| will)?\b", re.IGNORECASE)
# Verbs by which a relative clause spells out the reader's own work ("Own the roadmap, which includes running the
# retros"): no party's clause.
_SPELLS_OUT = "include|includes|including|involve|involves|mean|means|require|requires|cover|covers|entail|entails"
# A relative clause about a party the statement opens with ("Our agency, who produce the campaigns, ...") or someone the
# reader works with, reports to or is managed by, whoever they are ("Work with Finance, who approve the budget",
# "Partner with the data team, which owns the dashboards"; "..., and the Retention team, who run CRM"): that party's
# work, not the reader's. Not after "for" ("responsible for the design team, who run the research" is the reader's
# remit; "ideal for an experienced leader, who will own ..." is the reader), except after a word for the reader as
# someone's counterpart ("the point of contact for Procurement, who run all vendor tenders"). Only after a comma, which
# sets the party apart from the reader's own description ("be a PM who owns ..."); not after the reader in the third
# person; not a clause that spells out the reader's own work ("..., which includes running the retros") or speaks to the
# reader ("..., who rely on you to run the reviews"; "who runs your review" is the party's work). A role's noun is left
# to the role-noun reading of clauses.py, unless an apposition stands between it and the pronoun ("our principal PM, Sam
# Whitfield, who ..."). The party may have an apposition ("Work with Maria, our Head of Data, who ..."), and "whose" is
# its pronoun too ("..., whose team owns the estimates"; not "whose roadmaps you will turn into ...").
_PARTY_RELATIVE_RE = re.compile(
    rf"(?:^[-*\u2022\s]*(?={_DETERMINERS}\s)|\b(?P<preposition>with|alongside|to|from|by|between|among|across|beside"
    r"|within|and|support|supports|supporting|serve|serves|serving|join|joins|joining"
    r"|(?:contact|liaison|counterpart|go-between|link) for)\s+)"
    rf"(?!you\b|yourself\b|{READER_IN_THIRD_PERSON}\b)"
    r"(?P<party>[^,;()]{1,60}?)(?:\s*,\s*(?P<apposition>(?!(?:you|and|or|who|which|whose|that)\b)[^,;()]{2,50}?))?\s*,\s*"
    r"(?P<pronoun>who|which|whose)\s+"
    rf"(?!(?:{_SPELLS_OUT})\b)"
    r"(?P<clause>(?:(?!\byou\b|\byou')[^,;])+?)\s*(?:,|(?=;|$))", re.IGNORECASE)
# Not at a word that names the reader ("you", "you'll", "your"): a clause that speaks to the reader is not a party's.
_NO_READER_WORD = r"(?!\byou\b|\byou'|\byour\b)"
# The same without a comma, only after someone the reader works with or supports ("Work with partners who run the
# events", "Partner with the marketing team that runs the launches", "Work alongside the data team which owns the
# metrics"): without the comma the clause may as well say which of them the reader works with, so the party must be
# named by a word for people or a group (``_PARTY_WORDS``), not "Work with tools that ...". Not after "lead", "hire",
# "manage" and the like: "Lead a team that ships the app" is the reader's delivery, "Hire engineers who ..." the
# reader's hiring.
_BARE_PARTY_RELATIVE_RE = re.compile(
    r"\b(?P<preposition>with|alongside|support|supports|supporting|(?:report|reports|reporting) to)\s+"
    rf"(?!you\b|yourself\b|{READER_IN_THIRD_PERSON}\b)"
    r"(?P<party>(?:[\w&'-]+\s+){0,4}?(?P<head>[\w&-]+))\s+(?P<pronoun>who|that|which|whose)\s+"
    rf"(?!(?:{_SPELLS_OUT}|is|are|will|would|can|could|may|might|has|have)\b)"
    rf"(?P<clause>(?:{_NO_READER_WORD}[^,;])+?)\s*(?:,|(?=;|$))", re.IGNORECASE)
# One more piece of a relative clause after its comma: its verb first ("forecasts spend", "and signs off"), up to the
# next comma or the end.
_RUN_ON_RE = re.compile(
    rf"\s*(?:(?P<joint>and|or)\s+)?(?P<word>[a-z']+)\b(?:{_NO_READER_WORD}[^,;])*(?:,|(?=;|$))",
    re.IGNORECASE)
# Words that open a piece of the reader's own after someone else's clause ("..., before you ...", "..., so that ...").
_READER_AGAIN = frozenset({"you", "you'll", "your", "we", "before", "after", "so", "then", "to", "while", "when",
                           "once", "until", "but", "also", "plus", "as", "in", "with", "for", "from", "by", "at", "on",
                           "making", "ensuring", "helping", "working", "using"})
_TITLED_RE = re.compile(rf"\b(?:{TITLED_HEADS}) of\b", re.IGNORECASE)
# Groups of people, and words for people, that can be a party ("the data team", "Finance", "the CFO"). "which" is about
# a group only after a group's noun (after a thing it may say the scope of the reader's own work: "company-level bets,
# which typically involve four or five product teams"), and only after someone the reader works with or supports.
_GROUP_NOUNS = frozenset({"team", "teams", "office", "department", "function", "group", "board", "committee", "squad",
                          "squads", "unit", "org", "organisation", "organization", "leadership", "guild", "council",
                          "panel", "tribe", "tribes", "chapter", "chapters", "excellence", "pmo"})
_WHICH_PREPOSITIONS = frozenset({"with", "alongside", "to", "from", "by", "and", "support", "supports", "supporting",
                                  "serve", "serves", "serving", "within", "join", "joins", "joining", "contact",
                                  "liaison", "counterpart", "go-between", "link"})
_PARTY_WORDS = _GROUP_NOUNS | frozenset({
    "director", "directors", "head", "lead", "leads", "manager", "managers", "officer", "officers", "ceo", "cto", "cfo",
    "coo", "cpo", "vp", "chief", "executive", "executives", "colleagues", "partner", "partners", "agency", "vendor",
    "vendors", "supplier", "suppliers", "developers", "engineers", "architect", "architects", "analyst", "analysts",
    "designer", "designers", "coach", "coaches", "regulator", "regulators",
    # functions named as a party ("signed off by Finance", "estimated by engineering"), not "Product": in a product
    # role's description that is the reader's own function
    "finance", "legal", "procurement", "hr", "operations", "marketing", "sales", "compliance", "security", "audit",
    "engineering", "management"})
# A function of the organisation as a clause's subject, before a verb in the third person or a modal ("Group Finance
# approves all budgets", "Legal will review every contract"), not a noun compound ("Security reviews are mandatory").
# Not "Product" (in a product role's description, the reader's own function), nor the functions that are also verbs
# ("Design tests", "Support customers", "Research competitors" are the reader's imperatives).
_FUNCTION_SUBJECT_RE = re.compile(
    r"^[-*\u2022\s]*(?:(?:the|our|group|central|global|corporate|internal|regional|local)\s+)*"
    r"(?:finance|legal|procurement|hr|human resources|people ops|marketing|sales|engineering|compliance|security"
    r"|infosec|operations|(?-i:IT)|customer success|data|analytics|risk|audit|internal audit|the business)"
    r"(?:\s+(?:and|&)\s+(?:finance|legal|procurement|hr|marketing|sales|engineering|compliance|security|operations"
    r"|risk))?\s+(?P<verb>[a-z']+)(?!\s+(?:are|is|were|was|will|must|should|can|have|has)\b)", re.IGNORECASE)
_MODALS = frozenset({"will", "shall", "must", "should", "may", "can", "is", "are", "has", "have", "needs", "need"})
# A clause that only says whom the reader works with or reports to, once what that party does is cut off as a clause of
# its own ("Report to the Head of Product, who sets the strategy"; "Work with Chloé, the product owner, who ...").
_COLLABORATION_ONLY_RE = re.compile(
    r"^[-*\u2022\s]*(?:you(?:'ll| will)? )?(?:(?:work|works|working|partner|partners|partnering|collaborate"
    r"|collaborates|collaborating|liaise|liaises|liaising|engage|engages|engaging|interface|interfaces|interfacing"
    r"|team up|sit|sits|join|joins)"
    r"(?: (?:closely|directly|daily|together|regularly|hand in hand|side by side))? (?:with|alongside)"
    r"|(?:sit|sits|sitting) (?:within|in)|(?:report|reports|reporting|keep close|stay close)(?: directly)? to"
    r"|(?:keep|stay) (?:in step|in touch|close) with|(?P<support>support|supports|supporting))"
    r" (?P<party>(?:(?!\b(?:on|about|around|to|for|so|and|in|by|through|during)\b)[^,;]){1,60}"
    r"(?:, (?:the|our|a|an|your|their) [^,;]{1,40})?)$",
    re.IGNORECASE)
# "Join a squad where the scrum master runs the ceremonies": a place of the work whose own subject does the work. One
# whitespace character before "where", not a run (a run of spaces would be tried at every position).
_WHERE_CLAUSE_RE = re.compile(rf"\swhere\s+(?P<clause>{_DETERMINERS}\s[^,;]+?)\s*(?=,|;|$)", re.IGNORECASE)
_AND_RE = re.compile(r"\s+and\s+(?P<word>[a-z']+)", re.IGNORECASE)  # "... and run the stand-ups", "... and you own"
# Before a role noun (and up to two words qualifying it), words that make it the reader: "Be the product manager who
# calls ...", "You're a scrum master who ...", "Act as the product owner who ...", "We're looking for a Senior PM, who
# ...", "We want a PM who ..." (not "Hire PMs who ...", "as well as a scrum master who ...", "You will need a delivery
# manager who ...", "Alongside you are engineering managers who ...").
_READER_NOUN_BEFORE_RE = re.compile(
    r"\b(?:be|become|being|you're|you are|act as|acting as|serve as|serving as|looking for|searching for|seeking|hiring"
    r"|recruiting|we want|we need|we're after|we are after)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# A profile of the person sought, opening the line: "A product owner who writes crisp stories" (not "An agile coach who
# runs the retros will work alongside you": someone else, beside the reader).
_PROFILE_RE = re.compile(r"^[-*\u2022\s]*an? [^,;]{1,60}?,?\s*\b(?:who|that)\b(?![^;]*\byou\b)", re.IGNORECASE)
# Work in the passive voice done by an agent named after "by" ("Budgets are signed off by Group Finance", "Stand-ups
# are facilitated by the agile coach"): the agent's work.
_PASSIVE_BY_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|gets?|got)\s+(?:[a-z]+ly\s+)?(?:[a-z]+(?:ed|en)|set|run|led|made|held|kept"
    r"|done|built|owned|taken|drawn)(?:\s+(?:and|or)\s+[a-z]+(?:ed|en))?(?:\s+(?:off|up|out))?\s+by\s+"
    rf"(?:(?P<determiner>{_DETERMINERS})\s+)?(?P<agent>[^,;.]{{1,60}})", re.IGNORECASE)
# Words before the passive's auxiliary that name no subject ("Will be guided by the CPO ..." is a bullet in the third
# person: the reader is guided), and the pronouns of a relative clause ("Own X, which is reviewed by the board").
_NO_SUBJECT_WORDS = frozenset({"will", "shall", "would", "can", "could", "may", "might", "must", "should", "to", "also",
                               "often", "usually", "always", "and"})
# An acronym after "the" names a body ("approved by the CAB", "by the PMO"), not "driven by OKRs".
_ACRONYM_RE = re.compile(r"[A-Z]{2,6}\b(?!s\b)")
_RELATIVE_WORD_RE = re.compile(r"\b(?:who|which|that|whose|whom|where)\b", re.IGNORECASE)
_MAX_GERUND_SUBJECT_WORDS = 4  # "Planning and budgeting are handled by Finance": a gerund as the subject


def run_on_end(part: str, end: int, party_start: int, clause_start: int) -> int:
    """Where a relative clause that stopped at the comma ending at ``end`` really ends: it may run on over a list, each
    piece after a comma ("Work with Finance, who manages the budget, forecasts spend and signs off purchases"; "...,
    whose remit covers hiring, appraisals and conflict resolution").

    A piece runs on when it opens with a word in -s ("forecasts", "signs off"; a plural noun of the list is the
    clause's too), or, without "and" or "or" before it, with a word that is no duty verb of the reader's ("appraisals",
    "the roadmap") or, after a clause in the plural whose verb is one of work ("who review every contract, flag the
    risks and escalate ..."), a verb of the same form. Any other piece is the reader's again: "..., and build the
    plan", "..., ensuring ...", "..., before you ...", a verb in its base form after a clause in the singular ("...,
    who owns the budget, build the plan") or after a description ("Work with customers, who range from start-ups to
    banks, understand their needs ...").

    Nothing runs on in a statement whose own duties are worded in the third person (an HR export's "Works with Finance,
    who manage the budget, and prepares the forecasts": the pieces cannot be told apart), nor when the party (from
    ``party_start``) opens the statement: "The product owner, who joined last year, accepts the work" goes on with the
    party's own verb, which the reading of the clause's subject takes. ``clause_start``: where the clause's verb is.

    >>> text = "Work with Finance, who sets the budget, tracks spend and signs off purchases, and build the plan"
    >>> at = text.index("sets")
    >>> text[run_on_end(text, text.index("budget,") + 7, text.index("Finance"), at):]
    ' and build the plan'
    """
    if end == 0 or part[end - 1] != "," or _in_third_person(_first_word(part)) \
            or _OPENING_RE.fullmatch(part, 0, party_start):
        return end
    words = TOKEN_RE.findall(part[clause_start:clause_start + 60].lower())
    # the clause's verb: its first word, or after "whose" the word after the noun ("whose analysts track ...")
    verb_at = 1 if part[:clause_start].rstrip().lower().endswith("whose") else 0
    singular = len(words) > verb_at and words[verb_at].endswith("s")
    # a list of verbs in the plural only after a verb of work ("who review the contracts, flag ..."), not after a
    # description ("customers, who range from start-ups to banks, understand their needs ...": the reader's)
    acting = len(words) > verb_at and is_duty_verb_or_lemma(words[verb_at])
    while (piece := _RUN_ON_RE.match(part, end)) is not None:
        word = piece.group("word").lower()
        if word in _READER_AGAIN:
            break
        if not word.endswith("s") or word.endswith("ss"):
            joined = piece.group("joint") is not None
            verb = is_duty_verb(word)
            if joined or (verb and (singular or not acting or word.endswith("ing"))):
                break
        end = piece.end()
        if part[end - 1] != ",":
            break
    return end


def _in_third_person(word: str) -> bool:
    """Whether a statement opening with ``word`` is worded in the third person ("Works", "Engages", "Assists")."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


# What may stand before a party that opens the statement: a bullet, determiners and a possessive ("The team's PMM").
_OPENING_RE = re.compile(rf"[-*\u2022\s]*(?:(?:{_DETERMINERS}|[\w-]+'s)\s+)*", re.IGNORECASE)


def _first_word(text: str) -> str:
    words = TOKEN_RE.findall(text[:40].lower())
    return words[0] if words else ""


def party_clauses(part: str) -> list[tuple[int, int, str, str]]:
    """(start, end, clause, subject) for each relative clause of ``part`` about a party that is not the reader and not
    named by a role's noun right before the pronoun (clauses.py reads those): the span to cut from ``part`` (from the
    comma before the pronoun to the end of the clause, run on over a list, :func:`run_on_end`) and the subject,
    ``partner:<role>`` when an apposition names a canonical role ("Chloé, the product owner, who ..."), else
    ``_other``.

    Examples
    --------
    >>> party_clauses("Partner with the data team, which owns the dashboards")
    [(26, 53, 'owns the dashboards', '_other')]
    >>> party_clauses("Own the roadmap, which includes running the quarterly planning")
    []
    """
    found = []
    nouns = role_nouns()
    for match in _PARTY_RELATIVE_RE.finditer(part):
        party = _LEADING_DETERMINER_RE.sub("", match.group("party").strip().lower())
        if match.group("pronoun").lower() == "which" and (
                party.rsplit(maxsplit=1)[-1] not in _GROUP_NOUNS
                or (match.group("preposition") or "with").lower().split()[0] not in _WHICH_PREPOSITIONS):
            continue
        apposition = match.group("apposition")
        role = None
        if party in nouns.noun_to_role:
            if apposition is None:
                continue  # a role's noun: the role-noun reading decides (a colleague, or the reader sought)
            # "... with our principal product manager, Sam Whitfield, who ...": a colleague, named after the role
            role = nouns.noun_to_role[party]
        elif apposition is not None:
            if apposition.lstrip()[:1].islower() and is_duty_verb_or_lemma(_first_word(apposition)):
                continue  # "Own the plan with Finance, agree the budget, which ...": a duty of the reader's
            # "Work with Chloé, the product owner for Checkout, who ...", "Sofia Rossi, Design Lead, who ..."
            leading = full_pattern(noun_pattern).match(_LEADING_DETERMINER_RE.sub("", apposition.strip().lower()))
            role = nouns.noun_to_role.get(leading.group(0)) if leading is not None else None
        found.append(_party_span(part, match, partner_subject(role)))
    return found


def partner_subject(role: str | None) -> str:
    """A clause's subject for a party named as ``role`` (a role id of the language's role nouns, ``"_other"`` or None):
    ``partner:<role>`` for a canonical role's colleague, else ``"_other"``.

    >>> partner_subject("product_owner"), partner_subject("_other"), partner_subject(None)
    ('partner:product_owner', '_other', '_other')
    """
    return SOMEONE_ELSE if role is None or role == SOMEONE_ELSE else f"partner:{role}"


def _party_span(part: str, match: re.Match, subject: str = SOMEONE_ELSE) -> tuple[int, int, str, str]:
    """(start, end, clause, subject) of a party's relative clause, run on over a list after it (:func:`run_on_end`)."""
    end = run_on_end(part, match.end(), match.start("party"), match.start("clause"))
    return match.end("party"), end, part[match.start("clause"):end].strip(" ,;"), subject


def bare_party_clauses(part: str) -> list[tuple[int, int, str, str]]:
    """:func:`party_clauses` for a relative clause without a comma after someone the reader works with or supports,
    named by a word for people or a group (not a role's noun: clauses.py reads those).

    Examples
    --------
    >>> bare_party_clauses("Work with partners who run the events")
    [(18, 37, 'run the events', '_other')]
    >>> bare_party_clauses("Work with tools that automate the release"), bare_party_clauses("Lead a team that ships")
    ([], [])
    """
    found = []
    nouns = role_nouns()
    for match in _BARE_PARTY_RELATIVE_RE.finditer(part):
        head = match.group("head").lower()
        titled = _TITLED_RE.search(match.group("party")) is not None  # "the Head of Data who sets ..."
        if (head not in _PARTY_WORDS and not titled) \
                or (match.group("pronoun").lower() == "which" and head not in _GROUP_NOUNS):
            continue
        if _LEADING_DETERMINER_RE.sub("", match.group("party").strip().lower()) in nouns.noun_to_role:
            continue
        found.append(_party_span(part, match))
    return found


def where_clauses(part: str) -> list[tuple[int, int, str]]:
    """(start, end, clause) for each "where" clause that opens with a subject of its own, up to a duty coordinated
    after it ("step in where the delivery manager is away and run the stand-ups": the stand-ups are the reader's);
    whether that subject is someone else is the caller's reading.

    >>> where_clauses("Join a squad where the scrum master runs the retros")
    [(12, 51, 'the scrum master runs the retros')]
    """
    found = []
    for match in _WHERE_CLAUSE_RE.finditer(part):
        end = match.end("clause")
        for joint in _AND_RE.finditer(part, match.start("clause"), end):
            word = joint.group("word").lower()
            if word in ("you", "you'll") or is_duty_verb_or_lemma(word):
                end = joint.start()
                break
        found.append((match.start(), end, part[match.start("clause"):end].strip()))
    return found


def function_as_subject(text: str) -> bool:
    """True for a clause whose subject is a function of the organisation, before a modal or a duty verb in the third
    person (:func:`third_person_duty_verb`).

    >>> function_as_subject("Group Finance approves all budgets"), function_as_subject("Legal will review it")
    (True, True)
    >>> function_as_subject("Security reviews are mandatory")
    False
    """
    match = _FUNCTION_SUBJECT_RE.match(text)
    if match is None:
        return False
    verb = match.group("verb").lower()
    return verb in _MODALS or third_person_duty_verb(verb)


def only_names_a_collaborator(clause: str) -> bool:
    """True for a clause that only says whom the reader works with ("Work closely with Finance").

    Whether the party named is people (and not "Work with tools"): :func:`names_a_party`, the caller's reading, except
    after "support" ("support delivery" is work).

    >>> only_names_a_collaborator("Work closely with Finance"), only_names_a_collaborator("Set the budget with Finance")
    (True, False)
    >>> only_names_a_collaborator("Work with Finance on pricing")
    False
    >>> only_names_a_collaborator("Support the engineering manager"), only_names_a_collaborator("support delivery")
    (True, False)
    """
    match = _COLLABORATION_ONLY_RE.match(clause)
    if match is None:
        return False
    if match.group("support") is None:
        return True
    return names_a_party(match.group("party"))  # "Support the engineering manager"; "support delivery" is work


def names_a_party(text: str) -> bool:
    """Whether ``text`` names people or a group: a word for them ("Finance", "partners", "the board"), a role's noun
    or a titled head ("the Head of Data").

    >>> names_a_party("our Head of Sales"), names_a_party("tools that automate the release")
    (True, False)
    """
    lowered = text.lower()
    return (bool(_PARTY_WORDS.intersection(TOKEN_RE.findall(lowered))) or role_nouns().present(lowered) != ()
            or _TITLED_RE.search(text) is not None)


def opens_with_a_profile(text: str) -> bool:
    """True for a line that profiles the person sought: "A product owner who writes crisp stories".

    >>> opens_with_a_profile("A product owner who writes crisp stories")
    True
    >>> opens_with_a_profile("An agile coach who runs the retros will work alongside you")
    False
    """
    return bool(_PROFILE_RE.match(text))


def names_the_reader(part: str, match: re.Match) -> bool:
    """Whether the role noun a relative clause follows (``match``, of :func:`analyzer.mapping.nouns.relative_pattern`
    over ``part``) is the reader: after "be", "you're", "looking for" and the like, or in a profile line
    (:func:`opens_with_a_profile`)."""
    before = part[:match.start()]
    if not before.strip():
        return opens_with_a_profile(part)
    # the words just before, with the article the match may hold: not a search of the whole text before each match
    return bool(_READER_NOUN_BEFORE_RE.search(before[-60:] + match.group(0)[:match.start("noun") - match.start()]))


def passive_agent(text: str) -> str | None:
    """The subject of a clause in the passive voice whose agent is a party other than the reader: its role when the
    agent is a role's noun ("... are facilitated by the scrum master"), else "_other"; None when there is none.

    Not when the passive has no subject of its own before it (an imperative, "Own X, which is reviewed by ...", or a
    third-person bullet, "Will be guided by the CPO ..."), when the reader acts on it too ("set by Finance with input
    from you"), or when the agent is no party ("prioritised by impact", "driven by OKRs"). A gerund may be the subject
    ("Hiring is owned by the Head of Engineering").
    """
    match = _PASSIVE_BY_RE.search(text)
    if match is None or YOU_RE.search(text, match.start()):
        return None
    if not _has_a_subject_of_its_own(text[:match.start()]):
        return None
    agent = match.group("agent").strip()
    leading = full_pattern(noun_pattern).match(agent)
    if leading is not None:
        return role_nouns().noun_to_role.get(leading.group(0).lower(), SOMEONE_ELSE)
    if (_PARTY_WORDS.intersection(TOKEN_RE.findall(agent.lower())[:5])
            or (match.group("determiner") == "the" and _ACRONYM_RE.match(agent))):
        return SOMEONE_ELSE
    return None


def _has_a_subject_of_its_own(opening: str) -> bool:
    """Whether the words before a passive's auxiliary (``opening``) are its subject: not only modals ("Will be guided
    by ..."), not inside a relative clause still open, and not an imperative (a gerund of a few words may be one)."""
    before = TOKEN_RE.findall(opening.lower())
    if not before or all(word in _NO_SUBJECT_WORDS for word in before) or _in_open_relative_clause(opening):
        return False
    imperative = is_duty_verb(before[0])
    return not imperative or (before[0].endswith("ing") and len(before) <= _MAX_GERUND_SUBJECT_WORDS)


def _in_open_relative_clause(opening: str) -> bool:
    """Whether a relative clause is still open at the end of ``opening`` (no comma after its pronoun): a passive after
    it is the clause's ("Own X, which is reviewed by ..."), not that of the subject the clause describes
    ("Initiatives, which span claims and policy admin, are driven by ...")."""
    pronouns = list(_RELATIVE_WORD_RE.finditer(opening))
    return bool(pronouns) and "," not in opening[pronouns[-1].end():]
