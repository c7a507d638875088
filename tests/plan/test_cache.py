"""The on-disk cache of the seed-independent reference training."""

import logging
import shutil

import numpy as np
import pytest

from autograder.core.course import EX2_EPOCHS
from autograder.core.expectations import OracleExpectations
from autograder.plan.cache import CACHE_DIR_VARIABLE, PlanCache, cache_key, user_cache_dir
from autograder.plan.course_data import load_course_data
from autograder.plan.plan import Tolerances, build_plan, final_training
from autograder.plan.reference import ReferenceExpectations
from tests.support import RELEASE_DIR, SOLUTIONS_DIR


class CountsFullTrainings:
    """Expectations that count their full trainings on the course data."""

    full_trainings = 0

    def train(self, features, targets, epochs, *args):
        if epochs == EX2_EPOCHS:
            self.full_trainings += 1
        return super().train(features, targets, epochs, *args)


class CountingReference(CountsFullTrainings, ReferenceExpectations):
    """The reference solutions, counting the full trainings on the course data."""


class Cheap:
    """Expectations whose training is instant and whose fingerprint is a file's text."""

    name = "cheap"

    def __init__(self, source):
        self.source, self.calls = source, 0

    def fingerprint(self):
        return self.source.read_text()

    def train(self, features, targets, epochs, learnrate, n_hidden, seed):
        self.calls += 1
        return np.full((3, 2), float(len(self.source.read_text()))), np.zeros(2), [0.5] * epochs


@pytest.fixture(scope="module")
def course_data():
    return load_course_data(RELEASE_DIR)


def test_the_key_covers_every_part():
    base = dict(expectations="abc", features=np.arange(6.0).reshape(3, 2), epochs=900)
    same = dict(expectations="abc", features=np.arange(6.0).reshape(3, 2), epochs=900)
    assert cache_key(**base) == cache_key(**same)
    changed = [dict(base, expectations="abd"), dict(base, epochs=901),
               dict(base, features=np.arange(6.0).reshape(2, 3)),
               dict(base, features=np.arange(6.0).reshape(3, 2) + 1e-12)]
    keys = {cache_key(**parts) for parts in changed}
    assert len(keys) == len(changed) and cache_key(**base) not in keys


def test_a_second_lookup_reads_the_stored_values(tmp_path):
    cache, calls = PlanCache(tmp_path / "cache"), []

    def compute():
        calls.append(1)
        return np.ones((2, 2)), [1.0, 2.0], np.array([0.3, 0.2])

    first = cache.training("k", compute)
    second = cache.training("k", compute)
    assert len(calls) == 1
    assert all(a.dtype == np.float64 for a in second)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["training-k.npz"]


@pytest.mark.parametrize("damage", [b"", b"not a zip file", b"PK\x03\x04truncated"])
def test_a_damaged_entry_is_computed_again_and_replaced(tmp_path, caplog, damage):
    cache = PlanCache(tmp_path)
    (tmp_path / "training-k.npz").write_bytes(damage)
    with caplog.at_level(logging.WARNING):
        values = cache.training("k", lambda: (np.zeros(3),))
    np.testing.assert_array_equal(values[0], np.zeros(3))
    assert "damaged cache entry" in caplog.text
    assert cache.load("k") is not None  # replaced by a good one


def test_an_unwritable_cache_still_gives_the_values(tmp_path, caplog):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING):
        values = PlanCache(blocker).training("k", lambda: (np.ones(2),))
    np.testing.assert_array_equal(values[0], np.ones(2))
    assert "Could not write the plan cache" in caplog.text


def test_editing_the_solutions_trains_again(tmp_path, course_data):
    source = tmp_path / "reference.py"
    source.write_text("version one")
    cheap, cache = Cheap(source), PlanCache(tmp_path / "cache")
    first = final_training(cheap, course_data, cache)
    final_training(cheap, course_data, cache)
    assert cheap.calls == 1
    source.write_text("version two, edited")
    second = final_training(cheap, course_data, cache)
    assert cheap.calls == 2
    assert not np.array_equal(first[0], second[0])


def test_a_cached_plan_equals_a_fresh_one(tmp_path, course_data):
    solutions = shutil.copytree(SOLUTIONS_DIR, tmp_path / "solutions")
    cache = PlanCache(tmp_path / "cache")
    reference = CountingReference(solutions)
    fresh = build_plan(reference, course_data, seed=4)
    stored = build_plan(reference, course_data, seed=4, cache=cache)
    reused = build_plan(reference, course_data, seed=9, cache=cache)
    assert reference.full_trainings == 2  # the uncached plan and the first cached one
    for a, b, c in zip(fresh.ex2_final, stored.ex2_final, reused.ex2_final):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    assert fresh.harvest_spec() == stored.harvest_spec() != reused.harvest_spec()

    # The finder's simulation of every slip is cached too, and equals a fresh one.
    for plan in (stored, reused):
        for a, b in zip(fresh.ex2_final_variants.arrays(), plan.ex2_final_variants.arrays()):
            np.testing.assert_array_equal(a, b)
        assert plan.ex2_final_variants.keys == fresh.ex2_final_variants.keys
        assert plan.ex2_final_variants.raised == fresh.ex2_final_variants.raised
    entries = len(list((tmp_path / "cache").glob("training-*.npz")))
    assert entries == 2   # the reference training and the finder's

    # A changed reference solution is never answered from the old entry.
    with open(solutions / "reference.py", "a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    build_plan(CountingReference(solutions), course_data, seed=4, cache=cache)
    assert len(list((tmp_path / "cache").glob("training-*.npz"))) == entries + 1


class CountingOracle(CountsFullTrainings, OracleExpectations):
    """The finite-difference oracle, counting its full trainings on the course data."""


def test_the_checks_cached_plan_equals_a_fresh_one(tmp_path):
    """``backprop check``'s plan (the oracle's) through the cache: the same values, and
    the slow parts computed once, whatever the seed."""
    public = RELEASE_DIR
    cache = PlanCache(tmp_path / "cache")
    oracle = CountingOracle()
    tolerances = Tolerances.for_oracle()
    fresh = build_plan(oracle, load_course_data(public), seed=4, tolerances=tolerances)
    stored = build_plan(oracle, load_course_data(public, cache), seed=4, tolerances=tolerances,
                        cache=cache)
    reused = build_plan(oracle, load_course_data(public, cache), seed=9, tolerances=tolerances,
                        cache=cache)
    assert oracle.full_trainings == 2  # the uncached plan and the first cached one
    for plan in (stored, reused):
        for a, b in zip(fresh.ex2_final, plan.ex2_final):
            np.testing.assert_array_equal(a, b)
        for a, b in zip(fresh.ex2_final_variants.arrays(), plan.ex2_final_variants.arrays()):
            np.testing.assert_array_equal(a, b)
        assert plan.ex2_final_variants.keys == fresh.ex2_final_variants.keys
        np.testing.assert_array_equal(plan.data.features, fresh.data.features)
    assert fresh.harvest_spec() == stored.harvest_spec() != reused.harvest_spec()
    assert len(list((tmp_path / "cache").glob("training-*.npz"))) == 2
    assert len(list((tmp_path / "cache").glob("data-*.npz"))) == 1


def test_the_oracles_fingerprint_follows_its_code(tmp_path, monkeypatch):
    from autograder.core import oracle

    first = OracleExpectations().fingerprint()
    assert first == OracleExpectations().fingerprint()
    assert first != ReferenceExpectations(SOLUTIONS_DIR).fingerprint()
    edited = tmp_path / "oracle.py"
    edited.write_text(open(oracle.__file__, encoding="utf-8").read() + "\n# edited\n")
    monkeypatch.setattr(oracle, "__file__", str(edited))
    assert OracleExpectations().fingerprint() != first


def test_the_checks_cache_folder(tmp_path):
    chosen = tmp_path / "chosen"
    assert user_cache_dir({CACHE_DIR_VARIABLE: str(chosen)}) == chosen and chosen.is_dir()
    assert user_cache_dir({CACHE_DIR_VARIABLE: ""}) is None  # set but empty: no cache
    assert user_cache_dir({"XDG_CACHE_HOME": str(tmp_path / "xdg")}) == \
        tmp_path / "xdg" / "backprop" / "plan"
    # a folder that cannot be made (below a file), or a relative one: no cache, no error
    (tmp_path / "a-file").write_text("")
    assert user_cache_dir({CACHE_DIR_VARIABLE: str(tmp_path / "a-file" / "plan")}) is None
    assert user_cache_dir({CACHE_DIR_VARIABLE: "relative/plan"}) is None


def test_the_checks_cache_folder_defaults_to_the_users(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_cache_dir({}) == tmp_path / ".cache" / "backprop" / "plan"
