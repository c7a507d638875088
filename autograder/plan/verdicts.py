"""Turn what a submission handed over into one verdict per graded item.

This runs in the grader's process only. It takes the decoded
:class:`~autograder.plan.payload.Payload` and the
:class:`~autograder.plan.plan.GradingPlan` and calls one check per item. Nothing the student's kernel printed or
computed as a "result" is trusted; only the values it handed over are.
"""

import numpy as np

from ..core import checks, diagnose, oracle
from ..core.checks import training_run
from ..core.course import EX1_INPUTS, EX1_QUANTITIES, ITEMS
from ..core.results import GradedSubmission, ItemResult, Status
from ..core.values import Unavailable
from ..i18n import _

WEIGHTS = ("weights_input_hidden", "weights_hidden_output", "losses")


def accuracy_of(plan, final):
    if isinstance(final, Unavailable):
        return final
    try:
        w1 = np.asarray(final[0], dtype=float).reshape(plan.ex2_initial[0].shape)
        w2 = np.asarray(final[1], dtype=float).reshape(plan.ex2_initial[1].shape)
    except (TypeError, ValueError):
        return Unavailable(_("returned weights of the wrong shape, so the accuracy cannot be "
                             "measured"))
    with np.errstate(all="ignore"):
        return oracle.accuracy(plan.data.features_test, plan.data.targets_test, w1, w2)


def _pair(values):
    return values if isinstance(values, Unavailable) else values[:2]


def training_mistake(plan, first, final, cases, tol):
    """What the finder makes of the student's trainings (``None`` without predictions)."""
    if plan.ex2_first_variants is None:
        return None
    observations = [(first, plan.ex2_first_variants), (final, plan.ex2_final_variants)]
    observations += [(got, entry[3]) for got, entry in zip(cases, plan.ex2_cases)]
    return diagnose.training_mistake(observations, **tol)


def grade(payload, plan, *, carry_forward=True) -> list[ItemResult]:
    """All items of one submission, in the course's order."""
    tol = plan.tolerances
    ex1 = dict(rtol=tol.ex1_rtol, atol=tol.ex1_atol)
    training = dict(rtol=tol.training_rtol, atol=tol.training_atol)
    results = {}

    got = {name: payload.value(f"ex1.{name}") for name in EX1_QUANTITIES}
    expected = dict(zip(EX1_QUANTITIES, plan.ex1_article))
    forward = oracle.forward(**EX1_INPUTS)
    case_values = [payload.values(f"ex1_case{index}", EX1_QUANTITIES)
                   for index in range(len(plan.ex1_cases))]
    # The slips are found on every network the function was called on.
    evidence = diagnose.StepEvidence.article(
        got, [(case.inputs, values) for (case, _), values in zip(plan.ex1_cases, case_values)],
        **ex1)
    for name in EX1_QUANTITIES:
        results[f"ex1_{name}"] = checks.ex1_in_context(name, got, expected, forward,
                                                       carry_forward=carry_forward,
                                                       evidence=evidence, **ex1)

    cases = [(case.label, values, expected, oracle.forward(**case.inputs))
             for (case, expected), values in zip(plan.ex1_cases, case_values)]
    article_ok = all(results[f"ex1_{name}"].status == Status.CORRECT for name in EX1_QUANTITIES)
    results["ex1_other_inputs"] = checks.ex1_other_inputs(cases, EX1_QUANTITIES,
                                                          article_ok=article_ok,
                                                          evidence=evidence, **ex1)

    data_cases = [(case.label, payload.values(f"ex2_case{index}", WEIGHTS), expected, initial)
                  for index, (case, expected, initial, _) in enumerate(plan.ex2_cases)]
    first = payload.values("ex2_first", WEIGHTS)
    final = payload.values("ex2_final", WEIGHTS)
    untrained = not isinstance(final, Unavailable) and checks.unchanged(final[:2],
                                                                        plan.ex2_initial)
    # One finding for the whole training, from everything it produced.
    mistake = training_mistake(plan, first, checks.NEVER_TRAINED if untrained else final,
                               [case[1] for case in data_cases], training)
    results["ex2_first_epoch"] = checks.ex2_weights(
        "ex2_first_epoch", "after the first epoch", _pair(first), plan.ex2_first[:2],
        plan.ex2_initial, mistake=mistake, **training,
        trained_elsewhere=not untrained and not isinstance(final, Unavailable))
    results["ex2_final_weights"] = checks.ex2_weights(
        "ex2_final_weights", "after training", _pair(final), plan.ex2_final[:2],
        plan.ex2_initial, mistake=mistake, **training)
    # "right on the course data" only when the first epoch and the whole training are
    results["ex2_other_data"] = checks.ex2_other_data(
        data_cases, article_ok=all(results[grade_id].status == Status.CORRECT
                                   for grade_id in ("ex2_first_epoch", "ex2_final_weights")),
        mistake=mistake, **training)
    losses = final if isinstance(final, Unavailable) else final[2]
    if untrained:
        final = losses = checks.NEVER_TRAINED
    # The losses and the accuracy count only for what one training produced; a training
    # one named slip reproduces on every run is one (wrong) training, and is judged as such.
    explained = mistake is not None and bool(mistake.name)
    problem = None if explained else training_run.run_problem(
        final, first, plan.data.features, plan.data.targets, training)
    if problem and training_run.judges_losses(losses, len(plan.ex2_final[2])):
        results["ex2_loss"] = training_run.losses_not_trained(problem)
    else:
        results["ex2_loss"] = checks.ex2_loss(losses, plan.ex2_final[2], mistake=mistake,
                                              **training)
    accuracy = accuracy_of(plan, final)
    if problem and not isinstance(accuracy, Unavailable) \
            and not results["ex2_final_weights"].passed:
        results["ex2_accuracy"] = training_run.accuracy_not_credited(accuracy, problem)
    else:
        results["ex2_accuracy"] = checks.ex2_accuracy(accuracy, mistake=mistake)
    return [results[item.grade_id] for item in ITEMS]


def judge(execution, plan, *, carry_forward=True, notebook="") -> GradedSubmission:
    """The graded submission for one :class:`~autograder.plan.execution.Execution`."""
    items = grade(execution.values(), plan, carry_forward=carry_forward)
    return GradedSubmission(items, notebook, list(execution.events))
