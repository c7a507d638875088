"""The checks students run inside their notebook.

Each function is called from one check cell and shows the same message and
hint the grader would give, as Markdown in the notebook (never on stderr, so
that a failed check is not an error box). Expected values come from the
article's known numbers and from centred finite differences, so nothing
secret is needed. Under nbgrader's Validate a failed check also writes its
message and hint to stderr, which is how Validate recognises a failed cell and
what its dialog shows.

While the grader runs the notebook (``BACKPROP_GRADING=1`` in the sandboxed
kernel) these functions do nothing: the verdicts are computed outside the
student's process and written into the check cells afterwards. An nbgrader
autograde that runs them anywhere else (nbgrader without the course's
config: no sandbox, no verdict step) gets a warning on stderr instead, which
scores the cell 0: nothing that runs beside the student's code can be trusted.

Every message is in the notebook's language (:mod:`.notebook_language`).
"""

import functools
import os
import sys

import numpy as np

from ..constants import GRADING_ENV
from ..i18n import N_
from .notebook_calls import as_tuple, call, notebook_globals, notebook_values
from .trainings import expected_training, initial_weights, training_mistake
from .loss_plot import label_loss_plot  # noqa: F401 - the notebook's plot cell calls it
from .notebook_language import notebook_language

# The course's core (checks, oracle, known numbers) is imported inside each
# function, on first use. A grading kernel's copy of the package holds this
# module and nothing of the core (autograder.sandbox.student_package), so that
# no notebook can call the oracle on the grader's inputs; there the checks
# stand aside before they would import it.


#: Set by nbgrader in its own environment while it autogrades or validates. A
#: kernel that nbgrader starts itself inherits it; the course's sandboxed kernel
#: never does.
NBGRADER_EXECUTION = "NBGRADER_EXECUTION"



#: What every check cell shows, on stderr, in an autograde outside the sandbox.
UNPROTECTED = N_("NOT GRADED: this notebook is being autograded outside the course's sandbox "
                 "(nbgrader was run without the course's nbgrader_config.py), where no check "
                 "can be trusted, so this check did not run and scores 0. This says nothing "
                 "about your work. Instructors: see \"Grading outside the sandbox\" in "
                 "SECURITY.md.")
#: What every check cell prints while the course's grader runs the notebook.
GRADED_ELSEWHERE = N_("This item is graded by the course grader, outside your notebook.")

def _say(message: str) -> str:
    """``message`` in the notebook's language (English if the lookup is not available)."""
    try:
        from .. import i18n
    except ImportError:  # a kernel given only part of the package
        return message
    with i18n.language(notebook_language()):
        return i18n._(message)


def grading() -> bool:
    return os.environ.get(GRADING_ENV) == "1"


def validating() -> bool:
    """True while nbgrader's Validate runs the notebook."""
    return os.environ.get(NBGRADER_EXECUTION) == "validate"


def unprotected_autograde() -> bool:
    """Whether nbgrader is autograding this kernel without the course's sandbox."""
    return os.environ.get(NBGRADER_EXECUTION) == "autograde"


def show(result):
    """Show one result the way every check cell does.

    In a notebook the result is displayed as Markdown (code in backticks shows
    as code, lines wrap between words) with the plain text beside it for
    terminals; nothing goes to stderr, so a failed check is not an error box.
    Under nbgrader's Validate a failed item's text also goes to stderr: that
    is how Validate finds a failed cell, and what its dialog shows.
    """
    text = result.summary()
    shell = None
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        pass
    if shell is None:
        print(text)
    else:
        from IPython.display import display

        display({"text/plain": text, "text/markdown": result.markdown()}, raw=True)
    if validating() and not result.passed:
        import textwrap

        lines = [textwrap.fill(line, width=80, subsequent_indent="        ")
                 for line in text.splitlines()]
        print("\n".join(lines), file=sys.stderr)
    return None


def _skip_when_grading(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if unprotected_autograde():
            print(_say(UNPROTECTED), file=sys.stderr)
            return None
        if grading():
            print(_say(GRADED_ELSEWHERE))
            return None
        from .. import i18n

        with i18n.language(notebook_language()):
            return function(*args, **kwargs)
    return wrapper


def _step_evidence(got, backprop_step, cases):
    """What the finder needs: the article's values and the function on ``cases``."""
    from ..core import diagnose
    from ..core.compare import ATOL, RTOL
    from ..core.course import EX1_QUANTITIES

    calls = [(case.inputs, as_tuple(call(backprop_step, **case.inputs), len(EX1_QUANTITIES)))
             for case in cases]
    return diagnose.StepEvidence.article(got, calls, rtol=RTOL, atol=ATOL)


@_skip_when_grading
def ex1_quantity(name, value):
    from ..core import cases as case_gen
    from ..core import checks, oracle
    from ..core.compare import ATOL, RTOL
    from ..core.course import EX1_INPUTS, EX1_KNOWN

    got = notebook_values(name, value)
    cases = case_gen.network_cases(np.random.default_rng())
    evidence = _step_evidence(got, notebook_globals().get("backprop_step"), cases)
    show(checks.ex1_in_context(name, got, EX1_KNOWN, oracle.forward(**EX1_INPUTS),
                               evidence=evidence, rtol=RTOL, atol=ATOL))


def _article_ok() -> bool:
    """Whether the notebook's six Example 1 values are right, judged as their checks judge them."""
    from ..core import checks, oracle
    from ..core.compare import ATOL, RTOL
    from ..core.course import EX1_INPUTS, EX1_KNOWN, EX1_QUANTITIES
    from ..core.results import Status

    space = notebook_globals()
    got = {name: space.get(name) for name in EX1_QUANTITIES}
    forward = oracle.forward(**EX1_INPUTS)
    return all(checks.ex1_in_context(name, got, EX1_KNOWN, forward, rtol=RTOL,
                                     atol=ATOL).status == Status.CORRECT
               for name in EX1_QUANTITIES)


@_skip_when_grading
def ex1_other_inputs(backprop_step, seed=None):
    from ..core import cases as case_gen
    from ..core import checks, oracle
    from ..core.compare import FD_ATOL, FD_RTOL
    from ..core.course import EX1_INPUTS, EX1_QUANTITIES
    from ..core.expectations import OracleExpectations
    from ..core.values import Unavailable

    rng = np.random.default_rng(seed)
    cases = []
    drawn = case_gen.network_cases(rng)
    for case in drawn:
        got = as_tuple(call(backprop_step, **case.inputs), len(EX1_QUANTITIES))
        cases.append((case.label, got, OracleExpectations().backprop_step(**case.inputs),
                      oracle.forward(**case.inputs)))
    article = as_tuple(call(backprop_step, **EX1_INPUTS), len(EX1_QUANTITIES))
    article = {} if isinstance(article, Unavailable) else dict(zip(EX1_QUANTITIES, article))
    evidence = _step_evidence(article, backprop_step, drawn)
    show(checks.ex1_other_inputs(cases, EX1_QUANTITIES, article_ok=_article_ok(),
                                 evidence=evidence,
                                 rtol=FD_RTOL, atol=FD_ATOL))


def _first_epoch(train_nn, features, targets):
    from ..core import checks
    from ..core.compare import FD_ATOL, FD_RTOL
    from ..core.course import EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED
    from ..core.values import Unavailable

    got = as_tuple(call(train_nn, features, targets, 1, EX2_LEARNRATE,
                        n_hidden=EX2_N_HIDDEN, seed=EX2_SEED), 3)
    mistake = training_mistake(got, features, targets, 1)
    got = got if isinstance(got, Unavailable) else got[:2]
    expected = expected_training(features, targets, 1)[:2]
    return checks.ex2_weights("ex2_first_epoch", "after the first epoch", got, expected,
                              initial_weights(features), mistake=mistake, rtol=FD_RTOL, atol=FD_ATOL)


@_skip_when_grading
def ex2_first_epoch(train_nn, features, targets):
    show(_first_epoch(train_nn, features, targets))


@_skip_when_grading
def ex2_final_weights(weights_input_hidden, weights_hidden_output, features, targets):
    from ..core import checks
    from ..core.checks.common import diagnosed
    from ..core.compare import FD_ATOL, FD_RTOL
    from ..core.course import EX2_EPOCHS
    from ..core.results import Status

    expected = expected_training(features, targets)[:2]
    got = (weights_input_hidden, weights_hidden_output)
    result = checks.ex2_weights("ex2_final_weights", "after training", got, expected,
                                initial_weights(features), rtol=FD_RTOL, atol=FD_ATOL)
    if result.status in (Status.INCORRECT, Status.PARTIAL):
        result = diagnosed(result, training_mistake(got, features, targets, EX2_EPOCHS))
    show(result)


@_skip_when_grading
def ex2_loss(losses, features, targets):
    from ..core import checks
    from ..core.checks.common import diagnosed
    from ..core.compare import FD_ATOL, FD_RTOL
    from ..core.course import EX2_EPOCHS
    from ..core.results import Status

    expected = expected_training(features, targets)[2]
    result = checks.ex2_loss(losses, expected, rtol=FD_RTOL, atol=FD_ATOL)
    if result.status in (Status.INCORRECT, Status.PARTIAL):
        result = diagnosed(result, training_mistake((None, None, losses), features, targets,
                                                     EX2_EPOCHS))
    show(result)


@_skip_when_grading
def ex2_accuracy(weights_input_hidden, weights_hidden_output, features_test, targets_test):
    from ..core import checks, oracle
    from ..core.values import Unavailable

    try:
        pair = (np.asarray(weights_input_hidden, float), np.asarray(weights_hidden_output, float))
        with np.errstate(all="ignore"):
            value = oracle.accuracy(features_test, targets_test, *pair)
        if checks.unchanged(pair, initial_weights(features_test)):
            value = checks.NEVER_TRAINED
    except (TypeError, ValueError) as exc:
        from ..i18n import _

        value = Unavailable(_("produced weights the accuracy cannot use ({error})").format(
            error=exc))
    show(checks.ex2_accuracy(value))


@_skip_when_grading
def ex2_other_data(train_nn, features=None, targets=None, seed=None):
    """``train_nn`` on other data; with the course data, a hint can tell whether the
    function is right there (then it ignores its parameters) or wrong everywhere."""
    import pandas as pd

    from ..core import cases as case_gen
    from ..core import checks, diagnose, oracle
    from ..core.compare import FD_ATOL, FD_RTOL, TRAINING_ATOL, TRAINING_RTOL
    from ..core.expectations import OracleExpectations
    from ..core.results import Status

    article_ok = (features is not None and targets is not None
                  and _first_epoch(train_nn, features, targets).status == Status.CORRECT)

    rng = np.random.default_rng(seed)
    cases, observations = [], []
    for case in case_gen.data_cases(rng):
        features = pd.DataFrame(case.features)
        targets = pd.Series(case.targets, index=features.index)
        got = as_tuple(call(train_nn, features, targets, case.epochs, case.learnrate,
                            n_hidden=case.n_hidden, seed=case.seed), 3)
        args = (case.features, case.targets, case.epochs, case.learnrate, case.n_hidden,
                case.seed)
        expected = OracleExpectations().train(*args)
        initial = oracle.initial_weights(case.features.shape[1], case.n_hidden, case.seed)
        cases.append((case.label, got, expected, initial))
        observations.append((got, diagnose.predict(*args)))
    mistake = diagnose.training_mistake(observations, rtol=TRAINING_RTOL, atol=TRAINING_ATOL)
    show(checks.ex2_other_data(cases, article_ok=article_ok, mistake=mistake, rtol=FD_RTOL,
                               atol=FD_ATOL))
