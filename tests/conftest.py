"""Shared fixtures: the notebooks, the reference solutions, the course data."""

import os
import sys
from pathlib import Path

import nbformat
import pytest

from tests.support import RELEASE_DIR, SOLUTIONS_DIR, SOURCE_DIR

# nbgrader calls `alembic` by name: make this environment's tools visible.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(scope="session", autouse=True)
def check_cache(tmp_path_factory):
    """One cache folder for every ``backprop check`` of the session (the commands the
    tests start inherit it), instead of the user's own."""
    from autograder.plan.cache import CACHE_DIR_VARIABLE

    folder = tmp_path_factory.mktemp("check-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_DIR_VARIABLE, str(folder))
        yield folder


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


@pytest.fixture(scope="session")
def small_plan():
    """The reference plan on 30 synthetic records: the same shapes, trained in a blink,
    with a test split the reference's weights get right (so the accuracy passes too)."""
    import numpy as np

    from autograder.core import oracle
    from autograder.plan.course_data import CourseData
    from autograder.plan.plan import build_plan
    from autograder.plan.reference import ReferenceExpectations

    rng = np.random.default_rng(0)
    features = rng.normal(size=(30, 6))
    targets = (rng.uniform(size=30) < 0.4).astype(float)
    data = CourseData(features, targets, features[:10], targets[:10], [f"f{i}" for i in range(6)])
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), data, seed=11)
    data.targets_test = (oracle.predict(data.features_test, *plan.ex2_final[:2]) > 0.5) * 1.0
    return plan
