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


# -- the Chinese edition -----------------------------------------------------------------------
import nbformat  # noqa: E402

from autograder.demo import run  # noqa: E402
from tests.support import ZH_RELEASE_DIR, ZH_SOURCE_DIR  # noqa: E402


@pytest.mark.parametrize("lang, assignment", [(None, "backprop"), ("en", "backprop"),
                                              ("zh_CN", "backprop_zh"), ("zh", "backprop_zh"),
                                              ("zh_CN.UTF-8", "backprop_zh")])
def test_each_language_has_its_editions_folder(lang, assignment):
    assert samples.edition_assignment(lang) == assignment


def test_the_demo_class_descriptions_are_marked_for_translation():
    assert {sample.description for sample in samples.SAMPLES} <= set(run.SAMPLE_DESCRIPTIONS)


def test_every_sample_builds_from_the_chinese_release_and_source():
    release = nbformat.read(str(ZH_RELEASE_DIR / "backprop.ipynb"), 4)
    source = nbformat.read(str(ZH_SOURCE_DIR / "backprop.ipynb"), 4)
    assert release.metadata["backprop"]["lang"] == "zh_CN"
    for sample in samples.SAMPLES + samples.EXTRA_SAMPLES + samples.MISTAKE_SAMPLES:
        notebook = samples.build(sample, release, source)
        assert notebook.metadata["backprop"]["lang"] == "zh_CN", sample.name
        text = "".join(cell.source for cell in notebook.cells)
        assert samples.BEGIN not in text and samples.END not in text
