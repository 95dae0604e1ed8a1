"""Job title -> canonical role or job family.

Titles are lowercased, split at qualifiers ("Technical Program Manager, Google Cloud Functions",
"Senior PM - Platform"), abbreviations are expanded (Sr., Mgr, PMM, EM), seniority words removed
(Senior, II, Intermediate, Interim), inverted titles put back in order ("Manager, Software
Development", "Director, Product" -> "director of product"), a qualifier that completes a title the model
lists is kept with it ("Product Manager, Technical") and the longest title phrase of the model's roles and
families wins; a lead's phrase gives way to a job family that overlaps its end ("Head of Product Design" is a
design job, "Product Marketing Director" still a product marketer). Ambiguous titles ("TPM", "Product Lead")
return their candidate roles; the content decides.

Examples
--------
>>> from analyzer.model import load_model
>>> reader = TitleReader(load_model())
>>> reader.read("Sr. Product Owner II").role
'product_owner'
>>> reader.read("TPM").candidates
('technical_product_manager', 'program_manager')
>>> reader.read("Staff Software Engineer, Payments").family
'software_engineering'
>>> reader.read("Product Manager (Technical)").role
'technical_product_manager'
>>> reader.read("Head of Product Design").family
'design_ux'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from analyzer.language import load_language
from analyzer.model import RoleModel

_SPLIT_RE = re.compile(r"\s*(?:,|\(|\)|\[|\]|\||/| - | – | — |:)\s*")
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9+#&.'-]*")


@dataclass(frozen=True)
class TitleReading:
    """What a title says."""

    role: str | None  # canonical role id, when the title names exactly one
    family: str | None  # non-product job family id, when the title names one
    candidates: tuple[str, ...] = ()  # roles an ambiguous title may mean
    matched: str = ""  # the title phrase that matched
    people_lead: bool = False  # "Head of", "Director", "VP": leads people or a practice
    normalised: str = ""


class TitleReader:
    """Reads titles against a role model's title phrases (see the module docstring)."""

    def __init__(self, model: RoleModel):
        lang = load_language().titles
        self._abbreviations = lang.abbreviations
        self._seniority = sorted(lang.seniority, key=lambda s: -len(s.split()))
        self._lead_prefixes = lang.people_lead_prefixes
        self._inverted_heads = frozenset(lang.inverted_heads)
        phrases: dict[str, tuple[str, str]] = {}  # phrase -> ("role"|"family"|"ambiguous", id)
        for family in model.families:
            for title in family.titles:
                phrases[self._normalise_phrase(title)] = ("family", family.id)
        for role in model.roles:
            for title in role.titles:
                phrases[self._normalise_phrase(title)] = ("role", role.id)
        self._ambiguous = {self._normalise_phrase(key): value for key, value in lang.ambiguous.items()}
        for phrase in self._ambiguous:
            phrases.setdefault(phrase, ("ambiguous", phrase))
        self._phrases = phrases
        ordered = sorted(phrases, key=lambda p: (-len(p.split()), -len(p)))
        # A lookahead finds overlapping phrases too: "head of product" must not hide "product design".
        self._pattern = re.compile(r"(?=\b(" + "|".join(re.escape(p) for p in ordered if p) + r")\b)")

    def _normalise_phrase(self, phrase: str) -> str:
        words = [self._abbreviations.get(word.rstrip("."), word.rstrip(".")) for word in _WORD_RE.findall(
            phrase.lower().replace("&", " and "))]
        return " ".join(words)

    def normalise(self, title: str) -> str:
        """Lowercase, abbreviations expanded, seniority removed; segments joined by ' | '."""
        if "&" in title:  # titles exported from web-based HR systems keep their entities ("R&amp;D")
            title = html.unescape(title)
        segments = []
        for segment in _SPLIT_RE.split(title.lower().replace("&", " and ")):
            words = [word.rstrip(".") for word in _WORD_RE.findall(segment)]
            words = self._resolve_pm(words, title.lower())
            expanded = " ".join(self._abbreviations.get(word, word) for word in words)
            for seniority in self._seniority:
                expanded = re.sub(rf"(^|\s){re.escape(seniority)}(?=\s|$)", " ", expanded)
            expanded = " ".join(expanded.split())
            if expanded:
                segments.append(expanded)
        return " | ".join(self._rejoin(self._uninvert(segments)))

    def _uninvert(self, segments: list[str]) -> list[str]:
        """["manager", "software development", ...] -> ["software development manager", ...]."""
        result: list[str] = []
        index = 0
        while index < len(segments):
            head = segments[index]
            if head in self._inverted_heads and index + 1 < len(segments):
                field = segments[index + 1]
                if head == "manager" and field.endswith(" management"):
                    field = field.removesuffix(" management")
                # "Director, Product" is the director of product, as "Director of Product" is read; "product
                # director" is a title no one lists.
                lead_form = f"{head} of"
                result.append(f"{lead_form} {field}" if lead_form in self._lead_prefixes else f"{field} {head}")
                index += 2
            else:
                result.append(head)
                index += 1
        return result

    def _rejoin(self, segments: list[str]) -> list[str]:
        """["product manager", "technical", "payments"] -> ["product manager technical", "payments"].

        A qualifier is kept with the title before it only when together they are a title phrase of the
        model ("product manager technical"); "Product Manager, Payments" keeps its team apart.
        """
        result: list[str] = []
        for segment in segments:
            if result and f"{result[-1]} {segment}" in self._phrases:
                result[-1] = f"{result[-1]} {segment}"
            else:
                result.append(segment)
        return result

    @staticmethod
    def _resolve_pm(words: list[str], title: str) -> list[str]:
        # "PM" is product manager unless the title speaks of programs or projects.
        if "pm" not in words:
            return words
        if re.search(r"\bprogram(me)?\b", title):
            meaning = "program manager"
        elif re.search(r"\bproject\b", title):
            meaning = "project manager"
        else:
            meaning = "product manager"
        return [meaning if word == "pm" else word for word in words]

    def _best_phrase(self, normalised: str) -> str | None:
        """The longest title phrase in a normalised title, read left to right as the phrases do not overlap, but a
        lead's phrase ("head of product") gives way to a job family that overlaps its end ("product design"): the
        head of product design leads design."""
        # One span per start: the longest phrase starting there (the alternation is ordered longest first).
        spans = [(match.start(1), match.end(1)) for match in self._pattern.finditer(normalised)]
        kept: list[tuple[int, int]] = []
        for start, end in spans:
            if kept and start < kept[-1][1]:  # inside the phrase read before it
                previous = kept[-1]
                # Only a lead's phrase gives way, and only to a job family: "Product Marketing Director" is a product
                # marketer, not a marketing director, and "VP Product Management" an executive.
                if (end > previous[1] and self._is_lead_phrase(normalised[previous[0]:previous[1]])
                        and self._phrases[normalised[start:end]][0] == "family"):
                    kept[-1] = (start, end)
                continue
            kept.append((start, end))
        best: tuple[int, int, str] | None = None
        for start, end in kept:
            phrase = normalised[start:end]
            key = (len(phrase.split()), len(phrase), phrase)
            if best is None or key[:2] > best[:2]:
                best = key
        return None if best is None else best[2]

    def _is_lead_phrase(self, phrase: str) -> bool:
        return any(phrase.startswith(f"{prefix} ") for prefix in self._lead_prefixes) or phrase.startswith("vp ")

    def read(self, title: str | None) -> TitleReading:
        if not title or not title.strip():
            return TitleReading(None, None)
        normalised = self.normalise(title)
        people_lead = any(re.search(rf"(^|\s|\|){re.escape(p)}\b", normalised) for p in self._lead_prefixes)
        phrase = self._best_phrase(normalised)
        if phrase is None:
            return TitleReading(None, None, normalised=normalised, people_lead=people_lead)
        kind, item_id = self._phrases[phrase]
        if kind == "role":
            return TitleReading(item_id, None, matched=phrase, people_lead=people_lead, normalised=normalised)
        if kind == "family":
            return TitleReading(None, item_id, matched=phrase, people_lead=people_lead, normalised=normalised)
        return TitleReading(None, None, candidates=self._ambiguous[phrase], matched=phrase,
                            people_lead=people_lead, normalised=normalised)
