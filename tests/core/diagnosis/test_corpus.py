"""The finder on a corpus generated from its model: every single edit, as a submission.

The corpus (:mod:`tests.core.diagnosis.corpus`) writes each slip as code into
the solved notebook and grades it in this process on a small data set;
``benchmarks/finder_corpus.py`` runs the same corpus on the course's data.
Targets: at least 95 % of the slips named correctly, none named wrongly, and
every correct equivalent form given full marks and no diagnosis at all.
"""

import pytest

from autograder.plan.plan import build_plan
from autograder.plan.reference import ReferenceExpectations
from tests.core.diagnosis import corpus
from tests.support import SOLUTIONS_DIR

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def outcomes(release_nb, source_nb):
    data, oracle = corpus.synthetic_data()
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), data, seed=11)
    data.targets_test = (oracle.predict(data.features_test, *plan.ex2_final[:2]) > 0.5) * 1.0
    cells = corpus.answers(release_nb, source_nb)
    found = {}
    for entry in corpus.slip_entries() + list(corpus.EQUIVALENTS):
        results = corpus.run_submission(release_nb, entry.change(cells), entry.example, plan, data)
        found[entry.name] = corpus.verdict(entry, results)
    return found


def test_the_corpus_holds_every_single_edit_of_both_examples():
    entries = corpus.slip_entries()
    assert len({e.name for e in entries}) == len(entries) > 100
    assert {e.example for e in entries} == {1, 2}


def test_slips_are_named_correctly_and_never_wrongly(outcomes):
    shares = corpus.shares(outcomes)
    print("\ncorpus shares:", {k: f"{v:.1%}" for k, v in shares.items()},
          "not named:", sorted(k for k, v in outcomes.items() if v == "not named"))
    assert shares["wrong"] == 0, [k for k, v in outcomes.items() if v == "wrong"]
    assert shares["correct"] >= 0.95


def test_every_equivalent_form_has_full_marks_and_no_diagnosis(outcomes):
    equivalent = {k: v for k, v in outcomes.items() if k.startswith("equivalent.")}
    assert len(equivalent) == len(corpus.EQUIVALENTS)
    assert set(equivalent.values()) == {"equivalent"}, equivalent
