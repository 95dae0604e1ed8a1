"""The spaCy pipeline component ``responsibility_mapper`` (analyzer/mapping/component.py)."""

from __future__ import annotations

import shutil

import pytest
import spacy

from analyzer.errors import UsageError
from analyzer.mapping.component import COMPONENT_NAME, SPANS_KEY, reader_levels
from analyzer.model import default_model_path, load_model
from analyzer.pipeline import get_mapper

JD = """About the role
- Own and order the product backlog for the payments squad
- Work with the engineering manager, who runs performance reviews
- You will not manage people
Requirements:
- 5+ years of product experience
"""


def _nlp(**config) -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe(COMPONENT_NAME, config=config)
    return nlp


def test_factory_is_registered_on_import():
    assert COMPONENT_NAME in spacy.blank("en").factory_names


def test_doc_gets_the_same_mapping_as_the_library_mapper():
    doc = _nlp()(JD)
    assert doc._.text_mapping == get_mapper(load_model()).map_text(JD)


def test_min_confidence_is_a_component_setting():
    doc = _nlp(min_confidence=0.8)(JD)
    assert doc._.text_mapping == get_mapper(load_model(), 0.8).map_text(JD)
    assert _nlp().get_pipe(COMPONENT_NAME).min_confidence is None  # the model's default


def test_semantic_is_a_component_setting_checked_when_the_pipeline_is_built(no_semantic_extra):
    assert _nlp().get_pipe(COMPONENT_NAME).semantic is False
    with pytest.raises(UsageError, match="the semantic mapper needs the optional 'semantic' extra"):
        _nlp(semantic=True)


def test_reader_holds_only_its_own_non_negated_duties():
    doc = _nlp()(JD)
    assert doc._.responsibilities["backlog_management"] == "A"
    assert "performance_reviews" not in doc._.responsibilities  # the engineering manager's, not the reader's


def test_statement_spans_carry_kind_and_mapping():
    doc = _nlp()(JD)
    spans = list(doc.spans[SPANS_KEY])
    labels = {span.text: span.label_ for span in spans}
    assert labels["Own and order the product backlog for the payments squad"] == "duty"
    assert labels["5+ years of product experience"] == "requirement"
    assert labels["About the role"] == "heading"
    backlog = next(span for span in spans if span.text.startswith("Own and order"))
    assert backlog._.statement_mapping.matches[0].responsibility == "backlog_management"
    requirement = next(span for span in spans if span.label_ == "requirement")
    assert requirement._.statement_mapping is None


def test_pipe_equals_calling_one_doc_at_a_time():
    nlp = _nlp()
    texts = ["- Hire engineers and run their performance reviews", "- Facilitate the daily stand-up", JD,
             "- Hire engineers and run their performance reviews"]
    piped = [doc._.responsibilities for doc in nlp.pipe(texts, batch_size=3)]
    assert piped == [nlp(text)._.responsibilities for text in texts]
    assert piped[0] == {"hiring": "R", "performance_reviews": "R"}


def test_empty_and_boilerplate_only_documents():
    nlp = _nlp()
    assert nlp("")._.responsibilities == {}
    doc = nlp("We are an equal opportunity employer.")
    assert doc._.responsibilities == {}
    assert [span.label_ for span in doc.spans[SPANS_KEY]] == ["boilerplate"]


def test_saved_pipeline_keeps_its_role_model_as_data(tmp_path):
    model_copy = tmp_path / "my_model.yaml"
    model_copy.write_bytes(default_model_path().read_bytes())
    nlp = _nlp(model=str(model_copy))
    nlp.to_disk(tmp_path / "pipeline")
    model_copy.unlink()  # the saved pipeline must not depend on the original file
    loaded = spacy.load(tmp_path / "pipeline")
    stored = tmp_path / "pipeline" / COMPONENT_NAME / "model.yaml"
    assert loaded.get_pipe(COMPONENT_NAME).model_path == str(stored)
    assert loaded(JD)._.responsibilities == _nlp()(JD)._.responsibilities


def test_saved_pipeline_keeps_the_adverts_beside_its_model(tmp_path):
    import yaml

    data = yaml.safe_load(default_model_path().read_text(encoding="utf-8"))
    data["adverts"] = ["mine/index.csv"]
    source = tmp_path / "source"
    (source / "mine").mkdir(parents=True)
    (source / "mine" / "po.txt").write_text("Product Owner\nOwn and order the backlog.\n", encoding="utf-8")
    (source / "mine" / "index.csv").write_text("file,title,canonical_role,family,notes\n"
                                               "po.txt,Product Owner,product_owner,,\n", encoding="utf-8")
    (source / "model.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    _nlp(model=str(source / "model.yaml")).get_pipe(COMPONENT_NAME).to_disk(tmp_path / "saved")
    shutil.rmtree(source)
    saved = load_model(tmp_path / "saved" / "model.yaml")
    assert [(a.label, a.source) for a in saved.adverts] == [("product_owner", "mine/po.txt")]


def test_reader_levels_keeps_the_strongest_level():
    from analyzer.records import Level, ResponsibilityMatch, StatementMapping, TextMapping

    mapping = TextMapping((), (
        StatementMapping("a", (ResponsibilityMatch("hiring", 0.5, Level.C),)),
        StatementMapping("b", (ResponsibilityMatch("hiring", 0.9, Level.A),
                               ResponsibilityMatch("hiring", 0.9, Level.R, subject="partner:engineering_manager"))),
    ))
    assert reader_levels(mapping) == {"hiring": "A"}
