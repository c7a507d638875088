"""A grading plan: the inputs a submission is run on and the values expected.

A plan is built once per grading run (the reference training alone takes a
few seconds) and then used for every submission. It has two faces:

* :meth:`GradingPlan.harvest_spec` is what goes into the student's kernel:
  inputs only, never an expected value;
* the rest stays in the grader's process and feeds :mod:`autograder.plan.verdicts`.
"""

from dataclasses import dataclass, field

import numpy as np

from ..core import cases as case_gen
from ..core import oracle
from ..core.compare import ATOL, FD_ATOL, FD_RTOL, RTOL, TRAINING_ATOL, TRAINING_RTOL
from ..core.course import (
    EX1_INPUTS,
    EX1_QUANTITIES,
    EX2_EPOCHS,
    EX2_LEARNRATE,
    EX2_N_HIDDEN,
    EX2_SEED,
)
from ..core.expectations import training_variants
from .cache import as_arrays, cache_key
from .course_data import CourseData


@dataclass
class Tolerances:
    ex1_rtol: float = RTOL
    ex1_atol: float = ATOL
    training_rtol: float = TRAINING_RTOL
    training_atol: float = TRAINING_ATOL

    @classmethod
    def for_oracle(cls):
        """Finite differences carry their own error of about 1e-8."""
        return cls(FD_RTOL, FD_ATOL, FD_RTOL, FD_ATOL)


@dataclass
class GradingPlan:
    source: str
    data: CourseData
    ex1_article: tuple
    ex1_cases: list
    ex2_initial: tuple
    ex2_first: tuple
    ex2_final: tuple
    ex2_cases: list
    ex2_first_variants: dict = field(default_factory=dict)
    tolerances: Tolerances = field(default_factory=Tolerances)

    def harvest_spec(self) -> dict:
        """The inputs for the student's kernel. Nothing expected is in here."""
        return {
            "ex1_names": list(EX1_QUANTITIES),
            "ex1_article": {name: np.asarray(value).tolist() for name, value in EX1_INPUTS.items()},
            "ex1_cases": [case.spec() for case, _ in self.ex1_cases],
            "ex2": {
                "features": self.data.features.tolist(),
                "targets": self.data.targets.tolist(),
                "columns": self.data.columns,
                "epochs": 1,
                "full_epochs": EX2_EPOCHS,
                "learnrate": EX2_LEARNRATE,
                "n_hidden": EX2_N_HIDDEN,
                "seed": EX2_SEED,
            },
            "ex2_cases": [entry[0].spec() for entry in self.ex2_cases],
        }


def final_training(expectations, data: CourseData, cache=None) -> tuple:
    """Example 2's full training on the course data: the slow part of a plan.

    It does not depend on the seed, so with a :class:`~autograder.plan.cache.PlanCache`
    it is computed once for given solutions and data and read back afterwards."""
    args = (data.features, data.targets, EX2_EPOCHS, EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED)
    fingerprint = getattr(expectations, "fingerprint", None)
    if cache is None or fingerprint is None:
        return as_arrays(expectations.train(*args))
    key = cache_key(expectations=fingerprint(), features=data.features, targets=data.targets,
                    epochs=EX2_EPOCHS, learnrate=EX2_LEARNRATE, n_hidden=EX2_N_HIDDEN,
                    seed=EX2_SEED)
    return cache.training(key, lambda: expectations.train(*args))


def build_plan(expectations, data: CourseData, *, seed=None, tolerances=None,
               cache=None) -> GradingPlan:
    """Draw the other inputs with ``seed`` and compute every expected value
    (the seed-independent full training through ``cache`` when one is given)."""
    rng = np.random.default_rng(seed)
    ex1_cases = [(case, tuple(expectations.backprop_step(**case.inputs)))
                 for case in case_gen.network_cases(rng)]
    ex2_cases = []
    for case in case_gen.data_cases(rng):
        args = (case.features, case.targets, case.epochs, case.learnrate, case.n_hidden, case.seed)
        expected = expectations.train(*args)
        initial = oracle.initial_weights(case.features.shape[1], case.n_hidden, case.seed)
        ex2_cases.append((case, tuple(expected), initial, training_variants(expectations, *args)))
    n_features = data.features.shape[1]
    return GradingPlan(
        source=expectations.name,
        data=data,
        ex1_article=tuple(expectations.backprop_step(**EX1_INPUTS)),
        ex1_cases=ex1_cases,
        ex2_initial=oracle.initial_weights(n_features, EX2_N_HIDDEN, EX2_SEED),
        ex2_first=tuple(expectations.train(data.features, data.targets, 1, EX2_LEARNRATE,
                                           EX2_N_HIDDEN, EX2_SEED)),
        ex2_final=final_training(expectations, data, cache),
        ex2_cases=ex2_cases,
        ex2_first_variants=training_variants(expectations, data.features, data.targets, 1,
                                             EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED),
        tolerances=tolerances or Tolerances(),
    )


class _InputsOnly:
    """Expectations that compute nothing: a plan with the inputs only."""

    name = "inputs only"

    def backprop_step(self, **inputs):
        return ()

    def train(self, *args, **kwargs):
        return ()


def inputs_only_plan(data: CourseData, *, seed) -> GradingPlan:
    """The plan for ``seed`` without its expected values: the inputs are drawn
    in milliseconds, where the full plan takes seconds. Its harvest spec is the
    full plan's, so the first submissions can run while the plan is built."""
    return build_plan(_InputsOnly(), data, seed=seed)
