"""Shared fixtures: the repository root, the notebooks, a temporary course."""

import os
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO / "source" / "backprop"
RELEASE_DIR = REPO / "release" / "backprop"
SOLUTIONS_DIR = REPO / "solutions"

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
    from autograder.expectations import ReferenceExpectations

    return ReferenceExpectations(SOLUTIONS_DIR).module


@pytest.fixture(scope="session")
def course_data():
    from autograder.plan import load_course_data

    return load_course_data(SOURCE_DIR)
