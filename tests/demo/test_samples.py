"""Sample submissions: mutations that name the text they replace, from the course's catalogue."""

import pytest

from autograder.demo import samples
from autograder.demo.sample_class import class_samples
from tests.support import REPO


def test_the_catalogue_loads_from_the_course_folder():
    catalogue = samples.load_catalogue(REPO)
    assert {s.name for s in catalogue.SAMPLES} >= {"perfect", "untouched", "sign_error"}
    assert samples.MISTAKE_SAMPLES == catalogue.MISTAKE_SAMPLES


def test_every_sample_builds_from_the_release(release_nb, source_nb):
    for sample in samples.SAMPLES + samples.EXTRA_SAMPLES + samples.MISTAKE_SAMPLES:
        notebook = samples.build(sample, release_nb, source_nb)
        assert len(notebook.cells) == len(release_nb.cells), sample.name
        text = "".join(cell.source for cell in notebook.cells)
        assert samples.BEGIN not in text and samples.END not in text


def test_a_mutation_that_does_not_apply_says_so(release_nb, source_nb):
    broken = samples.Mutation(samples.EX1_CELL, "no such text", "x")
    with pytest.raises(ValueError, match="does not apply"):
        samples.mutate(samples.solved(release_nb, source_nb), [broken])


def test_a_class_cycles_through_the_samples_with_new_names():
    pool = samples.SAMPLES[:2]
    names = [name for name, _ in class_samples(5, pool)]
    assert names == ["perfect", "untouched", "perfect_2", "untouched_2", "perfect_3"]
