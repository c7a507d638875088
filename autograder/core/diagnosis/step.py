"""Example 1: name the slip behind a wrong quantity of ``backprop_step``.

The evidence is what the student's function gave on several networks: the
article's first, then every other network the grader (or the self-check)
drew. For a wrong quantity, every single edit of its formula is evaluated on
each network twice: on the expected upstream values, and on the student's
own (so that a slip composes with a wrong value before it). A slip is named
only when exactly one family of edits reproduces the student's value on
every network where there is one; otherwise the hint says plainly that no
single slip explains it.

Error carried forward uses the same model: a quantity earns its method marks
when the correct formula, applied to the student's own upstream value,
gives the student's value on more than one network, and that upstream value
is not degenerate (zero, or not finite), so that it shows the formula at work.
"""

import functools

import numpy as np

from ...i18n import _
from .. import compare as cmp
from .. import messages
from ..course import EX1_INPUTS, EX1_QUANTITIES
from ..values import Unavailable
from . import texts
from .edits import step_edits
from .evaluation import (
    Broadcast,
    TooLarge,
    evaluate,
    network,
    step_values,
    unavailable_shapes,
)
from .families import Family, Mistake, group
from .model import FORMULAS

UPSTREAM = {
    "output_error_term": "error",
    "hidden_error": "output_error_term",
    "hidden_error_term": "hidden_error",
    "delta_w_h_o": "output_error_term",
    "delta_w_i_h": "hidden_error_term",
}
#: An upstream value smaller than this share of the expected one counts as zero.
DEGENERATE = 1e-6
PROBE_SIZES = ((3, 2), (4, 3), (5, 2))
POSITIVE, NEUTRAL, CONTRADICTS = "positive", "neutral", "contradicts"
@functools.cache
def article_values() -> dict:
    ns = step_values(network(**EX1_INPUTS))
    return {q: ns[q] for q in EX1_QUANTITIES}


def expected_namespace(inputs: dict):
    """One network's forward pass and correct quantities, with the article's values."""
    ns = network(**inputs)
    for quantity, value in article_values().items():
        ns.extra[f"article_{quantity}"] = lambda _ns, value=value: value
    return step_values(ns)


def outcome(formula, ns):
    """The formula's value, or the :class:`Broadcast` or :class:`TooLarge` it raises."""
    try:
        return evaluate(formula, ns)
    except (Broadcast, TooLarge) as exc:
        return exc


@functools.cache
def families(quantity: str) -> tuple:
    """The families of slips of one quantity, grouped on random probe networks."""
    rng = np.random.default_rng(20261127)
    probes = [expected_namespace({
        "x": rng.uniform(-1, 1, n), "target": rng.uniform(0.1, 0.9),
        "learnrate": rng.uniform(0.1, 1.0), "weights_input_hidden": rng.uniform(-1, 1, (n, m)),
        "weights_hidden_output": rng.uniform(-1, 1, m)}) for n, m in PROBE_SIZES]
    edits = step_edits(quantity)
    outcomes = [[outcome(edit.formulas[0], probe) for probe in probes] for edit in edits]
    correct = [probe[quantity] for probe in probes]
    return tuple(Family(1, members) for members in group(edits, outcomes, correct))


def _student(value):
    if value is None or isinstance(value, Unavailable):
        return value
    return cmp.as_array(value)


class StepEvidence:
    """What ``backprop_step`` gave on each network, the article's first.

    ``networks`` is ``[(inputs, got)]``: ``inputs`` the five arguments,
    ``got`` a dict of the six quantities, or one :class:`Unavailable` when
    the call failed. Findings are kept for the life of this object."""

    def __init__(self, networks, rtol=cmp.RTOL, atol=cmp.ATOL):
        self.tol = dict(rtol=rtol, atol=atol)
        self.networks = []
        for inputs, got in networks:
            values = ({q: got for q in EX1_QUANTITIES} if isinstance(got, Unavailable)
                      else {q: _student(got.get(q)) for q in EX1_QUANTITIES})
            self.networks.append((expected_namespace(inputs), values))
        self._found, self._owns = {}, {}

    @classmethod
    def article(cls, got: dict, cases=(), **tol) -> "StepEvidence":
        """The article's values ``got``, and ``cases`` as ``[(inputs, tuple or Unavailable)]``."""
        networks = [(EX1_INPUTS, got)]
        networks += [(inputs, values if isinstance(values, Unavailable)
                      else dict(zip(EX1_QUANTITIES, values))) for inputs, values in cases]
        return cls(networks, **tol)

    # -- evaluating formulas on each network ------------------------------------------
    def _own(self, index, quantity):
        """Network ``index`` with the student's own values of every other quantity."""
        key = (index, quantity)
        if key not in self._owns:
            ns, values = self.networks[index]
            own = {q: values[q] for q in EX1_QUANTITIES if q != quantity
                   and isinstance(values[q], np.ndarray) and np.all(np.isfinite(values[q]))}
            self._owns[key] = ns.child(**own)
        return self._owns[key]

    def _agreement(self, student, predictions) -> str:
        """Whether one network's value supports, leaves open or rules out the predictions."""
        if isinstance(student, Unavailable):
            # A NumPy error the edit predicts is consistent with it but proves nothing alone;
            # an edit that raises another error where the student's code raised is ruled out.
            shapes = unavailable_shapes(student)
            raises = [p for p in predictions if isinstance(p, Broadcast)]
            if shapes is None or any(shapes in p.alternatives for p in raises):
                return NEUTRAL
            return CONTRADICTS if len(raises) == len(predictions) else NEUTRAL
        if not isinstance(student, np.ndarray):
            return NEUTRAL
        for prediction in predictions:
            if isinstance(prediction, np.ndarray | np.generic) and \
                    cmp.compare(student, prediction, **self.tol).ok:
                return POSITIVE
        return CONTRADICTS

    def reproduces(self, formula, quantity, own_only=False) -> bool:
        """Whether ``formula`` gives the student's ``quantity`` wherever there is one."""
        seen = False
        for index, (ns, values) in enumerate(self.networks):
            own = outcome(formula, self._own(index, quantity))
            predictions = [own] if own_only else [outcome(formula, ns), own]
            verdict = self._agreement(values[quantity], predictions)
            if verdict == CONTRADICTS:
                return False
            seen = seen or verdict == POSITIVE
        return seen

    # -- what the checks ask -----------------------------------------------------------
    def degenerate(self, index: int, name: str) -> bool:
        """Whether ``name`` on network ``index`` can show nothing of a formula applied to
        it: missing, of the wrong size, zero or not finite."""
        ns, values = self.networks[index]
        value, expected = values[name], np.asarray(ns[name])
        if not isinstance(value, np.ndarray) or value.size != expected.size:
            return True
        return self.zero_or_not_finite(index, name)

    def zero_or_not_finite(self, index: int, name: str) -> bool:
        ns, values = self.networks[index]
        value, expected = values[name], np.asarray(ns[name])
        if not isinstance(value, np.ndarray) or value.size != expected.size:
            return False
        with np.errstate(all="ignore"):
            return bool(not np.all(np.isfinite(value))
                        or np.any(np.abs(value.ravel()) <= DEGENERATE * np.abs(expected.ravel())))

    def carried_forward(self, quantity: str) -> bool:
        """Method marks: the correct formula on the student's own, non-degenerate upstream
        value gives the student's value, on the article's network and on another."""
        upstream = UPSTREAM.get(quantity)
        if upstream is None:
            return False
        verified = 0
        for index, (_network, values) in enumerate(self.networks):
            value = values[quantity]
            if not isinstance(value, np.ndarray) or self.degenerate(index, upstream):
                if index == 0:
                    return False
                continue
            implied = outcome(FORMULAS[quantity], self._own(index, quantity))
            if isinstance(implied, Exception) or not cmp.compare(value, implied, **self.tol).ok:
                return False
            verified += 1
        return verified >= 2

    def mistake(self, quantity: str) -> Mistake | None:
        """The named slip behind ``quantity``, or why none is named."""
        if quantity not in self._found:
            self._found[quantity] = self._find(quantity)
        return self._found[quantity]

    def _find(self, quantity) -> Mistake | None:
        upstream = UPSTREAM.get(quantity)
        if upstream and self.reproduces(FORMULAS[quantity], quantity, own_only=True):
            # a wrong shape is wrong, not a value that hides the formula
            zero = any(self.zero_or_not_finite(i, upstream) for i in range(len(self.networks))
                       if isinstance(self.networks[i][1][quantity], np.ndarray))
            if zero:
                why = _("Your `{quantity}` follows from your `{upstream}`, but that value is "
                        "zero (or not finite) and shows nothing of the formula.")
            else:
                why = _("Your `{quantity}` follows from your `{upstream}`, which is wrong: "
                        "correct `{upstream}` first.")
            return Mistake.unexplained(messages.sentences(
                why.format(quantity=quantity, upstream=upstream),
                texts.formula_sentence(quantity)))
        found = [family for family in families(quantity)
                 if any(self.reproduces(edit.formulas[0], quantity) for edit in family.members)]
        if len(found) == 1:
            return found[0].mistake
        if not isinstance(self.networks[0][1][quantity], np.ndarray):
            return None   # no value to explain: the check says why
        return Mistake.unexplained(self._nothing_fits(quantity))

    def _nothing_fits(self, quantity) -> str:
        ns, values = self.networks[0]
        value, expected = values[quantity], np.asarray(ns[quantity])
        seen = ""
        if isinstance(value, np.ndarray) and value.size == expected.size and value.size:
            with np.errstate(all="ignore"):
                ratio = value.ravel() / expected.ravel()
            # the article's network: the one the student sees, whichever check shows this
            if not np.any(value):
                seen = _("On the article's network your `{quantity}` is zero.").format(
                    quantity=quantity)
            elif np.all(np.isfinite(ratio)) and np.allclose(ratio, ratio[0], rtol=1e-6) \
                    and not np.isclose(ratio[0], 1.0):
                seen = _("On the article's network your `{quantity}` is {ratio:.3g} times the "
                         "expected value.").format(quantity=quantity, ratio=ratio[0])
        return messages.sentences(seen, _(messages.NO_CAUSE[quantity]))

    def wrong_somewhere(self, quantity, networks=None) -> bool:
        """Whether the student's ``quantity`` is wrong on one of the first ``networks``."""
        for ns, values in self.networks[:networks]:
            value = values[quantity]
            if isinstance(value, np.ndarray) and not cmp.compare(value, ns[quantity],
                                                                 **self.tol).ok:
                return True
        return False

    def function_mistake(self) -> Mistake | None:
        """The slip of the first quantity the function gets wrong on some network: named,
        or said to be unexplained when it is wrong on the article's network too (right
        there and wrong elsewhere, the check's own hint about the parameters fits)."""
        for quantity in EX1_QUANTITIES:
            if self.wrong_somewhere(quantity):
                found = self.mistake(quantity)
                if found is not None and (found.name or self.wrong_somewhere(quantity, 1)):
                    return found
                return None
        for quantity in EX1_QUANTITIES:
            if any(isinstance(values[quantity], Unavailable) for _, values in self.networks):
                found = self.mistake(quantity)
                if found is not None and found.name:
                    return found
        return None
