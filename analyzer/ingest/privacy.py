"""Privacy: pseudonyms for people (``--anonymize``).

HR exports carry salary, birth dates, addresses and national ids. Ingest reads only the columns the
analysis needs (see columns.py and rows.py), so those never reach a record or a report. With
anonymisation, every person's id becomes ``P001``, ``P002``... and their name ``Person 001``...,
numbered in input row order (deterministic: the same input gives the same pseudonyms). Managers
follow their people (a manager id becomes that person's pseudonym); managers outside the export
become ``X001``... Known names written inside job titles, descriptions and document paths are replaced
as well, also when their words are joined by dots, hyphens or underscores (file names).
E-mails and the manager references as written are dropped.

Examples
--------
>>> from analyzer.ingest.rows import Row
>>> rows = [Row(1, id="E7", name="Ada Byron", title="PM", text="Works with Ada Byron's team."),
...         Row(2, id="E9", name="Bo Li", title="PO", manager_id="E7"),
...         Row(3, id="E4", name="Cy", title="SM", manager_id="E99")]
>>> replace_names = pseudonymise(rows)
>>> [(row.id, row.name, row.manager_id) for row in rows]
[('P001', 'Person 001', None), ('P002', 'Person 002', 'P001'), ('P003', 'Person 003', 'X001')]
>>> rows[0].text
"Works with Person 001's team."
>>> replace_names("see ada byron.docx")
'see Person 001.docx'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from analyzer.ingest.rows import Row

_NAME_WORD = re.compile(r"[^\W_]+")  # letters and digits: "ada_byron" is two words, as in a file name
_SEPARATORS = re.compile(r"[ \t._-]+")
_MIN_NAME_CHARS = 4  # shorter names ("Al", "Bo") would also replace ordinary words in descriptions


def pseudonymise(rows: list[Row]) -> Callable[[str], str]:
    """Replace ids, names and manager ids of ``rows`` in place with numbered pseudonyms.

    Returns the function that replaced known names inside titles and descriptions, so that other text
    written about the rows before this step (the warnings of ingest) can be cleaned the same way.
    """
    ids: dict[str, int] = {}
    for row in rows:
        if row.id and row.id not in ids:
            ids[row.id] = len(ids) + 1
    external: dict[str, int] = {}
    for row in rows:
        if row.manager_id and row.manager_id not in ids and row.manager_id not in external:
            external[row.manager_id] = len(external) + 1
    width = max(3, len(str(max(len(ids), len(external)))))

    def person(number: int) -> str:
        return f"{number:0{width}d}"

    names: dict[str, str] = {}
    for row in rows:
        if row.name and row.id in ids:
            names.setdefault(row.name, f"Person {person(ids[row.id])}")
    for ref, number in external.items():
        if not ref.replace("-", "").replace("_", "").isalnum() or " " in ref:
            names.setdefault(ref, f"Outside person {person(number)}")
    replacer = _NameReplacer(names)
    for row in rows:
        original_id = row.id
        if original_id:
            row.id = f"P{person(ids[original_id])}"
            row.name = f"Person {person(ids[original_id])}" if row.name else ""
        if row.manager_id:
            row.manager_id = (f"P{person(ids[row.manager_id])}" if row.manager_id in ids
                              else f"X{person(external[row.manager_id])}")
        row.manager_ref = row.manager_name_ref = row.email = ""
        row.title = replacer(row.title)
        row.text = replacer(row.text)
        row.file = ""
        row.source = replacer(row.source)
    return replacer


class _NameReplacer:
    """Replace whole-word occurrences of known names (case-insensitive) in one pass over the words.

    The words of a name may be joined as written or by any run of spaces, dots, hyphens and underscores,
    so "Ada Byron" is also found in file names such as ``ada-byron.docx`` or ``Ada_Byron_JD.pdf``.

    >>> _NameReplacer({"Ada Byron": "Person 001", "Mary-Jo O'Neil": "Person 002"})(
    ...     "ada-byron.docx, ADA_BYRON notes, Ada Byronic, mary jo o'neil, Mary-Jo O'Neil")
    'Person 001.docx, Person 001 notes, Ada Byronic, Person 002, Person 002'

    Letters whose case folding is longer than one letter (ß -> ss, İ -> i + dot) are kept as written, so that a text
    that holds one is still searched:

    >>> _NameReplacer({"Jürgen Weiß": "Person 003", "İlker Yılmaz": "Person 004"})(
    ...     "Jürgen_Weiß_PO.txt, JÜRGEN WEIß, İlker_Yılmaz.txt")
    'Person 003_PO.txt, Person 003, Person 004.txt'
    """

    def __init__(self, names: dict[str, str]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]] = {}
        for name, pseudonym in names.items():
            folded = _fold(name)
            words = [(match.group(), match.start(), match.end()) for match in _NAME_WORD.finditer(folded)]
            if not words or len(name) < _MIN_NAME_CHARS:
                continue
            gaps = tuple(folded[a[2]:b[1]] for a, b in itertools.pairwise(words))
            self.by_first.setdefault(words[0][0], []).append((tuple(w for w, _, _ in words), gaps, pseudonym))
        for candidates in self.by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))  # the longest name first: "Ann Lee Smith" before "Ann Lee"

    def __call__(self, text: str) -> str:
        if not text or not self.by_first:
            return text
        folded = _fold(text)
        words = list(_NAME_WORD.finditer(folded))
        parts = []
        position = 0
        index = 0
        while index < len(words):
            found = self._name_at(folded, words, index)
            if found is None:
                index += 1
                continue
            length, pseudonym = found
            parts.append(text[position:words[index].start()])
            parts.append(pseudonym)
            position = words[index + length - 1].end()
            index += length
        parts.append(text[position:])
        return "".join(parts)

    def _name_at(self, folded: str, words: list[re.Match], index: int) -> tuple[int, str] | None:
        for name_words, gaps, pseudonym in self.by_first.get(words[index].group(), ()):
            end = index + len(name_words)
            if end > len(words):
                continue
            if all(words[index + k].group() == name_words[k] for k in range(1, len(name_words))) and all(
                    _joins(folded[words[index + k].end():words[index + k + 1].start()], gaps[k])
                    for k in range(len(gaps))):
                return len(name_words), pseudonym
        return None


def _fold(text: str) -> str:
    """``text`` case-folded letter for letter, so that offsets in it are offsets in ``text``: a letter whose folding
    is longer (ß -> ss, İ -> i + combining dot) is lowered where that keeps one letter, else kept as written."""
    folded = text.casefold()
    if len(folded) == len(text):  # every letter folded to one (casefolding never shortens)
        return folded
    return "".join(_fold_letter(letter) for letter in text)


def _fold_letter(letter: str) -> str:
    folded = letter.casefold()
    if len(folded) == 1:
        return folded
    lowered = letter.lower()
    return lowered if len(lowered) == 1 else letter


def _joins(gap: str, written: str) -> bool:
    """Whether ``gap`` between two words of a name joins them: as written in the name, or by separators."""
    return gap == written or _SEPARATORS.fullmatch(gap) is not None
