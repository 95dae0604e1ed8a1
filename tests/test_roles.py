"""Role from content: the decisions of analyzer.mapping.roles on tiny literal readings.

Each fixture is a hand-built :class:`TextMapping` (statements already read, document scores given), so
a test pins one decision of ``role_from_content`` independently of the classifiers' training.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from analyzer.errors import ModelError
from analyzer.mapping.classifier import _word_analyzer, prepare
from analyzer.mapping.jobs import _training_features, document_parts
from analyzer.mapping.roles import role_from_content
from analyzer.model import default_model_path, parse_model
from analyzer.records import Level, ResponsibilityMatch, StatementMapping, TextMapping

A, R, C = Level.A, Level.R, Level.C


def reading(duties, document=None, family=()):
    """duties: (text, [(responsibility, level, score), ...]); document: {label: score} or None;
    family: texts read as another job family."""
    statements = [StatementMapping(text, tuple(ResponsibilityMatch(resp, score, level) for resp, level, score in held))
                  for text, held in duties]
    statements += [StatementMapping(text, (), family="software_engineering", best_score=0.9) for text in family]
    scores = tuple(sorted((document or {}).items()))
    return TextMapping(statements=(), mappings=tuple(statements), job_scores=scores)


PM_WORK = [
    ("Own the roadmap for invoicing", [("roadmap_prioritization", A, 0.97)]),
    ("Run discovery interviews with customers", [("user_market_research", R, 0.99)]),
    ("Define success metrics for every initiative", [("success_metrics", R, 0.96)]),
    ("Decide which problems we solve next", [("problem_selection", A, 0.9)]),
]


# -- lead product manager vs product manager -------------------------------------------------------

def test_mentoring_and_presenting_without_lead_scope_is_a_product_manager(default_model):
    # A senior PM mentors the APM and presents their own roadmap: lead-flavoured, but no cross-team
    # initiative or product practice, so the lead reading falls back to the role it specialises.
    duties = [
        *PM_WORK,
        ("Mentor the associate product manager", [("pm_mentoring", R, 0.99)]),
        ("Present your roadmap to the leadership team", [("executive_roadmap_presentation", R, 0.99)]),
    ]
    content = role_from_content(reading(duties, {"lead_product_manager": 0.2, "product_manager": -0.3,
                                                 "other": -0.8}), default_model)
    assert content.scores[0][0] == "lead_product_manager"
    assert content.role == "product_manager"


def test_cross_team_initiatives_and_practice_make_a_lead_product_manager(default_model):
    duties = [
        *PM_WORK[:2],
        ("Drive initiatives that span several product teams", [("cross_product_initiatives", A, 0.99)]),
        ("Set the product practice: templates and review standards", [("product_practice_standards", R, 0.98)]),
        ("Mentor the group's product managers", [("pm_mentoring", R, 0.99)]),
    ]
    content = role_from_content(reading(duties, {"lead_product_manager": 0.3, "product_manager": -0.5,
                                                 "other": -0.9}), default_model)
    assert content.role == "lead_product_manager"


# -- technical product manager vs product manager --------------------------------------------------

def test_technical_requirements_and_feasibility_make_a_technical_product_manager(default_model):
    duties = [
        *PM_WORK[:2],
        ("Turn ML teams' needs into technical specifications", [("technical_requirements", A, 0.99)]),
        ("Evaluate build-versus-buy options with engineers", [("technical_feasibility", R, 0.99)]),
        ("Translate between engineers and finance", [("tech_business_translation", R, 0.98)]),
    ]
    content = role_from_content(reading(duties, {"technical_product_manager": -0.25, "product_manager": -0.7,
                                                 "other": -0.05}), default_model)
    assert content.role == "technical_product_manager"  # "other" is ahead, but the classifier does not say yes


def test_a_platform_product_manager_without_technical_work_is_a_product_manager(default_model):
    content = role_from_content(reading(PM_WORK, {"technical_product_manager": 0.6, "product_manager": -0.3,
                                                  "other": -0.9}), default_model)
    assert content.scores[0][0] == "technical_product_manager"
    assert content.role == "product_manager"


# -- other job families ----------------------------------------------------------------------------

def test_a_researcher_supporting_product_managers_is_not_one(default_model):
    # One product duty at R, the rest support (C): weak support, so the document decides.
    duties = [
        ("Plan and carry out user research", [("user_market_research", R, 0.99)]),
        ("Help the team decide what to focus on next", [("roadmap_prioritization", C, 0.97)]),
        ("Share findings in playbacks", [("vision_communication", C, 0.6)]),
    ]
    content = role_from_content(reading(duties, {"product_manager": -0.62, "other": 0.1}), default_model)
    assert (content.scores[0][0], content.breadth, content.role) == ("product_manager", 1, None)
    # Absence of evidence alone does not decide: without a "yes" from the document it stays a PM.
    assert role_from_content(reading(duties, {"product_manager": -0.62, "other": -0.3}),
                             default_model).role == "product_manager"


def test_an_engineer_owning_delivery_without_people_management_is_not_an_engineering_manager(default_model):
    duties = [
        ("Own the technical vision of the execution engine", [("technical_delivery", A, 0.81)]),
        ("Decide when to pay down technical debt", [("tech_debt", A, 0.9)]),
        ("Estimate the cost of roadmap ideas", [("capacity_estimation", R, 0.85)]),
        ("Mentor engineers through design reviews", [("career_development", R, 0.7)]),
    ]
    content = role_from_content(reading(duties, {"engineering_manager": -0.1, "other": 0.1}), default_model)
    assert content.scores[0][0] == "engineering_manager"
    assert content.role is None
    # With people management the support is full: a narrow "yes" for "other" no longer overrides it.
    hiring_too = [*duties, ("Hire engineers for the team", [("hiring", R, 0.99)])]
    assert role_from_content(reading(hiring_too, {"engineering_manager": -0.1, "other": 0.1}),
                             default_model).role == "engineering_manager"


def test_a_marketer_without_positioning_or_segments_is_not_a_product_marketer(default_model):
    duties = [
        ("Build the customer reference programme for sales", [("sales_enablement", R, 0.92)]),
        ("Produce customer case studies", [("sales_enablement", R, 0.82)]),
        ("Plan adoption campaigns for launches", [("go_to_market", R, 0.6)]),
    ]
    document = {"product_marketing_manager": -0.2, "other": 0.05}
    assert role_from_content(reading(duties, document), default_model).role is None
    positioning = [*duties, ("Own positioning and messaging", [("positioning_messaging", A, 0.99)])]
    assert role_from_content(reading(positioning, document), default_model).role == "product_marketing_manager"


def test_a_recruiter_hiring_product_managers_is_not_a_manager(default_model):
    duties = [
        ("Own the hiring process to the accepted offer", [("hiring", A, 0.99)]),
        ("Coordinate interview loops", [("hiring", R, 0.76)]),
        ("Hire product managers for three product groups", [("pm_mentoring", R, 0.97)]),
    ]
    content = role_from_content(reading(duties, {"engineering_manager": -0.5, "lead_product_manager": -0.66,
                                                 "other": 0.01}), default_model)
    assert content.role is None


def test_against_full_support_only_a_confident_other_reading_wins(default_model):
    def role(document):
        return role_from_content(reading(PM_WORK, document), default_model).role

    assert role({"product_manager": -0.6, "other": -0.3}) == "product_manager"  # ahead by 0.3, but not a "yes"
    assert role({"product_manager": -0.2, "other": 0.03}) == "product_manager"  # a "yes", ahead by only 0.23
    assert role({"product_manager": -0.2, "other": 0.1}) is None  # a "yes", ahead by 0.3
    assert role_from_content(reading(PM_WORK, {"product_manager": -0.2, "other": 0.1}),
                             default_model).other_margin == pytest.approx(0.3)


def test_weak_support_gives_way_to_any_other_reading(default_model):
    # A delivery manager whose duty paragraph was misread: one scrum duty survives, no signature work.
    duties = [("Remove blockers for the team", [("impediment_removal", R, 0.7)])]
    assert role_from_content(reading(duties, {"scrum_master": -0.05, "engineering_manager": -0.55,
                                              "other": -0.4}), default_model).role == "scrum_master"
    assert role_from_content(reading(duties, {"scrum_master": -0.05, "engineering_manager": -0.55,
                                              "other": 0.02}), default_model).role is None


def test_no_duty_of_the_role_is_not_that_role(default_model):
    # The document alone points at product marketing; the statements hold no product marketing duty.
    duties = [("Hire engineers", [("hiring", R, 0.9)])]
    content = role_from_content(reading(duties, {"product_marketing_manager": 0.9, "engineering_manager": -1.0,
                                                 "other": -1.2}), default_model)
    assert content.scores[0][0] == "product_marketing_manager"
    assert content.role is None


def test_without_a_document_reading_the_statements_decide(default_model):
    assert role_from_content(reading(PM_WORK), default_model).role == "product_manager"
    engineer = reading(PM_WORK[:2], family=["Write code", "Review pull requests", "Fix bugs", "Ship"])
    assert role_from_content(engineer, default_model).role is None


# -- the model's signature data --------------------------------------------------------------------

def test_signature_ids_and_minimum_are_validated():
    data = yaml.safe_load(default_model_path().read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["roles"][7]["signature"] = ["hiring", "performance_review"]
    broken["roles"][7]["signature_min"] = 3
    with pytest.raises(ModelError) as error:
        parse_model(broken, "m.yaml")
    text = error.value.details()
    assert "roles[7].signature[1]: unknown responsibility 'performance_review'" in text
    assert "did you mean 'performance_reviews'?" in text
    assert "roles[7].signature_min: 3 is more than the 2 signature responsibilities" in text
    broken["roles"][7]["signature_min"] = 0
    with pytest.raises(ModelError) as error:
        parse_model(broken, "m.yaml")
    assert "roles[7].signature_min: must be a whole number >= 1" in error.value.details()


def test_default_model_signatures(default_model):
    signatures = {role.id: (set(role.signature), role.signature_min) for role in default_model.roles}
    assert signatures["engineering_manager"] == ({"hiring", "performance_reviews", "career_development",
                                                  "team_health"}, 2)
    assert signatures["lead_product_manager"] == ({"cross_product_initiatives", "product_practice_standards"}, 1)
    assert all(ids for ids, _ in signatures.values())


# -- the document classifier's training --------------------------------------------------------------

def test_training_features_equal_the_vectorizer_on_the_joined_texts(default_model):
    documents, _ = document_parts(default_model)
    documents = documents[::40]  # every role and family, a few documents each
    features, vocabulary, idf = _training_features(documents)
    # Documents are read as their statements prepared one by one and joined, in training and in scores().
    texts = [" \n".join(prepare(part) for part in parts) for parts in documents]
    fitted = TfidfVectorizer(analyzer=_word_analyzer, sublinear_tf=True, min_df=2, lowercase=False)
    expected = fitted.fit_transform(texts)
    assert vocabulary == fitted.vocabulary_
    assert np.allclose(idf, fitted.idf_)
    assert abs(features - expected).max() < 1e-12
