"""The grading run: settings shared by the steps, and the plan built once.

:class:`BackpropGrader` is a traitlets ``Configurable``, so every setting can
be changed in ``nbgrader_config.py`` (``c.BackpropGrader.<name> = ...``). The
plan (reference training, other inputs, expected values) is built the first
time a step asks for it and then reused for every submission the process
grades.
"""

import secrets
import threading

from traitlets import Bool, Integer, Unicode
from traitlets.config import LoggingConfigurable

from .expectations import ReferenceExpectations
from .plan import build_plan, load_course_data
from .plan_cache import PlanCache

_PLANS = {}
_LOCK = threading.Lock()
_RUN_SEED = secrets.randbits(63)


class BackpropGrader(LoggingConfigurable):
    solutions_dir = Unicode(
        "", help="Folder holding the reference solutions (reference.py). Never released."
    ).tag(config=True)
    public_dir = Unicode(
        "", help="Folder with the public course files the notebook imports (data_prep.py, "
        "binary.csv): the assignment's release folder."
    ).tag(config=True)
    hidden_seed = Integer(
        None, allow_none=True,
        help="Seed of the other inputs the functions are called on. None draws a fresh seed "
        "for every grading run; a parallel run passes its seed to every worker."
    ).tag(config=True)
    cache_dir = Unicode(
        "", help="Folder where expected values that do not depend on the seed (the reference "
        "training on the course data) are kept between runs. Empty: no cache."
    ).tag(config=True)
    error_carried_forward = Bool(
        True, help="Give method marks downstream of a wrong Example 1 value when the student's "
        "later formulas are right, and say so in the feedback."
    ).tag(config=True)

    def seed(self) -> int:
        return _RUN_SEED if self.hidden_seed is None else self.hidden_seed

    def plan(self):
        key = (self.solutions_dir, self.public_dir, self.seed(), self.cache_dir)
        with _LOCK:
            if key not in _PLANS:
                if not self.solutions_dir or not self.public_dir:
                    raise ValueError("BackpropGrader.solutions_dir and public_dir must be set "
                                     "(nbgrader_config.py does it with autograder.nbgrader_setup)")
                self.log.info("Building the grading plan from %s", self.solutions_dir)
                cache = PlanCache(self.cache_dir) if self.cache_dir else None
                _PLANS[key] = build_plan(ReferenceExpectations(self.solutions_dir),
                                         load_course_data(self.public_dir), seed=self.seed(),
                                         cache=cache)
            return _PLANS[key]
