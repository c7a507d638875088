"""A course folder with a generated release and a class of sample submissions.

Used by the parallel-grading tests and the grading benchmark: copy the course,
``nbgrader generate_assignment``, then write ``submitted/<student>/<assignment>/``
for each sample (:mod:`autograder.demo.samples`), cycling through the samples when
more students than samples are asked for.
"""

import itertools
from pathlib import Path

import nbformat

from ..core.course import ASSIGNMENT, NOTEBOOK
from ..workspace.folder import make_course, nbgrader
from . import samples as sample_mod

SEED_LINE = "c.BackpropGrader.hidden_seed = {seed}\n"


def make_release(dest, *, seed=None, env=None, template=None, assignment=ASSIGNMENT) -> Path:
    """Copy the course to ``dest`` and generate the release of ``assignment`` (an
    edition's folder: ``backprop_zh``), and the gradebook."""
    course = make_course(dest, template=template)
    if seed is not None:
        set_seed(course, seed)
    nbgrader(["generate_assignment", assignment, "--force"], course=course, env=env)
    return course


def set_seed(course, seed) -> None:
    """Pin ``c.BackpropGrader.hidden_seed`` in the course's ``nbgrader_config.py``."""
    config = Path(course) / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True)
             if not line.startswith("c.BackpropGrader.hidden_seed")]
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    config.write_text("".join(lines) + SEED_LINE.format(seed=seed), encoding="utf-8")


def class_samples(count, pool=None) -> list:
    """``[(student name, sample)]``: ``count`` students cycling through ``pool``
    (default: the catalogue's ``SAMPLES`` and ``EXTRA_SAMPLES``)."""
    if pool is None:
        pool = tuple(sample_mod.SAMPLES) + tuple(sample_mod.EXTRA_SAMPLES)
    chosen = []
    for index, sample in zip(range(count), itertools.cycle(pool)):
        round_ = index // len(pool)
        chosen.append((sample.name if round_ == 0 else f"{sample.name}_{round_ + 1}", sample))
    return chosen


def write_submissions(course, students, assignment=ASSIGNMENT) -> dict:
    """Write ``submitted/<name>/<assignment>/<notebook>.ipynb`` for ``[(name, sample)]``,
    each made from that assignment's release and source."""
    course = Path(course)
    release = nbformat.read(str(course / "release" / assignment / f"{NOTEBOOK}.ipynb"), 4)
    source = nbformat.read(str(course / "source" / assignment / f"{NOTEBOOK}.ipynb"), 4)
    paths = {}
    for name, sample in students:
        folder = course / "submitted" / name / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{NOTEBOOK}.ipynb"
        nbformat.write(sample_mod.build(sample, release, source), str(path))
        paths[name] = path
    return paths
