"""Role from content: the decisions of analyzer.mapping.roles on tiny literal readings.

Each fixture is a hand-built :class:`TextMapping` (statements already read, document scores given), so
a test pins one decision of ``role_from_content`` independently of the classifiers' training.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pytest
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from analyzer.errors import ModelError
from analyzer.mapping.classifier import _word_analyzer, prepare
from analyzer.mapping.jobs import (
    ADVERT_WEIGHT,
    OTHER_PREFIX,
    JobClassifier,
    _training_features,
    document_parts,
)
from analyzer.mapping.mentions import asked_experience
from analyzer.mapping.roles import (
    BRANCH_MARGIN,
    CLEAR_LEAD,
    CLEAR_ROLE_MARGIN,
    MIN_CLEAR_STATEMENTS,
    combine,
    role_from_content,
)
from analyzer.mapping.titles import TitleReader
from analyzer.model import default_model_path, parse_model
from analyzer.records import Level, ResponsibilityMatch, Statement, StatementKind, StatementMapping, TextMapping

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
    content = role_from_content(reading(duties, {"lead_product_manager": 0.2, "product_manager": 0.0,
                                                 "other": -0.8}), default_model)
    assert content.scores[0][0] == "lead_product_manager"
    assert content.role == "product_manager"
    # Unless the whole description reads clearly as a lead PM's (CLEAR_LEAD ahead of every other label).
    clearly = role_from_content(reading(duties, {"lead_product_manager": 0.2, "product_manager": 0.2 - CLEAR_LEAD,
                                                 "other": -0.8}), default_model)
    assert clearly.role == "lead_product_manager"


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
                                                 "other:software_engineering": -0.35}), default_model)
    # An engineering family reads close behind the role; it would have to be ahead.
    assert content.role == "technical_product_manager"


def test_a_platform_product_manager_without_technical_work_is_a_product_manager(default_model):
    # The document leans to a technical PM, but not clearly (less than CLEAR_LEAD ahead of a PM).
    content = role_from_content(reading(PM_WORK, {"technical_product_manager": 0.6, "product_manager": 0.35,
                                                  "other": -0.9}), default_model)
    assert content.scores[0][0] == "technical_product_manager"
    assert content.role == "product_manager"


# -- other job families ----------------------------------------------------------------------------

def test_a_researcher_supporting_product_managers_is_not_one(default_model):
    # One product duty at R, the rest support (C); the document reads as a design job more than a PM's.
    duties = [
        ("Plan and carry out user research", [("user_market_research", R, 0.99)]),
        ("Help the team decide what to focus on next", [("roadmap_prioritization", C, 0.97)]),
        ("Share findings in playbacks", [("vision_communication", C, 0.6)]),
    ]
    content = role_from_content(reading(duties, {"product_manager": -0.62, "other:design_ux": 0.1}), default_model)
    assert (content.scores[0][0], content.breadth, content.role) == ("product_manager", 1, None)
    assert content.other_family == "design_ux"
    # Absence of evidence alone does not decide: with no family near the role it stays a PM.
    assert role_from_content(reading(duties, {"product_manager": -0.62, "other:design_ux": -1.3}),
                             default_model).role == "product_manager"


def test_an_engineer_owning_delivery_is_read_as_the_family_when_it_reads_better(default_model):
    duties = [
        ("Own the technical vision of the execution engine", [("technical_delivery", A, 0.81)]),
        ("Decide when to pay down technical debt", [("tech_debt", A, 0.9)]),
        ("Estimate the cost of roadmap ideas", [("capacity_estimation", R, 0.85)]),
        ("Mentor engineers through design reviews", [("career_development", R, 0.7)]),
    ]
    content = role_from_content(reading(duties, {"engineering_manager": -0.1, "other:software_engineering": -0.05}),
                                default_model)
    assert content.scores[0][0] == "engineering_manager"
    assert (content.role, content.other_family) == (None, "software_engineering")
    # Close behind is not enough, even against support this weak (no people management): absence of
    # evidence alone never decides.
    assert role_from_content(reading(duties, {"engineering_manager": -0.1, "other:software_engineering": -0.2}),
                             default_model).role == "engineering_manager"


def test_without_a_document_reading_a_role_needs_its_signature_and_breadth(default_model):
    duties = [
        ("Build the customer reference programme for sales", [("sales_enablement", R, 0.92)]),
        ("Produce customer case studies", [("sales_enablement", R, 0.82)]),
        ("Plan adoption campaigns for launches", [("go_to_market", R, 0.6)]),
    ]
    assert role_from_content(reading(duties), default_model).role is None
    positioning = [*duties, ("Own positioning and messaging", [("positioning_messaging", A, 0.99)])]
    assert role_from_content(reading(positioning), default_model).role == "product_marketing_manager"


def test_a_recruiter_hiring_product_managers_is_not_a_manager(default_model):
    duties = [
        ("Own the hiring process to the accepted offer", [("hiring", A, 0.99)]),
        ("Coordinate interview loops", [("hiring", R, 0.76)]),
        ("Hire product managers for three product groups", [("pm_mentoring", R, 0.97)]),
    ]
    content = role_from_content(reading(duties, {"engineering_manager": -0.5, "lead_product_manager": -0.66,
                                                 "other": 0.01}), default_model)
    assert content.role is None


def test_a_family_must_read_better_than_the_role(default_model):
    def role(document):
        return role_from_content(reading(PM_WORK, document), default_model).role

    assert role({"product_manager": -0.6, "other:data_analysis": -0.65}) == "product_manager"  # just behind
    assert role({"product_manager": -0.2, "other:data_analysis": -0.1}) is None  # ahead
    # The best of the families counts, and the reading says which one it was.
    content = role_from_content(reading(PM_WORK, {"product_manager": -0.2, "other:data_analysis": -0.9,
                                                  "other:design_ux": 0.1}), default_model)
    assert (content.role, content.other_family, content.other_score) == (None, "design_ux", 0.1)
    assert content.other_margin == pytest.approx(0.3)


def test_the_family_a_role_is_a_branch_of_must_lead_clearly_against_its_signature_work(default_model):
    # A program manager is a project manager of several related projects: its descriptions do project work in
    # project words, so a project-management reading only a little ahead does not outweigh cross-team coordination.
    coordination = ("Coordinate dependencies across the four checkout teams", [("dependency_coordination", R, 0.9)])
    project_work = [("Escalate risks to the steering group", [("risk_escalation", R, 0.85)]),
                    ("Report programme status every week", [("program_status_reporting", R, 0.9)])]

    def role(duties, family: str, lead: float):
        return role_from_content(reading(duties, {"program_manager": -0.6, "engineering_manager": -1.1,
                                                  f"other:{family}": -0.6 + lead}), default_model).role

    assert role([coordination, *project_work], "project_management", 0.05) == "program_manager"
    assert role([coordination, *project_work], "project_management", BRANCH_MARGIN + 0.05) is None  # a clear lead
    # Without the signature work it is a project manager's description, read as the family it reads better as.
    assert role(project_work, "project_management", 0.05) is None
    # Any other family needs only to read better: a program manager is not a branch of finance.
    assert role([coordination, *project_work], "finance_operations", 0.05) is None
    # The signature work must be the reader's to answer for: helping teams coordinate is support, a project manager's.
    helping = ("Help the teams coordinate their dependencies", [("dependency_coordination", C, 0.9)])
    assert role([helping, *project_work], "project_management", 0.05) is None
    # A reading with a single "other" class names no family, so no role is a branch of it.
    assert role_from_content(reading(PM_WORK, {"product_manager": -0.6, "other": -0.55}), default_model).role is None


def with_requirements(mapping: TextMapping, *requirements: str) -> TextMapping:
    return replace(mapping, statements=tuple(Statement(text, StatementKind.REQUIREMENT) for text in requirements))


@pytest.mark.parametrize(("text", "roles"), [
    ("3+ years of experience as a Scrum Master", ("scrum_master",)),
    ("Proven experience as an agile coach or delivery manager", ("scrum_master",)),
    ("You have worked as a product owner in a Scrum team", ("product_owner",)),
    ("Experience as a Technical Program Manager", ("program_manager",)),
    ("5 years as a technical product manager", ("technical_product_manager",)),
    ("Experience as a lead product manager", ("lead_product_manager",)),
    ("Experience as a Lead Product Owner", ("product_owner",)),
    ("Experience as a Principal PM or a Staff Product Manager", ("lead_product_manager",)),
    ("Experience as a Certified ScrumMaster (CSM)", ("scrum_master",)),
    ("Previous Scrum Master (CSM) experience", ("scrum_master",)),
    ("Experience in a Product Owner role", ("product_owner",)),
    ("You have been a PO before", ("product_owner",)),
    ("Experience working as the team's Scrum Master", ("scrum_master",)),
    # not the job asked for: a possessive, a noun the role qualifies, a negation
    ("Experience as the PO's proxy in sprint reviews", ()),
    ("Two years as a Scrum Master trainer", ()),
    ("No prior experience as a Scrum Master is needed", ()),
    ("How product teams work (you don't need to have been a PM)", ()),
    # the first of a list is the job, the others what the posting accepts instead
    ("Two years' experience as a Product Owner or Product Manager", ("product_owner",)),
    ("Experience working with product owners and designers", ()),  # whom they worked with, not what they were
    ("5+ years as a software engineer", ()),  # another job names no canonical role
])
def test_the_job_a_requirement_asks_the_candidate_to_have_done(text, roles):
    assert asked_experience(text) == roles


def test_a_role_the_requirements_ask_for_is_evidence_of_the_job(default_model):
    # Duties that read as well as a product owner's as a scrum master's: the requirements say which job it is.
    shared = [("Run the sprint review with the stakeholders", [("scrum_ceremonies", R, 0.6)]),
              ("Keep the backlog ready for the next sprint", [("backlog_refinement", R, 0.6)])]
    document = {"scrum_master": -0.5, "product_owner": -0.5, "other:project_management": -0.9}

    def role(*requirements):
        return role_from_content(with_requirements(reading(shared, document), *requirements), default_model).role

    assert role("3+ years of experience as a Scrum Master") == "scrum_master"
    assert role("3+ years of experience as a Product Owner") == "product_owner"
    # A lead PM's posting asks for experience as a product manager: the specialisations share the vote.
    lead_work = [*PM_WORK, ("Set up the product practice for all PMs", [("product_practice_standards", A, 0.9)]),
                 ("Drive the initiatives that span our three product lines", [("cross_product_initiatives", A, 0.9)])]
    lead = role_from_content(with_requirements(reading(lead_work, {"lead_product_manager": -0.4,
                                                                   "product_manager": -0.5}),
                                               "8+ years of experience as a product manager"), default_model)
    assert lead.role == "lead_product_manager"


def test_a_family_must_lead_clearly_against_a_role_the_requirements_ask_for(default_model):
    document = {"product_owner": -0.6, "other:project_management": -0.55}
    duties = [("Own the backlog of the payments team", [("backlog_management", A, 0.9)]),
              ("Write the user stories for every release", [("user_stories", R, 0.9)])]
    asked = with_requirements(reading(duties, document), "Experience as a product owner")
    assert role_from_content(reading(duties, document), default_model).role is None  # the family reads better
    assert role_from_content(asked, default_model).role == "product_owner"
    document["other:project_management"] = -0.6 + BRANCH_MARGIN + 0.05  # a clear lead
    assert role_from_content(with_requirements(reading(duties, document), "Experience as a product owner"),
                             default_model).role is None


def test_a_role_named_in_the_text_but_absent_from_the_model_is_no_evidence(tiny_model):
    # The language's role nouns name the default model's roles: a user's model may have no product marketer.
    duty = tiny_model.responsibilities[0].id
    mapping = TextMapping(
        statements=(Statement("3+ years as a product marketing manager", StatementKind.REQUIREMENT),),
        mappings=tuple(StatementMapping(f"As a product marketing manager, you will help ({n})",
                                        (ResponsibilityMatch(duty, 0.2, R),),
                                        self_mentions=("product_marketing_manager",))
                       for n in range(3)),
        job_scores=())
    reading = role_from_content(mapping, tiny_model)
    assert {role for role, _ in reading.scores} <= set(tiny_model.role_ids)


def test_the_family_a_description_reads_as_is_named_only_on_positive_evidence(default_model):
    analyst = reading(PM_WORK[:1], {"product_manager": -0.3, "other:data_analysis": 0.2})
    analyst = replace(analyst, mappings=(*analyst.mappings,
                                         StatementMapping("Build dashboards in Looker and share insights",
                                                          (ResponsibilityMatch("outcome_measurement", 0.6, R),),
                                                          best_guess="family:data_analysis", best_score=0.99),
                                         StatementMapping("Write SQL", (), family="data_analysis", best_score=0.9),
                                         StatementMapping("Fix bugs", (), family="software_engineering",
                                                          best_score=0.9)))
    content = role_from_content(analyst, default_model)
    assert (content.role, content.reads_as_family) == (None, "data_analysis")
    # Its sentences: those read best as the family's work, even when a part also names a product duty.
    assert content.family_statements == ("Build dashboards in Looker and share insights", "Write SQL")
    # A product role: no family, however close the best one came.
    assert role_from_content(reading(PM_WORK, {"product_manager": -0.3, "other:data_analysis": -0.35}),
                             default_model).reads_as_family is None
    # "Other" for lack of product duties says nothing about which job it is.
    no_duty = role_from_content(reading([("Hire engineers", [("hiring", R, 0.9)])],
                                        {"product_marketing_manager": 0.9, "other:people_hr": 0.7}), default_model)
    assert (no_duty.role, no_duty.other_family, no_duty.reads_as_family) == (None, "people_hr", None)


def test_a_title_naming_a_role_keeps_it_and_an_ambiguous_title_yields_to_a_family(default_model):
    analyst = role_from_content(reading(PM_WORK[:1], {"product_manager": -0.3, "other:data_analysis": 0.2}),
                                default_model)
    titles = TitleReader(default_model)
    named = combine(titles.read("Senior Product Manager"), analyst)
    assert (named.canonical, named.from_content, named.content_family) == ("product_manager", None, "data_analysis")
    ambiguous = combine(titles.read("Product Analyst"), analyst)  # could name a PM or a PO
    assert (ambiguous.canonical, ambiguous.content_family) == (None, "data_analysis")
    product = role_from_content(reading(PM_WORK, {"product_manager": 0.3, "other:data_analysis": -0.5}), default_model)
    assert combine(titles.read("Product Analyst"), product).canonical == "product_manager"


def test_weak_support_names_the_role_unless_a_family_reads_better(default_model):
    # A delivery manager whose duty paragraph was misread: one scrum duty survives, no signature work.
    duties = [("Remove blockers for the team", [("impediment_removal", R, 0.7)])]
    assert role_from_content(reading(duties, {"scrum_master": -0.05, "engineering_manager": -0.55,
                                              "other:project_management": -0.4}), default_model).role == "scrum_master"
    assert role_from_content(reading(duties, {"scrum_master": -0.05, "engineering_manager": -0.55,
                                              "other:project_management": 0.02}), default_model).role is None


def test_no_duty_of_the_role_is_that_role_only_when_the_document_reads_it_clearly(default_model):
    # The document alone points at product marketing; the statements hold no product marketing duty.
    duties = [("Hire engineers", [("hiring", R, 0.9)]), ("Tell the story of each release", []),
              ("Equip the sales team for launches", [])]

    def content(other: float, statements: list = duties):
        return role_from_content(reading(statements, {"product_marketing_manager": 0.9, "engineering_manager": -1.0,
                                                      "other": other}), default_model)

    narrowly = content(0.9 + CLEAR_ROLE_MARGIN + 0.01)  # the best family just inside the margin
    assert narrowly.scores[0][0] == "product_marketing_manager"
    assert narrowly.role is None
    # A short description whose statements the classifier is unsure of, but which reads clearly as one role.
    assert content(-1.2).role == "product_marketing_manager"
    # One or two statements are too few for the document reading to stand in for a duty.
    assert content(-1.2, duties[:MIN_CLEAR_STATEMENTS - 1]).role is None


def test_without_a_document_reading_the_statements_decide(default_model):
    assert role_from_content(reading(PM_WORK), default_model).role == "product_manager"
    engineer = reading(PM_WORK[:2], family=["Write code", "Review pull requests", "Fix bugs", "Ship"])
    assert role_from_content(engineer, default_model).role is None


# -- the model's signature data --------------------------------------------------------------------

def model_problems(data: dict) -> str:
    """What ``parse_model`` reports about ``data``, which must hold a problem."""
    with pytest.raises(ModelError) as error:
        parse_model(data, "m.yaml")
    return error.value.details()


def test_signature_ids_and_minimum_are_validated():
    data = yaml.safe_load(default_model_path().read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["roles"][7]["signature"] = ["hiring", "performance_review"]
    broken["roles"][7]["signature_min"] = 3
    text = model_problems(broken)
    assert "roles[7].signature[1]: unknown responsibility 'performance_review'" in text
    assert "did you mean 'performance_reviews'?" in text
    assert "roles[7].signature_min: 3 is more than the 2 signature responsibilities" in text
    broken["roles"][7]["signature_min"] = 0
    assert "roles[7].signature_min: must be a whole number >= 1" in model_problems(broken)


def test_default_model_signatures(default_model):
    signatures = {role.id: (set(role.signature), role.signature_min) for role in default_model.roles}
    assert signatures["engineering_manager"] == ({"hiring", "performance_reviews", "career_development",
                                                  "team_health"}, 2)
    assert signatures["lead_product_manager"] == ({"cross_product_initiatives", "product_practice_standards"}, 1)
    assert all(ids for ids, _ in signatures.values())


def test_branch_of_names_a_job_family_of_the_model():
    data = yaml.safe_load(default_model_path().read_text(encoding="utf-8"))
    data["roles"][4]["branch_of"] = "marketing"
    data["roles"][6]["branch_of"] = "product_manager"  # a role, not a family
    text = model_problems(data)
    assert "roles[4].branch_of: unknown family 'marketing'" in text
    assert "did you mean 'marketing_general'?" in text
    assert "roles[6].branch_of: unknown family 'product_manager'" in text
    data["roles"][6]["branch_of"] = "general_workplace"
    assert "roles[6].branch_of: 'general_workplace' is a generic family" in model_problems(data)
    del data["families"]
    data["adverts"] = []
    data["roles"][6]["branch_of"] = "project_management"
    assert "roles[6].branch_of: unknown family 'project_management': the model defines no family to refer to" \
        in model_problems(data)


def test_default_model_branches(default_model):
    branches = {role.id: role.branch_of for role in default_model.roles if role.branch_of}
    assert branches == {"product_marketing_manager": "marketing_general", "program_manager": "project_management",
                        "engineering_manager": "software_engineering"}


def test_family_adjacency_ids_are_validated():
    data = yaml.safe_load(default_model_path().read_text(encoding="utf-8"))
    data["families"][5]["adjacent"] = ["success_metrics", "succes_metric"]
    text = model_problems(data)
    assert "families[5].adjacent[1]: unknown responsibility 'succes_metric'" in text
    assert "did you mean 'success_metrics'?" in text


# -- the document classifier's training --------------------------------------------------------------

def test_training_features_equal_the_vectorizer_on_the_joined_texts(default_model):
    documents, _, _ = document_parts(default_model)
    documents = documents[::40]  # every role and family, a few documents each
    features, vocabulary, idf = _training_features(documents)
    # Documents are read as their statements prepared one by one and joined, in training and in scores().
    texts = [" \n".join(prepare(part) for part in parts) for parts in documents]
    fitted = TfidfVectorizer(analyzer=_word_analyzer, sublinear_tf=True, min_df=2, lowercase=False)
    expected = fitted.fit_transform(texts)
    assert vocabulary == fitted.vocabulary_
    assert np.allclose(idf, fitted.idf_)
    assert abs(features - expected).max() < 1e-12


def test_each_family_is_a_document_class_of_its_own_with_its_adjacent_duties(default_model):
    documents, labels, weights = document_parts(default_model)
    families = [f for f in default_model.families if not f.generic and f.phrasings]
    assert {label for label in labels if label.startswith(OTHER_PREFIX)} == {OTHER_PREFIX + f.id for f in families}
    analysis = default_model.family("data_analysis")
    metrics = set(default_model.responsibility("success_metrics").phrasings)
    assembled = len(documents) - len(default_model.adverts)  # the adverts come last (checked below)
    analyst_documents = [parts for parts, label in zip(documents[:assembled], labels[:assembled], strict=True)
                         if label == OTHER_PREFIX + analysis.id]
    with_metrics = sum(bool(metrics & set(parts)) for parts in analyst_documents) / len(analyst_documents)
    assert "success_metrics" in analysis.adjacent
    assert 0.1 < with_metrics < 0.6  # ADJACENT_P (0.3) and the odd unrelated draw, over 40 documents
    # The model's example adverts come last, as their duty statements, each weighing ADVERT_WEIGHT documents.
    adverts = default_model.adverts
    assert labels[-len(adverts):] == [advert.label for advert in adverts]
    assert weights[-len(adverts):] == [ADVERT_WEIGHT] * len(adverts) and set(weights[:-len(adverts)]) == {1.0}
    first = documents[-len(adverts)]
    assert first and all(statement in adverts[0].text for statement in first)


def test_job_scores_name_every_role_and_family(default_model):
    jobs = JobClassifier(default_model)
    scores = jobs.scores(["Write complex SQL queries and build Looker dashboards for the business",
                          "Answer ad-hoc data requests and present insights to stakeholders"])
    assert set(scores) == {*default_model.role_ids,
                           *(OTHER_PREFIX + f.id for f in default_model.families if not f.generic and f.phrasings)}
    assert max(scores, key=scores.get) == OTHER_PREFIX + "data_analysis"



def test_the_evidence_of_a_content_reading_is_named_the_same_for_every_description(default_model):
    from analyzer.mapping.roles import evidence_features

    owner = TextMapping(statements=(), mappings=(
        StatementMapping("Own and order the product backlog", (ResponsibilityMatch("backlog_management", 0.9, A),)),),
        job_scores=(("other:data_analysis", -0.8), ("product_owner", 0.3)))
    named = [dict(evidence_features(mapping, default_model)) for mapping in (owner, TextMapping((), ()))]
    assert list(named[0]) == list(named[1]) and len(named[0]) == 8 * len(default_model.role_ids) + 3
    assert named[0]["product_owner.any_duty"] == 1.0 and named[1]["product_owner.any_duty"] == 0.0
    assert named[0]["product_owner.doc"] == 0.3 and named[0]["family_margin"] == -1.1
    assert named[1]["product_owner.doc"] == -3.0  # no document reading of a description without duties
