"""report.html: one self-contained file (inline CSS, JS and images), rendered with Jinja autoescape."""

from __future__ import annotations

import base64

from jinja2 import Environment, PackageLoader, select_autoescape

from analyzer.records import Analysis
from analyzer.report.views import model_of, summary


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("analyzer", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_html(analysis: Analysis, images: dict[str, bytes] | None = None) -> str:
    """The HTML report; ``images`` maps a caption to PNG bytes embedded inline."""
    model = model_of(analysis)
    embedded = [(caption, base64.b64encode(data).decode("ascii")) for caption, data in (images or {}).items()]
    people = {person.id: person for person in analysis.people}
    # Anchors by position: person ids are user text and may not be valid HTML ids.
    anchors = {person.id: f"person-{index}" for index, person in enumerate(analysis.people, start=1)}
    template = _environment().get_template("report.html.j2")
    return template.render(
        analysis=analysis, model=model, summary=summary(analysis), images=embedded, people=people, anchors=anchors,
        responsibilities={resp.id: resp for resp in model.responsibilities},
        roles={role.id: role for role in model.roles},
    )
