"""Sample submissions: the solved notebook, the untouched release, and mutants.

A mutant is the solved notebook with one textual change in one answer cell.
The demo grades a class of them, and the tests use them to prove that every
mistake loses points. Every mutation names the exact text it replaces, so a
change to the source notebook that breaks one fails loudly.

The catalogue of samples quotes solution code, so it lives with the
instructor's material in ``solutions/sample_submissions.py``, never in this
package; ``samples.SAMPLES`` and the other lists load it from the course
folder (by :mod:`autograder.plan.loader`).
"""

import copy
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import i18n
from ..core.course import ASSIGNMENT, EDITIONS, NOTEBOOK
from ..plan.loader import load_solution, solutions_folder

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
EX1_CELL, EX2_CELL = "ex1_backprop_step", "ex2_train_nn"


@dataclass(frozen=True)
class Mutation:
    """Replace ``old`` by ``new`` in the answer cell ``grade_id``."""

    grade_id: str
    old: str
    new: str


@dataclass(frozen=True)
class Sample:
    name: str
    description: str
    mutations: tuple = ()
    untouched: bool = False


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def strip_markers(source: str) -> str:
    return "\n".join(line for line in source.split("\n") if BEGIN not in line and END not in line)


def solved(release_nb, source_nb):
    """The release notebook with every answer cell filled from the source."""
    answers = {grade_id(cell): strip_markers(cell.source) for cell in source_nb.cells
               if cell.metadata.get("nbgrader", {}).get("solution")}
    notebook = copy.deepcopy(release_nb)
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook


def mutate(notebook, mutations):
    notebook = copy.deepcopy(notebook)
    for mutation in mutations:
        cells = [cell for cell in notebook.cells if grade_id(cell) == mutation.grade_id]
        if len(cells) != 1 or cells[0].source.count(mutation.old) != 1:
            raise ValueError(f"mutation does not apply: {mutation.old!r} in {mutation.grade_id}")
        cells[0].source = cells[0].source.replace(mutation.old, mutation.new)
    return notebook


def build(sample: Sample, release_nb, source_nb):
    if sample.untouched:
        return copy.deepcopy(release_nb)
    return mutate(solved(release_nb, source_nb), sample.mutations)


def edition_assignment(lang=None) -> str:
    """The assignment folder of the course's edition in ``lang`` (``backprop_zh`` for
    ``zh_CN``: :data:`autograder.core.course.EDITIONS` read backwards); the English
    one for ``None`` or a language the course has no edition in."""
    if lang is None:
        return ASSIGNMENT
    code = i18n.normalize(lang)
    return next((folder for folder, language in EDITIONS.items() if language == code),
                ASSIGNMENT)


def write_class(submitted_dir, release_nb, source_nb, samples=None, assignment=ASSIGNMENT):
    """Write ``submitted/<student>/<assignment>/<notebook>.ipynb`` for each sample
    (default: the catalogue's demo class)."""
    samples = load_catalogue().SAMPLES if samples is None else samples
    paths = {}
    for sample in samples:
        folder = Path(submitted_dir) / sample.name / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{NOTEBOOK}.ipynb"
        nbformat.write(build(sample, release_nb, source_nb), str(path))
        paths[sample.name] = path
    return paths


CATALOGUE = "sample_submissions"
CATALOGUE_NAMES = ("SAMPLES", "EXTRA_SAMPLES", "MISTAKE_SAMPLES", "MODEL_SAMPLES",
                   "UNEXPLAINED_SAMPLES", "EQUIVALENT_SAMPLES")


def load_catalogue(course_root=None):
    """The sample catalogue of the course at ``course_root`` (default: the course this
    package was installed from)."""
    from ..workspace.folder import course_template

    root = Path(course_root).resolve() if course_root else course_template()
    return load_solution(solutions_folder(root), CATALOGUE)


def __getattr__(name):
    if name in CATALOGUE_NAMES:
        return getattr(load_catalogue(), name)
    raise AttributeError(name)
