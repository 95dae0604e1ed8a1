"""Canonical role of a person: from the title, from the content alone, and the two combined.

From content: every responsibility the reader holds votes for its accountable role (weight by the
classifier score and the RACI wording; contributors get a small share), and a role's vote is scaled
by how many of its owned responsibilities the text covers, so that breadth beats repetition. Duty
statements that read as another job family (engineering, design, analysis) count against every
product role: a designer's job description is not forced onto a product role.

Combined: a title that names one role wins (it is how the organisation names the job); an
ambiguous title ("TPM", "Product Lead") takes the candidate the content supports best; an unknown
title takes the content's role. Confidence drops when title and content disagree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from analyzer.mapping.jobs import OTHER
from analyzer.mapping.titles import TitleReading
from analyzer.model import RoleModel
from analyzer.records import Level, RoleGuess, TextMapping

LEVEL_WEIGHT = {Level.A: 1.0, Level.R: 1.0, Level.C: 0.6, Level.I: 0.2}
CONTRIBUTOR_SHARE = 0.3  # a contributor role gets this share of a responsibility's evidence
RESPONSIBILITY_CAP = 2.0  # evidence per responsibility is capped: breadth beats repetition
SELF_MENTION_WEIGHT = 0.75  # "As a Scrum Master, you ..." is evidence for that role ...
SELF_MENTION_CAP = 3  # ... counted at most this many times
MIN_PRODUCT_EVIDENCE = 1.0  # less mapped product work than this names no product role
DOCUMENT_WEIGHT = 1.0  # the whole-document reading weighs as much as the statement votes
DOCUMENT_TEMPERATURE = 3.0  # softmax sharpness turning document scores into shares
_DECIMALS = 4


@dataclass(frozen=True)
class ContentReading:
    role: str | None
    confidence: float
    scores: tuple[tuple[str, float], ...]  # role -> combined share, strongest first
    product_evidence: float
    family_evidence: dict[str, float]
    other_score: float | None = None  # whole-document "not a product role" score (> 0: other)

    @property
    def top_family(self) -> str | None:
        if not self.family_evidence:
            return None
        return max(sorted(self.family_evidence), key=lambda f: self.family_evidence[f])


def role_from_content(mapping: TextMapping, model: RoleModel) -> ContentReading:
    """The role a job description's duties describe, ignoring the title (None: not a product role).

    Two independent readings are combined with equal weight:

    - statement votes: each responsibility the job holder holds (statements whose subject is the
      reader or a canonical role, not a partner), weighted by classifier confidence and RACI wording
      and capped per responsibility, votes for its accountable role (contributors get a share); each
      "As a <role>, you ..." votes for that role;
    - the whole-document classifier (:mod:`analyzer.mapping.jobs`), whose role scores become shares
      by a softmax.

    The job is not a product role when the document classifier's "other" score is positive, or when
    too little product work was mapped.
    """
    canonical = set(model.role_ids)
    evidence: dict[str, float] = defaultdict(float)
    family_evidence: dict[str, float] = defaultdict(float)
    mentions: dict[str, int] = defaultdict(int)
    generic = {family.id for family in model.families if family.generic}
    for statement in mapping.mappings:
        for role in statement.self_mentions:
            mentions[role] += 1
        reader = [m for m in statement.matches if m.level is not None and (m.subject is None or m.subject in canonical)]
        if reader:
            for match in reader:
                evidence[match.responsibility] += match.score * LEVEL_WEIGHT[match.level]
        elif statement.family and statement.family not in generic:
            family_evidence[statement.family] += statement.best_score
    capped = {resp: min(value, RESPONSIBILITY_CAP) for resp, value in evidence.items()}
    product_evidence = sum(capped.values())
    votes: dict[str, float] = defaultdict(float)
    for resp_id, value in capped.items():
        responsibility = model.responsibility(resp_id)
        votes[responsibility.owner] += value
        for contributor in responsibility.contributors:
            votes[contributor] += value * CONTRIBUTOR_SHARE
    for role, count in mentions.items():
        votes[role] += SELF_MENTION_WEIGHT * min(count, SELF_MENTION_CAP)
    combined = _shares(votes)
    document = dict(mapping.job_scores)
    other_score = document.pop(OTHER, None)
    for role, share in _softmax({r: v for r, v in document.items() if r in canonical}).items():
        combined[role] = combined.get(role, 0.0) + DOCUMENT_WEIGHT * share
    shares = _shares(combined)
    ranked = tuple(sorted(((role, round(value, _DECIMALS)) for role, value in shares.items() if value > 0),
                          key=lambda item: (-item[1], item[0])))
    other_evidence = sum(family_evidence.values())
    if other_score is not None:
        is_product = other_score <= 0 and product_evidence >= MIN_PRODUCT_EVIDENCE
    else:  # no document reading (e.g. a single statement): statement evidence alone decides
        is_product = product_evidence >= MIN_PRODUCT_EVIDENCE and product_evidence >= other_evidence
    role = ranked[0][0] if ranked and is_product else None
    confidence = dict(ranked).get(role, 0.0) if role else 0.0
    return ContentReading(role, round(confidence, _DECIMALS), ranked, round(product_evidence, _DECIMALS),
                          {family: round(value, _DECIMALS) for family, value in sorted(family_evidence.items())},
                          other_score)


def _shares(values: dict[str, float]) -> dict[str, float]:
    total = sum(value for value in values.values() if value > 0)
    return {key: value / total for key, value in values.items() if value > 0} if total else {}


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    weights = {key: math.exp(DOCUMENT_TEMPERATURE * (value - top)) for key, value in scores.items()}
    total = sum(weights.values())
    return {key: weight / total for key, weight in weights.items()}


def combine(title: TitleReading, content: ContentReading | None) -> RoleGuess:
    """Combine title and content readings into one :class:`RoleGuess`."""
    from_content = content.role if content else None
    scores = content.scores if content else ()
    content_score = dict(scores)
    if title.role:
        if from_content is None:
            confidence = 0.8
        elif from_content == title.role:
            confidence = 0.95
        else:
            confidence = 0.6
        canonical = title.role
    elif title.candidates:
        supported = sorted(title.candidates, key=lambda r: (-content_score.get(r, 0.0), title.candidates.index(r)))
        canonical = supported[0]
        confidence = 0.75 if content_score.get(canonical, 0.0) > 0 else 0.4
    elif title.family:
        canonical, confidence = None, 0.9 if from_content is None else 0.6
    else:
        canonical = from_content
        confidence = round(0.8 * content.confidence, _DECIMALS) if content and from_content else 0.0
    return RoleGuess(
        canonical=canonical,
        confidence=confidence,
        from_title=title.role,
        from_content=from_content,
        family=title.family,
        title_candidates=title.candidates,
        content_scores=scores,
        people_lead=title.people_lead,
    )
