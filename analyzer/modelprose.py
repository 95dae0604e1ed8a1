"""The role model's ``confidence_on_real_prose`` section: read, checked, and matched against the model's classifier.

Layout (``models/README.md``), one entry per mapper, each naming the classifier its numbers were fitted for::

    confidence_on_real_prose:
      fitted_on: hand-labelled statements of ...
      default: {slope: 0.495, intercept: -0.989, training_rows: "e57ee3b3c12ac104", dev_split_log_odds: 4.380}
      semantic: {slope: 0.489, intercept: -0.955, training_rows: "e57ee3b3c12ac104", dev_split_log_odds: 4.499}

``slope`` and ``intercept`` are the map of :mod:`analyzer.mapping.prose`. ``training_rows`` is the digest of the rows
the statement classifier learnt from (:func:`analyzer.mapping.training.training_digest`). When a model's rows give
another digest, or the entry names none, the calibration is used all the same and the model carries a note for each
analysis to warn with (:func:`calibration_note`): the usual way to adapt the model is a copy with responsibilities
added, and a calibration fitted for one classifier stayed close for classifiers trained otherwise, where the
classifier's own probability is far off on real prose (evaluation/HISTORY.md, iteration 11). ``dev_split_log_odds``
is what that classifier read on the dev split; a test compares it with the classifier of today.
"""

from __future__ import annotations

import math
import re
import reprlib
from dataclasses import dataclass
from typing import Any

from analyzer.errors import Problem
from analyzer.mapping.prose import IDENTITY, ProseCalibration
from analyzer.mapping.training import DIGEST_LENGTH
from analyzer.modelcheck import Checker

PROSE_CALIBRATION_KEY = "confidence_on_real_prose"
MAPPERS = ("default", "semantic")
# The dev split, not the default test split: it is the probe the entry records, and the test split stays unread.
FIT_COMMAND = "python -m analyzer.evaluate --split dev --model FILE --statements FILE... --fit-prose-calibration"
_FIX = f"write it as the line {FIT_COMMAND} prints (with --semantic for the semantic mapper), or leave the section out"
_SHORT = reprlib.Repr()  # a value quoted back in a message, cut short (a 400-digit number is not read)
_SHORT.maxstring = _SHORT.maxother = _SHORT.maxlong = 40
_DIGEST_RE = re.compile(f"[0-9a-fA-F]{{{DIGEST_LENGTH}}}")


@dataclass(frozen=True)
class MapperCalibration:
    """One mapper's entry: its map onto real prose and the classifier it was fitted for."""

    scale: ProseCalibration = IDENTITY
    training_rows: str = ""  # the digest of what the calibrated classifier learnt from ("" when not named)
    dev_split_log_odds: float | None = None  # what that classifier read on the dev split (None when not recorded)


def read_prose_calibrations(checker: Checker, data: Any) -> tuple[dict[str, MapperCalibration], str]:
    """(each mapper's entry, ``fitted_on``) of the section ``data`` (None: no section, every mapper the identity);
    problems go to ``checker``."""
    found = dict.fromkeys(MAPPERS, MapperCalibration())
    if data is None:
        return found, ""
    if not isinstance(data, dict):
        checker.add(PROSE_CALIBRATION_KEY, "not_a_mapping", f"'{PROSE_CALIBRATION_KEY}' must be a mapping", _FIX)
        return found, ""
    for key in data:
        if key == "fitted_for":  # the layout of a draft of model 1.7.1, before each entry named its own classifier
            checker.add(f"{PROSE_CALIBRATION_KEY}.fitted_for", "unknown_key", "'fitted_for' is not read: each "
                        "mapper's entry names its own classifier", "move training_rows and that mapper's "
                        "dev_split_log_odds into the default: and semantic: entries, e.g. default: {slope: 0.5, "
                        "intercept: -1.0, training_rows: \"0123456789abcdef\"}")
        elif key not in (*MAPPERS, "fitted_on"):
            checker.add(f"{PROSE_CALIBRATION_KEY}.{key}", "unknown_key", f"unknown key {key!r}",
                        f"use {', '.join(MAPPERS)} or fitted_on")
    if not any(mapper in data for mapper in MAPPERS):
        checker.add(PROSE_CALIBRATION_KEY, "missing", f"names no mapper ({' or '.join(MAPPERS)})", _FIX)
    source = data.get("fitted_on")
    if source is not None and not isinstance(source, str):
        checker.add(f"{PROSE_CALIBRATION_KEY}.fitted_on", "not_text", "'fitted_on' must be text (where the numbers "
                    "come from)")
    for mapper in MAPPERS:
        if mapper in data:
            found[mapper] = _mapper_calibration(checker, data[mapper], f"{PROSE_CALIBRATION_KEY}.{mapper}")
    return found, source.strip() if isinstance(source, str) else ""


def _mapper_calibration(checker: Checker, entry: Any, where: str) -> MapperCalibration:
    if not isinstance(entry, dict) or not {"slope", "intercept"} <= set(entry):
        checker.add(where, "bad_calibration", "needs the numbers 'slope' and 'intercept'", _FIX)
        return MapperCalibration()
    for key in entry:
        if key not in ("slope", "intercept", "training_rows", "dev_split_log_odds"):
            checker.add(f"{where}.{key}", "unknown_key", f"unknown key {key!r}",
                        "use slope, intercept, training_rows or dev_split_log_odds")
    numbers = {}
    for key, limits in (("slope", "above 0 and below 100 (above 0 keeps the order of scores)"),
                        ("intercept", "from -100 to 100")):
        value = _finite(entry[key])
        if value is None or (key == "slope" and not 0 < value < 100) or (key == "intercept" and abs(value) > 100):
            checker.add(f"{where}.{key}", "bad_calibration", f"{key} {_SHORT.repr(entry[key])} must be a number "
                        f"{limits}", _FIX)
        else:
            numbers[key] = value
    digest = entry.get("training_rows", "")
    if isinstance(digest, int) and not isinstance(digest, bool):
        checker.add(f"{where}.training_rows", "bad_digest", "was read as a number (YAML reads unquoted digits as "
                    "one): quote the digest", "write it in quotes, as the fitting command prints it: training_rows: "
                    "\"0123456789abcdef\"")
        digest = ""
    elif not isinstance(digest, str) or (digest and not _DIGEST_RE.fullmatch(digest)):
        checker.add(f"{where}.training_rows", "bad_digest",
                    f"must be the {DIGEST_LENGTH} hex digits of the training rows' digest, got "
                    f"{_SHORT.repr(digest)}", _FIX)
        digest = ""
    probe = None
    if "dev_split_log_odds" in entry:
        probe = _finite(entry["dev_split_log_odds"])
        if probe is None:
            checker.add(f"{where}.dev_split_log_odds", "bad_probe",
                        f"must be a number, got {_SHORT.repr(entry['dev_split_log_odds'])}", _FIX)
    scale = ProseCalibration(numbers["slope"], numbers["intercept"]) if len(numbers) == 2 else IDENTITY
    return MapperCalibration(scale, digest.lower(), probe)


def _finite(value: Any) -> float | None:
    """``value`` as a finite float; None for anything else (text, true/false, NaN, an integer too big for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def calibration_note(source: str, mapper: str, calibration: MapperCalibration, digest: str) -> str:
    """A warning when ``mapper``'s calibration was fitted for a classifier that learnt from other rows than the
    model's (``digest``), or names none ("" when it fits, or when there is no calibration to fit)."""
    if calibration.scale.is_identity or calibration.training_rows == digest:
        return ""
    fitted_for = (f"was fitted for a classifier that learnt from other phrasings (training rows "
                  f"{calibration.training_rows}; this model's give {digest})" if calibration.training_rows else
                  f"names no classifier it was fitted for (no training_rows; this model's give {digest})")
    which = "" if mapper == "default" else f"{mapper} mapper's "
    return str(Problem(
        f"{source}: {PROSE_CALIBRATION_KEY}.{mapper}", "calibration_for_other_phrasings",
        f"the {which}confidence calibration {fitted_for}, so the confidences shown and the threshold are an "
        "estimate for this model",
        f"fit it again on labelled statements ({FIT_COMMAND}{' --semantic' if mapper == 'semantic' else ''}), or "
        "delete it to show the classifier's own probability"))
