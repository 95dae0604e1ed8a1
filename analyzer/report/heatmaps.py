"""PNG heatmaps, rendered with matplotlib's Agg backend and no metadata, so the bytes are deterministic."""

from __future__ import annotations

import io

from analyzer.records import Analysis
from analyzer.report.views import model_of, role_coverage

_DPI = 110


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "org-overlap-analyzer"
    return plt


def role_coverage_png(analysis: Analysis) -> bytes:
    """Role x responsibility heatmap: share of each role's people who do (A/R) each responsibility."""
    plt = _pyplot()
    model = model_of(analysis)
    roles, resp_ids, values = role_coverage(analysis)
    role_names = [model.role(role).name for role in roles] or ["(no people in a canonical role)"]
    resp_names = [model.responsibility(resp).name for resp in resp_ids]
    if not values:
        values = [[0.0] * len(resp_ids)]
    width = max(8.0, 0.32 * len(resp_ids) + 3.0)
    height = max(3.0, 0.42 * len(role_names) + 2.6)
    fig, ax = plt.subplots(figsize=(width, height), dpi=_DPI)
    image = ax.imshow(values, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(resp_names)), labels=resp_names, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(role_names)), labels=role_names, fontsize=8)
    owners = {resp.id: resp.owner for resp in model.responsibilities}
    for row, role in enumerate(roles):
        for col, resp in enumerate(resp_ids):
            if owners[resp] == role:
                ax.add_patch(plt.Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="#d95f02", lw=1.2))
    ax.set_title("Who does what: share of each role doing each responsibility (A or R)\n"
                 "orange frame = the role the model makes accountable", fontsize=9)
    fig.colorbar(image, ax=ax, fraction=0.025, pad=0.01)
    fig.tight_layout()
    return _png(fig, plt)


def _png(fig, plt) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
