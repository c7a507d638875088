"""The sample submissions of the course (instructors only).

Each sample is the solved notebook with named textual mutations (see
``autograder/samples.py`` for the mechanism). The mutations quote solution
code, which is why this catalogue lives here and not in the grading package.
"""

from autograder.demo.samples import EX1_CELL, EX2_CELL, Mutation, Sample

SAMPLES = (
    Sample("perfect", "the reference solution"),
    Sample("untouched", "the release as handed out", untouched=True),
    Sample("sign_error", "error = output - target, so every step points uphill", (
        Mutation(EX1_CELL, "error = target - output", "error = output - target"),
        Mutation(EX2_CELL, "error = y - output", "error = output - y"),
    )),
    Sample("no_learnrate", "the weight steps are not scaled by the learning rate", (
        Mutation(EX1_CELL, "delta_w_h_o = learnrate * output_error_term",
                 "delta_w_h_o = output_error_term"),
        Mutation(EX1_CELL, "delta_w_i_h = learnrate * hidden_error_term",
                 "delta_w_i_h = hidden_error_term"),
        Mutation(EX2_CELL, "weights_input_hidden += learnrate * del_w_input_hidden / n_records",
                 "weights_input_hidden += del_w_input_hidden / n_records"),
        Mutation(EX2_CELL, "weights_hidden_output += learnrate * del_w_hidden_output / n_records",
                 "weights_hidden_output += del_w_hidden_output / n_records"),
    )),
    Sample("every_record", "Example 2 moves the weights after every record", (
        Mutation(EX2_CELL,
                 "del_w_hidden_output += output_error_term * hidden_output\n"
                 "            del_w_input_hidden += hidden_error_term * x[:, None]",
                 "weights_hidden_output += learnrate * output_error_term * hidden_output\n"
                 "            weights_input_hidden += learnrate * hidden_error_term * x[:, None]"),
        Mutation(EX2_CELL,
                 "weights_input_hidden += learnrate * del_w_input_hidden / n_records\n"
                 "        weights_hidden_output += learnrate * del_w_hidden_output / n_records",
                 "pass"),
    )),
    Sample("raises", "a typo makes backprop_step raise NameError", (
        Mutation(EX1_CELL, "error = target - output", "error = target - outptu"),
    )),
)

#: More mutants, used by the tests.
EXTRA_SAMPLES = (
    Sample("no_averaging", "Example 2 forgets to divide by n_records", (
        Mutation(EX2_CELL, "learnrate * del_w_input_hidden / n_records",
                 "learnrate * del_w_input_hidden"),
        Mutation(EX2_CELL, "learnrate * del_w_hidden_output / n_records",
                 "learnrate * del_w_hidden_output"),
    )),
    Sample("no_hidden_derivative", "Example 2 leaves out f'(h) in the hidden error term", (
        Mutation(EX2_CELL, "hidden_error_term = hidden_error * hidden_output * (1 - hidden_output)",
                 "hidden_error_term = hidden_error"),
    )),
    Sample("warns", "a sigmoid that writes a warning to stderr on every call, with correct code", (
        Mutation(EX1_CELL, "def backprop_step(",
                 "import warnings\n_sigmoid = sigmoid\n"
                 "def sigmoid(x):\n    warnings.warn('sigmoid called', RuntimeWarning)\n"
                 "    return _sigmoid(x)\n\n"
                 "warnings.simplefilter('always')\n\ndef backprop_step("),
    )),
)


def _one(name, description, cell, old, new):
    return Sample(name, description, (Mutation(cell, old, new),))


#: One submission per mistake the course once listed by hand, named after it.
MISTAKE_SAMPLES = (
    _one("ex1_sign_error", "Example 1: error = output - target", EX1_CELL,
         "error = target - output", "error = output - target"),
    Sample("ex1_missing_learnrate", "Example 1: the weight steps lack the learning rate", (
        Mutation(EX1_CELL, "delta_w_h_o = learnrate * output_error_term",
                 "delta_w_h_o = output_error_term"),
        Mutation(EX1_CELL, "delta_w_i_h = learnrate * hidden_error_term",
                 "delta_w_i_h = hidden_error_term"),
    )),
    _one("ex1_no_output_derivative", "Example 1: output_error_term = error", EX1_CELL,
         "output_error_term = error * sigmoid_prime(output_layer_in)", "output_error_term = error"),
    _one("ex1_derivative_of_activation", "Example 1: f'(output) instead of f'(input)", EX1_CELL,
         "output_error_term = error * sigmoid_prime(output_layer_in)",
         "output_error_term = error * sigmoid_prime(output)"),
    _one("ex1_hidden_error_from_error", "Example 1: hidden error from error", EX1_CELL,
         "hidden_error = np.dot(output_error_term, weights_hidden_output)",
         "hidden_error = np.dot(error, weights_hidden_output)"),
    _one("ex1_no_hidden_derivative", "Example 1: hidden_error_term = hidden_error", EX1_CELL,
         "hidden_error_term = hidden_error * sigmoid_prime(hidden_layer_input)",
         "hidden_error_term = hidden_error"),
    _one("ex1_delta_uses_hidden_input", "Example 1: the step uses the hidden input", EX1_CELL,
         "delta_w_h_o = learnrate * output_error_term * hidden_layer_output",
         "delta_w_h_o = learnrate * output_error_term * hidden_layer_input"),
    _one("ex1_x_not_column", "Example 1: x without [:, None]", EX1_CELL,
         "delta_w_i_h = learnrate * hidden_error_term * x[:, None]",
         "delta_w_i_h = learnrate * hidden_error_term * x"),
    _one("ex1_transposed_delta", "Example 1: delta_w_i_h transposed", EX1_CELL,
         "delta_w_i_h = learnrate * hidden_error_term * x[:, None]",
         "delta_w_i_h = learnrate * np.outer(hidden_error_term, x)"),
    Sample("ex2_no_learnrate", "Example 2: the update lacks the learning rate", (
        Mutation(EX2_CELL, "weights_input_hidden += learnrate * del_w_input_hidden / n_records",
                 "weights_input_hidden += del_w_input_hidden / n_records"),
        Mutation(EX2_CELL, "weights_hidden_output += learnrate * del_w_hidden_output / n_records",
                 "weights_hidden_output += del_w_hidden_output / n_records"),
    )),
    Sample("ex2_no_averaging", "Example 2: no division by n_records", (
        Mutation(EX2_CELL, "learnrate * del_w_input_hidden / n_records",
                 "learnrate * del_w_input_hidden"),
        Mutation(EX2_CELL, "learnrate * del_w_hidden_output / n_records",
                 "learnrate * del_w_hidden_output"),
    )),
    Sample("ex2_uphill_update", "Example 2: -= instead of += in the update", (
        Mutation(EX2_CELL, "weights_input_hidden += learnrate", "weights_input_hidden -= learnrate"),
        Mutation(EX2_CELL, "weights_hidden_output += learnrate", "weights_hidden_output -= learnrate"),
    )),
    Sample("ex2_update_every_record", "Example 2: the weights move after every record",
           SAMPLES[4].mutations),
    Sample("ex2_accumulators_not_reset", "Example 2: del_w_* are zeroed once, not every epoch", (
        Mutation(EX2_CELL,
                 "    for e in range(epochs):\n"
                 "        del_w_input_hidden = np.zeros(weights_input_hidden.shape)\n"
                 "        del_w_hidden_output = np.zeros(weights_hidden_output.shape)\n",
                 "    del_w_input_hidden = np.zeros(weights_input_hidden.shape)\n"
                 "    del_w_hidden_output = np.zeros(weights_hidden_output.shape)\n"
                 "    for e in range(epochs):\n"),
    )),
    _one("ex2_no_hidden_derivative", "Example 2: hidden_error_term = hidden_error", EX2_CELL,
         "hidden_error_term = hidden_error * hidden_output * (1 - hidden_output)",
         "hidden_error_term = hidden_error"),
    _one("ex2_no_output_derivative", "Example 2: output_error_term = error", EX2_CELL,
         "output_error_term = error * output * (1 - output)", "output_error_term = error"),
    _one("ex2_derivative_of_activation", "Example 2: f'(output) instead of f'(input)", EX2_CELL,
         "output_error_term = error * output * (1 - output)",
         "output_error_term = error * sigmoid_prime(output)"),
)

#: Slips nobody listed by hand: the mistake finder names them from its model.
MODEL_SAMPLES = (
    _one("ex1_learnrate_twice", "Example 1: the step multiplies by learnrate twice", EX1_CELL,
         "delta_w_h_o = learnrate * output_error_term * hidden_layer_output",
         "delta_w_h_o = learnrate * learnrate * output_error_term * hidden_layer_output"),
    _one("ex1_typed_learnrate", "Example 1: the article's learning rate typed in", EX1_CELL,
         "delta_w_i_h = learnrate * hidden_error_term * x[:, None]",
         "delta_w_i_h = 0.5 * hidden_error_term * x[:, None]"),
    _one("ex1_error_from_output_input", "Example 1: the error uses the output unit's input",
         EX1_CELL, "error = target - output", "error = target - output_layer_in"),
    _one("ex2_averaged_by_epochs", "Example 2: the updates divide by epochs", EX2_CELL,
         "        weights_input_hidden += learnrate * del_w_input_hidden / n_records\n"
         "        weights_hidden_output += learnrate * del_w_hidden_output / n_records",
         "        weights_input_hidden += learnrate * del_w_input_hidden / epochs\n"
         "        weights_hidden_output += learnrate * del_w_hidden_output / epochs"),
    _one("ex2_update_inside_loop", "Example 2: the update lines inside the loop over records",
         EX2_CELL,
         "            del_w_input_hidden += hidden_error_term * x[:, None]\n\n"
         "        # TODO: Update weights\n"
         "        weights_input_hidden += learnrate * del_w_input_hidden / n_records\n"
         "        weights_hidden_output += learnrate * del_w_hidden_output / n_records",
         "            del_w_input_hidden += hidden_error_term * x[:, None]\n\n"
         "            # TODO: Update weights\n"
         "            weights_input_hidden += learnrate * del_w_input_hidden / n_records\n"
         "            weights_hidden_output += learnrate * del_w_hidden_output / n_records"),
    _one("ex2_loss_of_last_record", "Example 2: the loss from the last record's output", EX2_CELL,
         "hidden_output = sigmoid(np.dot(features.values, weights_input_hidden))",
         "hidden_output = sigmoid(np.dot(x, weights_input_hidden))"),
)

#: A wrong value that no single slip explains: said plainly, nothing named.
UNEXPLAINED_SAMPLES = (
    _one("ex1_unexplained", "Example 1: the hidden error scaled by a number from nowhere",
         EX1_CELL, "hidden_error = np.dot(output_error_term, weights_hidden_output)",
         "hidden_error = 3.1 * np.dot(output_error_term, weights_hidden_output)"),
)

#: Correct code written differently: full marks, no diagnosis.
EQUIVALENT_SAMPLES = (
    Sample("equivalent_forms", "np.outer, @, output*(1-output), reshape, sums written out", (
        Mutation(EX1_CELL, "output_error_term = error * sigmoid_prime(output_layer_in)",
                 "output_error_term = error * output * (1 - output)"),
        Mutation(EX1_CELL, "hidden_error = np.dot(output_error_term, weights_hidden_output)",
                 "hidden_error = weights_hidden_output * output_error_term"),
        Mutation(EX1_CELL, "hidden_error_term = hidden_error * sigmoid_prime(hidden_layer_input)",
                 "hidden_error_term = hidden_error * hidden_layer_output * (1 - hidden_layer_output)"),
        Mutation(EX1_CELL, "delta_w_i_h = learnrate * hidden_error_term * x[:, None]",
                 "delta_w_i_h = learnrate * np.outer(x, hidden_error_term)"),
        Mutation(EX2_CELL, "hidden_input = np.dot(x, weights_input_hidden)",
                 "hidden_input = x @ weights_input_hidden"),
        Mutation(EX2_CELL, "del_w_input_hidden += hidden_error_term * x[:, None]",
                 "del_w_input_hidden += np.outer(x, hidden_error_term)"),
        Mutation(EX2_CELL, "weights_input_hidden += learnrate * del_w_input_hidden / n_records",
                 "weights_input_hidden = weights_input_hidden + learnrate / n_records * del_w_input_hidden"),
    )),
    Sample("equivalent_matmul", "np.matmul, reshape(-1, 1), sigmoid(h) * (1 - sigmoid(h))", (
        Mutation(EX1_CELL, "delta_w_i_h = learnrate * hidden_error_term * x[:, None]",
                 "delta_w_i_h = learnrate * x.reshape(-1, 1) * hidden_error_term.reshape(1, -1)"),
        Mutation(EX1_CELL, "hidden_error_term = hidden_error * sigmoid_prime(hidden_layer_input)",
                 "hidden_error_term = hidden_error * sigmoid(hidden_layer_input) * (1 - sigmoid(hidden_layer_input))"),
        Mutation(EX2_CELL, "hidden_error = np.dot(output_error_term, weights_hidden_output)",
                 "hidden_error = np.matmul(np.atleast_1d(output_error_term), weights_hidden_output[None, :])"),
        Mutation(EX2_CELL, "output_error_term = error * output * (1 - output)",
                 "output_error_term = error * sigmoid_prime(np.dot(hidden_output, weights_hidden_output))"),
    )),
)
