"""Typed records passed between the pipeline stages.

ingest -> :class:`PersonRecord`; segment -> :class:`Statement`; map -> :class:`StatementMapping`,
:class:`RoleGuess`, :class:`Holding`; findings -> :class:`Finding`. Renderers only read these.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analyzer.model import RoleModel


class Level(StrEnum):
    """RACI level of a person on a responsibility, strongest first."""

    A = "A"  # accountable: owns / decides
    R = "R"  # responsible: does the work
    C = "C"  # consulted: supports, advises, contributes
    I = "I"  # informed  # noqa: E741 - the RACI letter

    @property
    def rank(self) -> int:
        """3 for A down to 0 for I, so ``max(levels, key=rank)`` is the strongest."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.A: 3, Level.R: 2, Level.C: 1, Level.I: 0}


class StatementKind(StrEnum):
    """What a segment of a job description is."""

    DUTY = "duty"  # something the person does: mapped onto responsibilities
    REQUIREMENT = "requirement"  # a qualification ("5+ years of ..."): not a responsibility
    BOILERPLATE = "boilerplate"  # about us, benefits, equal opportunity, how to apply
    HEADING = "heading"  # a section heading ("Responsibilities")


@dataclass(frozen=True)
class Statement:
    """One bullet or sentence of a job description."""

    text: str
    kind: StatementKind
    section: str = ""  # heading of the section it sits in, lowercased ("" before any heading)


@dataclass(frozen=True)
class ResponsibilityMatch:
    """One responsibility a statement expresses, as read from its wording.

    ``level`` is the RACI level the wording gives the subject (None: negated or excluded, as in
    "you will not manage people"). ``subject`` is None when the reader (the job holder) is the
    subject; a role id when the clause's subject is someone of that role ("product owners decide
    ..."), which is the reader only if that is the reader's role; ``"partner:<role>"`` for a clause
    about a colleague ("work with the product owner, who prioritises the backlog"); ``"_other"``
    for other people (engineers, stakeholders). ``score`` is the classifier's calibrated probability (fitted on the
    model's phrasings), which the role reader reads; the confidence shown to users (holdings, ``min_confidence``)
    is ``model.confidence_scale(semantic).shown(score)`` (:mod:`analyzer.mapping.prose`).
    """

    responsibility: str
    score: float  # classifier confidence in [0, 1]
    level: Level | None
    subject: str | None = None


@dataclass(frozen=True)
class StatementMapping:
    """A duty statement and the responsibilities it expresses (empty: unmapped)."""

    text: str
    matches: tuple[ResponsibilityMatch, ...]
    best_guess: str | None = None  # top candidate even when below threshold (for unmapped listing)
    best_score: float = 0.0
    family: str | None = None  # a non-product job family the statement reads as (engineering, ...)
    self_mentions: tuple[str, ...] = ()  # roles the statement names as the job holder ("As a PO, you ...")


@dataclass(frozen=True)
class TextMapping:
    """Everything the NLP read from one job-description text."""

    statements: tuple[Statement, ...]
    mappings: tuple[StatementMapping, ...]  # one per DUTY statement, same order
    # Whole-document scores per canonical role and "other" (analyzer.mapping.jobs); () when not computed.
    job_scores: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class RoleGuess:
    """The canonical role of a person, from the title, from the content and combined."""

    canonical: str | None
    confidence: float
    from_title: str | None
    from_content: str | None
    family: str | None = None  # non-product family from the title (software_engineering, ...)
    title_candidates: tuple[str, ...] = ()  # roles an ambiguous title may mean ("TPM", "Product Lead")
    people_lead: bool = False  # the title leads people or a practice (Head of, Director, VP, Chief)
    content_scores: tuple[tuple[str, float], ...] = ()  # role -> share of content, strongest first
    # The non-product job family the description reads as, when it reads better as that family than as any
    # role (analyzer.mapping.roles.ContentReading.reads_as_family), and the duty statements that read so.
    content_family: str | None = None
    content_family_evidence: tuple[str, ...] = ()

    @property
    def job_family(self) -> str | None:
        """The non-product family a person is counted in: the title's, else (no product role either) the one
        the description reads as. A team whose "Member of Technical Staff" descriptions read as software
        engineering is a delivery team."""
        if self.family or self.canonical:
            return self.family
        return self.content_family


@dataclass(frozen=True)
class Holding:
    """A person's hold on one responsibility: level, strength and the sentences that prove it."""

    responsibility: str
    level: Level
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class PersonRecord:
    """One input row, normalised. ``row`` is the 1-based data row number (header excluded)."""

    row: int
    id: str
    name: str
    title: str
    team: str | None
    manager_id: str | None
    text: str  # job description as plain text ("" when the export has none)
    source: str = ""  # where the text came from (file name for document folders)
    department: str | None = None  # department column as written (team falls back to it when absent)
    scope: str | None = None  # group computed at ingest (team, department or manager's team); None: graph decides


@dataclass(frozen=True)
class SkippedRow:
    """An input row that was not analysed, and why (with what it said, for the orphan rule)."""

    row: int
    id: str | None
    reason: str
    title: str = ""
    team: str | None = None
    manager_id: str | None = None


@dataclass(frozen=True)
class PersonAnalysis:
    """A person with their role and responsibilities."""

    record: PersonRecord
    role: RoleGuess
    holdings: tuple[Holding, ...]
    unmapped: tuple[str, ...] = ()  # duty statements no responsibility matched confidently
    excluded: tuple[tuple[str, str, str], ...] = ()  # (responsibility, reason, statement)
    title_only: bool = False  # analysed from the title alone (no description)

    @property
    def id(self) -> str:
        return self.record.id

    def holding(self, responsibility: str) -> Holding | None:
        for holding in self.holdings:
            if holding.responsibility == responsibility:
                return holding
        return None

    def distinct_holdings(self) -> Iterator[Holding]:
        """One holding per responsibility: the one :meth:`holding` returns (the first listed)."""
        seen: set[str] = set()
        for holding in self.holdings:
            if holding.responsibility not in seen:
                seen.add(holding.responsibility)
                yield holding


class FindingKind(StrEnum):
    """Kinds of finding."""

    DUPLICATED = "duplicated"
    DROPPED = "dropped"
    CONFLICTING = "conflicting"
    AMBIGUOUS_TITLE = "ambiguous_title"
    COMBINED_ROLE = "combined_role"
    UNOWNED = "unowned"  # people do the work (R) but nobody is accountable (A)
    UNSTAFFED = "unstaffed"  # someone only approves (A) and nobody is shown doing the work (R)
    TOO_MANY_CONSULTED = "too_many_consulted"
    OVERLOADED = "overloaded"  # one person accountable for a large share of their scope
    AUTHORITY_GAP = "authority_gap"  # accountable person has no line authority over the doers
    ORPHANED = "orphaned"  # held only by a vacant/departed position or by a skipped input row
    TITLE_INCONSISTENCY = "title_inconsistency"
    OVERLAP = "overlap"  # two people's jobs overlap more than random pairs in the organisation


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for high (most important) to 3 for info, for sorting."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2, Severity.INFO: 3}


@dataclass(frozen=True)
class Evidence:
    person: str  # person id
    text: str


@dataclass(frozen=True)
class Finding:
    """One problem (or notable fact) about the organisation. Renderers only read these."""

    kind: FindingKind
    severity: Severity
    scope: str  # team name exactly as in the input, or "org"
    responsibility: str | None
    people: tuple[str, ...]
    rule: str  # id of the rule applied (model rule id or built-in rule id)
    explanation: str
    evidence: tuple[Evidence, ...] = ()
    suggestion: str = ""
    metrics: tuple[tuple[str, float], ...] = ()  # named numbers behind the finding (overlap, p_value, ...)

    def sort_key(self) -> tuple:
        return (
            self.severity.rank,
            self.kind.value,
            self.scope,
            self.responsibility or "",
            self.people,
            self.rule,
        )


@dataclass
class Analysis:
    """The result of analysing one organisation: the library's main return value."""

    input_path: str
    input_rows: int
    input_sha256: str
    model_id: str
    model_version: str
    people: list[PersonAnalysis]
    skipped_rows: list[SkippedRow]
    findings: list[Finding]
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> input column used
    title_only: bool = False  # the input has no description column at all
    column_reasons: dict[str, str] = field(default_factory=dict)  # field -> why that input column was taken
    # confidence a duty statement needed to be mapped, on the scale shown to users (analyzer.mapping.prose; None: not
    # recorded, e.g. built by hand)
    min_confidence: float | None = None
    semantic: bool = False  # duty statements were read with sentence vectors too (the semantic mapper)
    model: RoleModel | None = field(default=None, repr=False, compare=False)
    graph: Any = field(default=None, repr=False, compare=False)  # networkx.DiGraph (see analyzer.graph)

    def person(self, person_id: str) -> PersonAnalysis:
        for person in self.people:
            if person.id == person_id:
                return person
        raise KeyError(person_id)
