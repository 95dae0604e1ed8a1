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

from collections import defaultdict
from dataclasses import dataclass

from analyzer.mapping.titles import TitleReading
from analyzer.model import RoleModel
from analyzer.records import Level, RoleGuess, TextMapping

LEVEL_WEIGHT = {Level.A: 1.0, Level.R: 1.0, Level.C: 0.6, Level.I: 0.2}
CONTRIBUTOR_SHARE = 0.3  # a contributor role gets this share of a responsibility's evidence
RESPONSIBILITY_CAP = 2.0  # evidence per responsibility is capped: breadth beats repetition
SELF_MENTION_WEIGHT = 0.75  # "As a Scrum Master, you ..." is evidence for that role ...
SELF_MENTION_CAP = 3  # ... counted at most this many times
MIN_PRODUCT_EVIDENCE = 1.0  # less mapped product work than this names no product role
SPECIALISATION_SHARE = 0.35  # a specialisation wins over its base role with this share of the base's score
SPECIALISATION_MIN_DISTINCT = 2  # ... and at least this many of its own responsibilities
_DECIMALS = 4


@dataclass(frozen=True)
class ContentReading:
    role: str | None
    confidence: float
    scores: tuple[tuple[str, float], ...]  # role -> share of the role evidence, strongest first
    product_evidence: float
    family_evidence: dict[str, float]

    @property
    def top_family(self) -> str | None:
        if not self.family_evidence:
            return None
        return max(sorted(self.family_evidence), key=lambda f: self.family_evidence[f])


def role_from_content(mapping: TextMapping, model: RoleModel) -> ContentReading:
    """The role a job description's duties describe, ignoring the title (None: not a product role).

    Evidence: each responsibility the job holder holds (statements whose subject is the reader or a
    canonical role, not a partner), weighted by classifier confidence and RACI wording and capped per
    responsibility; each statement that reads as another job family counts for that family; each
    "As a <role>, you ..." counts for that role. The product roles share the responsibility evidence
    by ownership (contributors get a share). A specialisation (lead or technical PM) takes over from
    its base role when it has enough evidence of its own.
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
    raw: dict[str, float] = defaultdict(float)
    distinct: dict[str, int] = defaultdict(int)
    for resp_id, value in capped.items():
        responsibility = model.responsibility(resp_id)
        raw[responsibility.owner] += value
        distinct[responsibility.owner] += 1
        for contributor in responsibility.contributors:
            raw[contributor] += value * CONTRIBUTOR_SHARE
    for role, count in mentions.items():
        raw[role] += SELF_MENTION_WEIGHT * min(count, SELF_MENTION_CAP)
    total = sum(raw.values())
    ranked = tuple(sorted(((role, round(value / total, _DECIMALS)) for role, value in raw.items() if value > 0),
                          key=lambda item: (-item[1], item[0])))
    other_evidence = sum(family_evidence.values())
    is_product = product_evidence >= MIN_PRODUCT_EVIDENCE and product_evidence >= other_evidence
    role = _with_specialisation(ranked[0][0], raw, distinct, model) if ranked and is_product else None
    confidence = dict(ranked).get(role, 0.0) if role else 0.0
    return ContentReading(role, round(confidence, _DECIMALS), ranked, round(product_evidence, _DECIMALS),
                          {family: round(value, _DECIMALS) for family, value in sorted(family_evidence.items())})


def _with_specialisation(role: str, raw: dict[str, float], distinct: dict[str, int], model: RoleModel) -> str:
    candidates = [r.id for r in model.roles if r.specialises == role
                  and raw.get(r.id, 0.0) >= SPECIALISATION_SHARE * raw[role]
                  and distinct.get(r.id, 0) >= SPECIALISATION_MIN_DISTINCT]
    if not candidates:
        return role
    return max(candidates, key=lambda r: (raw[r], r))


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
    )
