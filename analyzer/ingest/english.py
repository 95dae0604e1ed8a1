"""Whether a job description reads as English, so that one in another language is reported, not read silently.

The mapper reads English only: its segmentation and wording rules, its lemmas and the model's phrasings are English.
A description in German or French still gets readings (character n-grams of "Sprint Planning" or "Roadmap" match),
but its requirements read as duties, its negations are missed and its scores look as sure as any, so its findings
cannot be trusted. Ingestion warns about such descriptions (code ``not_english``) and reads them all the same: the
title still names the role, and the user decides.

The test is the share of a text's words that are English function words ("the", "and", "you", "will", "with"), the
words every English sentence needs and other languages do not use (words that other European languages share, such
as "in", "an", "a", "on", "is", "we", "of", and words they borrow, such as "team", are left out of the list; so is
markup). Over the English texts at hand, the share is 0.098 at the lowest (a non-native advert of short noun phrases)
and about 0.25 at the median: the model's 576 example descriptions, the 176 held-out adverts, both rounds of real
postings kept for development (179), the sample organisations' descriptions and a synthetic 10,000-person export's
916 distinct ones. German, French, Dutch and Spanish job descriptions written for the tests score 0.00.
``MIN_ENGLISH_SHARE`` sits between, nearer the other languages, so that terse English is not flagged. A text shorter
than ``MIN_WORDS`` words is not judged: a one-line HR description ("Owns the product backlog") says too little.

Examples
--------
>>> reads_as_english("You will own the roadmap and work with the engineers who build it, and you will talk to "
...                  "the customers who use the product every day.")
True
>>> reads_as_english("Du verantwortest die Produktstrategie und die Roadmap für unsere Zahlungsplattform und "
...                  "führst Nutzerinterviews durch, um Chancen zu erkennen und Ziele zu definieren.")
False
>>> reads_as_english("Owns the product backlog")  # too short to tell
True
"""

from __future__ import annotations

import re

ENGLISH_FUNCTION_WORDS = frozenset({"the", "and", "to", "for", "with", "you", "your", "our", "will", "are", "be",
    "that", "this", "from", "by", "it", "or", "have", "has", "who", "what", "which", "their", "they", "can", "all",
    "about", "into", "more", "across", "how", "as", "not", "us", "its", "than", "but", "if", "when", "where",
    "also", "such", "each", "other", "these", "those", "would", "should", "been", "being", "were", "was", "them",
    "there", "any", "may", "must", "within", "through"})
MIN_WORDS = 20
MIN_ENGLISH_SHARE = 0.05  # English texts at hand: 0.098 and up; other languages' job descriptions: 0.00
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_MARKUP = re.compile(r"<[^<>]{1,200}>")


def english_share(text: str) -> tuple[float, int]:
    """(share of the words that are English function words, number of words) of ``text``."""
    words = _WORD.findall(_MARKUP.sub(" ", text).lower())
    if not words:
        return 0.0, 0
    return sum(word in ENGLISH_FUNCTION_WORDS for word in words) / len(words), len(words)


def reads_as_english(text: str) -> bool:
    """Whether ``text`` reads as English (True too when it is too short to tell)."""
    share, count = english_share(text)
    return count < MIN_WORDS or share >= MIN_ENGLISH_SHARE
