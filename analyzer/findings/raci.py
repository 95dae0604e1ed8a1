"""RACI hygiene per scope: work nobody answers for, approval nobody executes, too many consulted,
and one person accountable for most things.

Rules
-----
``accountable_for_done_work`` (kind ``unowned``)
    People do a responsibility (R) in a scope, and nobody is accountable (A) for it: not in the scope,
    not up the doers' management chain, and, for responsibilities the model expects at organisation
    level (``expectations.organisation``), nowhere in the organisation. Job descriptions mention much
    contributing work, so the rule is strict only where the model expects an owner: for a responsibility
    the model expects in this scope (organisation-level ones everywhere, delivery-team ones in teams with
    engineers) one doer is enough and the severity is the responsibility's impact, at least medium; for
    any other responsibility it takes :data:`MIN_DOERS_UNEXPECTED` people doing it with nobody deciding,
    and the severity is low.
``work_behind_approval`` (kind ``unstaffed``)
    RACI asks for at least one R, but in product organisations the accountable person usually does the
    work too, and job descriptions rarely say "and also do it". So "A without R" is reported only when
    the single accountable person's evidence is *approval wording only* ("approve", "sign off", "final
    say"; ``analyzer/data/findings.yaml``) and nobody does the work (R) in the scope, nor anyone in
    the organisation who reports to that person (at A or R). Positions inferred from titles alone are
    not judged. Severity: low - it asks the consultant to confirm who does the work.
``max_consulted`` (kind ``too_many_consulted``)
    More than :data:`MAX_CONSULTED` people consulted (C) on one responsibility in one scope. Every
    consulted person is a two-way conversation before a decision; beyond a handful, decisions wait.
    Severity: low.
``accountability_concentration`` (kind ``overloaded``)
    One person accountable for at least :data:`OVERLOAD_SHARE` of the responsibilities that have an
    accountable person in their scope, and for more responsibilities than any single role - or any
    combination the model allows (``combined_roles``) - owns, plus :data:`OVERLOAD_MARGIN`. Only in
    scopes of at least :data:`OVERLOAD_MIN_SCOPE_SIZE` people (in a pair, one person owning most things
    is unavoidable). Severity: medium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import yaml

from analyzer import graph as g
from analyzer.findings.context import Context, at_least, finding
from analyzer.records import Finding, FindingKind, Severity

RULE_ACCOUNTABLE_FOR_DONE_WORK = "accountable_for_done_work"
RULE_WORK_BEHIND_APPROVAL = "work_behind_approval"
RULE_MAX_CONSULTED = "max_consulted"
RULE_ACCOUNTABILITY_CONCENTRATION = "accountability_concentration"

MIN_DOERS_UNEXPECTED = 2  # doers needed before unowned work nobody expects here is reported
MAX_CONSULTED = 4  # consulted people per responsibility per scope before it is a finding
OVERLOAD_SHARE = 0.5  # share of the scope's accountable responsibilities held by one person
OVERLOAD_MARGIN = 2  # accountable responsibilities beyond the largest legitimate role bundle
OVERLOAD_MIN_SCOPE_SIZE = 3


@lru_cache(maxsize=1)
def _approval_patterns() -> tuple[re.Pattern, ...]:
    text = (resources.files("analyzer") / "data" / "findings.yaml").read_text(encoding="utf-8")
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in yaml.safe_load(text)["approval_wording"])


def is_approval_only(sentences: list[str]) -> bool:
    """True when every sentence uses approval wording ("approve", "sign off", "final say").

    Examples
    --------
    >>> is_approval_only(["Approve the quarterly roadmap."]), is_approval_only(["Build the roadmap."])
    (True, False)
    """
    return bool(sentences) and all(_approval_wording(text) for text in sentences)


@lru_cache(maxsize=1 << 16)  # people hired on one template share their sentences: each is read once
def _approval_wording(text: str) -> bool:
    return any(pattern.search(text) for pattern in _approval_patterns())


def unowned(ctx: Context) -> Iterator[Finding]:
    """Work done (R) with nobody accountable (A) in the scope, up the chain, or (org-level) anywhere."""
    expectations = ctx.model.expectations
    org_level = {*expectations.organisation, *(c.responsibility for c in expectations.organisation_conditional)}
    team_level = {*expectations.delivery_team, *expectations.delivery_team_management_chain}
    delivery = set(ctx.delivery_scopes)
    inactive = ctx.inactive
    for scope, by_resp in ctx.index.items():
        for resp, levels in by_resp.items():
            if levels.get("A") or "R" not in levels:
                continue
            doers = [pid for pid in levels["R"] if pid not in inactive]  # empty seats: orphaned
            expected = resp in org_level or (scope in delivery and resp in team_level)
            if len(doers) < (1 if expected else MIN_DOERS_UNEXPECTED):
                continue
            if resp in org_level and ctx.holders_anywhere(resp, "A"):
                continue
            owners = ctx.accountable_anywhere(resp)
            if any(not owners.isdisjoint(ctx.chain(pid)) for pid in doers):  # an owner up someone's chain
                continue
            name = ctx.responsibility_name(resp)
            owner = ctx.role_name(ctx.responsibility(resp).owner)
            verb = "does" if len(doers) == 1 else "do"
            why = (" The role model expects someone to be accountable for it here." if expected else
                   " With several people doing it and nobody deciding, they pull in different directions.")
            yield finding(
                FindingKind.UNOWNED, at_least(ctx.severity_for(resp), Severity.MEDIUM) if expected else Severity.LOW,
                scope, resp, doers, RULE_ACCOUNTABLE_FOR_DONE_WORK,
                f"In {ctx.scope_phrase(scope)}, {ctx.people_phrase(doers)} {verb} the work of {name}, but nobody "
                f"in the team or up their management chain is accountable for it.{why}",
                ctx.evidence(doers, resp),
                suggestion=f"Name one accountable person for {name} in {ctx.scope_phrase(scope)}; the role "
                           f"model gives it to the {owner}.",
            )


def unstaffed(ctx: Context) -> Iterator[Finding]:
    """One person only approves a responsibility and nobody is shown doing it."""
    for scope, by_resp in ctx.index.items():
        for resp, levels in by_resp.items():
            accountable = levels.get("A", [])
            if len(accountable) != 1 or levels.get("R"):
                continue
            approver = accountable[0]
            data = ctx.holding(approver, resp)
            if ctx.person(approver).get("title_only") or not is_approval_only(data["evidence"]):
                continue
            doers_below = [pid for pid in ctx.holders_anywhere(resp, "AR")
                           if pid != approver and approver in ctx.chain(pid)]
            if doers_below:
                continue
            name = ctx.responsibility_name(resp)
            yield finding(
                FindingKind.UNSTAFFED, Severity.LOW, scope, resp, [approver], RULE_WORK_BEHIND_APPROVAL,
                f"{ctx.person_label(approver)} approves {name} in {ctx.scope_phrase(scope)}, but nobody there "
                "or in their reporting line is described as doing the work. Someone has to prepare what "
                "gets approved; if nobody is named, it is done ad hoc or not at all.",
                ctx.evidence([approver], resp),
                suggestion=f"Confirm who does the work of {name}; if it is "
                           f"{ctx.person(approver).get('name') or 'the approver'}, say so in the job "
                           "description, otherwise name a responsible person.",
            )


def too_many_consulted(ctx: Context) -> Iterator[Finding]:
    """More than :data:`MAX_CONSULTED` people consulted on one responsibility in one scope."""
    for scope, by_resp in ctx.index.items():
        for resp, levels in by_resp.items():
            consulted = levels.get("C", [])
            if len(consulted) <= MAX_CONSULTED:
                continue
            name = ctx.responsibility_name(resp)
            yield finding(
                FindingKind.TOO_MANY_CONSULTED, Severity.LOW, scope, resp, consulted, RULE_MAX_CONSULTED,
                f"In {ctx.scope_phrase(scope)}, {len(consulted)} people are consulted on {name}: "
                f"{ctx.people_phrase(consulted)}. Every consulted person is a conversation before a decision; "
                f"with more than {MAX_CONSULTED}, decisions wait for everyone.",
                ctx.evidence(consulted, resp),
                suggestion="Keep as consulted only the two or three people whose input changes the decision; "
                           "keep the others informed (I).",
                metrics={"consulted": len(consulted)},
            )


def overloaded(ctx: Context) -> Iterator[Finding]:
    """One person accountable for a large share of everything in their scope."""
    bundle = largest_role_bundle(ctx)
    minimum = bundle + OVERLOAD_MARGIN
    for scope, by_resp in ctx.index.items():
        if len(ctx.members.get(scope, ())) < OVERLOAD_MIN_SCOPE_SIZE:
            continue
        owned = [resp for resp, levels in by_resp.items() if levels.get("A")]
        held: dict[str, list[str]] = {}
        for resp in owned:
            for pid in by_resp[resp]["A"]:
                held.setdefault(pid, []).append(resp)
        for pid in g.sort_people(held):
            count = len(held[pid])
            share = count / len(owned)
            if count < minimum or share < OVERLOAD_SHARE:
                continue
            role = ctx.role_of(pid)
            movable = [resp for resp in held[pid] if ctx.responsibility(resp).owner != role]
            delegate = "; ".join(f"{ctx.responsibility_name(resp)} to "
                                 f"{ctx.a_role(ctx.responsibility(resp).owner)}" for resp in movable[:3])
            yield finding(
                FindingKind.OVERLOADED, Severity.MEDIUM, scope, None, [pid], RULE_ACCOUNTABILITY_CONCENTRATION,
                f"{ctx.person_label(pid)} is accountable for {count} of the {len(owned)} responsibilities that "
                f"have an accountable person in {ctx.scope_phrase(scope)} ({share:.0%}); no role in the role model, "
                f"nor any combination of roles it allows, owns more than {bundle}. Decisions queue behind one "
                "person and stop when they are away.",
                tuple(item for resp in held[pid][:3] for item in ctx.evidence([pid], resp)[:1]),
                suggestion=(f"Delegate accountability: {delegate}." if delegate else
                            "Delegate accountability for some of these responsibilities to other people in the "
                            "team."),
                metrics={"accountable": count, "share": share},
            )


def largest_role_bundle(ctx: Context) -> int:
    """Most responsibilities one person legitimately owns: one role, or roles a combined_roles rule allows."""
    sizes = [len(ctx.model.owned_by(role)) for role in ctx.model.role_ids]
    for rule in ctx.model.rules_of_kind("combined_roles"):
        sizes.append(sum(len(ctx.model.owned_by(role)) for role in rule.roles))
    return max(sizes, default=0)
