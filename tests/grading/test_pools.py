"""The local pool: its workers are forked once the imports are frozen."""

import subprocess
import sys


def test_local_workers_are_forked_after_the_imports_are_frozen():
    probe = ("import gc; from autograder.grading.pools import _context; "
             "context = _context(fork_allowed=True); "
             "print(context.get_start_method(), gc.get_freeze_count() > 0)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split() == ["fork", "True"], result.stderr
