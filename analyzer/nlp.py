"""The shared spaCy pipeline: a blank English tokenizer, a sentencizer and lookup lemmas.

No trained spaCy model is downloaded: tokenisation rules ship with spaCy, lemmas come from the
``spacy-lookups-data`` package (a word -> lemma table), so the tool runs fully offline.
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.lookups import load_lookups

# Lookup-table lemmas that are wrong for job-description English (the table has no part of speech,
# so e.g. "number" becomes "numb"). Keys are lowercase word forms.
_LEMMA_OVERRIDES = {
    "number": "number", "numbers": "number", "criteria": "criterion", "data": "data",
    "media": "media", "as": "as", "us": "us", "owning": "own", "owns": "own", "owned": "own",
    "leading": "lead", "leads": "lead", "led": "lead", "prioritise": "prioritize",
    "prioritises": "prioritize", "prioritised": "prioritize", "prioritising": "prioritize",
    "prioritisation": "prioritization", "organisation": "organization", "organisations": "organization",
    "organisational": "organizational", "optimise": "optimize", "optimising": "optimize",
    "analyse": "analyze", "analyses": "analyze", "analysing": "analyze", "analysed": "analyze",
    "programme": "program", "programmes": "program", "behaviour": "behavior", "behaviours": "behavior",
    "colour": "color", "centre": "center", "favour": "favor", "catalogue": "catalog",
    "recognise": "recognize", "standardise": "standardize", "utilise": "utilize", "emphasise": "emphasize",
    "synthesise": "synthesize", "synthesising": "synthesize", "socialise": "socialize",
    "evangelise": "evangelize", "evangelising": "evangelize", "visualise": "visualize",
    "minimise": "minimize", "maximise": "maximize", "maximising": "maximize", "licence": "license",
    "okrs": "okr", "kpis": "kpi", "prds": "prd", "apis": "api", "sdks": "sdk", "pms": "pm",
    "pos": "po", "ems": "em", "pmms": "pmm", "retros": "retro", "standups": "standup",
    "stand-ups": "standup", "stand-up": "standup", "one-on-ones": "one-on-one", "1:1s": "1:1",
}

_WORD_RE = re.compile(r"[a-z0-9][a-z0-9+#&'./:-]*[a-z0-9+#]|[a-z0-9]")


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """A blank English pipeline with a rule-based sentencizer (cached; safe to share)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    lookups = load_lookups("en", ["lemma_lookup"])
    table = {str(word).lower(): value.lower() for word, value in lookups.get_table("lemma_lookup").items()
             if isinstance(value, str)}
    table.update(_LEMMA_OVERRIDES)
    return table


def lemma(word: str) -> str:
    """Lemma of a lowercase word form (unknown words are returned unchanged)."""
    return _lemma_table().get(word, word)


def lemmas(text: str) -> list[str]:
    """Lowercase lemmas of the words in ``text`` (a fast word splitter; punctuation dropped).

    Examples
    --------
    >>> lemmas("Owns and prioritises the product backlog")
    ['own', 'and', 'prioritize', 'the', 'product', 'backlog']
    """
    get = _lemma_table().get
    return [get(word, word) for word in _WORD_RE.findall(text.lower())]


def split_sentences(texts: list[str]) -> list[list[str]]:
    """Sentences of each text, using spaCy's tokenizer exceptions (``e.g.``, ``Inc.``) and sentencizer."""
    nlp = get_nlp()
    return [[sent.text.strip() for sent in doc.sents if sent.text.strip()] for doc in nlp.pipe(texts)]
