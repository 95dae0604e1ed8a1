"""org-overlap-analyzer: find duplicated, dropped and conflicting accountabilities in an organisation.

The public API (what the CLI and the notebooks use)::

    import analyzer
    analysis = analyzer.analyze("sample_orgs/acme.csv")       # ingest -> map -> graph -> findings
    analyzer.write_reports(analysis, "reports/acme")          # html, md, json, csv, png
    model = analyzer.load_model("models/product_org.yaml")    # a role model, validated

Names are imported lazily so that ``import analyzer`` (and ``analyze --help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "analyze": "analyzer.pipeline",
    "analyze_table": "analyzer.pipeline",
    "get_mapper": "analyzer.pipeline",
    "load_model": "analyzer.model",
    "parse_model": "analyzer.model",
    "RoleModel": "analyzer.model",
    "read_org": "analyzer.ingest",
    "ColumnChoice": "analyzer.ingest",
    "OrgTable": "analyzer.ingest",
    "segment": "analyzer.segment",
    "Mapper": "analyzer.mapping.mapper",
    "build_graph": "analyzer.graph",
    "find_all": "analyzer.findings",
    "write_reports": "analyzer.report",
    "diff_analyses": "analyzer.diff",
    "write_diff": "analyzer.diff",
    "load_plan": "analyzer.whatif",
    "what_if": "analyzer.whatif",
    "write_whatif": "analyzer.whatif",
    "read_graph": "analyzer.graphio",
    "write_graph": "analyzer.graphio",
    "pairwise_overlap": "analyzer.overlap",
    "report_dict": "analyzer.report.json_report",
    "validate_report": "analyzer.report.json_report",
    "AnalyzerError": "analyzer.errors",
    "InputError": "analyzer.errors",
    "ModelError": "analyzer.errors",
    "UsageError": "analyzer.errors",
    "Analysis": "analyzer.records",
    "Finding": "analyzer.records",
    "FindingKind": "analyzer.records",
    "Severity": "analyzer.records",
    "Level": "analyzer.records",
    "PersonRecord": "analyzer.records",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analyzer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
