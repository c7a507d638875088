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
"""

import contextlib
import functools
import io
import os
import sys

import numpy as np

from ..constants import GRADING_ENV

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
UNPROTECTED = ("NOT GRADED: this notebook is being autograded outside the course's sandbox "
               "(nbgrader was run without the course's nbgrader_config.py), where no check "
               "can be trusted, so this check did not run and scores 0. This says nothing "
               "about your work. Instructors: see \"Grading outside the sandbox\" in "
               "SECURITY.md.")


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
            print(UNPROTECTED, file=sys.stderr)
            return None
        if grading():
            print("This item is graded by the course grader, outside your notebook.")
            return None
        return function(*args, **kwargs)
    return wrapper


def call(function, *args, **kwargs):
    """Call a student's function; any exception becomes an :class:`Unavailable`."""
    from ..core.values import Unavailable

    if not callable(function):
        return Unavailable("is not defined")
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the student's code may raise anything
        return Unavailable(f"raised {type(exc).__name__}: {exc}"[:300])


def as_tuple(result, size):
    from ..core.values import Unavailable

    if isinstance(result, Unavailable):
        return result
    if not isinstance(result, (tuple, list)) or len(result) != size:
        return Unavailable(f"returned {type(result).__name__} instead of {size} values")
    return tuple(result)


def _notebook_globals() -> dict:
    """The notebook's namespace: the globals of the ``__main__`` frame that called us."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") != "__main__":
        frame = frame.f_back
    return frame.f_globals if frame is not None else {}


def _notebook_values(name, value):
    """The six quantities as the notebook has them, for error carried forward."""
    from ..core.course import EX1_QUANTITIES

    space = _notebook_globals()
    got = {q: space.get(q) for q in EX1_QUANTITIES}
    got[name] = value
    return got


@_skip_when_grading
def ex1_quantity(name, value):
    from ..core import checks, oracle
    from ..core.compare import ATOL, RTOL
    from ..core.course import EX1_INPUTS, EX1_KNOWN

    got = _notebook_values(name, value)
    show(checks.ex1_in_context(name, got, EX1_KNOWN, oracle.forward(**EX1_INPUTS),
                               rtol=RTOL, atol=ATOL))


def _article_ok() -> bool:
    """Whether the notebook's six Example 1 values are right, judged as their checks judge them."""
    from ..core import checks, oracle
    from ..core.compare import ATOL, RTOL
    from ..core.course import EX1_INPUTS, EX1_KNOWN, EX1_QUANTITIES
    from ..core.results import Status

    space = _notebook_globals()
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
    from ..core.course import EX1_QUANTITIES
    from ..core.expectations import OracleExpectations

    rng = np.random.default_rng(seed)
    cases = []
    for case in case_gen.network_cases(rng):
        got = as_tuple(call(backprop_step, **case.inputs), len(EX1_QUANTITIES))
        cases.append((case.label, got, OracleExpectations().backprop_step(**case.inputs),
                      oracle.forward(**case.inputs)))
    show(checks.ex1_other_inputs(cases, EX1_QUANTITIES, article_ok=_article_ok(),
                                 rtol=FD_RTOL, atol=FD_ATOL))


@functools.lru_cache(maxsize=4)
def _oracle_training(features_bytes, targets_bytes, shape, epochs):
    from ..core import oracle
    from ..core.course import EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED

    features = np.frombuffer(features_bytes).reshape(shape)
    targets = np.frombuffer(targets_bytes)
    return oracle.train(features, targets, epochs, EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED)


def expected_training(features, targets, epochs=None):
    from ..core.course import EX2_EPOCHS

    epochs = EX2_EPOCHS if epochs is None else epochs
    features = np.ascontiguousarray(features, dtype=np.float64)
    targets = np.ascontiguousarray(targets, dtype=np.float64)
    return _oracle_training(features.tobytes(), targets.tobytes(), features.shape, epochs)


def _initial(features):
    from ..core import oracle
    from ..core.course import EX2_N_HIDDEN, EX2_SEED

    return oracle.initial_weights(np.shape(features)[1], EX2_N_HIDDEN, EX2_SEED)


def _first_epoch(train_nn, features, targets):
    from ..core import checks
    from ..core.compare import FD_ATOL, FD_RTOL
    from ..core.course import EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED
    from ..core.expectations import OracleExpectations, training_variants
    from ..core.values import Unavailable

    got = as_tuple(call(train_nn, features, targets, 1, EX2_LEARNRATE,
                        n_hidden=EX2_N_HIDDEN, seed=EX2_SEED), 3)
    got = got if isinstance(got, Unavailable) else got[:2]
    expected = expected_training(features, targets, 1)[:2]
    variants = training_variants(OracleExpectations(), np.asarray(features, float),
                                 np.asarray(targets, float), 1, EX2_LEARNRATE, EX2_N_HIDDEN, EX2_SEED)
    return checks.ex2_weights("ex2_first_epoch", "after the first epoch", got, expected,
                              _initial(features), variants, rtol=FD_RTOL, atol=FD_ATOL)


@_skip_when_grading
def ex2_first_epoch(train_nn, features, targets):
    show(_first_epoch(train_nn, features, targets))


@_skip_when_grading
def ex2_final_weights(weights_input_hidden, weights_hidden_output, features, targets):
    from ..core import checks
    from ..core.compare import FD_ATOL, FD_RTOL

    expected = expected_training(features, targets)[:2]
    show(checks.ex2_weights("ex2_final_weights", "after training",
                            (weights_input_hidden, weights_hidden_output), expected,
                            _initial(features), rtol=FD_RTOL, atol=FD_ATOL))


@_skip_when_grading
def ex2_loss(losses, features, targets):
    from ..core import checks
    from ..core.compare import FD_ATOL, FD_RTOL

    expected = expected_training(features, targets)[2]
    show(checks.ex2_loss(losses, expected, rtol=FD_RTOL, atol=FD_ATOL))


@_skip_when_grading
def ex2_accuracy(weights_input_hidden, weights_hidden_output, features_test, targets_test):
    from ..core import checks, oracle
    from ..core.values import Unavailable

    try:
        pair = (np.asarray(weights_input_hidden, float), np.asarray(weights_hidden_output, float))
        with np.errstate(all="ignore"):
            value = oracle.accuracy(features_test, targets_test, *pair)
        if checks.unchanged(pair, _initial(features_test)):
            value = checks.NEVER_TRAINED
    except (TypeError, ValueError) as exc:
        value = Unavailable(f"produced weights the accuracy cannot use ({exc})")
    show(checks.ex2_accuracy(value))


@_skip_when_grading
def ex2_other_data(train_nn, features=None, targets=None, seed=None):
    """``train_nn`` on other data; with the course data, a hint can tell whether the
    function is right there (then it ignores its parameters) or wrong everywhere."""
    import pandas as pd

    from ..core import cases as case_gen
    from ..core import checks, oracle
    from ..core.compare import FD_ATOL, FD_RTOL
    from ..core.expectations import OracleExpectations, training_variants
    from ..core.results import Status

    article_ok = (features is not None and targets is not None
                  and _first_epoch(train_nn, features, targets).status == Status.CORRECT)

    rng = np.random.default_rng(seed)
    cases = []
    for case in case_gen.data_cases(rng):
        features = pd.DataFrame(case.features)
        targets = pd.Series(case.targets, index=features.index)
        got = as_tuple(call(train_nn, features, targets, case.epochs, case.learnrate,
                            n_hidden=case.n_hidden, seed=case.seed), 3)
        expected = OracleExpectations().train(case.features, case.targets, case.epochs,
                                              case.learnrate, case.n_hidden, case.seed)
        initial = oracle.initial_weights(case.features.shape[1], case.n_hidden, case.seed)
        variants = training_variants(OracleExpectations(), case.features, case.targets,
                                     case.epochs, case.learnrate, case.n_hidden, case.seed)
        cases.append((case.label, got, expected, initial, variants))
    show(checks.ex2_other_data(cases, article_ok=article_ok, rtol=FD_RTOL, atol=FD_ATOL))
