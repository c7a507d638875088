"""The ``backprop`` command's process set-up."""

import subprocess
import sys

PROBE = """
import sys, time
started = time.process_time()
import autograder.cli  # what `backprop ...` runs first
import nbformat
from nbformat.v4 import new_code_cell, new_notebook
seconds = time.process_time() - started
assert sys.modules.get("rfc3987_syntax") is None, "the optional grammar was built"
nb = new_notebook(cells=[new_code_cell("1 + 1")])
nbformat.validate(nb)  # validation still works ...
nb.cells[0]["outputs"] = "not a list"
try:
    nbformat.validate(nb)
except nbformat.ValidationError:
    print(f"ok {seconds:.2f}")  # ... and still rejects a broken notebook
"""


def test_the_cli_skips_the_unused_iri_grammar_and_still_validates():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok "), result.stdout + result.stderr


EXIT_PROBE = """
import atexit, gc, sys
import autograder.cli
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
assert autograder.cli.main(["report", "no-such-assignment", "--course", sys.argv[1]]) == 2
print("frozen after main():", gc.get_freeze_count() > 0)
sys.argv[1:] = ["report", "no-such-assignment", "--course", sys.argv[1]]
sys.exit(autograder.cli.run())
"""


def test_the_command_leaves_its_objects_to_the_os_at_exit_and_main_does_not(tmp_path):
    result = subprocess.run([sys.executable, "-c", EXIT_PROBE, str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stdout.splitlines() == ["frozen after main(): False", "frozen at exit: True"]
    assert result.stderr.count("backprop report:") == 2  # both messages flushed
