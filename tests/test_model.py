"""Role model loading and validation (analyzer.model)."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from conftest import SHARED, TINY_MODEL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.errors import ModelError
from analyzer.model import default_model_path, load_model, parse_model

# The contract of the default model (../shared/spec/role-model.md): ids are stable, reports key on them.
CONTRACT_ROLES = (
    "product_manager", "product_owner", "technical_product_manager", "lead_product_manager",
    "product_marketing_manager", "scrum_master", "program_manager", "engineering_manager",
)
CONTRACT_OWNERS = {
    "user_market_research": "product_manager",
    "problem_selection": "product_manager",
    "success_metrics": "product_manager",
    "product_strategy": "product_manager",
    "roadmap_prioritization": "product_manager",
    "vision_communication": "product_manager",
    "outcome_measurement": "product_manager",
    "backlog_management": "product_owner",
    "user_stories": "product_owner",
    "acceptance_criteria": "product_owner",
    "backlog_refinement": "product_owner",
    "requirements_clarification": "product_owner",
    "stakeholder_priority_calls": "product_owner",
    "technical_requirements": "technical_product_manager",
    "technical_feasibility": "technical_product_manager",
    "tech_business_translation": "technical_product_manager",
    "pm_mentoring": "lead_product_manager",
    "executive_roadmap_presentation": "lead_product_manager",
    "cross_product_initiatives": "lead_product_manager",
    "product_practice_standards": "lead_product_manager",
    "positioning_messaging": "product_marketing_manager",
    "personas_segments": "product_marketing_manager",
    "go_to_market": "product_marketing_manager",
    "sales_enablement": "product_marketing_manager",
    "scrum_ceremonies": "scrum_master",
    "agile_coaching": "scrum_master",
    "impediment_removal": "scrum_master",
    "team_protection": "scrum_master",
    "dependency_coordination": "program_manager",
    "risk_escalation": "program_manager",
    "program_status_reporting": "program_manager",
    "budget_resourcing": "program_manager",
    "hiring": "engineering_manager",
    "performance_reviews": "engineering_manager",
    "career_development": "engineering_manager",
    "team_health": "engineering_manager",
    "technical_delivery": "engineering_manager",
    "capacity_estimation": "engineering_manager",
    "tech_debt": "engineering_manager",
}


@pytest.fixture()
def tiny_data():
    return yaml.safe_load(TINY_MODEL)


def test_default_model_has_the_contract_ids(default_model):
    assert default_model.role_ids == CONTRACT_ROLES
    assert default_model.responsibility_ids == tuple(CONTRACT_OWNERS)


def test_default_model_owners_match_the_contract(default_model):
    assert {resp.id: resp.owner for resp in default_model.responsibilities} == CONTRACT_OWNERS


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "spec" / "role-model.md").exists(), reason="../shared/spec is not beside the repo")
def test_contract_literal_matches_the_spec_file():
    spec = (SHARED / "spec" / "role-model.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([a-z_]+) \| ([a-z_]+) \| ", spec, re.M)
    assert {resp: owner for resp, owner in rows if resp not in CONTRACT_ROLES} == CONTRACT_OWNERS
    assert tuple(re.findall(r"^\| ([a-z_]+) \| [A-Z]", spec, re.M)) == CONTRACT_ROLES


def test_default_model_rules_and_expectations(default_model):
    rules = {rule.id: rule for rule in default_model.rules}
    assert set(rules["scrum_master_not_decision_maker"].responsibilities) == {
        "roadmap_prioritization", "backlog_management", "stakeholder_priority_calls", "hiring", "performance_reviews"}
    assert rules["capacity_belongs_to_team"].responsibilities == ("capacity_estimation",)
    assert set(rules["capacity_belongs_to_team"].roles) == {"product_owner", "product_manager"}
    assert rules["lead_pm_individual_contributor"].finding == "ambiguous_title"
    assert rules["combined_product_manager_owner"].kind == "combined_roles"
    assert rules["shared_market_research"].responsibilities == ("user_market_research",)
    expectations = default_model.expectations
    assert set(expectations.delivery_team) == {"backlog_management", "acceptance_criteria", "technical_delivery"}
    assert set(expectations.delivery_team_management_chain) == {"hiring", "performance_reviews"}
    assert set(expectations.organisation) == {
        "product_strategy", "roadmap_prioritization", "success_metrics", "positioning_messaging", "go_to_market"}
    assert [(c.responsibility, c.min_delivery_teams) for c in expectations.organisation_conditional] == [
        ("dependency_coordination", 3)]


def test_default_model_phrasings_are_rich_and_unique(default_model):
    seen = {}
    for resp in default_model.responsibilities:
        assert len(resp.phrasings) >= 20, resp.id
        assert resp.keywords, resp.id
        for phrasing in resp.phrasings:
            key = phrasing.casefold()
            assert key not in seen, f"{phrasing!r} in {resp.id} and {seen[key]}"
            seen[key] = resp.id


def test_default_model_is_found_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_model_path().is_file()
    assert load_model().id == "product_org"


def test_unknown_owner_is_reported_with_path_and_suggestion(tiny_data):
    tiny_data["responsibilities"][1]["owner"] = "product_ownr"
    with pytest.raises(ModelError) as caught:
        parse_model(tiny_data, "models/x.yaml")
    message = str(caught.value)
    assert message.startswith("models/x.yaml: responsibilities[1].owner: unknown role 'product_ownr' (known: ")
    assert "did you mean 'product_owner'?" in message


def test_all_problems_are_collected_in_one_pass(tiny_data):
    data = copy.deepcopy(tiny_data)
    data["responsibilities"][0]["owner"] = "po"
    data["rules"][0]["responsibilities"].append("hiring_x")
    data["expectations"]["organisation"] = ["nope"]
    del data["version"]
    with pytest.raises(ModelError) as caught:
        parse_model(data, "m.yaml")
    where = [problem.where for problem in caught.value.problems]
    assert where == ["version", "responsibilities[0].owner", "rules[0].responsibilities[3]",
                     "expectations.organisation[0]"]
    assert "(and 3 more problems)" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_duplicate_ids_and_bad_ids(tiny_data):
    tiny_data["roles"].append(dict(tiny_data["roles"][0]))
    tiny_data["responsibilities"][0]["id"] = "Roadmap Prioritisation"
    with pytest.raises(ModelError) as caught:
        parse_model(tiny_data, "m.yaml")
    codes = {problem.code for problem in caught.value.problems}
    assert {"duplicate_id", "bad_id"} <= codes


_PAIR = {"slope": 0.5, "intercept": -1}


@pytest.mark.parametrize(("section", "where", "fragment"), [
    ([0.5, -1.0], "confidence_on_real_prose", "must be a mapping"),
    ({"default": _PAIR, "semantc": _PAIR}, "confidence_on_real_prose.semantc", "unknown key 'semantc'"),
    ({"default": {"slope": 0.5}}, "confidence_on_real_prose.default", "'slope' and 'intercept'"),
    ({"default": {"slope": "0.5", "intercept": -1}}, "confidence_on_real_prose.default.slope", "must be a number"),
    ({"default": {"slope": -0.5, "intercept": -1}}, "confidence_on_real_prose.default.slope", "above 0"),
    ({"default": {"slope": 0.5, "intercept": float("nan")}}, "confidence_on_real_prose.default.intercept",
     "from -100 to 100"),
    ({"default": {"slope": 0.5, "intercept": 10**400}}, "confidence_on_real_prose.default.intercept",
     "from -100 to 100"),
    ({"default": {"slope": 0.5, "intercept": 500}}, "confidence_on_real_prose.default.intercept", "from -100 to 100"),
    ({"fitted_on": "a note"}, "confidence_on_real_prose", "names no mapper"),
    ({"default": _PAIR, "fitted_on": 5}, "confidence_on_real_prose.fitted_on", "must be text"),
    ({"default": {**_PAIR, "training_rows": "e57ee3b3"}}, "confidence_on_real_prose.default.training_rows",
     "must be the 16 hex digits"),
    ({"default": {**_PAIR, "training_rows": 123456701234567}}, "confidence_on_real_prose.default.training_rows",
     "was read as a number (YAML reads unquoted digits as one): quote the digest"),
    ({"default": {**_PAIR, "dev_split": 1.0}}, "confidence_on_real_prose.default.dev_split", "unknown key 'dev_split'"),
    ({"default": _PAIR, "fitted_for": {"training_rows": "0123456789abcdef"}}, "confidence_on_real_prose.fitted_for",
     "each mapper's entry names its own classifier"),
    ({"default": {**_PAIR, "dev_split_log_odds": "4"}}, "confidence_on_real_prose.default.dev_split_log_odds",
     "must be a number, got '4'"),
])
def test_a_bad_calibration_on_real_prose_is_reported_with_its_path_and_fix(tiny_data, section, where, fragment):
    tiny_data["confidence_on_real_prose"] = section
    with pytest.raises(ModelError) as caught:
        parse_model(tiny_data, "m.yaml")
    [problem] = caught.value.problems
    assert problem.where == where and fragment in problem.message
    assert "python -m analyzer.evaluate --split dev --model FILE --statements FILE... --fit-prose-calibration" in \
        problem.fix or \
        problem.fix.startswith(("use ", "move ")) or 'training_rows: "0123456789abcdef"' in problem.fix or \
        problem.code == "not_text"


def _digest(data: dict) -> str:
    """The digest of the rows the classifier of ``data``'s model learns from."""
    from analyzer.mapping.training import training_digest

    return training_digest(parse_model(data))


def test_a_calibration_on_real_prose_is_read_per_mapper(tiny_data):
    tiny_data["confidence_on_real_prose"] = {"fitted_on": "a note", "default": {
        "slope": 0.5, "intercept": -1.0, "training_rows": _digest(tiny_data).upper(), "dev_split_log_odds": 4.38}}
    model = parse_model(tiny_data)
    assert (model.confidence_scale().slope, model.confidence_scale().intercept) == (0.5, -1.0)
    assert model.confidence_scale(semantic=True).is_identity
    assert model.prose_calibration_probe == {"default": 4.38}
    assert model.calibration_note() == model.calibration_note(semantic=True) == ""  # upper-case hex is the digest


def test_a_calibration_fitted_for_other_phrasings_is_kept_with_a_warning_naming_both_digests_and_a_fix(tiny_data):
    digest = _digest(tiny_data)
    tiny_data["confidence_on_real_prose"] = {"default": {**_PAIR, "training_rows": digest},
                                             "semantic": {**_PAIR, "training_rows": digest}}
    tiny_data["responsibilities"][0]["phrasings"].append("Decide which epics ship this quarter")
    model = parse_model(tiny_data, "models/mine.yaml")
    assert (model.confidence_scale().slope, model.confidence_scale().intercept) == (0.5, -1.0)
    note = model.calibration_note()
    assert note.startswith("models/mine.yaml: confidence_on_real_prose.default: the confidence calibration was fitted "
                           "for a classifier that learnt from other phrasings")
    assert digest in note and _digest(tiny_data) in note and "an estimate for this model" in note
    assert "--fit-prose-calibration" in note and "delete it" in note
    assert model.calibration_note(semantic=True).startswith("models/mine.yaml: confidence_on_real_prose.semantic: the "
                                                            "semantic mapper's confidence calibration")
    assert "--fit-prose-calibration --semantic)" in model.calibration_note(semantic=True)
    assert "--semantic" not in note
    # Each mapper's entry names its own classifier: one fitted again leaves the other's warning standing.
    tiny_data["confidence_on_real_prose"]["default"]["training_rows"] = _digest(tiny_data)
    model = parse_model(tiny_data, "models/mine.yaml")
    assert model.calibration_note() == "" and model.calibration_note(semantic=True)
    # What the classifier does not learn from leaves the digest as it was: a responsibility's contributors, a role.
    tiny_data["responsibilities"][0]["phrasings"].pop()
    tiny_data["responsibilities"][0]["contributors"] = []
    tiny_data["roles"][0]["name"] = "Product Boss"
    assert parse_model(tiny_data).calibration_note(semantic=True) == ""


def test_a_calibration_that_names_no_classifier_is_kept_with_a_warning(tiny_data):
    # As a copy of the bundled model made before the entries named their classifier (model 1.7.0) is.
    tiny_data["confidence_on_real_prose"] = {"default": _PAIR}
    model = parse_model(tiny_data, "old-copy.yaml")
    assert model.confidence_scale().slope == 0.5
    assert f"names no classifier it was fitted for (no training_rows; this model's give {_digest(tiny_data)})" in \
        model.calibration_note()
    assert model.calibration_note(semantic=True) == ""  # the semantic mapper shows its own probability: nothing to warn


def test_the_bundled_models_calibration_names_the_classifier_of_its_phrasings(default_model):
    assert set(default_model.prose_calibration_probe) == {"default", "semantic"}
    assert not default_model.confidence_scale().is_identity
    assert default_model.prose_calibration_notes == (), (
        "the bundled model's phrasings changed since its confidence_on_real_prose was fitted: fit it again (python -m "
        "analyzer.evaluate --split dev --statements ... --fit-prose-calibration, with and without --semantic)")


def test_unsupported_format_version(tiny_data):
    tiny_data["format_version"] = 7
    with pytest.raises(ModelError, match=r"format_version 7 is not supported \(supported: \[1\]\)"):
        parse_model(tiny_data)


@pytest.mark.parametrize(("content", "fragment"), [
    ("roles: [unclosed", "line 1"),
    ("- just\n- a list\n", "the top level must be a mapping"),
])
def test_broken_files(tmp_path, content, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert fragment in str(caught.value)


def test_missing_file():
    with pytest.raises(ModelError, match="model file not found; check the path given to --model"):
        load_model(Path("does/not/exist.yaml"))


def test_lookups(tiny_model):
    assert tiny_model.responsibility("hiring").owner == "engineering_manager"
    assert tiny_model.owned_by("product_owner") == ("backlog_management", "acceptance_criteria")
    with pytest.raises(KeyError, match="responsibility 'nope' is not in model 'tiny'"):
        tiny_model.responsibility("nope")


def test_installed_package_loads_its_default_model_from_any_directory(tmp_path):
    import subprocess
    import sys

    code = "import analyzer.model as m; print(m.load_model().id, m.default_model_path().is_file())"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["product_org", "True"]


# -- example adverts (analyzer.adverts) ---------------------------------------------------------------

def _advert_index(folder: Path, rows: list[str], files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    index = folder / "index.csv"
    index.write_text("file,title,canonical_role,family,notes\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    return index


def test_adverts_are_read_without_their_title_line(tmp_path, tiny_data):
    _advert_index(tmp_path / "ads", ["po.txt,Product Owner,product_owner,,",
                                     "dev.txt,Engineer,other,software_engineering,"],
                  {"po.txt": "Product Owner\nOwn the backlog.\n", "dev.txt": "Engineer\nWrite code.\n"})
    tiny_data["adverts"] = ["ads/index.csv"]
    model = parse_model(tiny_data, "m.yaml", tmp_path)
    assert [(a.label, a.text, a.source, a.group) for a in model.adverts] == [
        ("product_owner", "Own the backlog.\n", "ads/po.txt", "ads/index.csv"),
        ("other:software_engineering", "Write code.\n", "ads/dev.txt", "ads/index.csv"),
    ]


def test_advert_problems_are_collected_with_file_line_and_column(tmp_path, tiny_data):
    _advert_index(tmp_path / "ads", [
        "a.txt,A,product_ownr,,",  # unknown role
        "b.txt,B,other,,",  # other without a family
        "c.txt,C,other,designers,",  # unknown family
        "d.txt,D,product_owner,software_engineering,",  # a role advert with a family
        "missing.txt,E,product_owner,,",  # no such file
        "../outside.txt,F,product_owner,,",  # not in the index's folder
    ], {name: "Title\nText\n" for name in ("a.txt", "b.txt", "c.txt", "d.txt")})
    tiny_data["adverts"] = ["ads/index.csv", "nowhere/index.csv"]
    with pytest.raises(ModelError) as caught:
        parse_model(tiny_data, "m.yaml", tmp_path)
    problems = [(p.where, p.code) for p in caught.value.problems]
    assert problems == [
        ("adverts[0] ads/index.csv line 2, column canonical_role", "unknown_role"),
        ("adverts[0] ads/index.csv line 3, column family", "unknown_family"),
        ("adverts[0] ads/index.csv line 4, column family", "unknown_family"),
        ("adverts[0] ads/index.csv line 5, column family", "family_on_role"),
        ("adverts[0] ads/index.csv line 6, column file", "unreadable"),
        ("adverts[0] ads/index.csv line 7, column file", "bad_file_name"),
        ("adverts[1]", "not_found"),
    ]
    details = caught.value.details()
    assert "'product_ownr' is neither a role of the model nor 'other'" in details
    assert "known: software_engineering" in details


def test_an_index_without_adverts_or_columns_says_which(tmp_path, tiny_data):
    _advert_index(tmp_path / "empty", [], {})
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "index.csv").write_text("file,role\na.txt,product_owner\n", encoding="utf-8")
    tiny_data["adverts"] = ["empty/index.csv", "bad/index.csv"]
    with pytest.raises(ModelError) as caught:
        parse_model(tiny_data, "m.yaml", tmp_path)
    assert [(p.where, p.code, p.message) for p in caught.value.problems] == [
        ("adverts[0]", "bad_index", "'empty/index.csv' lists no adverts"),
        ("adverts[1]", "bad_index", "'bad/index.csv' lacks the columns ['title', 'canonical_role', 'family']"),
    ]


def test_a_generic_family_names_no_job_for_an_advert(tmp_path, tiny_data):
    tiny_data["families"].append({"id": "workplace", "name": "Workplace", "generic": True, "titles": ["staff"],
                                  "phrasings": ["We value curiosity."]})
    _advert_index(tmp_path / "ads", ["a.txt,A,other,workplace,"], {"a.txt": "A\nRun the office.\n"})
    tiny_data["adverts"] = ["ads/index.csv"]
    with pytest.raises(ModelError) as caught:
        parse_model(tiny_data, "m.yaml", tmp_path)
    assert [(p.where, p.code) for p in caught.value.problems] == [
        ("adverts[0] ads/index.csv line 2, column family", "unknown_family")]
    assert "(known: software_engineering)" in caught.value.details()


def test_a_copy_of_the_default_model_keeps_the_bundled_adverts(tmp_path):
    copied = tmp_path / "my_model.yaml"
    copied.write_text(default_model_path().read_text(encoding="utf-8"), encoding="utf-8")
    model = load_model(copied)
    assert len(model.adverts) == len(load_model().adverts) >= 150
    # The adverts are part of what the model is: they key the mapper cache with the file's bytes.
    assert model.fingerprint == load_model().fingerprint


def test_bundled_adverts_are_well_formed(default_model):
    import csv

    folder = default_model_path().parent
    labels = {*default_model.role_ids, *(f"other:{family}" for family in default_model.family_ids)}
    groups = {advert.group for advert in default_model.adverts}
    assert len(groups) == 12  # sets 1-5, 8, 9, 11, 12 and 14-16 (6, 7, 10 and 13 are held out in evaluation/adverts)
    for group in groups:
        with (folder / group).open(encoding="utf-8", newline="") as handle:
            entries = list(csv.DictReader(handle))
        root = (folder / group).parent
        assert {entry["file"] for entry in entries} == {path.name for path in root.glob("*.txt")}
        for entry in entries:
            first_line = (root / entry["file"]).read_text(encoding="utf-8").split("\n", 1)[0]
            assert first_line.strip() == entry["title"].strip(), entry["file"]
    assert {advert.label for advert in default_model.adverts} <= labels
    assert all(advert.text.strip() for advert in default_model.adverts)


ADVERT_HEADER = "file,title,canonical_role,family,notes\n"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.one_of(st.binary(max_size=600),
                       st.text(max_size=400).map(lambda rows: f"{ADVERT_HEADER}{rows}".encode())),
       advert=st.binary(max_size=200))
def test_arbitrary_advert_files_give_a_model_or_model_errors(tmp_path, tiny_data, index, advert):
    folder = tmp_path / "ads"
    folder.mkdir(exist_ok=True)
    (folder / "index.csv").write_bytes(index)
    (folder / "a.txt").write_bytes(advert)
    tiny_data["adverts"] = ["ads/index.csv"]
    try:
        model = parse_model(tiny_data, "m.yaml", tmp_path)
    except ModelError as error:
        assert error.problems and all(problem.where.startswith("adverts[0]") for problem in error.problems)
        return
    assert all(advert.label in ("product_manager", "product_owner", "scrum_master", "engineering_manager",
                                "other:software_engineering") for advert in model.adverts)


# Values YAML can produce, and sections laid out as the real one is more often than chance would write them.
_YAML_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from([10**400, -10**400, 2**64]),
                          st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20))
_YAML_VALUES = st.recursive(_YAML_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=10)
_ENTRY = st.dictionaries(st.sampled_from(["slope", "intercept", "training_rows", "dev_split_log_odds", "slop"]),
                         _YAML_SCALARS, max_size=5)
_SECTION = st.one_of(_YAML_VALUES, st.dictionaries(st.sampled_from(["default", "semantic", "fitted_on", "fitted_for"]),
                                                   st.one_of(_ENTRY, _YAML_SCALARS), max_size=4))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=_SECTION)
def test_an_arbitrary_calibration_section_gives_a_model_or_model_errors(tiny_data, section):
    tiny_data["confidence_on_real_prose"] = section
    try:
        model = parse_model(tiny_data, "m.yaml")
    except ModelError as error:
        assert error.problems and all(p.where.startswith("confidence_on_real_prose") for p in error.problems)
    else:
        for semantic in (False, True):
            scale = model.confidence_scale(semantic)
            assert 0 <= scale.shown(0.5) <= 1 and isinstance(model.calibration_note(semantic), str)
