"""The coordinator's process while a run lasts."""

import gc
import weakref

from autograder.grading.runtime import long_lived_frozen


def test_a_runs_long_lived_objects_are_frozen_only_while_it_lasts():
    class Node:
        pass

    def cycle():
        node = Node()
        node.self = node
        return node

    before = cycle()
    gone = weakref.ref(before)
    assert gc.get_freeze_count() == 0
    with long_lived_frozen():
        assert gc.get_freeze_count() > 0
        del before
        gc.collect()
        assert gone() is not None  # frozen: not even looked at
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None  # garbage made before the run is still collected after it
