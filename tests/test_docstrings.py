"""The examples in the package's docstrings run and print what they show (numpydoc "Examples")."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import analyzer

MODULES = sorted(info.name for info in pkgutil.walk_packages(analyzer.__path__, "analyzer.")
                 if not info.name.endswith("__main__"))


def test_the_package_has_examples_to_run():
    finder = doctest.DocTestFinder()
    with_examples = [name for name in MODULES
                     if any(test.examples for test in finder.find(importlib.import_module(name)))]
    assert len(with_examples) >= 20, with_examples


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (run pytest " \
                               f"--doctest-modules {name.replace('.', '/')}.py to see them)"
