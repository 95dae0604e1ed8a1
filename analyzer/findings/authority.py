"""Accountability without authority: the accountable person has no line authority over the doers.

Rule ``authority_over_doers`` (kind ``authority_gap``)
-----------------------------------------------------
In a scope where exactly one person is accountable (A) for a responsibility, the people who do it (R)
are checked against the accountable person's line authority. A doer is *outside* when the accountable
person is not in the doer's management chain (they report elsewhere), and *above* when the doer is the
accountable person's own (direct or indirect) manager: accountability then points up the hierarchy.

- For responsibilities the model gives to a people-manager role (``people_manager: true``: technical
  delivery, hiring, capacity), authority is part of the job: outside and above doers are reported,
  severity medium.
- Product responsibilities are led by influence by design (a product manager owns the roadmap that
  product owners in other reporting lines help build), so peers outside the line are normal; only
  doers *above* the accountable person are reported, severity low: the accountable person cannot
  direct their own manager.

The test needs manager data: it is skipped for the whole organisation when the export has no
resolvable manager ids, and for a doer whose chain leaves the export (a manager id that is not a row),
because their real chain is unknown.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer import graph as g
from analyzer.findings.context import Context, finding
from analyzer.records import Finding, FindingKind, Severity

RULE_AUTHORITY_OVER_DOERS = "authority_over_doers"


def authority_gaps(ctx: Context) -> Iterator[Finding]:
    """Doers (R) outside the reporting line of the single accountable person (A) in their scope."""
    if not ctx.managers:  # nobody's manager is in the export
        return
    people_managed = {resp_id: ctx.model.people_managed(resp_id) for resp_id in ctx.model.responsibility_ids}
    for scope, by_resp in ctx.index.items():
        for resp, levels in by_resp.items():
            accountable = levels.get("A", [])
            if len(accountable) != 1 or "R" not in levels:
                continue
            owner = accountable[0]
            authority_is_the_job = people_managed[resp]
            outside, above = [], []
            for doer in levels.get("R", ()):
                if doer == owner or not _chain_known(ctx, doer) or owner in ctx.chain(doer):
                    continue
                (above if doer in ctx.chain(owner) else outside).append(doer)
            if not authority_is_the_job:
                outside = []
            if outside or above:
                yield _gap(ctx, scope, resp, owner, outside, above, authority_is_the_job)


def _chain_known(ctx: Context, person_id: str) -> bool:
    """True when the person's management chain is complete within the export."""
    return ctx.memo("chain_known", person_id, lambda: _top_manager_known(ctx, person_id))


def _top_manager_known(ctx: Context, person_id: str) -> bool:
    chain = ctx.chain(person_id)
    top = chain[-1] if chain else person_id
    manager = ctx.person(top).get("manager_id")
    return not manager or g.person_node(manager) in ctx.G


def _gap(ctx: Context, scope: str, resp: str, owner: str, outside: list[str], above: list[str],
         authority_is_the_job: bool) -> Finding:
    name = ctx.responsibility_name(resp)
    owner_name = ctx.person(owner).get("name") or f"person {owner}"
    parts = []
    if outside:
        managers = g.sort_people(m for d in outside if (m := g.manager_of(ctx.G, d)))
        via = f" (they report to {ctx.people_phrase(managers)})" if managers else ""
        verb = "does" if len(outside) == 1 else "do"
        parts.append(f"{ctx.people_phrase(outside)} {verb} the work but {'sits' if len(outside) == 1 else 'sit'} "
                     f"outside {owner_name}'s reporting line{via}")
    if above:
        parts.append(f"{ctx.people_phrase(above)}, who also {'does' if len(above) == 1 else 'do'} the work, "
                     f"{'is' if len(above) == 1 else 'are'} {owner_name}'s own manager"
                     f"{'' if len(above) == 1 else 's'}")
    explanation = (f"{ctx.person_label(owner)} is accountable for {name} in {ctx.scope_phrase(scope)}, but "
                   + "; and ".join(parts) + f". Without line authority, {owner_name} can only persuade: when "
                   "priorities clash, people follow their own manager.")
    return finding(
        FindingKind.AUTHORITY_GAP, Severity.MEDIUM if authority_is_the_job else Severity.LOW, scope, resp,
        [owner, *outside, *above], RULE_AUTHORITY_OVER_DOERS, explanation,
        ctx.evidence([owner, *outside, *above], resp),
        suggestion=f"Give accountability for {name} to the manager of the people who do it, or have them "
                   f"report to {owner_name}; at the least, agree in writing who decides.",
    )
