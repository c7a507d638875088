"""Inputs the student never sees in advance: other networks and other data.

The generators are public; the values are drawn when a check runs, from a
seed chosen at that moment, so no list of answers can be prepared. The
grader draws one set per grading run and uses it for every student.
"""

from dataclasses import dataclass

import numpy as np

from ..i18n import _, ngettext

#: (inputs, hidden units) of the networks ``backprop_step`` is called on.
EX1_SIZES = ((4, 3), (2, 1), (5, 4))
#: (records, features, hidden units, epochs, learning rate) of the data sets
#: ``train_nn`` is trained on.
EX2_SHAPES = ((24, 4, 3, 4, 0.5), (15, 3, 2, 3, 0.3))


@dataclass(frozen=True)
class NetworkCase:
    inputs: dict

    @property
    def label(self) -> str:
        """The network in words, in the reader's language (its shape only, never its values)."""
        n_inputs = len(self.inputs["x"])
        n_hidden = len(self.inputs["weights_hidden_output"])
        return ngettext("a network with {inputs} inputs and {n} hidden unit",
                        "a network with {inputs} inputs and {n} hidden units",
                        n_hidden).format(inputs=n_inputs, n=n_hidden)

    def spec(self) -> dict:
        return {name: np.asarray(value).tolist() for name, value in self.inputs.items()}


@dataclass(frozen=True)
class DataCase:
    features: np.ndarray
    targets: np.ndarray
    epochs: int
    learnrate: float
    n_hidden: int
    seed: int

    @property
    def label(self) -> str:
        """The data set in words, in the reader's language (its sizes only)."""
        n_records, n_features = self.features.shape
        return _("a data set of {records} records with {features} features, trained with "
                 "{hidden} hidden units for {epochs} epochs").format(
                     records=n_records, features=n_features, hidden=self.n_hidden,
                     epochs=self.epochs)

    def spec(self) -> dict:
        return {
            "features": self.features.tolist(),
            "targets": self.targets.tolist(),
            "epochs": self.epochs,
            "learnrate": self.learnrate,
            "n_hidden": self.n_hidden,
            "seed": self.seed,
        }


def network_cases(rng: np.random.Generator, sizes=EX1_SIZES) -> list[NetworkCase]:
    cases = []
    for n_inputs, n_hidden in sizes:
        inputs = {
            "x": rng.uniform(-1, 1, n_inputs),
            "target": float(rng.uniform(0.05, 0.95)),
            "learnrate": float(rng.uniform(0.1, 1.0)),
            "weights_input_hidden": rng.uniform(-1, 1, (n_inputs, n_hidden)),
            "weights_hidden_output": rng.uniform(-1, 1, n_hidden),
        }
        cases.append(NetworkCase(inputs))
    return cases


def data_cases(rng: np.random.Generator, shapes=EX2_SHAPES) -> list[DataCase]:
    cases = []
    for n_records, n_features, n_hidden, epochs, learnrate in shapes:
        features = rng.normal(size=(n_records, n_features))
        targets = (rng.uniform(size=n_records) < 0.5).astype(float)
        seed = int(rng.integers(0, 2**31 - 1))
        cases.append(DataCase(features, targets, epochs, learnrate, n_hidden, seed))
    return cases
