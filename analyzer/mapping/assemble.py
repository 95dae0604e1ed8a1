"""Turn a person's mapped statements into holdings: one RACI level per responsibility, with evidence.

Rules applied here (documented in the README's model card and evaluation/HISTORY.md):

- A clause about someone else ("work with the product owner, who prioritises the backlog") does
  not give the reader that responsibility, unless that someone is the reader's own role.
- A negated clause ("you will not manage people") removes, never adds, a responsibility.
- A plain duty (R) stated in the job description of the responsibility's accountable role counts as
  A: a product owner who "maintains the backlog" is the backlog's owner. The same holds for both
  roles of a combined PM+PO job, and for people-management duties of a Head/Director/VP/Chief.
- The strongest level across statements wins; evidence lists the statements in text order.
- A holding's score is its strongest statement's confidence, on the scale shown to the user (the model's
  calibration on real prose, :mod:`analyzer.mapping.prose`); the statements keep the classifier's own.
- Without a job description, the canonical role's owned responsibilities are assumed at A, marked
  as inferred from the title (title-only exports), with the score of a statement the classifier gives 0.5.
"""

from __future__ import annotations

from analyzer.model import RoleModel
from analyzer.records import (
    Holding,
    Level,
    PersonAnalysis,
    PersonRecord,
    RoleGuess,
    TextMapping,
)

MAX_EVIDENCE = 5
MIN_OWNED_FOR_COMBINED = 2  # responsibilities of each role a person must do to cover a combined role
# A holding inferred from a title alone is as sure as a statement the classifier gives this probability (shown, like
# every holding's score, on the model's scale: 0.271 for the bundled model): a guess, not evidence.
TITLE_ONLY_SCORE = 0.5
_SCORE_DECIMALS = 4  # as the mapper rounds the classifier's: the same bytes on every platform


def assemble_person(record: PersonRecord, mapping: TextMapping | None, role: RoleGuess,
                    model: RoleModel, readings: dict | None = None, *, semantic: bool = False) -> PersonAnalysis:
    """Build the :class:`PersonAnalysis` of one person (``semantic``: the mapping is the semantic mapper's, whose
    confidence the model shows on its own scale).

    ``readings``: a dict kept by the caller across people (and the mappings kept alive with it).
    Holdings depend only on the mapping and the role's canonical id and people-lead flag, so people
    who agree on those share one reading of the mapping.
    """
    if mapping is None or not mapping.mappings:
        return _from_title(record, role, model, mapping is not None and bool(mapping.statements), semantic)
    if readings is None:
        holdings, unmapped, excluded = _read_mapping(mapping, role, model, semantic)
    else:
        key = (id(mapping), role.canonical, role.people_lead)
        found = readings.get(key)
        if found is None:
            found = readings[key] = _read_mapping(mapping, role, model, semantic)
        holdings, unmapped, excluded = found
    return PersonAnalysis(
        record=record, role=role, holdings=holdings, unmapped=unmapped, excluded=excluded, title_only=False,
    )


def _read_mapping(mapping: TextMapping, role: RoleGuess, model: RoleModel, semantic: bool = False
                  ) -> tuple[tuple[Holding, ...], tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """(holdings, unmapped statements, excluded matches) of a mapping read by someone of ``role``."""
    levels: dict[str, Level] = {}
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    unmapped: list[str] = []
    excluded: list[tuple[str, str, str]] = []
    for statement in mapping.mappings:
        for match in statement.matches:
            if match.subject is not None and match.subject != role.canonical:
                who = match.subject.removeprefix("partner:")
                excluded.append((match.responsibility, f"other_subject:{who}", statement.text))
                continue
            if match.level is None:
                excluded.append((match.responsibility, "negated", statement.text))
                continue
            level = match.level
            resp = match.responsibility
            if resp not in levels or level.rank > levels[resp].rank:
                levels[resp] = level
            scores[resp] = max(scores.get(resp, 0.0), match.score)
            bucket = evidence.setdefault(resp, [])
            if statement.text not in bucket:
                bucket.append(statement.text)
        if not statement.matches:
            unmapped.append(statement.text)
    owning_roles = _owning_roles(role, levels, model)
    for resp, level in levels.items():
        if level is Level.R and model.responsibility(resp).owner in owning_roles:
            levels[resp] = Level.A
    order = {resp_id: index for index, resp_id in enumerate(model.responsibility_ids)}
    scale = model.confidence_scale(semantic)
    holdings = tuple(
        Holding(resp, levels[resp], round(scale.shown(scores[resp]), _SCORE_DECIMALS),
                tuple(evidence[resp][:MAX_EVIDENCE]))
        for resp in sorted(levels, key=lambda r: order[r])
    )
    return holdings, tuple(unmapped), tuple(excluded)


def _owning_roles(role: RoleGuess, levels: dict[str, Level], model: RoleModel) -> set[str]:
    """Roles whose plain duties (R) this person holds as accountable (A).

    - the person's own canonical role;
    - when the person covers several roles of a ``combined_roles`` rule (a PM doing the PO's work
      too, as small companies do), each of those roles;
    - for a people-lead title (Head of, Director, VP, Chief), the people-manager roles: a VP of
      Engineering who "runs performance reviews" is accountable for them.
    """
    owning = {role.canonical} if role.canonical else set()
    doing = {resp for resp, level in levels.items() if level in (Level.A, Level.R)}
    for rule in model.rules_of_kind("combined_roles"):
        if role.canonical in rule.roles and all(
                len(doing & set(model.owned_by(member))) >= min(MIN_OWNED_FOR_COMBINED, len(model.owned_by(member)))
                for member in rule.roles):
            owning.update(rule.roles)
    if role.people_lead:
        owning.update(r.id for r in model.roles if r.people_manager)
    return owning


def _from_title(record: PersonRecord, role: RoleGuess, model: RoleModel, has_text: bool, semantic: bool = False
                ) -> PersonAnalysis:
    if has_text or role.canonical is None:
        # A description with no duty statements (only requirements or boilerplate), or a title that
        # names no product role: nothing can be inferred.
        return PersonAnalysis(record=record, role=role, holdings=(), title_only=not has_text)
    note = (f"Inferred from the title {record.title!r} (no job description): the "
            f"{model.role(role.canonical).name} role is accountable for this in the role model.")
    score = round(model.confidence_scale(semantic).shown(TITLE_ONLY_SCORE), _SCORE_DECIMALS)
    holdings = tuple(Holding(resp_id, Level.A, score, (note,)) for resp_id in model.owned_by(role.canonical))
    return PersonAnalysis(record=record, role=role, holdings=holdings, title_only=True)
