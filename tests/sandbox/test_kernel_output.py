"""What a kernel process writes to its own stdout and stderr: capped, never passed on."""

import subprocess
import sys

from autograder.sandbox.kernel_output import CappedOutput


def test_capped_output_keeps_the_start_and_counts_the_rest():
    sink = CappedOutput(max_bytes=10)
    child = subprocess.Popen([sys.executable, "-c", "import os; os.write(1, b'a' * 300000); "
                              "os.write(2, b'b' * 5)"], stdout=sink.write_fd,
                             stderr=sink.write_fd)
    sink.release_writer()
    assert child.wait(timeout=30) == 0
    kept, total = sink.close(timeout=10)
    assert kept == b"a" * 10 and total == 300005 and sink.dropped == 299995
