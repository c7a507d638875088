"""The package's shape: layers kept (import-linter), small modules, one loader by path."""

import subprocess
import sys
from pathlib import Path

from tests.import_contracts import DEFAULT_CALLS, path_loads
from tests.support import REPO

#: "About 300 lines": a module that grows past this is doing more than one job.
MAX_MODULE_LINES = 320


def test_the_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_is_long():
    long = {str(path.relative_to(REPO)): lines
            for path in (REPO / "autograder").rglob("*.py")
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_the_path_loading_contract_sees_every_spelling_of_a_load():
    source = "\n".join([
        "import importlib.util",
        "import runpy as r",
        "from importlib.util import spec_from_file_location as locate",
        "from importlib import import_module",
        "importlib.util.spec_from_file_location('m', 'solutions/reference.py')",
        "locate('m', 'x.py')",
        "r.run_path('x.py')",
        "import_module('solutions.reference')",
        "exec(open('x.py').read())",
        "print('exec(not a call)')",
    ])
    found = path_loads("pkg.mod", source, set(DEFAULT_CALLS))
    assert [(load.line, load.call) for load in found] == [
        (5, "importlib.util.spec_from_file_location"),
        (6, "importlib.util.spec_from_file_location"),
        (7, "runpy.run_path"),
        (8, "importlib.import_module"),
        (9, "exec"),
    ]


def test_every_module_has_a_test_folder_or_file():
    """Tests mirror the package: a folder per sub-package."""
    packages = sorted(p.name for p in (REPO / "autograder").iterdir()
                      if (p / "__init__.py").is_file())
    missing = [name for name in packages if not (REPO / "tests" / name).is_dir()]
    assert not missing, missing
