"""State owned by a run: one memo per run, shared by its steps, gone with it."""

import threading
import types

from autograder.run_state import memo, remembering, run_of


def a_run():
    run = types.SimpleNamespace(parent=None)
    step = types.SimpleNamespace(parent=types.SimpleNamespace(parent=run))
    return run, step


def test_steps_of_a_run_share_its_memo_and_values_are_built_once():
    run, step = a_run()
    assert run_of(step) is run and memo(step, "plans") is memo(run, "plans")
    built = []
    assert memo(step, "plans").get("k", lambda: built.append(1) or "plan") == "plan"
    assert memo(run, "plans").get("k", lambda: "other") == "plan" and built == [1]
    assert memo(a_run()[1], "plans").get("k", lambda: "fresh") == "fresh"


def test_a_remembering_block_keeps_a_memo_only_while_it_lasts():
    run, step = a_run()
    assert memo(step, "cells", create=False) is None
    with remembering(run, "cells") as inside:
        assert memo(step, "cells", create=False) is inside
        with remembering(run, "cells") as nested:
            assert nested is inside
    assert memo(step, "cells", create=False) is None


def test_concurrent_first_uses_build_once():
    run, step = a_run()
    built = []
    barrier = threading.Barrier(8)

    def use():
        barrier.wait()
        memo(step, "plans").get("k", lambda: built.append(1) or len(built))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == [1]
