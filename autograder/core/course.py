"""Public facts about the course: its items, points, inputs and known numbers.

Nothing here is secret. The article publishes Example 1's inputs and results,
and Example 2's data split and hyperparameters; students see all of it. The
reference code and the hidden cases live with the instructor (``solutions/``
and the grading run), never in this package.
"""

from dataclasses import dataclass

import numpy as np

from ..i18n import N_, _

ASSIGNMENT = "backprop"
NOTEBOOK = "backprop"
#: The editions of the assignment: folder name -> the language (a gettext locale) of
#: its notebook and of everything its students read. Any other assignment is English.
EDITIONS = {ASSIGNMENT: "en", f"{ASSIGNMENT}_zh": "zh_CN"}


def assignment_language(assignment) -> str:
    """The language the grader writes ``assignment``'s feedback in."""
    return EDITIONS.get(str(assignment or ""), EDITIONS[ASSIGNMENT])

# Example 1: the article's network and inputs.
EX1_INPUTS = {
    "x": np.array([0.5, 0.1, -0.2]),
    "target": 0.6,
    "learnrate": 0.5,
    "weights_input_hidden": np.array([[0.5, -0.6], [0.1, -0.2], [0.1, 0.7]]),
    "weights_hidden_output": np.array([0.1, -0.3]),
}
EX1_QUANTITIES = (
    "error",
    "output_error_term",
    "hidden_error",
    "hidden_error_term",
    "delta_w_h_o",
    "delta_w_i_h",
)
EX1_KNOWN = {
    "error": np.float64(0.11502656915007464),
    "output_error_term": np.float64(0.028730669543515015),
    "hidden_error": np.array([0.0028730669543515015, -0.008619200863054504]),
    "hidden_error_term": np.array([0.00070802218654941, -0.00204471402395086]),
    "delta_w_h_o": np.array([0.00804047394804529, 0.00555918091168283]),
    "delta_w_i_h": np.array(
        [
            [1.7700554663735337e-04, -5.1117850598771553e-04],
            [3.5401109327470676e-05, -1.0223570119754312e-04],
            [-7.0802218654941352e-05, 2.0447140239508623e-04],
        ]
    ),
}

# Example 2: hyperparameters of the article's training run.
EX2_SEED = 21
EX2_N_HIDDEN = 2
EX2_EPOCHS = 900
EX2_LEARNRATE = 0.005
#: The reference reaches 29/40 = 0.725 on the pinned split and "nobody is
#: admitted" reaches 26/40 = 0.650. 28/40 sits between them: one record of
#: slack below the reference, two records above the majority-class baseline.
EX2_ACCURACY_THRESHOLD = 0.70
#: The locked cell that trains the network: where the grader makes its own full training.
EX2_RUN_CELL = "ex2_run"


@dataclass(frozen=True)
class Item:
    """One graded item: a grade cell in the notebook and a check in the grader.

    ``title_en`` and ``label_en`` are the English source texts (marked for
    translation); :attr:`title` and :attr:`label` are what a reader sees, in the
    current language."""

    grade_id: str
    points: float
    title_en: str
    #: A column heading of the demo's table (a code, the same in every language).
    short: str = ""
    #: A short readable name, for chart labels ("Ex. 1: output error term").
    label_en: str = ""

    @property
    def title(self) -> str:
        """The item's title in the reader's language (Markdown: code in backticks)."""
        return _(self.title_en)

    @property
    def label(self) -> str:
        """The chart label in the reader's language ("" when the item has none)."""
        return _(self.label_en) if self.label_en else ""


ITEMS = (
    Item("ex1_error", 1, N_("Example 1: output error `error`"),
         "error", N_("Ex. 1: error")),
    Item("ex1_output_error_term", 2, N_("Example 1: output error term `output_error_term`"),
         "out_term", N_("Ex. 1: output error term")),
    Item("ex1_hidden_error", 1, N_("Example 1: hidden error `hidden_error`"),
         "hid_err", N_("Ex. 1: hidden error")),
    Item("ex1_hidden_error_term", 2, N_("Example 1: hidden error term `hidden_error_term`"),
         "hid_term", N_("Ex. 1: hidden error term")),
    Item("ex1_delta_w_h_o", 2, N_("Example 1: hidden-to-output step `delta_w_h_o`"),
         "dW_h_o", N_("Ex. 1: hidden-to-output step")),
    Item("ex1_delta_w_i_h", 2, N_("Example 1: input-to-hidden step `delta_w_i_h`"),
         "dW_i_h", N_("Ex. 1: input-to-hidden step")),
    Item("ex1_other_inputs", 3, N_("Example 1: `backprop_step` on other inputs and sizes"),
         "other_in", N_("Ex. 1: other networks")),
    Item("ex2_first_epoch", 3, N_("Example 2: weights after the first epoch"),
         "epoch_1", N_("Ex. 2: weights after epoch 1")),
    Item("ex2_final_weights", 3, N_("Example 2: weights after training"),
         "final_W", N_("Ex. 2: final weights")),
    Item("ex2_loss", 2, N_("Example 2: training loss over all records, non-increasing"),
         "loss", N_("Ex. 2: training loss")),
    Item("ex2_accuracy", 2, N_("Example 2: test accuracy on the pinned split"),
         "accuracy", N_("Ex. 2: test accuracy")),
    Item("ex2_other_data", 3, N_("Example 2: `train_nn` on other data"),
         "other_dt", N_("Ex. 2: other data sets")),
)
ITEMS_BY_ID = {item.grade_id: item for item in ITEMS}
TOTAL_POINTS = float(sum(item.points for item in ITEMS))


def ex1_item(quantity: str) -> Item:
    return ITEMS_BY_ID["ex1_" + quantity]
