"""Shared fixtures: the notebooks, the reference solutions, the course data."""

import os
import sys
from pathlib import Path

import nbformat
import pytest

from tests.support import RELEASE_DIR, SOLUTIONS_DIR, SOURCE_DIR

# nbgrader calls `alembic` by name: make this environment's tools visible.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(scope="session")
def source_nb():
    return nbformat.read(str(SOURCE_DIR / "backprop.ipynb"), 4)


@pytest.fixture(scope="session")
def release_nb():
    return nbformat.read(str(RELEASE_DIR / "backprop.ipynb"), 4)


@pytest.fixture(scope="session")
def reference():
    from autograder.plan.reference import ReferenceExpectations

    return ReferenceExpectations(SOLUTIONS_DIR).module


@pytest.fixture(scope="session")
def course_data():
    from autograder.plan.course_data import load_course_data

    return load_course_data(SOURCE_DIR)
