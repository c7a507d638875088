"""A grading plan: the inputs a submission is run on and the values expected.

A plan is built once per grading run (the reference training alone takes a
few seconds) and then used for every submission. It has two faces:

* :meth:`GradingPlan.harvest_spec` is what goes into the student's kernel:
  inputs only, never an expected value;
* the rest stays in the grader's process and feeds :mod:`autograder.verdicts`.
"""

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import cases as case_gen
from . import oracle
from .course import EX1_INPUTS, EX1_QUANTITIES, EX2_EPOCHS, EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED
from .compare import ATOL, FD_ATOL, FD_RTOL, RTOL, TRAINING_ATOL, TRAINING_RTOL
from .plan_cache import as_arrays, cache_key


@dataclass
class CourseData:
    """Example 2's pinned split, as float64 arrays."""

    features: np.ndarray
    targets: np.ndarray
    features_test: np.ndarray
    targets_test: np.ndarray
    columns: list


def load_course_data(public_dir) -> CourseData:
    """Import ``data_prep.py`` from ``public_dir`` by path and return its split."""
    path = Path(public_dir) / "data_prep.py"
    if not path.is_file():
        raise FileNotFoundError(f"the data preparation module is missing: {path}")
    spec = importlib.util.spec_from_file_location("_backprop_data_prep", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return CourseData(
        np.asarray(module.features, dtype=np.float64),
        np.asarray(module.targets, dtype=np.float64),
        np.asarray(module.features_test, dtype=np.float64),
        np.asarray(module.targets_test, dtype=np.float64),
        list(module.features.columns),
    )


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
                "learnrate": EX2_LEARNRATE,
                "n_hidden": EX2_N_HIDDEN,
                "seed": EX2_SEED,
            },
            "ex2_cases": [entry[0].spec() for entry in self.ex2_cases],
        }


def training_variants(expectations, features, targets, epochs, learnrate, n_hidden, seed):
    """What each known training mistake produces on these inputs."""
    return {mistake: tuple(expectations.train_variant(mistake, features, targets, epochs,
                                                      learnrate, n_hidden, seed))
            for mistake in getattr(expectations, "training_mistakes", ())}


def final_training(expectations, data: CourseData, cache=None) -> tuple:
    """Example 2's full training on the course data: the slow part of a plan.

    It does not depend on the seed, so with a :class:`~autograder.plan_cache.PlanCache`
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
