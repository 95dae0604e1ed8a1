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

LEVEL_WEIGHT = {Level.A: 1.0, Level.R: 1.0, Level.C: 0.5, Level.I: 0.2}
CONTRIBUTOR_SHARE = 0.15
MIN_PRODUCT_MASS = 0.9  # below this much mapped product work the content names no role
MIN_PRODUCT_SHARE = 0.45  # product work must be at least this share of all recognised work
_DECIMALS = 4


@dataclass(frozen=True)
class ContentReading:
    role: str | None
    confidence: float
    scores: tuple[tuple[str, float], ...]  # role -> normalised score, strongest first
    product_mass: float
    family_mass: dict[str, float]

    @property
    def top_family(self) -> str | None:
        if not self.family_mass:
            return None
        return max(sorted(self.family_mass), key=lambda f: self.family_mass[f])


def role_from_content(mapping: TextMapping, model: RoleModel) -> ContentReading:
    """The role a job description's duties describe, ignoring the title (None: not a product role)."""
    raw: dict[str, float] = defaultdict(float)
    covered: dict[str, set[str]] = defaultdict(set)
    family_mass: dict[str, float] = defaultdict(float)
    product_mass = 0.0
    for statement in mapping.mappings:
        reader_matches = [m for m in statement.matches if m.level is not None and m.subject is None]
        if not reader_matches:
            if statement.family and statement.best_score >= 0.3:
                family_mass[statement.family] += statement.best_score
            continue
        for match in reader_matches:
            weight = match.score * LEVEL_WEIGHT[match.level]
            product_mass += weight
            responsibility = model.responsibility(match.responsibility)
            raw[responsibility.owner] += weight
            covered[responsibility.owner].add(responsibility.id)
            for contributor in responsibility.contributors:
                raw[contributor] += weight * CONTRIBUTOR_SHARE
    scores = {}
    for role in model.roles:
        owned = len(model.owned_by(role.id)) or 1
        coverage = len(covered[role.id]) / owned
        scores[role.id] = raw[role.id] * (0.5 + 0.5 * coverage)
    total = sum(scores.values())
    ranked = sorted(((role, score / total if total else 0.0) for role, score in scores.items()),
                    key=lambda item: (-item[1], item[0]))
    ranked = tuple((role, round(score, _DECIMALS)) for role, score in ranked if score > 0)
    other_mass = sum(family_mass.values())
    is_product = product_mass >= MIN_PRODUCT_MASS and product_mass >= MIN_PRODUCT_SHARE * (product_mass + other_mass)
    role = ranked[0][0] if ranked and is_product else None
    confidence = ranked[0][1] if role else 0.0
    return ContentReading(role, round(confidence, _DECIMALS), ranked, round(product_mass, _DECIMALS),
                          dict(family_mass))


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
