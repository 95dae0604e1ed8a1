"""Rule ``significant_overlap`` (kind ``overlap``): two people in one team doing largely the same job.

The number and its significance come from :mod:`analyzer.overlap` (weighted Jaccard on RACI-weighted
responsibility vectors against a baseline of random pairs from the same organisation). Severity:
medium when the overlap is at least :data:`HIGH_OVERLAP` (nearly the same job), else low. People with
the very same job description text are not reported: one job template filled twice is not an overlap.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer import overlap as ov
from analyzer.findings.context import Context, finding
from analyzer.records import Finding, FindingKind, Severity

RULE_SIGNIFICANT_OVERLAP = "significant_overlap"
HIGH_OVERLAP = 0.75
_DOING = ("A", "R")


def overlaps(ctx: Context, reference: ov.Baseline | None = None) -> Iterator[Finding]:
    """One finding per pair of people in one scope whose jobs overlap significantly."""
    vectors = ctx.vectors
    reference = reference or ov.baseline(ctx.G, vectors_of=vectors, people=list(ctx.tables.rank))
    if not reference.usable:
        return
    for pair in ov.significant_scope_overlaps(ctx.G, ctx.members, reference, vectors):
        if not _same_job(ctx, pair):
            yield _finding(ctx, pair, reference)


def _same_job(ctx: Context, pair: ov.PairOverlap) -> bool:
    # Two people hired on the very same job description (two backend engineers on one template) do
    # the same job by design: that is not an overlap between jobs.
    key_a = ctx.person(pair.a).get("description_key")
    return bool(key_a) and key_a == ctx.person(pair.b).get("description_key")


def _finding(ctx: Context, pair: ov.PairOverlap, reference: ov.Baseline) -> Finding:
    levels_a, levels_b = ctx.levels_of(pair.a), ctx.levels_of(pair.b)
    order = ctx.responsibility_order
    shared = sorted((resp for resp in levels_a.keys() & levels_b.keys()
                     if levels_a[resp] in _DOING and levels_b[resp] in _DOING and resp in order), key=order.get)
    both_own = [resp for resp in shared if levels_a[resp] == levels_b[resp] == "A"]
    how = "random pairs" if reference.sampled else "pairs"
    detail = (f" Both are accountable for {ctx.responsibility_list(both_own)}." if both_own else
              f" Both hold {ctx.responsibility_list(shared)}." if shared else "")
    explanation = (
        f"{ctx.person_label(pair.a)} and {ctx.person_label(pair.b)} in {ctx.scope_phrase(pair.scope)} do much "
        f"the same job: their responsibilities overlap {pair.overlap:.0%} (weighted by RACI level), more than "
        f"{pair.percentile:.0f}% of {how} of jobs in this organisation (p = {pair.p_value:.3f}).{detail}"
    )
    evidence = tuple(item for resp in shared[:2] for item in ctx.evidence([pair.a, pair.b], resp)[:2])
    focus = both_own or shared
    suggestion = (f"Decide who is accountable for {ctx.responsibility_list(focus, limit=3)}; the other becomes "
                  "responsible or consulted. If the jobs really are the same, consider merging them."
                  if focus else "Check whether both jobs are needed as described.")
    return finding(
        FindingKind.OVERLAP, Severity.MEDIUM if pair.overlap >= HIGH_OVERLAP else Severity.LOW, pair.scope, None,
        [pair.a, pair.b], RULE_SIGNIFICANT_OVERLAP, explanation, evidence, suggestion,
        metrics={"overlap": pair.overlap, "percentile": pair.percentile, "p_value": pair.p_value,
                 "baseline_threshold": reference.threshold},
    )
