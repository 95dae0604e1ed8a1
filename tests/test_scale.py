"""Scale machinery: normalised dedupe, the mapping cache, parallel mapping, the synthetic generator.

The promise tested here: none of it changes results. Reports are byte-identical whether descriptions
are mapped in one process or several, with a cold cache, a warm cache or no cache.
"""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import numpy as np
import pytest
from conftest import TINY_MODEL
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.cache import (
    MappingCache,
    decode_mapping,
    encode_mapping,
    namespace_for,
    normalise_description,
    text_key,
)
from analyzer.cli import main
from analyzer.ingest import read_org
from analyzer.mapping.assemble import assemble_person
from analyzer.mapping.mapper import Mapper
from analyzer.mapping.roles import combine, role_from_content
from analyzer.mapping.titles import TitleReader
from analyzer.model import load_model
from analyzer.parallel import auto_workers, map_descriptions
from analyzer.pipeline import _assemble_people, get_mapper
from analyzer.report.similarity import _closest_other
from analyzer.segment import segment
from analyzer.synthetic import CSV_COLUMNS, generate_org


@pytest.fixture(scope="module")
def tiny_model_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("model") / "tiny.yaml"
    path.write_text(TINY_MODEL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_mapper(tiny_model_file) -> Mapper:
    return get_mapper(load_model(tiny_model_file))


@pytest.fixture(scope="module")
def small_org_csv(tmp_path_factory) -> Path:
    org = generate_org(240, seed=11, distinct=30)
    return org.write_csv(tmp_path_factory.mktemp("org") / "synthetic.csv")


class CountingMapper:
    """Stands in for a trained mapper and records which texts it was asked to map."""

    def __init__(self, mapper: Mapper):
        self.mapper = mapper
        self.seen: list[str] = []

    @property
    def semantic(self) -> bool:
        return self.mapper.semantic

    def map_texts(self, texts):
        self.seen += list(texts)
        return self.mapper.map_texts(texts)


# -- normalisation -------------------------------------------------------------------------------------

_NOISE = st.sampled_from([" ", "  ", "\t", "\u00a0", "\x0b", "\x1c", "\u2028", "\r\n", "\n", "\n\n", "\r", ""])
_WORDS = st.sampled_from(["Own", "the", "roadmap", "-", "*", "•", "1.", "#", "**Hire**", "engineers;", "you",
                          "will:", "Requirements:", "5+", "years", "of", "experience", "About", "us", "e.g.",
                          "decide.", "Benefits", "__x__", "<3", "&", "What", "you'll", "do"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WORDS, _NOISE), min_size=0, max_size=40))
def test_normalising_a_description_never_changes_its_statements(pieces):
    text = "".join(word + noise for word, noise in pieces)
    assert segment(normalise_description(text)) == segment(text)


def test_layout_noise_normalises_to_one_description():
    base = "About the role\n- Own the roadmap\n- Hire engineers"
    noisy = "About the role  \r\n\r\n-  Own the\troadmap \n- Hire engineers\n\n"
    assert normalise_description(noisy) == normalise_description(base) == base
    html = "<ul><li>Own  the roadmap</li></ul>"
    assert normalise_description(html) == html  # HTML is left to the segmenter


def test_synthetic_descriptions_have_the_same_statements_after_normalisation():
    org = generate_org(400, seed=5, noise_share=0.5)
    texts = {person.description for person in org.people}
    assert len({normalise_description(text) for text in texts}) < len(texts)  # noise made copies
    assert all(segment(normalise_description(text)) == segment(text) for text in texts)


# -- mapping: dedupe, cache, workers ---------------------------------------------------------------------

def test_map_descriptions_matches_the_plain_mapper(tiny_mapper):
    texts = [person.description for person in generate_org(300, seed=3, distinct=25).people]
    mappings, stats = map_descriptions(texts, lambda: tiny_mapper, workers=1)
    assert mappings == tiny_mapper.map_texts(texts)
    assert stats.texts == 300 and stats.mapped == stats.distinct < 300


def test_parallel_mapping_matches_serial_mapping(tiny_mapper):
    texts = [person.description for person in generate_org(300, seed=4, distinct=25).people]
    serial, _ = map_descriptions(texts, lambda: tiny_mapper, workers=1)
    parallel, stats = map_descriptions(texts, lambda: tiny_mapper, workers=2)
    assert stats.workers == 2
    assert parallel == serial


def test_a_warm_cache_maps_nothing_and_an_edit_maps_only_the_edited_texts(tiny_mapper, tiny_model_file, tmp_path):
    model = load_model(tiny_model_file)
    texts = [person.description for person in generate_org(300, seed=6, distinct=25).people]
    first = CountingMapper(tiny_mapper)
    cold, cold_stats = map_descriptions(texts, lambda: first, cache=MappingCache(tmp_path, model))
    assert cold_stats.mapped == cold_stats.distinct == len(first.seen)

    def must_not_train():
        raise AssertionError("a warm cache needs no mapper")

    warm, warm_stats = map_descriptions(texts, must_not_train, cache=MappingCache(tmp_path, model))
    assert warm == cold and warm_stats.mapped == 0 and warm_stats.cached == warm_stats.distinct

    edited = list(texts)
    for index in (0, 100, 200):
        edited[index] += f"\n- Own the quarterly review number {index}"
    second = CountingMapper(tiny_mapper)
    again, stats = map_descriptions(edited, lambda: second, cache=MappingCache(tmp_path, model))
    assert stats.mapped == 3 and sorted(second.seen) == sorted(normalise_description(edited[i]) for i in (0, 100, 200))
    assert again == tiny_mapper.map_texts(edited)


def test_a_model_change_invalidates_the_cache(tiny_model_file, tmp_path):
    model = load_model(tiny_model_file)
    changed_file = tmp_path / "changed.yaml"
    changed_file.write_text(TINY_MODEL.replace("Own the product roadmap and decide what to build next.",
                                               "Own the roadmap and decide what to build next."), encoding="utf-8")
    changed = load_model(changed_file)
    assert (changed.id, changed.version) == (model.id, model.version)  # only the file's bytes differ
    assert namespace_for(changed) != namespace_for(model)
    key = text_key("- Own the roadmap")
    mapping = Mapper(model).map_text("- Own the roadmap")
    MappingCache(tmp_path / "cache", model).put({key: mapping})
    assert MappingCache(tmp_path / "cache", model).get([key]) == {key: mapping}
    assert MappingCache(tmp_path / "cache", changed).get([key]) == {}


def test_mappings_round_trip_through_the_cache_format(tiny_mapper):
    texts = list({person.description for person in generate_org(200, seed=8, distinct=20).people})
    for mapping in tiny_mapper.map_texts(texts):
        assert decode_mapping(encode_mapping(mapping)) == mapping


def test_the_trained_mapper_is_cached_only_in_a_private_folder(tiny_model_file, tmp_path):
    model = load_model(tiny_model_file)
    trained = []

    def train(role_model):
        trained.append(role_model)
        return Mapper(role_model)

    first = MappingCache(tmp_path, model).mapper(model, train)
    second = MappingCache(tmp_path, model).mapper(model, train)
    assert len(trained) == 1
    assert second.map_text("- Own the product backlog") == first.map_text("- Own the product backlog")
    if hasattr(os, "getuid"):  # a pickle others could have written is never loaded
        pickle_path = next((tmp_path / "mappers").glob("*.pickle"))
        pickle_path.chmod(pickle_path.stat().st_mode | stat.S_IWOTH)
        MappingCache(tmp_path, model).mapper(model, train)
        assert len(trained) == 2


def test_another_min_confidence_has_its_own_results_but_shares_the_trained_mapper(tiny_model_file, tmp_path):
    model = load_model(tiny_model_file)
    assert namespace_for(model, 0.3) == namespace_for(model, None) == namespace_for(model)
    assert namespace_for(model, 0.5) not in (namespace_for(model), namespace_for(model, 0.6))
    key = text_key("- Own the roadmap")
    strict = MappingCache(tmp_path, model, min_confidence=0.5)
    strict.put({key: Mapper(model).map_text("- Own the roadmap")})
    assert MappingCache(tmp_path, model).get([key]) == {}  # results at 0.5 are not results at the default
    trained = []

    def train(role_model):
        trained.append(role_model)
        return Mapper(role_model)

    MappingCache(tmp_path, model).mapper(model, train)
    MappingCache(tmp_path, model, min_confidence=0.5).mapper(model, train)
    assert len(trained) == 1


def test_the_semantic_mapper_has_its_own_results_and_trained_mapper(tiny_model_file, tmp_path):
    model = load_model(tiny_model_file)
    assert namespace_for(model, semantic=True) not in (namespace_for(model), namespace_for(model, 0.5, True))
    semantic = MappingCache(tmp_path, model, semantic=True)
    key = text_key("- Own the roadmap")
    semantic.put({key: Mapper(model).map_text("- Own the roadmap")})
    assert MappingCache(tmp_path, model).get([key]) == {}
    assert MappingCache(tmp_path, model, min_confidence=0.5, semantic=True).get([key]) == {}
    assert semantic._mapper_path() != MappingCache(tmp_path, model)._mapper_path()
    assert semantic._mapper_path() == MappingCache(tmp_path, model, min_confidence=0.5, semantic=True)._mapper_path()


def test_an_unusable_cache_folder_only_means_no_cache(tiny_mapper, tiny_model_file, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    cache = MappingCache(blocker / "cache", load_model(tiny_model_file))
    texts = ["- Own the product backlog", "- Hire engineers"]
    mappings, stats = map_descriptions(texts, lambda: tiny_mapper, cache=cache)
    assert mappings == tiny_mapper.map_texts(texts) and stats.mapped == 2
    assert cache.problem and "cannot be used" in cache.problem


def test_auto_workers_stays_in_process_for_small_inputs():
    assert auto_workers(10, cores=8) == 1
    assert auto_workers(100_000, cores=2) == 2


# -- the whole pipeline: byte-identical reports ---------------------------------------------------------

def _report_json(csv_path: Path, model_file: Path, out: Path, *options: str) -> bytes:
    code = main([str(csv_path), "--model", str(model_file), "--out", str(out), "--format", "json", "-q", *options])
    assert code == 0
    return (out / "report.json").read_bytes()


def test_workers_and_cache_give_byte_identical_reports(small_org_csv, tiny_model_file, tmp_path):
    plain = _report_json(small_org_csv, tiny_model_file, tmp_path / "plain", "--no-cache", "--workers", "1")
    cache = str(tmp_path / "cache")
    variants = {
        "two workers": _report_json(small_org_csv, tiny_model_file, tmp_path / "w2", "--no-cache", "--workers", "2"),
        "cold cache": _report_json(small_org_csv, tiny_model_file, tmp_path / "cold", "--cache-dir", cache),
        "warm cache": _report_json(small_org_csv, tiny_model_file, tmp_path / "warm", "--cache-dir", cache),
        "warm cache, two workers": _report_json(small_org_csv, tiny_model_file, tmp_path / "warm2", "--cache-dir",
                                                cache, "--workers", "2"),
    }
    assert b'"findings"' in plain
    for name, report in variants.items():
        assert report == plain, name


def test_no_cache_leaves_the_default_cache_folder_alone(small_org_csv, tiny_model_file, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _report_json(small_org_csv, tiny_model_file, tmp_path / "out", "--no-cache")
    assert not (tmp_path / "xdg").exists()
    _report_json(small_org_csv, tiny_model_file, tmp_path / "out")
    assert (tmp_path / "xdg" / "org-overlap-analyzer" / "mappings.sqlite3").is_file()


def test_people_sharing_a_description_share_their_reading(tiny_mapper, tiny_model_file, small_org_csv):
    model = load_model(tiny_model_file)
    org = read_org(small_org_csv)
    mappings, _ = map_descriptions([record.text for record in org.records], lambda: tiny_mapper, workers=1)
    titles = TitleReader(model)
    one_by_one = []
    for record, mapping in zip(org.records, mappings, strict=True):
        content = role_from_content(mapping, model) if record.text else None
        role = combine(titles.read(record.title), content)
        one_by_one.append(assemble_person(record, mapping if record.text else None, role, model))
    assert _assemble_people(org.records, mappings, model, titles) == one_by_one


def test_workers_option_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        main(["org.csv", "--workers", "0"])
    assert "at least 1" in capsys.readouterr().err


# -- report hot spots --------------------------------------------------------------------------------

def test_closest_other_row_matches_the_full_pairwise_computation():
    rng = np.random.default_rng(0)
    levels = np.array([0.0, 0.1, 0.35, 0.75, 1.0])
    vectors = levels[rng.integers(0, 5, size=(60, 6))]
    vectors[10] = vectors[3]  # people sharing a description share a vector
    vectors[40] = vectors[3]
    mins = np.minimum(vectors[:, None, :], vectors[None, :, :]).sum(axis=2)
    maxs = np.maximum(vectors[:, None, :], vectors[None, :, :]).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.round(np.where(maxs > 0, mins / np.where(maxs > 0, maxs, 1.0), 0.0), 4)
    np.fill_diagonal(mins, 0.0)
    np.fill_diagonal(ratios, 0.0)
    shared, best = _closest_other(vectors, block_bytes=500)  # small blocks: several passes
    assert shared.tolist() == mins.max(axis=1).round(4).tolist()
    assert best.tolist() == ratios.max(axis=1).tolist()


# -- the synthetic generator ------------------------------------------------------------------------------

def test_synthetic_org_is_deterministic_and_looks_like_a_product_org(tmp_path):
    org = generate_org(400, seed=2)
    assert org == generate_org(400, seed=2) and org != generate_org(400, seed=3)
    kinds = {person.kind for person in org.people}
    assert {"product_manager", "product_owner", "engineering_manager", "software_engineer", "product_designer",
            "program_manager", "agile_coach", "product_marketing_manager"} <= kinds
    descriptions = [person.description for person in org.people]
    assert any(text.startswith("<") for text in descriptions)  # some HTML
    assert 0.05 <= org.personalised_rows / len(org.people) <= 0.2
    ids = {person.id for person in org.people}
    assert all(person.manager_id in ids for person in org.people if person.manager_id)
    path = org.write_csv(tmp_path / "org.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 400 and tuple(rows[0]) == CSV_COLUMNS
    assert len(read_org(path).records) == 400


def test_distinct_descriptions_follow_the_requested_budget():
    org = generate_org(2000, seed=1)
    distinct = len({normalise_description(person.description) for person in org.people})
    assert 80 <= distinct <= 120  # about one per 20 rows


def test_the_cache_namespace_hashes_every_module_the_mapper_imports(tmp_path):
    # A module left out of the code fingerprint would let a change to it reuse stale mappings (the calibration's
    # parsing, moved out of model.py into modelprose.py, once was). Imported in a fresh interpreter, as a run does.
    import subprocess
    import sys

    from analyzer import cache

    code = ("import sys, analyzer.mapping.mapper, analyzer.model, analyzer.cache; "
            "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('analyzer')))")
    package = Path(cache.__file__).parent  # the package this process imported (installed or the checkout)
    environment = {**os.environ, "PYTHONPATH": str(package.parent)}
    files = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                           env=environment).stdout.split()
    hashed = [package / source for source in cache._MAPPING_SOURCES]
    unhashed = [Path(file).relative_to(package) for file in files
                if not any(Path(file) == source or source in Path(file).parents for source in hashed)
                and Path(file).name not in cache.UNHASHED_MODULES]
    assert unhashed == [], f"add them to analyzer/cache.py's _MAPPING_SOURCES: {unhashed}"
