"""What students read about a slip: one name each, the example, the formula, no code."""

import re

from autograder.core.diagnose import CATALOGUE
from autograder.core.diagnosis import texts
from autograder.core.diagnosis.edits import step_edits, training_edits


def solution_lines(source_nb):
    """Every answer line of the source notebook, as code."""
    lines = []
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.split("\n"):
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def test_every_mistake_has_one_name_that_says_its_example():
    titles = [m.title for m in CATALOGUE.values()]
    assert len(titles) == len(set(titles)) == len(CATALOGUE)
    for key, mistake in CATALOGUE.items():
        assert mistake.name == key
        assert mistake.title.startswith(f"Example {key[2]}, "), mistake.title


def test_no_hint_hands_over_the_code_of_a_todo(source_nb):
    lines = solution_lines(source_nb)
    right_hand_sides = [re.split(r"\+?=", line, maxsplit=1)[-1].strip() for line in lines]
    assert len(right_hand_sides) >= 10
    for mistake in CATALOGUE.values():
        for code in right_hand_sides:
            assert code not in mistake.hint, (mistake.name, code)
        assert "[:, None]" not in mistake.hint and "np." not in mistake.hint, mistake.name


def test_a_formula_edits_hint_names_the_quantity_and_gives_the_formula():
    for edit in [e for q in ("output_error_term", "delta_w_i_h") for e in step_edits(q)]:
        _, hint = texts.name_and_hint(edit)
        assert f"`{edit.quantity}`" in hint and ("Δw" in hint or "δᵒ" in hint), hint
    swap = next(e for e in step_edits("delta_w_h_o") if e.change == "swap:output_error_term>error")
    assert texts.edit_hint(swap) == ("Your `delta_w_h_o` uses the output error, y − ŷ, in place "
                                     "of the output error term, δᵒ. The formula: ΔWⱼ = η δᵒ aⱼ.")


def test_edits_of_both_lines_read_as_one_sentence():
    both = next(e for e in training_edits() if e.key == "updates.drop:eta")
    assert texts.edit_hint(both).startswith("Each of your two weight updates leaves out the "
                                            "learning rate, η.")
