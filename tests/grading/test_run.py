"""The run's early harvest spec: the plan's inputs, drawn before its expected values."""

from autograder.core.course import ASSIGNMENT
from autograder.grading.run import early_harvest_spec
from autograder.plan.course_data import load_course_data
from autograder.plan.plan import build_plan
from autograder.plan.reference import ReferenceExpectations
from tests.support import REPO, SOLUTIONS_DIR


def test_workers_get_the_plans_inputs_and_nothing_else():
    public = REPO / "source" / ASSIGNMENT
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), load_course_data(public), seed=7,
                      predictions=False)
    assert early_harvest_spec(public, 7) == plan.harvest_spec()
    assert early_harvest_spec(public, 8) != plan.harvest_spec()
