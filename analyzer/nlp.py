"""The shared spaCy pipeline: a blank English tokenizer, a sentencizer and lookup lemmas.

No trained spaCy model is downloaded: tokenisation rules ship with spaCy, lemmas come from the
``spacy-lookups-data`` package (a word -> lemma table), so the tool runs fully offline.

The lemma table is read from the package's gzipped JSON, not through ``spacy.lookups.load_lookups``:
spaCy's ``Table`` keys its entries by string hashes, so its keys no longer hold the words and a
table rebuilt from them matches none. (Until this was found, only ``_LEMMA_OVERRIDES`` were
lemmatised; evaluation/HISTORY.md (iteration 6) records how the figures moved when the table's words came in.)
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH
from spacy.language import Language

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
    # Disciplines named by an -ing form stay nouns: the table would make "product marketing" read as
    # "product market" (market research), "engineering manager" as "engineer manager" and "positioning" as
    # "position" (this position), which blurs responsibilities the model keeps apart.
    "marketing": "marketing", "engineering": "engineering", "programming": "programming",
    "accounting": "accounting", "positioning": "positioning", "sales": "sales",
    # Entries of the table that are wrong here, found by lemmatising every word of the model's phrasings and of the
    # real postings kept for development: "AI" is not a form of "have", nor "does" of "doe", "feed" of "fee",
    # "span" of "spin", "dive" (a deep dive) of "diva" or "phases" of "phasis".
    "ai": "ai", "aws": "aws", "does": "do", "developing": "develop", "developed": "develop", "feed": "feed",
    "matter": "matter", "broker": "broker", "buffer": "buffer", "span": "span", "ground": "ground",
    "putting": "put", "dive": "dive", "phases": "phase", "bit": "bit",
}

_WORD_RE = re.compile(r"[a-z0-9][a-z0-9+#&'./:-]*[a-z0-9+#]|[a-z0-9]")


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """A blank English pipeline with a rule-based sentencizer (cached; safe to share)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def lookup_table(name: str) -> dict:
    """One of spacy-lookups-data's English tables (``lemma_lookup``, ``lemma_index``, ``lexeme_prob``), keyed by
    the words themselves.

    Examples
    --------
    >>> lookup_table("lemma_lookup")["reviews"]
    'review'
    """
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"en_{name}.json.gz"
    with gzip.open(path) as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    table = {word.lower(): value.lower() for word, value in lookup_table("lemma_lookup").items()
             if isinstance(value, str)}
    table.update(_LEMMA_OVERRIDES)
    return table


def lemma(word: str) -> str:
    """Lemma of a lowercase word form (unknown words are returned unchanged)."""
    return _lemma_table().get(word, word)


def verb_lemma(word: str, *, gerunds: bool = True) -> str:
    """Lemma of a lowercase word read as a possible verb, for the tests that ask whether a word is a duty verb.

    The table has no part of speech, and some inflected forms of verbs look the same as nouns: "reports",
    "designs" and "builds" are plural nouns as often as verbs, and "planned" is an adjective in "planned work".
    Those -s and -ed forms keep their form here, unless the project's overrides name them ("owns", "led",
    "prioritised"); a caller that wants third-person duties ("Writes specs") tests for them itself. Base forms
    get their lemma, which unifies spellings ("prioritise" -> "prioritize"), and so do -ing forms unless
    ``gerunds`` is false (where a gerund is more often a noun: "Planning and strategy" over a list). The overrides
    apply first, whatever the form ("prioritising" is always "prioritize").

    Examples
    --------
    >>> verb_lemma("prioritise"), verb_lemma("owns"), verb_lemma("reports"), verb_lemma("hiring")
    ('prioritize', 'own', 'reports', 'hire')
    >>> verb_lemma("hiring", gerunds=False)
    'hiring'
    """
    override = _LEMMA_OVERRIDES.get(word)
    if override is not None:
        return override
    if word.endswith(("s", "ed")) or (not gerunds and word.endswith("ing")):
        return word
    return lemma(word)


def is_verb_among(word: str, verbs: frozenset[str]) -> bool:
    """Whether a lowercase word is one of ``verbs`` (lemmas) as it stands or as :func:`verb_lemma` reads it: the test
    of a duty verb that opens a duty ("Lead ...", "Owns ...", "Hiring ...").

    >>> is_verb_among("hiring", frozenset({"hire"})), is_verb_among("reports", frozenset({"report"}))
    (True, False)
    """
    return word in verbs or verb_lemma(word) in verbs


# Typographic apostrophes (and the acute accent, prime and full-width forms typed for one) read as the
# straight one, in which the language data's patterns are written ("you'll", "won't", "we're"): text pasted from a
# word processor or a web page writes "won’t", and its negation must count as much as "won't".
# Not the backtick: Markdown descriptions (.md) mark code with it, and their statements are quoted as written.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "\u2032": "'", "\uff07": "'"})


def straight_apostrophes(text: str) -> str:
    """``text`` with ’ ‘ ʼ ´ ′ and ＇ written as a straight apostrophe.

    Examples
    --------
    >>> straight_apostrophes("You won\u2019t manage people")
    "You won't manage people"
    """
    return text.translate(_APOSTROPHES)


def split_words(text: str) -> list[str]:
    """Lowercase words of ``text``, split as :func:`lemmas` splits them (punctuation dropped).

    Examples
    --------
    >>> split_words("(Planning, and stand-ups.)")
    ['planning', 'and', 'stand-ups']
    """
    return _WORD_RE.findall(text.lower())


def lemmas(text: str) -> list[str]:
    """Lowercase lemmas of the words in ``text`` (a fast word splitter; punctuation dropped).

    Examples
    --------
    >>> lemmas("Owns and prioritises the product backlog")
    ['own', 'and', 'prioritize', 'the', 'product', 'backlog']
    """
    # Words never span whitespace (_WORD_RE has no space in it), so the words of a text are those of
    # its space-separated chunks, each looked up once per process (bounded).
    found: list[str] = []
    chunks = _CHUNK_LEMMAS
    for chunk in text.lower().split():
        chunk_lemmas = chunks.get(chunk)
        if chunk_lemmas is None:
            get = _lemma_table().get
            chunk_lemmas = tuple(get(word, word) for word in _WORD_RE.findall(chunk))
            if len(chunks) >= _CACHED_CHUNKS:
                chunks.clear()
            chunks[chunk] = chunk_lemmas
        found += chunk_lemmas
    return found


_CHUNK_LEMMAS: dict[str, tuple[str, ...]] = {}
_CACHED_CHUNKS = 100_000


def clear_lemmas() -> None:
    """Forget the remembered lemmas of words (benchmarks measure words never seen before)."""
    _CHUNK_LEMMAS.clear()


def split_sentences(texts: list[str]) -> list[list[str]]:
    """Sentences of each text, using spaCy's tokenizer exceptions (``e.g.``, ``Inc.``) and sentencizer.

    A text that cannot hold a sentence boundary (see :func:`single_sentence`) is not given to spaCy,
    and spaCy's answer for a paragraph is remembered (job descriptions repeat their paragraphs): the
    result is the same, sooner.

    Examples
    --------
    >>> split_sentences(["Own the roadmap.", "You will own it, e.g. for payments. Hire two engineers.", " "])
    [['Own the roadmap.'], ['You will own it, e.g. for payments.', 'Hire two engineers.'], []]
    """
    results: list[list[str] | None] = [single_sentence(text) for text in texts]
    todo = []
    for index, text in enumerate(texts):
        if results[index] is None:
            cached = _SENTENCES.get(text)
            if cached is None:
                todo.append(index)
            else:
                results[index] = list(cached)
    for index in todo:
        sentences = reattach_openers(_sentencize(texts[index]), texts[index])
        results[index] = sentences
        _remember(texts[index], sentences)
    return results


# Punctuation that opens what follows it: a quotation, a bracket, a hashtag, a handle.
_TRAILING_OPENERS_RE = re.compile(r"\s([\"'“‘(\[{#@]+)$")


def reattach_openers(sentences: list[str], text: str | None = None) -> list[str]:
    """Sentences with an opening quote, bracket, ``#`` or ``@`` moved to the sentence it opens.

    spaCy's sentencizer starts a sentence at the first token after the closing punctuation that is not
    punctuation itself, so an opener standing before that token stays with the sentence before
    ("... conviction records. #" and "banthebox"). With the ``text`` the sentences come from, an opener that stood
    apart from the next word there ("# of releases") keeps its space.

    Examples
    --------
    >>> reattach_openers(['Apply today. #', 'banthebox'])
    ['Apply today.', '#banthebox']
    >>> reattach_openers(['He left. "', 'Yes," she said. (', 'See below.)'])
    ['He left.', '"Yes," she said.', '(See below.)']
    """
    moved: list[str] = []
    carried = ""
    for position, sentence in enumerate(sentences):
        start = sentence[:12]
        if carried and text is not None and f"{carried} {start}" in text and carried + start not in text:
            carried += " "
        sentence = carried + sentence
        carried = ""
        opener = _TRAILING_OPENERS_RE.search(sentence)
        if opener and position + 1 < len(sentences):
            carried = opener.group(1)
            sentence = sentence[:opener.start()].rstrip()
        moved.append(sentence)
    return moved


def _sentencize(text: str) -> list[str]:
    """spaCy's sentences of ``text``: its tokenizer, then the sentencizer's rule applied to the token
    arrays (the component's ``predict``, without a Python object per token).

    The rule (spaCy's ``Sentencizer.predict``): a sentence starts at the first token, and at a token
    that is neither punctuation nor one of the sentence characters when a token made of one of those
    came before it in the current sentence.
    """
    if not _only_sentencizer():
        return _pipeline_sentences(text)
    doc = get_nlp().make_doc(text)
    if not len(doc):
        return _pipeline_sentences(text)
    punct, punct_ids = _sentence_characters()
    starts = [0]
    seen_period = False
    rows = doc.to_array([ORTH, IS_PUNCT, IDX, LENGTH]).tolist()
    for position, (orth, is_punct, start, length) in enumerate(rows):
        in_punct = orth in punct_ids and text[start:start + length] in punct
        if seen_period and not is_punct and not in_punct:
            starts.append(position)
            seen_period = False
        elif in_punct:
            seen_period = True
    sentences = []
    for first, end in zip(starts, [*starts[1:], len(rows)], strict=True):
        last = rows[end - 1]
        sentence = text[rows[first][2]:last[2] + last[3]].strip()  # Span.text, without its last space
        if sentence:
            sentences.append(sentence)
    return sentences


@lru_cache(maxsize=1)
def _only_sentencizer() -> bool:
    return get_nlp().pipe_names == ["sentencizer"]


def _pipeline_sentences(text: str) -> list[str]:
    return [sent.text.strip() for sent in get_nlp()(text).sents if sent.text.strip()]


@lru_cache(maxsize=1)
def _sentence_characters() -> tuple[frozenset[str], frozenset[int]]:
    """The sentencizer's sentence characters, and their string ids (a token's ORTH)."""
    nlp = get_nlp()
    punct = frozenset(nlp.get_pipe("sentencizer").punct_chars)
    return punct, frozenset(nlp.vocab.strings[char] for char in punct)


# Paragraph -> its sentences, as spaCy split it (bounded: at most _CACHED_SENTENCES short paragraphs).
_SENTENCES: dict[str, tuple[str, ...]] = {}
_CACHED_SENTENCES = 20_000
_CACHED_CHARS = 2_000


def clear_sentences() -> None:
    """Forget the remembered sentences of paragraphs."""
    _SENTENCES.clear()


def _remember(text: str, sentences: list[str]) -> None:
    if len(text) <= _CACHED_CHARS:
        if len(_SENTENCES) >= _CACHED_SENTENCES:
            _SENTENCES.clear()
        _SENTENCES[text] = tuple(sentences)


@lru_cache(maxsize=1)
def _boundary_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(any sentence punctuation character of the sentencizer, a run of those that are punctuation
    by Unicode category)."""
    punct = get_nlp().get_pipe("sentencizer").punct_chars
    ending = [char for char in punct if len(char) == 1 and unicodedata.category(char).startswith("P")]
    any_punct = "".join(re.escape(char) for char in sorted(punct) if len(char) == 1)
    # A multi-character entry never equals a one-character token's text, but could a longer one: such
    # a configuration gets no fast path (the pattern below then matches everything).
    if any(len(char) != 1 for char in punct):
        return re.compile(r"(?s:.)"), re.compile(r"(?!x)x")
    return re.compile(f"[{any_punct}]"), re.compile(f"[{''.join(re.escape(char) for char in sorted(ending))}]+")


def single_sentence(text: str) -> list[str] | None:
    """``split_sentences([text])[0]`` when ``text`` cannot hold a sentence boundary, else None.

    spaCy's sentencizer starts a sentence at a token that follows a token made of one of its
    punctuation characters (``.``, ``!``, ``?`` ...), unless that token is punctuation itself. With no
    such character, or with them only in a run of punctuation that ends the text, no token can start a
    second sentence, whatever the tokenizer does: the text is one sentence.

    Examples
    --------
    >>> single_sentence("Own the roadmap."), single_sentence("Own it. Then more"), single_sentence("  ")
    (['Own the roadmap.'], None, [])
    """
    stripped = text.strip()
    if not stripped:
        return [] if len(text) <= get_nlp().max_length else None
    any_punct, ending = _boundary_patterns()
    found = any_punct.search(stripped)
    if found is None or ending.fullmatch(stripped, found.start()):
        return [stripped] if len(text) <= get_nlp().max_length else None  # spaCy refuses longer texts
    return None
