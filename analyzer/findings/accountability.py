"""Who is accountable: duplicated accountability and accountability held by the wrong role.

Rules
-----
``single_accountable`` (kind ``duplicated``)
    RACI's first rule: exactly one A per responsibility per scope. Two or more A holders in one scope
    are a finding, with the responsibility's ``impact`` as severity (two people deciding the same
    priorities in one team is high; two people both owning stakeholder updates is low). Not raised
    when the model's ``shared_responsibility`` rules allow the holders' roles to share it, or when a
    ``conflicting`` finding already names the extra holders.
model ``forbidden_accountability`` rules with ``finding: conflicting`` (kind ``conflicting``)
    A role holding A where the model forbids it (a scrum master deciding priorities); the rule's severity.
``canonical_owner`` (kind ``conflicting``)
    Someone holds A on a responsibility the model gives to another role while a person of that role
    is in the same scope: high when the responsibility's impact is high, else medium.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.findings.context import Context, finding
from analyzer.records import Finding, FindingKind, Severity

RULE_SINGLE_ACCOUNTABLE = "single_accountable"
RULE_CANONICAL_OWNER = "canonical_owner"


def duplicated(ctx: Context, conflicts: list[Finding]) -> Iterator[Finding]:
    """Two or more people accountable (A) for the same responsibility in one scope."""
    conflicted = {(f.scope, f.responsibility, pid) for f in conflicts for pid in f.people}
    for scope, by_resp in ctx.index.items():
        for resp, levels in by_resp.items():
            accountable = levels.get("A", [])
            if len(accountable) < 2 or _shared_by_rule(ctx, resp, frozenset(ctx.role_of(pid) for pid in accountable)):
                continue
            unexplained = [pid for pid in accountable if (scope, resp, pid) not in conflicted]
            if len(unexplained) < 2 and len(unexplained) < len(accountable):
                continue
            name = ctx.responsibility_name(resp)
            explanation = (f"In {ctx.scope_phrase(scope)}, {len(accountable)} people are accountable for "
                           f"{name}: {ctx.people_phrase(accountable)}. Each responsibility needs exactly one "
                           "accountable person; with several, decisions are made twice or not at all.")
            yield finding(
                FindingKind.DUPLICATED, ctx.severity_for(resp), scope, resp, accountable, RULE_SINGLE_ACCOUNTABLE,
                explanation, ctx.evidence(accountable, resp),
                suggestion=f"Name one accountable person for {name} in {ctx.scope_phrase(scope)}; "
                           "the others become responsible (R) or consulted (C).",
                metrics={"accountable": len(accountable)},
            )


def conflicting(ctx: Context) -> Iterator[Finding]:
    """Accountability that contradicts the model: forbidden by a rule, or taken from the owner role."""
    forbidden_pairs = set()
    for rule in ctx.model.rules_of_kind("forbidden_accountability"):
        if rule.finding != FindingKind.CONFLICTING.value:
            continue
        for pid in ctx.sort_people(pid for role in rule.roles for pid in ctx.by_role.get(role, ())):
            for resp in rule.responsibilities:
                if ctx.level(pid, resp) != "A":
                    continue
                forbidden_pairs.add((pid, resp))
                yield finding(
                    FindingKind.CONFLICTING, Severity(rule.severity), ctx.person(pid)["scope"], resp, [pid],
                    rule.id,
                    f"{ctx.person_label(pid)} is accountable for {ctx.responsibility_name(resp)}, which a "
                    f"{ctx.role_name(ctx.role_of(pid))} should not hold. {rule.explanation}",
                    ctx.evidence([pid], resp),
                    suggestion=_owner_suggestion(ctx, resp),
                )
    for scope, by_resp in ctx.index.items():
        roles_present: dict[str | None, list[str]] | None = None  # built for the scopes that need it
        for resp_id, levels in by_resp.items():
            accountable = levels.get("A")
            if not accountable:
                continue
            if roles_present is None:
                roles_present = {}
                for pid in ctx.members.get(scope, ()):
                    roles_present.setdefault(ctx.role_of(pid), []).append(pid)
            resp = ctx.responsibility(resp_id)
            owners = roles_present.get(resp.owner, [])
            if not owners:
                continue
            for pid in accountable:
                role = ctx.role_of(pid)
                if role == resp.owner or (pid, resp.id) in forbidden_pairs or _shared_by_rule(
                        ctx, resp.id, frozenset((role, resp.owner))):
                    continue
                yield finding(
                    FindingKind.CONFLICTING, Severity.HIGH if resp.impact == "high" else Severity.MEDIUM,
                    scope, resp.id, [pid, *owners], RULE_CANONICAL_OWNER,
                    f"{ctx.person_label(pid, with_role=True)} is accountable for {resp.name}, which "
                    f"the role model gives to the {ctx.role_name(resp.owner)}, and "
                    f"{ctx.people_phrase(owners)} {'holds' if len(owners) == 1 else 'hold'} that role in "
                    f"{ctx.scope_phrase(scope)}.",
                    ctx.evidence([pid, *owners], resp.id),
                    suggestion=f"Move {resp.name} to the {ctx.role_name(resp.owner)}, or record why "
                               f"{ctx.person_label(pid)} owns it here.",
                )


def _shared_by_rule(ctx: Context, responsibility: str, roles: frozenset[str | None]) -> bool:
    """True when a ``shared_responsibility`` rule lets these (two or more) roles hold it together."""
    return len(roles) > 1 and ctx.memo("shared_by_rule", (responsibility, roles), lambda: any(
        responsibility in rule.responsibilities and roles <= set(rule.roles)
        for rule in ctx.model.rules_of_kind("shared_responsibility")))


def _owner_suggestion(ctx: Context, responsibility: str) -> str:
    owner = ctx.responsibility(responsibility).owner
    return f"Move {ctx.responsibility_name(responsibility)} to the {ctx.role_name(owner)}."
