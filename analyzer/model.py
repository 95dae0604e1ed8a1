"""Role models: load, validate and query the YAML files in ``models/``.

A role model is data, not code (see ``models/README.md`` for the format). :func:`load_model` reads a
file, checks every field and reports *all* problems at once with their path in the file and a fix.

Examples
--------
>>> model = load_model()
>>> model.id, len(model.roles), len(model.responsibilities)
('product_org', 8, 39)
>>> model.responsibility("backlog_management").owner
'product_owner'
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from analyzer.adverts import Advert, read_adverts
from analyzer.errors import ModelError, Problem
from analyzer.mapping.prose import IDENTITY, ProseCalibration, default_min_confidence
from analyzer.mapping.training import training_digest
from analyzer.modelcheck import Checker
from analyzer.modelprose import PROSE_CALIBRATION_KEY, calibration_note, read_prose_calibrations

# libyaml's safe loader parses the default model ~15x faster than the pure-Python one (same result).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SUPPORTED_FORMAT_VERSIONS = (1,)
DEFAULT_MODEL_NAME = "product_org.yaml"
RULE_KINDS = ("forbidden_accountability", "combined_roles", "shared_responsibility")
RULE_FINDINGS = ("conflicting", "ambiguous_title", "combined_role")
SEVERITIES = ("high", "medium", "low", "info")
IMPACTS = ("high", "medium", "low")


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    description: str
    titles: tuple[str, ...]
    people_manager: bool = False
    # A specialisation of another role (lead PM, technical PM of the product manager): its job
    # descriptions also carry the base role's duties, so content reading looks for its own on top.
    specialises: str | None = None
    # Responsibilities that set the role apart from its neighbours (empty: none given). Content reading
    # (analyzer.mapping.roles) counts a description doing ``signature_min`` of them as full support.
    signature: tuple[str, ...] = ()
    signature_min: int = 1
    # The job family this role is a branch of (a product marketer is a marketer, a program manager a
    # project manager of related projects): its descriptions do much of that family's work in its words,
    # so content reading asks the family for a clearer lead before it calls a description that does the
    # role's signature work "other" (analyzer.mapping.roles.BRANCH_MARGIN).
    branch_of: str | None = None


@dataclass(frozen=True)
class Family:
    """A job family outside the canonical roles (engineering, design, ...)."""

    id: str
    name: str
    delivery: bool
    titles: tuple[str, ...]
    phrasings: tuple[str, ...]
    generic: bool = False  # statements of no particular job (values, culture): evidence of no family
    # Product responsibilities this family's adverts often also mention (an analyst's success metrics, a
    # recruiter's hiring): the document classifier learns that they do not by themselves make a product role.
    adjacent: tuple[str, ...] = ()


@dataclass(frozen=True)
class Responsibility:
    id: str
    name: str
    owner: str
    contributors: tuple[str, ...]
    description: str
    keywords: tuple[str, ...]
    phrasings: tuple[str, ...]
    impact: str = "medium"  # high | medium | low: severity of a duplicated or dropped finding on it


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    roles: tuple[str, ...]
    responsibilities: tuple[str, ...] = ()
    finding: str = ""
    severity: str = "medium"
    explanation: str = ""


@dataclass(frozen=True)
class ConditionalExpectation:
    responsibility: str
    min_delivery_teams: int


@dataclass(frozen=True)
class Expectations:
    delivery_team: tuple[str, ...] = ()
    delivery_team_management_chain: tuple[str, ...] = ()
    organisation: tuple[str, ...] = ()
    organisation_conditional: tuple[ConditionalExpectation, ...] = ()


@dataclass(frozen=True)
class RoleModel:
    """A validated role model. Lists keep the file's order; lookups go through the helpers."""

    id: str
    version: str
    name: str
    description: str
    roles: tuple[Role, ...]
    families: tuple[Family, ...]
    responsibilities: tuple[Responsibility, ...]
    rules: tuple[Rule, ...]
    expectations: Expectations
    source: str = ""
    # How the statement classifier's confidence maps onto real prose (analyzer.mapping.prose), for the default mapper
    # and the semantic one; the identity when the file says nothing.
    prose_calibration: ProseCalibration = IDENTITY
    semantic_prose_calibration: ProseCalibration = IDENTITY
    prose_calibration_source: str = ""  # the section's fitted_on: what the numbers were fitted on
    # dev_split_log_odds per mapper: what the calibrated classifier read on the dev split (a test checks that the
    # classifier of today still reads it so, or the calibration must be fitted again)
    prose_calibration_probe: dict[str, float] = field(default_factory=dict, compare=False)
    # Per mapper, a warning when its calibration was fitted for a classifier trained on other phrasings
    # (analyzer.modelprose.calibration_note)
    prose_calibration_notes: tuple[tuple[str, str], ...] = ()  # (mapper, note), hashable as the model is
    fingerprint: str = ""  # sha256 of the file's bytes and its adverts: keys caches together with the version
    adverts: tuple[Advert, ...] = field(default=(), repr=False, compare=False)  # see analyzer.adverts
    _by_id: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _rules_by_kind: dict[str, tuple[Rule, ...]] = field(default_factory=dict, init=False, repr=False,
                                                        compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Any] = {}
        for item in (*self.roles, *self.families, *self.responsibilities, *self.rules):
            index[f"{type(item).__name__}:{item.id}"] = item
        self._by_id.update(index)
        for rule in self.rules:  # looked up by the finding rules once per scope: indexed, not scanned
            self._rules_by_kind[rule.kind] = (*self._rules_by_kind.get(rule.kind, ()), rule)

    def role(self, role_id: str) -> Role:
        return self._lookup("Role", role_id)

    def confidence_scale(self, semantic: bool = False) -> ProseCalibration:
        """How the confidence of this model's mapper (the semantic one with ``semantic``) is shown to the user."""
        return self.semantic_prose_calibration if semantic else self.prose_calibration

    def calibration_note(self, semantic: bool = False) -> str:
        """A warning that the calibration of this model's mapper (the semantic one with ``semantic``) was fitted for a
        classifier trained on other phrasings ("" when it was fitted for this model's, or there is none)."""
        return dict(self.prose_calibration_notes).get("semantic" if semantic else "default", "")

    def default_min_confidence(self, semantic: bool = False) -> float:
        """The default threshold of this model's mapper (the semantic one with ``semantic``), as the user sees it."""
        return default_min_confidence(self.confidence_scale(semantic))

    def family(self, family_id: str) -> Family:
        return self._lookup("Family", family_id)

    def responsibility(self, responsibility_id: str) -> Responsibility:
        return self._lookup("Responsibility", responsibility_id)

    def rule(self, rule_id: str) -> Rule:
        return self._lookup("Rule", rule_id)

    def _lookup(self, kind: str, item_id: str) -> Any:
        try:
            return self._by_id[f"{kind}:{item_id}"]
        except KeyError:
            raise KeyError(f"{kind.lower()} {item_id!r} is not in model {self.id!r}") from None

    @property
    def role_ids(self) -> tuple[str, ...]:
        return tuple(role.id for role in self.roles)

    @property
    def responsibility_ids(self) -> tuple[str, ...]:
        return tuple(resp.id for resp in self.responsibilities)

    @property
    def family_ids(self) -> tuple[str, ...]:
        return tuple(family.id for family in self.families)

    def rules_of_kind(self, kind: str) -> tuple[Rule, ...]:
        return self._rules_by_kind.get(kind, ())

    def owned_by(self, role_id: str) -> tuple[str, ...]:
        """Ids of the responsibilities whose accountable role is ``role_id``."""
        return tuple(resp.id for resp in self.responsibilities if resp.owner == role_id)

    def people_managed(self, responsibility_id: str) -> bool:
        """Whether a people-manager role (``people_manager: true``) is accountable for the responsibility (hiring,
        performance reviews)."""
        owner = self.responsibility(responsibility_id).owner
        return owner in self.role_ids and self.role(owner).people_manager


def default_model_path() -> Path:
    """Path of the default model, installed (wheel) or in a source checkout."""
    packaged = resources.files("analyzer") / "models" / DEFAULT_MODEL_NAME
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "models" / DEFAULT_MODEL_NAME
    return checkout


def load_model(path: str | Path | None = None) -> RoleModel:
    """Load and validate a role model.

    Parameters
    ----------
    path:
        A YAML model file; ``None`` loads the default product-organisation model.

    Raises
    ------
    ModelError
        The file is missing, is not YAML, or breaks the format; every problem is listed.
    """
    model_path = Path(path) if path is not None else default_model_path()
    source = str(path) if path is not None else f"models/{DEFAULT_MODEL_NAME}"
    try:
        raw_bytes = model_path.read_bytes()
    except FileNotFoundError:
        raise ModelError(source, [Problem("", "not_found", "model file not found",
                                          "check the path given to --model")]) from None
    except OSError as exc:
        raise ModelError(source, [Problem("", "unreadable", f"cannot read the file ({exc.strerror})")]) from None
    try:
        data = yaml.load(raw_bytes.decode("utf-8"), Loader=_YAML_LOADER)
    except UnicodeDecodeError:
        raise ModelError(source, [Problem("", "not_utf8", "the file is not UTF-8 text",
                                          "save the model as UTF-8 YAML")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or "invalid YAML"
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark:
            reason += f" ({context.strip()} at line {context_mark.line + 1}, column {context_mark.column + 1})"
        raise ModelError(source, [Problem(where, "invalid_yaml", reason, "fix the YAML syntax")]) from None
    model = parse_model(data, source, model_path.parent)
    digest = hashlib.sha256(raw_bytes)
    for advert in model.adverts:
        digest.update(f"\0{advert.label}\0{advert.source}\0{advert.text}".encode())
    return dataclasses.replace(model, fingerprint=digest.hexdigest())


def parse_model(data: Any, source: str = "<model>", base_dir: str | Path | None = None) -> RoleModel:
    """Validate already-parsed YAML data and build a :class:`RoleModel` (raises :class:`ModelError`).

    ``base_dir``: the folder ``adverts`` paths are relative to (the model file's); they are also looked up
    among the bundled adverts, which is all that is searched when it is None.
    """
    checker = Checker()
    if not isinstance(data, dict):
        raise ModelError(source, [Problem("", "not_a_mapping", "the top level must be a mapping",
                                          "start the file with 'format_version: 1' and 'id: ...'")])
    fmt = data.get("format_version")
    if fmt not in SUPPORTED_FORMAT_VERSIONS:
        checker.add("format_version", "unsupported_format",
                    f"format_version {fmt!r} is not supported (supported: {list(SUPPORTED_FORMAT_VERSIONS)})",
                    "set 'format_version: 1'")
    model_id = checker.identifier(data, "id", "")
    version = checker.text(data, "version", "")
    name = checker.text(data, "name", "", required=False) or model_id
    description = checker.text(data, "description", "", required=False)

    roles = tuple(checker.items(data, "roles", _parse_role))
    role_ids = [role.id for role in roles]
    families = tuple(checker.items(data, "families", _parse_family, required=False))
    responsibilities = tuple(checker.items(data, "responsibilities", _parse_responsibility))
    resp_ids = [resp.id for resp in responsibilities]
    checker.unique("roles", role_ids)
    checker.unique("families", [family.id for family in families])
    checker.unique("responsibilities", resp_ids)
    overlap = sorted(set(role_ids) & {family.id for family in families})
    for clash in overlap:
        checker.add("families", "id_clash", f"family id {clash!r} is also a role id",
                    "rename the family")

    job_families = [family.id for family in families if not family.generic]  # generic: statements of no job
    generic_families = {family.id for family in families if family.generic}
    for index, role in enumerate(roles):
        if role.specialises is not None:
            checker.known(f"roles[{index}].specialises", role.specialises, role_ids, "role")
            if role.specialises == role.id:
                checker.add(f"roles[{index}].specialises", "self_reference", "a role cannot specialise itself")
        for pos, resp_id in enumerate(role.signature):
            checker.known(f"roles[{index}].signature[{pos}]", resp_id, resp_ids, "responsibility")
        if role.signature and role.signature_min > len(role.signature):
            checker.add(f"roles[{index}].signature_min", "too_high", f"{role.signature_min} is more than the "
                        f"{len(role.signature)} signature responsibilities", "lower it or list more of them")
        if role.branch_of in generic_families:
            checker.add(f"roles[{index}].branch_of", "generic_family", f"{role.branch_of!r} is a generic family "
                        "(statements of no particular job): no role is a branch of it",
                        "name a job family or drop branch_of")
        elif role.branch_of is not None:
            checker.known(f"roles[{index}].branch_of", role.branch_of, job_families, "family")
    for index, family in enumerate(families):
        for pos, resp_id in enumerate(family.adjacent):
            checker.known(f"families[{index}].adjacent[{pos}]", resp_id, resp_ids, "responsibility")
    for index, resp in enumerate(responsibilities):
        where = f"responsibilities[{index}]"
        checker.known(f"{where}.owner", resp.owner, role_ids, "role")
        for pos, contributor in enumerate(resp.contributors):
            checker.known(f"{where}.contributors[{pos}]", contributor, role_ids, "role")
            if contributor == resp.owner:
                checker.add(f"{where}.contributors[{pos}]", "owner_is_contributor",
                            f"{contributor!r} is already the owner", "remove it from contributors")
        checker.choice(f"{where}.impact", resp.impact, IMPACTS)
        if len(resp.phrasings) < 3:
            checker.add(f"{where}.phrasings", "too_few_phrasings",
                        f"{resp.id!r} has {len(resp.phrasings)} phrasings; at least 3 are needed to "
                        "recognise it", "add example duty sentences as they appear in job descriptions")

    rules = tuple(checker.items(data, "rules", _parse_rule, required=False))
    checker.unique("rules", [rule.id for rule in rules])
    for index, rule in enumerate(rules):
        where = f"rules[{index}]"
        checker.choice(f"{where}.kind", rule.kind, RULE_KINDS)
        checker.choice(f"{where}.severity", rule.severity, SEVERITIES)
        if rule.kind != "shared_responsibility":
            checker.choice(f"{where}.finding", rule.finding, RULE_FINDINGS)
        for pos, role_id in enumerate(rule.roles):
            checker.known(f"{where}.roles[{pos}]", role_id, role_ids, "role")
        for pos, resp_id in enumerate(rule.responsibilities):
            checker.known(f"{where}.responsibilities[{pos}]", resp_id, resp_ids, "responsibility")
        if rule.kind in ("combined_roles", "shared_responsibility") and len(rule.roles) < 2:
            checker.add(f"{where}.roles", "too_few_roles", f"a {rule.kind} rule needs at least two roles")
        if rule.kind in ("forbidden_accountability", "shared_responsibility") and not rule.responsibilities:
            checker.add(f"{where}.responsibilities", "missing", f"a {rule.kind} rule needs responsibilities")

    expectations = _parse_expectations(checker, data.get("expectations"), resp_ids)
    search = [Path(base_dir)] if base_dir is not None else []
    if default_model_path().parent not in search:
        search.append(default_model_path().parent)
    adverts = read_adverts(checker, checker.strings(data, "adverts", ""), search, role_ids, job_families)
    calibrations, calibration_source = read_prose_calibrations(checker, data.get(PROSE_CALIBRATION_KEY))
    checker.raise_if_any(source)
    model = RoleModel(
        id=model_id, version=version, name=name, description=description, roles=roles,
        families=families, responsibilities=responsibilities, rules=rules,
        expectations=expectations, source=source, adverts=adverts,
        prose_calibration=calibrations["default"].scale, semantic_prose_calibration=calibrations["semantic"].scale,
        prose_calibration_source=calibration_source,
        prose_calibration_probe={mapper: entry.dev_split_log_odds for mapper, entry in calibrations.items()
                                 if entry.dev_split_log_odds is not None},
    )
    # The digest only matters to a calibration that maps something (calibration_note ignores the identity).
    digest = training_digest(model) if any(not entry.scale.is_identity for entry in calibrations.values()) else ""
    notes = {mapper: calibration_note(source, mapper, entry, digest) for mapper, entry in calibrations.items()}
    return dataclasses.replace(model, prose_calibration_notes=tuple((mapper, note) for mapper, note in notes.items()
                                                                     if note))


def _parse_role(checker: Checker, item: dict, where: str) -> Role:
    people_manager = item.get("people_manager", False)
    if not isinstance(people_manager, bool):
        checker.add(f"{where}.people_manager", "not_bool", "must be true or false")
        people_manager = False
    signature_min = item.get("signature_min", 1)
    if isinstance(signature_min, bool) or not isinstance(signature_min, int) or signature_min < 1:
        checker.add(f"{where}.signature_min", "not_positive_int", "must be a whole number >= 1")
        signature_min = 1
    return Role(
        id=checker.identifier(item, "id", where),
        name=checker.text(item, "name", where),
        description=checker.text(item, "description", where, required=False),
        titles=tuple(t.lower() for t in checker.strings(item, "titles", where, required=True)),
        people_manager=people_manager,
        specialises=checker.text(item, "specialises", where, required=False) or None,
        signature=checker.strings(item, "signature", where),
        signature_min=signature_min,
        branch_of=checker.text(item, "branch_of", where, required=False) or None,
    )


def _parse_family(checker: Checker, item: dict, where: str) -> Family:
    flags = {}
    for key in ("delivery", "generic"):
        flags[key] = item.get(key, False)
        if not isinstance(flags[key], bool):
            checker.add(f"{where}.{key}", "not_bool", "must be true or false")
            flags[key] = False
    return Family(
        id=checker.identifier(item, "id", where),
        name=checker.text(item, "name", where),
        delivery=flags["delivery"],
        titles=tuple(t.lower() for t in checker.strings(item, "titles", where, required=True)),
        phrasings=checker.strings(item, "phrasings", where),
        generic=flags["generic"],
        adjacent=checker.strings(item, "adjacent", where),
    )


def _parse_responsibility(checker: Checker, item: dict, where: str) -> Responsibility:
    return Responsibility(
        id=checker.identifier(item, "id", where),
        name=checker.text(item, "name", where),
        owner=checker.text(item, "owner", where),
        contributors=checker.strings(item, "contributors", where),
        description=checker.text(item, "description", where),
        keywords=checker.strings(item, "keywords", where),
        phrasings=checker.strings(item, "phrasings", where, required=True),
        impact=checker.text(item, "impact", where, required=False) or "medium",
    )


def _parse_rule(checker: Checker, item: dict, where: str) -> Rule:
    return Rule(
        id=checker.identifier(item, "id", where),
        kind=checker.text(item, "kind", where),
        roles=checker.strings(item, "roles", where, required=True),
        responsibilities=checker.strings(item, "responsibilities", where),
        finding=checker.text(item, "finding", where, required=False),
        severity=checker.text(item, "severity", where, required=False) or "medium",
        explanation=checker.text(item, "explanation", where),
    )


def _parse_expectations(checker: Checker, data: Any, resp_ids: list[str]) -> Expectations:
    if data is None:
        return Expectations()
    if not isinstance(data, dict):
        checker.add("expectations", "not_a_mapping", "'expectations' must be a mapping")
        return Expectations()
    allowed = {"delivery_team", "delivery_team_management_chain", "organisation", "organisation_conditional"}
    for key in sorted(set(data) - allowed):
        checker.add(f"expectations.{key}", "unknown_key", f"unknown key {key!r}",
                    f"use one of: {', '.join(sorted(allowed))}")
    lists = {}
    for key in ("delivery_team", "delivery_team_management_chain", "organisation"):
        values = checker.strings(data, key, "expectations")
        for pos, resp_id in enumerate(values):
            checker.known(f"expectations.{key}[{pos}]", resp_id, resp_ids, "responsibility")
        lists[key] = values
    conditional = []
    raw = data.get("organisation_conditional") or []
    if not isinstance(raw, list):
        checker.add("expectations.organisation_conditional", "not_a_list", "must be a list")
        raw = []
    for pos, entry in enumerate(raw):
        where = f"expectations.organisation_conditional[{pos}]"
        if not isinstance(entry, dict):
            checker.add(where, "not_a_mapping", "each entry needs 'responsibility' and 'min_delivery_teams'")
            continue
        resp_id = checker.text(entry, "responsibility", where)
        checker.known(f"{where}.responsibility", resp_id, resp_ids, "responsibility")
        minimum = entry.get("min_delivery_teams")
        if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
            checker.add(f"{where}.min_delivery_teams", "not_positive_int", "must be a whole number >= 1")
            minimum = 1
        conditional.append(ConditionalExpectation(resp_id, minimum))
    return Expectations(
        delivery_team=lists["delivery_team"],
        delivery_team_management_chain=lists["delivery_team_management_chain"],
        organisation=lists["organisation"],
        organisation_conditional=tuple(conditional),
    )
