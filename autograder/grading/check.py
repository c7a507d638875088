"""``backprop check NOTEBOOK``: a student's full report, from the release folder alone.

The notebook runs in the same guarded, sandboxed kernel the grader uses, the
same harvest hands its values out, and the same checks judge them, with one
difference: expected values come from the article's known numbers and from
centred finite differences
(:class:`~autograder.core.expectations.OracleExpectations`), so no reference
solution, gradebook or hidden case is needed. Other inputs are drawn afresh on
every run.
"""

import json
import sys
from pathlib import Path

import nbformat
from traitlets.config import Config

from ..core.expectations import OracleExpectations
from ..core.results import GradedSubmission, Status
from ..pipeline.guarded_execute import GuardedExecute
from ..plan import verdicts
from ..plan.course_data import load_course_data
from ..plan.execution import Execution
from ..plan.plan import Tolerances, build_plan

PUBLIC_FILES = ("data_prep.py", "binary.csv")


class CheckError(Exception):
    """The notebook or its folder cannot be checked (usage or file problem)."""


def load_notebook(path: Path):
    if not path.is_file():
        raise CheckError(f"no such notebook: {path}")
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds
        raise CheckError(f"{path} is not a readable notebook: {exc}") from None


def grade_notebook(notebook, *, plan, public_dir, timeout=300,
                   carry_forward=True) -> tuple[GradedSubmission, Execution]:
    """Run ``notebook`` in the guarded sandbox and judge it against ``plan``."""
    config = Config()
    config.SandboxedKernelManager.public_dir = str(public_dir)
    executor = GuardedExecute(config=config, harvest_spec=plan.harvest_spec(),
                              submission_timeout=timeout)
    resources = {"metadata": {"path": str(public_dir)}}
    executor.preprocess(notebook, resources)
    execution = Execution.stored(resources)
    graded = verdicts.judge(execution, plan, carry_forward=carry_forward)
    for result in graded.items:
        if result.status == Status.ERROR and execution.events:
            result.message += " (" + " ".join(execution.events) + ")"
    return graded, execution


def check_notebook(path, *, timeout=300, seed=None) -> GradedSubmission:
    """Run the notebook at ``path`` and return its graded items."""
    path = Path(path).resolve()
    notebook = load_notebook(path)
    folder = path.parent
    missing = [name for name in PUBLIC_FILES if not (folder / name).is_file()]
    if missing:
        raise CheckError(f"{', '.join(missing)} must sit next to the notebook in {folder}")
    plan = build_plan(OracleExpectations(), load_course_data(folder), seed=seed,
                      tolerances=Tolerances.for_oracle())
    graded, _ = grade_notebook(notebook, plan=plan, public_dir=folder, timeout=timeout)
    graded.notebook = path.stem
    return graded


def run_check(notebook, *, timeout=300, as_json=False) -> int:
    try:
        graded = check_notebook(notebook, timeout=timeout)
    except CheckError as exc:
        print(f"backprop check: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(graded.to_json(), indent=1))
    else:
        for result in graded.items:
            print(result.summary())
        passed = sum(r.passed for r in graded.items)
        print(f"\n{passed} of {len(graded.items)} items pass; {graded.score:g} of "
              f"{graded.max_score:g} points (checked against the known numbers and finite "
              "differences).")
    return 0 if graded.passed else 1
