"""The evaluation command and the separation of held-out data from the model (analyzer.evaluate)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import REPO, SHARED

from analyzer.evaluate import (
    LabelledStatement,
    predict_statements,
    read_statements,
    score_statements,
)
from analyzer.pipeline import get_mapper
from analyzer.roleeval import evaluate_jds

EVALUATION = REPO / "evaluation"


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _trigrams(text: str) -> set[str]:
    text = _normalise(text)
    return {text[i:i + 3] for i in range(len(text) - 2)}


@pytest.mark.parametrize("split", ["dev", "test"])
def test_held_out_files_are_well_formed(default_model, split):
    rows = read_statements(EVALUATION / f"statements_{split}.csv")
    assert len(rows) >= 300
    ids = set(default_model.responsibility_ids)
    for row in rows:
        assert set(row.labels) <= ids, row.id
        assert row.level in {"A", "R", "C", "I", "X", "-"}
        assert (row.level == "-") == (not row.labels), row.id
    held = [label for row in rows for label in row.held]
    assert all(held.count(resp) >= 6 for resp in ids)


def test_held_out_sentences_are_not_in_the_model(default_model):
    """Training phrasings and held-out sentences are kept strictly apart: no held-out sentence (or a
    near copy of one, by character-trigram Jaccard) is among the model's phrasings or keywords."""
    training = [p for r in default_model.responsibilities for p in (*r.phrasings, *r.keywords)]
    training += [p for f in default_model.families for p in f.phrasings]
    exact = {_normalise(text) for text in training}
    grams = [(_trigrams(text), text) for text in training if len(text) > 40]
    for split in ("dev", "test"):
        for row in read_statements(EVALUATION / f"statements_{split}.csv"):
            assert _normalise(row.text) not in exact, row.id
            if len(row.text) <= 40:
                continue
            mine = _trigrams(row.text)
            for theirs, text in grams:
                overlap = len(mine & theirs) / len(mine | theirs)
                assert overlap < 0.8, f"{row.id} is a near copy of the model phrasing {text!r}"


def test_dev_and_test_splits_do_not_share_sentences():
    dev = {_normalise(r.text) for r in read_statements(EVALUATION / "statements_dev.csv")}
    test = {_normalise(r.text) for r in read_statements(EVALUATION / "statements_test.csv")}
    assert not dev & test


def test_scoring_counts_hits_misses_and_exclusions(default_model):
    rows = [
        LabelledStatement("a", "Own and order the product backlog", ("backlog_management",), "A", "bullet"),
        LabelledStatement("b", "Hire engineers for the platform team", ("hiring",), "R", "bullet"),
        LabelledStatement("c", "You will not hire anyone", ("hiring",), "X", "negation"),
        LabelledStatement("d", "We offer generous parental leave", (), "-", "boilerplate"),
    ]
    predictions = [(["backlog_management"], "A"), (["career_development"], "R"), ([], None), ([], None)]
    report = score_statements(default_model, rows, predictions)
    assert report.positives == 2
    assert report.top1 == 0.5
    assert report.exclusion_rate == 1.0 and report.abstention_rate == 1.0
    assert report.confusions == [(("hiring", "career_development"), 1)]
    assert report.per_class["backlog_management"][:3] == (1.0, 1.0, 1.0)
    assert report.level_accuracy == 1.0


def test_the_mapper_reads_a_sample_of_the_dev_split(default_model):
    rows = read_statements(EVALUATION / "statements_dev.csv")[:60]
    report = score_statements(default_model, rows, predict_statements(get_mapper(default_model), rows))
    assert report.top1 > 0.7  # a smoke check; the figures come from `python -m analyzer.evaluate`


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "real_jds" / "index.csv").exists(),
                    reason="../shared/real_jds is not beside the repo")
def test_role_from_content_on_published_jds_runs(default_model):
    results = evaluate_jds(get_mapper(default_model), default_model, Path(SHARED / "real_jds"))
    assert len(results) == 39
    assert {r.gold for r in results} >= {"product_manager", "scrum_master", "other"}
    assert sum(r.predicted == r.gold for r in results) >= 20


def test_doubtful_labels_are_read_from_the_corpus_readme(tmp_path):
    from analyzer.roleeval import _files_listed_as_doubtful

    (tmp_path / "README.md").write_text(
        "# Corpus\n\nSee `a__pm.txt` for the format.\n\n## Labels with doubts\n\n- `b__po.txt`: could be a PM.\n"
        "- `c__sm.txt` and `d__dm.txt`: delivery managers.\n\n"
        "## Near-duplicates\n\n- `e__pm.txt` repeats `a__pm.txt`.\n",
        encoding="utf-8")
    assert _files_listed_as_doubtful(tmp_path / "README.md") == {"b__po.txt", "c__sm.txt", "d__dm.txt"}
    assert _files_listed_as_doubtful(tmp_path / "missing.md") == set()


def test_notes_that_raise_a_doubt():
    from analyzer.roleeval import _notes_raise_doubt

    assert _notes_raise_doubt("Fintech. doubt: product_owner because it keeps the backlog")
    assert _notes_raise_doubt("Labelled TPM; product_manager could also be read")
    assert not _notes_raise_doubt("Bank, long advert. doubt: none strong")
    assert not _notes_raise_doubt("Startup post, short.")




def _shingles(text: str, size: int = 10) -> set[str]:
    words = _normalise(text).split()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(not (SHARED / "real_jds" / "index.csv").exists(),
                    reason="needs ../shared/real_jds (the published job descriptions)")
def test_the_model_adverts_copy_no_published_job_description(default_model):
    # No run of 20 words in common: shorter runs are stock wording ("experience may be substituted for the
    # required education on a year for year basis"), which the invented adverts share with real ones.
    published = set()
    for path in (SHARED / "real_jds").rglob("*"):
        if path.suffix in (".txt", ".md") and path.name != "README.md":
            published |= _shingles(path.read_text(encoding="utf-8", errors="replace"), 20)
    copied = {advert.source: len(_shingles(advert.text, 20) & published) for advert in default_model.adverts}
    copied |= {row["file"]: len(_shingles((folder / row["file"]).read_text(encoding="utf-8"), 20) & published)
               for folder, row in _held_adverts()}  # nor do the held-out ones
    assert published and not {source: count for source, count in copied.items() if count}


HELD_ADVERTS = EVALUATION / "adverts"


def _held_adverts() -> list[tuple[Path, dict]]:
    return [(index.parent, row) for index in sorted(HELD_ADVERTS.glob("*/index.csv"))
            for row in csv.DictReader(index.open(encoding="utf-8", newline=""))]


def test_held_out_adverts_are_labelled_with_the_model_s_ids(default_model):
    rows = _held_adverts()
    assert len(rows) == 176  # sets 6, 7, 10 and 13, 32 adverts each; sets 17 and 18, 24 each
    families = {family.id for family in default_model.families if not family.generic}
    for folder, row in rows:
        text = (folder / row["file"]).read_text(encoding="utf-8")
        assert text.split("\n", 1)[0] == row["title"], row["file"]
        if row["canonical_role"] == "other":
            assert row["family"] in families, row["file"]
        else:
            assert row["canonical_role"] in default_model.role_ids and not row["family"], row["file"]


def test_held_out_adverts_are_not_in_training(default_model):
    # No duty statement shares a run of 20 words with one of the model's adverts. Boilerplate is left out:
    # stock wording (equal-opportunity text, the Civil Service behaviours) is shared by invented and real
    # adverts alike; and writers who read the same spec write some of the same 12-word runs ("protect the
    # teams from mid-sprint scope changes and help them keep a sustainable pace").
    from analyzer.records import StatementKind
    from analyzer.segment import segment

    def duties(text: str) -> set[str]:
        return {run for s in segment(text) if s.kind is StatementKind.DUTY for run in _shingles(s.text, 20)}

    trained = set()
    for advert in default_model.adverts:
        trained |= duties(advert.text)
    for folder, row in _held_adverts():
        assert not duties((folder / row["file"]).read_text(encoding="utf-8")) & trained, row["file"]


def test_held_out_adverts_are_read_with_their_labelled_families(default_model):
    from analyzer.roleeval import evaluate_jds

    results = evaluate_jds(get_mapper(default_model), default_model, HELD_ADVERTS / "set7")
    assert len(results) == 32
    assert {r.gold_family for r in results if r.gold == "other"} >= {"business_analysis", "design_ux"}
    assert not any(r.gold_family for r in results if r.gold != "other")


def test_each_set_of_adverts_is_read_by_a_classifier_trained_without_it(default_model, monkeypatch):
    from analyzer.mapping import jobs
    from analyzer.roleeval import evaluate_adverts

    mapper = get_mapper(default_model)  # trained before the patch: the mapper's training forks and pickles
    trained_on = []

    class Recording(jobs.JobClassifier):
        def __init__(self, model, adverts=None):
            trained_on.append({advert.group for advert in adverts})
            super().__init__(model, adverts)

    monkeypatch.setattr(jobs, "JobClassifier", Recording)
    monkeypatch.setattr(jobs, "DOCUMENTS_PER_ROLE", 20)  # the split is under test, not the accuracy
    monkeypatch.setattr(jobs, "DOCUMENTS_PER_FAMILY", 10)
    results = evaluate_adverts(mapper, default_model)
    groups = sorted({advert.group for advert in default_model.adverts})
    assert list(results) == groups
    assert trained_on == [set(groups) - {group} for group in groups]
    assert sum(len(rows) for rows in results.values()) == len(default_model.adverts)
    assert {row.gold for rows in results.values() for row in rows} <= {*default_model.role_ids, "other"}
    family_of = {advert.source: advert.family or "" for advert in default_model.adverts}
    assert all(row.gold_family == family_of[row.file] and bool(row.gold_family) == (row.gold == "other")
               for rows in results.values() for row in rows)


def test_adverts_cut_short_are_read_from_their_first_duty_statements_and_requirements_only(default_model,
                                                                                           monkeypatch):
    import io

    from analyzer.mapping import jobs
    from analyzer.roleeval import evaluate_adverts_cut, print_cut_summary

    mapper = get_mapper(default_model)  # trained before the patch: the mapper's training forks and pickles
    calls = []  # the documents of each call: per set, whole then cut

    class Recording(jobs.JobClassifier):
        def scores_many(self, documents):
            calls.append([list(statements) for statements in documents])
            return super().scores_many(documents)

    monkeypatch.setattr(jobs, "JobClassifier", Recording)
    monkeypatch.setattr(jobs, "DOCUMENTS_PER_ROLE", 20)  # the cut is under test, not the accuracy
    monkeypatch.setattr(jobs, "DOCUMENTS_PER_FAMILY", 10)
    results = evaluate_adverts_cut(mapper, default_model, [None, 3])
    assert sum(len(rows) for rows in results[3].values()) == len(default_model.adverts)
    groups = sorted({advert.group for advert in default_model.adverts})
    adverts = [advert for group in groups for advert in default_model.adverts if advert.group == group]
    duties = [len(mapping.mappings) for mapping in mapper.map_texts([advert.text for advert in adverts])]
    whole = [document for call in calls[0::2] for document in call]
    cut = [document for call in calls[1::2] for document in call]
    assert len(whole) == len(cut) == len(duties)
    # the first three duty statements, then the first three requirements, of the whole document
    assert cut == [document[:min(n, 3)] + document[n:n + 3] for document, n in zip(whole, duties, strict=True)]
    assert max(duties) > 3 and any(len(document) > n for document, n in zip(whole, duties, strict=True))
    out = io.StringIO()
    print_cut_summary(results, out)
    lines = out.getvalue().splitlines()
    assert "first 3" in lines[1] and lines[-1].startswith("all") and len(lines) == 2 + len(results[3]) + 1


def test_a_description_cut_short_keeps_its_first_duties_and_requirements_and_the_rest():
    from analyzer.mapping.jobs import first_statements
    from analyzer.records import Statement, StatementKind

    D, R, B = StatementKind.DUTY, StatementKind.REQUIREMENT, StatementKind.BOILERPLATE
    statements = [Statement("About us", B), Statement("d1", D), Statement("r1", R), Statement("d2", D),
                  Statement("d3", D), Statement("r2", R), Statement("r3", R), Statement("Apply now", B)]
    assert [s.text for s in first_statements(statements, 2)] == ["About us", "d1", "r1", "d2", "r2", "Apply now"]


def test_role_report_counts_roles_other_jobs_and_the_families_named():
    import io

    from analyzer.roleeval import JdResult, print_jd_report

    results = [
        JdResult("pm.txt", "", "product_manager", "product_manager", 0.8, ""),
        JdResult("po.txt", "", "product_owner", "other", 0.0, "doubt", family="business_analysis"),
        JdResult("analyst.txt", "", "other", "other", 0.0, "", family="data_analysis", gold_family="data_analysis"),
        JdResult("qa.txt", "", "other", "other", 0.0, "", family="software_engineering",
                 gold_family="quality_engineering"),
        JdResult("writer.txt", "", "other", "product_marketing_manager", 0.6, "", gold_family="marketing_general"),
    ]
    out = io.StringIO()
    print_jd_report(results, out, heading="tiny", misses_only=True)
    lines = out.getvalue().splitlines()
    assert lines[1:5] == [
        "role-labelled accuracy    0.500  (1/2)",
        "'other' kept out          0.667  (2/3)",
        "role-labelled, no doubt   1.000  (1/1: labels whose notes raise no doubt)",
        "job family named          2/3 other jobs (the labelled family: 1), 1/2 product roles (a title naming one "
        "is then an ambiguous_title finding)",
    ]
    assert lines[5:10] == [
        "per role, from content:",
        "  product_manager             labelled   1, named   1, right   1",
        "  product_marketing_manager   labelled   0, named   1, right   0",
        "  product_owner               labelled   1, named   0, right   0",
        "misread (gold -> from content): other -> product_marketing_manager 1, product_owner -> other 1",
    ]
    assert [line.split()[0] for line in lines[11:]] == ["po.txt", "writer.txt"]


def test_role_report_summarises_each_part_of_a_corpus():
    import io

    from analyzer.roleeval import JdResult, print_jd_report

    results = [
        JdResult("a__pm.txt", "", "product_manager", "product_manager", 0.8, "", part="companies"),
        JdResult("a__ba.txt", "", "other", "product_owner", 0.5, "", part="companies"),
        JdResult("g__pmm.txt", "", "product_marketing_manager", "other", 0.0, "", part="google"),
        JdResult("g__ux.txt", "", "other", "other", 0.0, "", part="google"),
    ]
    out = io.StringIO()
    print_jd_report(results, out, heading="tiny", misses_only=True)
    assert [line.strip() for line in out.getvalue().splitlines() if line.startswith("  part")] == [
        "part companies           roles 1/1, other kept out 0/1",
        "part google              roles 0/1, other kept out 1/1",
    ]


def test_a_corpus_without_parts_prints_no_part_lines():
    import io

    from analyzer.roleeval import JdResult, print_jd_report

    out = io.StringIO()
    print_jd_report([JdResult("pm.txt", "", "product_manager", "product_manager", 0.8, "", part="only")], out)
    assert "part " not in out.getvalue()


def test_the_development_set_of_real_jds_is_apart_from_the_test_corpus():
    """evaluation/real_dev lists real postings used to develop the reader; none may be a test-corpus document."""
    from analyzer.model import load_model

    dev_index = REPO / "evaluation" / "real_dev" / "index.csv"
    with dev_index.open(encoding="utf-8", newline="") as handle:
        dev = list(csv.DictReader(handle))
    model = load_model()
    assert len(dev) == len({row["file"] for row in dev}) == 271
    assert {row["round"] for row in dev} == {"1", "2", "3"}
    assert {row["canonical_role"] for row in dev} <= {*model.role_ids, "other"}
    assert all(row["source_repo"] and re.fullmatch(r"[0-9a-f]{40}", row["source_commit"]) for row in dev)
    # Round 3, kept for confirming only, comes from employers neither rounds 1-2 nor the test corpus drew on
    third = {_employer(row) for row in dev if row["round"] == "3"}
    assert not third & {_employer(row) for row in dev if row["round"] != "3"}
    test_index = SHARED / "real_jds" / "index.csv"
    if not test_index.exists():
        pytest.skip("../shared/real_jds is not beside the repo")
    with test_index.open(encoding="utf-8", newline="") as handle:
        test = list(csv.DictReader(handle))

    def document(row: dict) -> tuple[str, str, str]:
        # One CSV file holds many postings: there a posting is its row, named by its title.
        return row["source_repo"], row["source_path"], row["title"] if row["source_path"].endswith(".csv") else ""

    assert not {document(row) for row in dev} & {document(row) for row in test}
    assert not {row["file"] for row in dev} & {row["file"] for row in test}
    assert not third & {_employer(row) for row in test}


def _employer(row: dict) -> str:
    return row["file"].split("__", 1)[0]  # the file names of both corpora start with the employer


# -- labelled statements of the real development postings (analyzer.realstatements) ---------------------------

def _postings(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir()
    (folder / "index.csv").write_text("file\n" + "".join(f"{name}\n" for name in texts), encoding="utf-8")
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_real_statements_are_drawn_the_same_way_every_time(tmp_path):
    from analyzer.realstatements import sample_statements

    folder = _postings(tmp_path / "round", {
        "b.txt": "PO\n- Write user stories with the team\n- Own the product backlog\n- 3+ years as a PO",
        "a.txt": "PM\n- Interview customers every week\n- Set the quarterly goals\nEqual opportunity employer.",
    })
    first = sample_statements(folder, size=3, seed=1)
    assert first == sample_statements(folder, size=3, seed=1)
    assert len(first) == 3 and {file for file, _ in first} <= {"a.txt", "b.txt"}
    assert all(text in {"Write user stories with the team", "Own the product backlog", "Interview customers every week",
                        "Set the quarterly goals"} for _, text in first)


def test_real_statement_labels_are_joined_by_hash_and_a_mismatch_is_named(tmp_path):
    from analyzer.errors import AnalyzerError
    from analyzer.realstatements import check_postings, join_labels, text_hash

    # Each label finds its statement in its own posting by hash, wherever the segmenter put it.
    statements = {"a.txt": ["Write user stories", "Own the product backlog"], "b.txt": ["Hire engineers"]}
    owned = text_hash("Own the product backlog")
    labels = [
        {"id": "r1-0000", "round": "1", "annotator": "a", "file": "a.txt", "text_sha1": owned,
         "labels": "backlog_management", "level": "A", "note": ""},
        {"id": "r1-0000", "round": "1", "annotator": "b", "file": "a.txt", "text_sha1": owned,
         "labels": "backlog_management", "level": "R", "note": ""},
        {"id": "r2-0000", "round": "2", "annotator": "a", "file": "z.txt", "text_sha1": "0", "labels": "",
         "level": "-", "note": ""},
    ]
    rows = join_labels(statements, labels, "1")
    assert sorted(rows) == ["statements_r1", "statements_r1_b"]
    assert rows["statements_r1"] == [{"id": "r1-0000", "text": "Own the product backlog",
                                      "labels": "backlog_management", "level": "A", "style": "real", "note": ""}]
    assert check_postings(statements, labels, "1") == [("a.txt", 1, 1)]
    # A statement of another posting, or one the segmenter cut otherwise, is not found: the error names the label
    # and says how to segment as the labels were.
    for stale in (dict(labels[0], text_sha1=text_hash("Own the backlog")), dict(labels[0], file="b.txt")):
        with pytest.raises(AnalyzerError, match=r"r1-0000.*--segmenter-checkout"):
            join_labels(statements, [stale], "1")
        assert check_postings(statements, [stale], "1")[0][1] == 0


def test_check_names_postings_not_fetched_yet_and_goes_on(tmp_path, capsys):
    from analyzer.realstatements import main, text_hash

    rounds = []
    for round_id in "12":
        folder = _postings(tmp_path / f"r{round_id}", {"a.txt": "PM\n- Interview customers every week"})
        (folder / "index.csv").write_text("file\na.txt\nb.txt\n", encoding="utf-8")  # b.txt: not fetched yet
        rounds.append(str(folder))
    labels = tmp_path / "labels.csv"
    labels.write_text("id,round,annotator,file,text_sha1,labels,level,note\n"
                      f"r1-0000,1,a,a.txt,{text_hash('Interview customers every week')},user_market_research,R,\n"
                      f"r1-0001,1,a,b.txt,{text_hash('Own the roadmap')},roadmap_prioritization,A,\n", encoding="utf-8")
    assert main([*rounds, "--check", "--labels", str(labels)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "round 1  a.txt  1/1", "round 1  b.txt  0/1  (not fetched yet)",
        "found 1 of 2 labelled statements (a statement two annotators labelled counts once)"]
    assert main([*rounds, "--out", str(tmp_path / "out"), "--labels", str(labels)]) == 2  # writing needs them all
    assert "1 postings listed in index.csv are missing" in capsys.readouterr().err


def test_a_third_round_is_read_when_given(tmp_path, capsys):
    from analyzer.realstatements import main, text_hash

    rounds = [str(_postings(tmp_path / f"r{round_id}", {"a.txt": "PM\n- Interview customers every week"}))
              for round_id in "123"]
    labels = tmp_path / "labels.csv"
    labels.write_text("id,round,annotator,file,text_sha1,labels,level,note\n"
                      f"r3-0000,3,b,a.txt,{text_hash('Interview customers every week')},user_market_research,R,\n",
                      encoding="utf-8")
    assert main([*rounds, "--check", "--labels", str(labels)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "round 3  a.txt  1/1"
    assert main([*rounds, "--out", str(tmp_path / "out"), "--labels", str(labels)]) == 0
    assert (tmp_path / "out" / "statements_r3_b.csv").exists()
    assert main([*rounds[:2], "--check", "--labels", str(labels)]) == 0  # without the third folder: not read
    assert capsys.readouterr().out.splitlines() == [
        str(tmp_path / "out" / "statements_r3_b.csv"),  # written above
        "found 0 of 0 labelled statements (a statement two annotators labelled counts once)"]


def test_real_postings_can_be_segmented_by_another_checkout(tmp_path, monkeypatch):
    import subprocess

    from conftest import REPO

    from analyzer import realstatements
    from analyzer.errors import AnalyzerError
    from analyzer.realstatements import duty_statements

    folder = _postings(tmp_path / "round", {"a.txt": "PM\n- Interview customers every week\n- 3+ years as a PM"})
    with pytest.raises(AnalyzerError, match=r"not a checkout of this project.*git worktree add"):
        duty_statements(folder, tmp_path)
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    if head:  # a git checkout of another commit than the labels' is refused (an unpacked archive is taken on trust)
        with pytest.raises(AnalyzerError, match=rf"checkout of {head[:7]}, not of {realstatements.LABELS_COMMIT}"):
            duty_statements(folder, REPO)
        monkeypatch.setattr(realstatements, "LABELS_COMMIT", head[:7])
    # This checkout stands in for the labels' commit: its segmenter, run in a process of its own, reads alike.
    assert duty_statements(folder, REPO) == duty_statements(folder) == {"a.txt": ["Interview customers every week"]}


def test_two_labellings_of_the_same_statements_are_compared():
    from analyzer.evaluate import LabelledStatement as S
    from analyzer.realstatements import agreement

    first = [S("1", "x", ("hiring",), "R", "real"), S("2", "y", ("user_stories", "backlog_management"), "R", "real"),
             S("3", "z", (), "-", "real")]
    second = [S("1", "x", ("career_development",), "R", "real"), S("2", "y", ("backlog_management",), "A", "real"),
              S("3", "z", ("team_health",), "R", "real")]
    assert agreement(first, second) == (2, 1, 2)


def test_the_real_statement_labels_are_well_formed(default_model):
    from analyzer.realstatements import read_labels

    labels = read_labels(REPO / "evaluation" / "real_dev" / "statements_labels.csv")
    assert len(labels) == 5 * 450 and len({(row["id"], row["annotator"]) for row in labels}) == len(labels)
    assert {(row["round"], row["annotator"]) for row in labels} == {("1", "a"), ("2", "a"), ("2", "b"), ("3", "a"),
                                                                     ("3", "b")}
    valid = set(default_model.responsibility_ids)
    for row in labels:
        ids = [label for label in row["labels"].split(";") if label]
        assert set(ids) <= valid, row["id"]
        assert row["level"] in ({"A", "R", "C", "I", "X"} if ids else {"-"}), row["id"]
        assert re.fullmatch(r"[0-9a-f]{40}", row["text_sha1"])


def test_more_statement_files_are_scored_and_compared(tmp_path, default_model):
    import io

    from analyzer.realstatements import print_more_statements

    header = "id,text,labels,level,style,note\n"
    (tmp_path / "a.csv").write_text(header + "1,Hire and onboard engineers for the team,hiring,R,real,\n"
                                    "2,We are a friendly company in Leeds,,-,real,\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(header + "1,Hire and onboard engineers for the team,hiring,R,real,\n"
                                    "2,We are a friendly company in Leeds,,-,real,\n", encoding="utf-8")
    out = io.StringIO()
    print_more_statements(default_model, get_mapper(default_model), [tmp_path / "a.csv", tmp_path / "b.csv"], out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("a.csv: top-1 1.000 (1/1 held rows)")
    assert lines[2] == "  by the classifier's probability (held duty rows):"
    bands = lines[3:8]  # a.csv's calibration: its one held duty row, in one band, read right
    assert all(line.startswith("    confidence ") for line in bands)
    # ... and on the scale shown to users (the default model's calibration on real prose)
    assert lines[8].startswith("  as shown (the model's calibration on real prose")
    assert [int(line.split(": ")[1].split()[0]) for line in bands].count(1) == 1
    assert any(line.endswith(" 1 rows, top class right 1.00") for line in bands)
    assert lines[-1] == ("b.csv labels a.csv's statements: its main label is among the other's on 1/1 held rows "
                         "(1.000); both say whether a duty is held on 2/2")


def test_the_fitted_calibration_line_is_the_model_files_entry_for_this_classifier(tmp_path, tiny_model):
    # --fit-prose-calibration prints a line to paste into the model: it reads back as the entry it says, for the
    # classifier it was fitted with (no warning), with what that classifier reads on the probe statements.
    import io

    import yaml
    from conftest import TINY_MODEL

    from analyzer.mapping.training import FAMILY_PREFIX
    from analyzer.model import parse_model
    from analyzer.realstatements import dev_split_log_odds, print_prose_calibration_fit

    mapper = get_mapper(tiny_model)
    texts = ["Own and order the product backlog", "Decide what goes on the roadmap next quarter",
             "Hire engineers and run the interviews", "Facilitate the sprint planning and the retrospective",
             "Write the acceptance criteria for each story", "Be accountable for delivering working software"]
    tops = [m.best_guess for m in mapper.map_statements(texts)]
    assert not any(top.startswith(FAMILY_PREFIX) for top in tops)
    others = tops[1:] + tops[:1]  # a label the classifier does not give: wrong
    header = "id,text,labels,level,style,note\n"
    for name, labels in (("a.csv", [tops[0], others[1], tops[2], others[3], tops[4], others[5]]),
                         ("b.csv", [others[0], tops[1], others[2], tops[3], others[4], tops[5]])):
        rows = "".join(f"{n},{text},{label},R,real,\n"
                       for n, (text, label) in enumerate(zip(texts, labels, strict=True)))
        (tmp_path / name).write_text(header + rows, encoding="utf-8")
    probe = tmp_path / "probe.csv"
    probe.write_text(header + "".join(f"{n},{text},,-,real,\n" for n, text in enumerate(texts)), encoding="utf-8")
    out = io.StringIO()
    print_prose_calibration_fit(tiny_model, mapper, [tmp_path / "a.csv", tmp_path / "b.csv"], probe, out)
    line = out.getvalue().splitlines()[-1]
    data = yaml.safe_load(TINY_MODEL)
    data["confidence_on_real_prose"] = yaml.safe_load(line)
    model = parse_model(data)
    assert not model.confidence_scale().is_identity and model.calibration_note() == ""
    assert model.prose_calibration_probe == {"default": dev_split_log_odds(mapper, probe)}


def test_the_role_report_gives_the_title_and_content_reading_apart():
    import io

    from analyzer.roleeval import JdResult, print_jd_report

    results = [
        JdResult("pm.txt", "Product Manager", "product_manager", "other", 0.0, "", with_title="product_manager",
                 with_title_confidence=0.6),
        JdResult("ba.txt", "Product Analyst", "other", "other", 0.0, "", with_title="product_manager",
                 with_title_confidence=0.6),
        JdResult("po.txt", "", "product_owner", "product_owner", 0.4, "", with_title="product_owner",
                 with_title_confidence=0.32),
    ]
    out = io.StringIO()
    print_jd_report(results, out)
    assert "with the title, as analyze reads a job: roles 2/2, other jobs kept out 0/1" in out.getvalue()
    # How often each confidence the reading gives is right: the role.confidence claim, measured.
    assert "right by the reading's confidence (role.confidence): 0.6: 1/2, the description alone: 1/1" in \
        out.getvalue()
    assert "role-labelled accuracy    0.500  (1/2)" in out.getvalue()  # the content-alone figure is apart


def _labelled_round(folder: Path, postings: list[tuple[str, str, str, str]]) -> Path:
    """A folder of postings with the index the evaluation reads: (file, label, family, duty lines)."""
    folder.mkdir()
    with (folder / "index.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "canonical_role", "family", "notes"])
        for name, label, family, _ in postings:
            writer.writerow([name, "Job", label, family, ""])
    for name, _, _, duties in postings:
        (folder / name).write_text("Job\n" + "\n".join(f"- {duty}" for duty in duties.split("; ")), encoding="utf-8")
    return folder


_SCRUM = "Facilitate the daily stand-up and sprint retrospectives; Remove impediments that block the team; " \
         "Coach the team in Scrum and agile practices"
_OWNER = "Own and order the product backlog; Write user stories with acceptance criteria; " \
         "Clarify requirements for developers during the sprint"
_ANALYST = "Build dashboards in Tableau for the finance team; Write SQL queries to analyse sales data; " \
           "Present the monthly figures to the board"


def test_learned_role_readers_are_compared_with_the_rules_round_by_round(tmp_path, capsys):
    from analyzer.learned_roles import main

    rounds = [_labelled_round(tmp_path / name, [
        ("sm.txt", "scrum_master", "", _SCRUM), ("po.txt", "product_owner", "", _OWNER),
        ("da.txt", "other", "data_analysis", _ANALYST), ("x.txt", "other", "", _ANALYST)]) for name in ("r1", "r2")]
    assert main([str(folder) for folder in rounds]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"== {rounds[0]} (4 postings), read by readers trained on the other rounds (4) =="
    assert out[1].split() == ["rules", "(role_from_content)", "roles", "2/2,", "other", "jobs", "kept", "out", "2/2"]
    assert [line[:60].strip() for line in out[2:7]] == [
        "stacked logistic regression, with the rules' answer", "stacked logistic regression, evidence only",
        "stacked random forest, with the rules' answer", "stacked random forest, evidence only",
        "rules, document classifier trained on the postings too"]
    assert out[7].startswith(f"== {rounds[1]} (4 postings)") and len(out) == 14
    assert all(re.search(r"roles \d/2, other jobs kept out \d/2$", line) for line in out[1:7])


def test_learned_role_readers_need_two_rounds_with_their_index(tmp_path, capsys):
    from analyzer.learned_roles import main

    with pytest.raises(SystemExit):
        main([str(tmp_path)])
    assert "give two or more rounds" in capsys.readouterr().err
    assert main([str(tmp_path / "r1"), str(tmp_path / "r2")]) == 2
    assert capsys.readouterr().err == (f"error: {tmp_path / 'r1' / 'index.csv'}: no index.csv; give a folder of job "
                                       "descriptions with its index.csv (file, title, canonical_role, notes)\n")


def test_a_labelled_folder_names_the_files_its_index_lists_and_lacks(tmp_path):
    from analyzer.errors import AnalyzerError
    from analyzer.roleeval import read_labelled_folder

    folder = _labelled_round(tmp_path / "r1", [("po.txt", "product_owner", "", _OWNER)])
    entries, texts = read_labelled_folder(folder)
    assert [entry["file"] for entry in entries] == ["po.txt"] and texts[0].startswith("- Own and order")
    (folder / "index.csv").write_text("file,title,canonical_role\npo.txt,PO,product_owner\ngone.txt,PM,"
                                      "product_manager\n", encoding="utf-8")
    with pytest.raises(AnalyzerError, match=r"1 files listed in index.csv are missing \(first: gone.txt\)"):
        read_labelled_folder(folder)


def test_postings_train_the_document_classifier_only_with_a_label_it_learns(default_model):
    from analyzer.learned_roles import Posting, postings_as_adverts

    postings = [Posting("r1", name, gold, family, "text", "other", ()) for name, gold, family in (
        ("a.txt", "product_owner", ""), ("b.txt", "other", "data_analysis"), ("c.txt", "other", ""),
        ("d.txt", "other", "astronaut"))]
    assert [(advert.label, advert.source) for advert in postings_as_adverts(postings, default_model)] == [
        ("product_owner", "r1/a.txt"), ("other:data_analysis", "r1/b.txt")]
