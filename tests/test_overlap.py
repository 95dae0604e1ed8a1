"""Pairwise overlap and its significance against a random-pairs baseline (analyzer.overlap)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import yaml
from conftest import TINY_MODEL
from hypothesis import given, settings
from hypothesis import strategies as st
from orgs import org, person

from analyzer import overlap as ov
from analyzer.model import parse_model

RESPS = ["roadmap_prioritization", "backlog_management", "acceptance_criteria", "scrum_ceremonies", "hiring",
         "technical_delivery"]
jobs = st.dictionaries(st.sampled_from(RESPS), st.sampled_from("ARCI"), max_size=6)


@pytest.fixture(scope="module")
def model():
    return parse_model(yaml.safe_load(TINY_MODEL), "tiny.yaml")


def test_weighted_jaccard_uses_raci_weights():
    assert ov.weighted_jaccard({"a": 1.0}, {"a": 1.0}) == 1.0
    assert ov.weighted_jaccard({"a": 1.0}, {"b": 1.0}) == 0.0
    assert ov.weighted_jaccard({"a": 1.0}, {"a": ov.LEVEL_WEIGHTS["C"]}) == 0.35
    assert ov.weighted_jaccard({}, {}) == 0.0


def test_overlap_of_two_people(model):
    G = org(model, person("1", holds={"hiring": "A", "backlog_management": "R"}),
            person("2", holds={"hiring": "A", "backlog_management": "C"})).graph
    assert ov.responsibility_vector(G, "2") == {"hiring": 1.0, "backlog_management": 0.35}
    assert ov.overlap(G, "1", "2") == round(1.35 / 1.75, 4)


@settings(max_examples=60, deadline=None)
@given(st.lists(jobs, min_size=2, max_size=7))
def test_matrix_products_equal_the_direct_formula(model, people_jobs):
    analysis = org(model, *(person(str(n), team="T", holds=job) for n, job in enumerate(people_jobs, start=1)))
    G = analysis.graph
    ids = [str(n) for n in range(1, len(people_jobs) + 1) if people_jobs[n - 1]]
    if len(ids) < 2:
        return
    weights = np.array([[ov.responsibility_vector(G, pid).get(resp, 0.0) for resp in RESPS] for pid in ids])
    matrix = ov.pairwise_overlap(weights)
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            if i != j:
                # Both are rounded to 4 decimals: at a tie (1/32 = 0.03125) one unit of the last place apart.
                assert matrix[i, j] == pytest.approx(ov.overlap(G, a, b), abs=1e-4 + 1e-9)
                assert 0.0 <= matrix[i, j] <= 1.0 and matrix[i, j] == matrix[j, i]


def _org_of(model, count: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    people = []
    for n in range(1, count + 1):
        chosen = rng.choice(len(RESPS), size=2, replace=False)
        people.append(person(str(n), team=f"T{n % 4}", holds={RESPS[chosen[0]]: "A", RESPS[chosen[1]]: "R"}))
    return org(model, *people)


def test_baseline_uses_every_pair_when_few_and_samples_deterministically_when_many(model):
    small = ov.baseline(_org_of(model, 10).graph)
    assert (small.population, len(small.values), small.sampled) == (10, 45, False)
    big_graph = _org_of(model, 120).graph
    first, second = ov.baseline(big_graph, pairs=500), ov.baseline(big_graph, pairs=500)
    assert first.sampled and len(first.values) == 500 and first.values == second.values
    assert ov.baseline(big_graph, pairs=500, seed=1).values != first.values
    assert list(first.values) == sorted(first.values)


def test_percentile_p_value_and_significance():
    reference = ov.Baseline(tuple(v / 100 for v in range(100)), 20, 0, sampled=True)
    assert reference.threshold == pytest.approx(0.9405)
    assert reference.percentile(0.5) == 50.0 and reference.p_value(0.995) == round(1 / 101, 4)
    assert reference.significant(0.96) and not reference.significant(0.93)
    low = ov.Baseline(tuple(0.0 for _ in range(100)), 20, 0, sampled=True)
    assert not low.significant(0.4)  # above the baseline but below MIN_OVERLAP
    assert not ov.Baseline((0.0,) * (ov.MIN_BASELINE_PAIRS - 1), 5, 0, sampled=False).significant(1.0)


def test_scope_overlaps_are_sorted_and_sampled_in_huge_scopes(model, monkeypatch):
    G = _org_of(model, 40).graph
    reference = ov.baseline(G)
    exact = ov.scope_overlaps(G, "T1", reference)
    assert len(exact) == 45 and [p.overlap for p in exact] == sorted((p.overlap for p in exact), reverse=True)
    monkeypatch.setattr(ov, "MAX_EXACT_SCOPE", 5)
    monkeypatch.setattr(ov, "MAX_SCOPE_PAIRS", 30)
    sampled = ov.scope_overlaps(G, "T1", reference)
    assert 0 < len(sampled) <= 30 and {(p.a, p.b) for p in sampled} <= {(p.a, p.b) for p in exact}
    assert ov.scope_overlaps(G, "T1", reference) == sampled


def test_only_the_planted_twins_overlap_significantly(model):
    combos = [(i, j) for i in range(6) for j in range(6) if i != j]
    people = [person(str(n), team=f"T{n}", holds={RESPS[i]: "A", RESPS[j]: "R"})
              for n, (i, j) in enumerate(combos, start=1)]
    twin = {RESPS[0]: "A", RESPS[1]: "A", RESPS[2]: "R"}
    people += [person("91", team="Z", holds=twin), person("92", team="Z", holds=twin)]
    people.append(person("93", team="Z", holds={RESPS[3]: "A", RESPS[4]: "R"}))
    found = ov.significant_overlaps(org(model, *people).graph)
    assert [(p.scope, p.a, p.b, p.overlap) for p in found] == [("Z", "91", "92", 1.0)]
    assert found[0].percentile > 99 and found[0].p_value < 0.01


MANY_RESPS = [f"r{n:02d}" for n in range(12)]  # more than 8 columns: numpy sums rows in blocks of 8
many_jobs = st.dictionaries(st.sampled_from(MANY_RESPS), st.sampled_from("ARCI"), max_size=12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(many_jobs, max_size=9), min_size=1, max_size=6), st.booleans())
def test_all_scopes_at_once_equal_scope_by_scope(scope_jobs, sample_big_scopes):
    # The batched computation must give exactly (not approximately) the numbers of scope_overlaps.
    vectors, members = {}, {}
    for s, jobs in enumerate(scope_jobs):
        members[f"T{s}"] = []
        for n, job in enumerate(jobs):
            pid = str(100 * s + n)
            vectors[pid] = {resp: ov.LEVEL_WEIGHTS[level] for resp, level in job.items()}
            members[f"T{s}"].append(pid)
    everything = ov.Baseline(tuple(0.0 for _ in range(100)), 20, 0, sampled=True)
    G = nx.DiGraph()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ov, "MIN_OVERLAP", 0.0)  # every pair with something in common is "significant"
        patch.setattr(ov, "MIN_SHARED_WEIGHT", 0.0)
        if sample_big_scopes:
            patch.setattr(ov, "MAX_EXACT_SCOPE", 4)
            patch.setattr(ov, "MAX_SCOPE_PAIRS", 10)
        one_by_one = [pair for scope, ids in members.items() for pair in ov.scope_overlaps(
            G, scope, everything, ids, only_significant=True, vectors_of=vectors)]
        assert ov.significant_scope_overlaps(G, members, everything, vectors) == one_by_one


def test_all_scopes_at_once_sum_rows_as_scope_overlaps_does(monkeypatch):
    # Found by comparing the two on random scopes. Persons 2 and 5 share 0.2 of RACI weight and their
    # totals are 3.7 and 2.9: 0.2 / 6.4 = 1/32 = 0.03125, a tie at 4 decimals. numpy sums 2.9 as
    # 2.9000000000000004 in this scope's 11 x 14 C-ordered matrix and as 2.9 in other layouts (or with
    # fewer rows), and the overlap rounds to 0.0312 or 0.0313 accordingly.
    jobs = ["..I..R..C.....", ".....I........", "IRR......CR..A", "CI..C.ARICCR.A", ".CR.A..AI.IR..",
            "C...CCAR..I...", ".C........I...", ".A..CR.R......", "..IR.I.CRICC.R", "....I.........",
            "....R.I.AI.RRI"]
    vectors = {str(n): {f"r{column:02d}": ov.LEVEL_WEIGHTS[level] for column, level in enumerate(job) if level != "."}
               for n, job in enumerate(jobs)}
    monkeypatch.setattr(ov, "MIN_OVERLAP", 0.0)
    monkeypatch.setattr(ov, "MIN_SHARED_WEIGHT", 0.0)
    everything = ov.Baseline(tuple(0.0 for _ in range(100)), 20, 0, sampled=True)
    G, members = nx.DiGraph(), list(vectors)
    one_by_one = ov.scope_overlaps(G, "T", everything, members, only_significant=True, vectors_of=vectors)
    assert next(pair.overlap for pair in one_by_one if (pair.a, pair.b) == ("2", "5")) == 0.0312
    assert ov.significant_scope_overlaps(G, {"T": members}, everything, vectors) == one_by_one
