"""The grading run's settings, and its plan built once.

:class:`BackpropGrader` is a traitlets ``Configurable``, so every setting can
be changed in ``nbgrader_config.py`` (``c.BackpropGrader.<name> = ...``). The
plan (reference training, other inputs, expected values) is built the first
time a step asks for it and then reused for every submission of the run.

The plans and the run's own hidden seed are kept by the run itself
(:mod:`autograder.run_state`), so two applications in one process never share
a plan or a seed, and nothing is kept once the run is gone.
"""

import secrets

from traitlets import Bool, Integer, Unicode
from traitlets.config import LoggingConfigurable

from ..i18n import _
from ..run_state import memo
from .cache import PlanCache
from .course_data import load_course_data
from .plan import build_plan
from .reference import ReferenceExpectations


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
        if self.hidden_seed is not None:
            return self.hidden_seed
        return memo(self, "plans").get("seed", lambda: secrets.randbits(63))

    def plan(self):
        """The run's plan for these settings, built the first time it is asked for."""
        if not self.solutions_dir or not self.public_dir:
            raise ValueError(_("BackpropGrader.solutions_dir and public_dir must be set "
                               "(nbgrader_config.py does it with autograder.pipeline.setup)"))
        seed = self.seed()
        key = ("plan", self.solutions_dir, self.public_dir, seed, self.cache_dir)

        def build():
            self.log.info("Building the grading plan from %s", self.solutions_dir)
            cache = PlanCache(self.cache_dir) if self.cache_dir else None
            return build_plan(ReferenceExpectations(self.solutions_dir),
                              load_course_data(self.public_dir, cache), seed=seed, cache=cache)

        return memo(self, "plans").get(key, build)
