"""Example job adverts of a role model: whole, labelled job descriptions the document classifier learns from.

A model lists index files under ``adverts:`` (see ``models/README.md``). Each index is a CSV file with the
columns ``file,title,canonical_role,family,notes``:

- ``file``: a UTF-8 text file in the index's folder. Its first line is the job title as published and is
  not read: the classifier learns to read a job from its content, as it is asked to.
- ``canonical_role``: a role id of the model, or ``other`` for a job outside the product roles, whose
  ``family`` then names the model's job family it belongs to (a data analyst's advert: ``data_analysis``).

An index path is looked up next to the model file first, then among the adverts bundled with the
analyzer, so a copy of the default model keeps its adverts wherever it is saved.

Examples
--------
>>> from analyzer.model import load_model
>>> adverts = load_model().adverts
>>> len(adverts) >= 150, sorted({advert.group.split("/")[1] for advert in adverts})
(True, ['set1', 'set11', 'set12', 'set14', 'set15', 'set16', 'set2', 'set3', 'set4', 'set5', 'set8', 'set9'])
>>> adverts[0].group, adverts[0].label in load_model().role_ids
('adverts/set1/index.csv', True)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from analyzer.modelcheck import Checker

OTHER = "other"
OTHER_PREFIX = "other:"  # the label of a family's adverts: "other:data_analysis"
COLUMNS = ("file", "title", "canonical_role", "family")


@dataclass(frozen=True)
class Advert:
    label: str  # a role id, or "other:<family id>"
    text: str  # the advert without its title line
    source: str  # the file, as "<index folder>/<file>" in the model's terms
    group: str  # the index it is listed in, as written in the model (evaluation leaves one out at a time)
    notes: str = ""  # the index's notes on the advert (the writer's doubts about its label)

    @property
    def canonical_role(self) -> str:
        """The role id, or ``"other"`` for a family's advert (the index's ``canonical_role`` column)."""
        return OTHER if self.label.startswith(OTHER_PREFIX) else self.label

    @property
    def family(self) -> str | None:
        """The job family of a non-product advert (the index's ``family`` column); None for a role's."""
        return self.label.removeprefix(OTHER_PREFIX) if self.label.startswith(OTHER_PREFIX) else None


def read_adverts(checker: Checker, indexes: Sequence[str], search: Sequence[Path], role_ids: Sequence[str],
                 family_ids: Sequence[str]) -> tuple[Advert, ...]:
    """Read the adverts the model's ``adverts`` entries list; every problem goes to ``checker``.

    ``search``: the folders an index path is looked up in, in order (the model file's folder, then the
    bundled models folder).
    """
    adverts: list[Advert] = []
    for position, index in enumerate(indexes):
        where = f"adverts[{position}]"
        path = _find(index, search)
        if path is None:
            places = ", ".join(str(folder) for folder in search) or "(no folder)"
            checker.add(where, "not_found", f"advert index {index!r} not found (looked in: {places})",
                        "give a path relative to the model file, or remove the entry")
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            checker.add(where, "unreadable", f"cannot read {index!r} ({exc})", "save it as a UTF-8 CSV file")
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
        if missing or not rows:
            problem = f"lacks the columns {missing}" if missing else "lists no adverts"
            checker.add(where, "bad_index", f"{index!r} {problem}",
                        f"give it a header row with {', '.join(COLUMNS)} (and notes) and one row per advert")
            continue
        for line, row in enumerate(rows, start=2):
            advert = _advert(checker, f"{where} {index} line {line}", row, path.parent, index, role_ids, family_ids)
            if advert is not None:
                adverts.append(advert)
    return tuple(adverts)


def _find(index: str, search: Sequence[Path]) -> Path | None:
    candidate = Path(index)
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    for folder in search:
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def _advert(checker: Checker, where: str, row: dict, folder: Path, index: str, role_ids: Sequence[str],
            family_ids: Sequence[str]) -> Advert | None:
    role, family, name = ((row.get(column) or "").strip() for column in ("canonical_role", "family", "file"))
    problems = len(checker.problems)
    if role == OTHER:
        if family not in family_ids:
            listing = ", ".join(sorted(family_ids)) or "(the model has no families)"
            checker.add(f"{where}, column family", "unknown_family",
                        f"an 'other' advert needs a job family of the model, got {family!r} (known: {listing})",
                        "name the family the job belongs to, or add the family to the model")
        label = OTHER_PREFIX + family
    else:
        if role not in role_ids:
            checker.add(f"{where}, column canonical_role", "unknown_role",
                        f"{role!r} is neither a role of the model nor 'other' (roles: {', '.join(sorted(role_ids))})",
                        "use a role id, or 'other' with a family; or remove the advert")
        if family:
            checker.add(f"{where}, column family", "family_on_role",
                        f"a {role!r} advert names the family {family!r}", "leave 'family' empty for role adverts")
        label = role
    text = None
    if not name:
        checker.add(f"{where}, column file", "missing", "no file named", "give the advert's file name")
    elif "\0" in name or Path(name).is_absolute() or ".." in Path(name).parts:
        checker.add(f"{where}, column file", "bad_file_name", f"{name!r} is not a file name in the index's folder",
                    "give the name of a file beside the index (or in a folder below it)")
    else:
        try:
            text = (folder / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            checker.add(f"{where}, column file", "unreadable", f"cannot read {name!r} ({exc})",
                        "list a UTF-8 text file in the index's folder")
    if len(checker.problems) > problems or text is None:
        return None
    body = text.split("\n", 1)[1] if "\n" in text else ""
    return Advert(label=label, text=body, source=f"{Path(index).parent.as_posix()}/{name}", group=index,
                  notes=(row.get("notes") or "").strip())
