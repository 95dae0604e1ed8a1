"""Who is accountable: duplicated accountability and accountability held by the wrong role."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer import graph as g
from analyzer.findings.context import Context, finding
from analyzer.records import Finding, FindingKind, Severity

RULE_SINGLE_ACCOUNTABLE = "single_accountable"
RULE_CANONICAL_OWNER = "canonical_owner"


def duplicated(ctx: Context, conflicts: list[Finding]) -> Iterator[Finding]:
    """Two or more people accountable (A) for the same responsibility in one scope.

    Pairs the model allows (``shared_responsibility`` rules, e.g. PM and PMM both doing research)
    are not duplication. When a conflict finding already names every extra holder (a non-owner role
    holding A next to the owner role), the duplication is left to that more specific finding.
    """
    shared = ctx.model.rules_of_kind("shared_responsibility")
    conflicted = {(f.scope, f.responsibility, pid) for f in conflicts for pid in f.people}
    for scope in g.scopes(ctx.G):
        for resp in ctx.model.responsibility_ids:
            accountable = g.holders(ctx.G, resp, ("A",), scope)
            if len(accountable) < 2:
                continue
            roles = {g.role_of(ctx.G, pid) for pid in accountable}
            if any(resp in rule.responsibilities and roles <= set(rule.roles) and len(roles) > 1
                   for rule in shared):
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
            )


def conflicting(ctx: Context) -> Iterator[Finding]:
    """Accountability that contradicts the model: forbidden by a rule, or taken from the owner role."""
    forbidden_pairs = set()
    for rule in ctx.model.rules_of_kind("forbidden_accountability"):
        if rule.finding != FindingKind.CONFLICTING.value:
            continue
        for pid in g.people(ctx.G):
            role = g.role_of(ctx.G, pid)
            if role not in rule.roles:
                continue
            for resp in rule.responsibilities:
                if g.level_of(ctx.G, pid, resp) is None or g.level_of(ctx.G, pid, resp).value != "A":
                    continue
                forbidden_pairs.add((pid, resp))
                scope = g.person(ctx.G, pid)["scope"]
                yield finding(
                    FindingKind.CONFLICTING, Severity(rule.severity), scope, resp, [pid], rule.id,
                    f"{ctx.person_label(pid)} is accountable for {ctx.responsibility_name(resp)}, "
                    f"but {rule.explanation}",
                    ctx.evidence([pid], resp),
                    suggestion=_owner_suggestion(ctx, resp),
                )
    for scope in g.scopes(ctx.G):
        members = g.people_in_scope(ctx.G, scope)
        roles_present = {}
        for pid in members:
            roles_present.setdefault(g.role_of(ctx.G, pid), []).append(pid)
        for resp in ctx.model.responsibilities:
            owners = roles_present.get(resp.owner, [])
            if not owners:
                continue
            for pid in g.holders(ctx.G, resp.id, ("A",), scope):
                role = g.role_of(ctx.G, pid)
                if role == resp.owner or (pid, resp.id) in forbidden_pairs or _shared(ctx, resp.id, role,
                                                                                       resp.owner):
                    continue
                yield finding(
                    FindingKind.CONFLICTING, Severity.MEDIUM if resp.impact != "high" else Severity.HIGH,
                    scope, resp.id, sorted({pid, *owners}), RULE_CANONICAL_OWNER,
                    f"{ctx.person_label(pid)} ({ctx.role_name(role)}) is accountable for {resp.name}, which "
                    f"the role model gives to the {ctx.role_name(resp.owner)}, and "
                    f"{ctx.people_phrase(owners)} {'holds' if len(owners) == 1 else 'hold'} that role in "
                    f"{ctx.scope_phrase(scope)}.",
                    ctx.evidence([pid, *owners], resp.id),
                    suggestion=f"Move {resp.name} to the {ctx.role_name(resp.owner)}, or record why "
                               f"{ctx.person_label(pid)} owns it here.",
                )


def _shared(ctx: Context, responsibility: str, role: str | None, owner: str) -> bool:
    return any(responsibility in rule.responsibilities and {role, owner} <= set(rule.roles)
               for rule in ctx.model.rules_of_kind("shared_responsibility"))


def _owner_suggestion(ctx: Context, responsibility: str) -> str:
    owner = ctx.model.responsibility(responsibility).owner
    return f"Move {ctx.responsibility_name(responsibility)} to the {ctx.role_name(owner)}."
