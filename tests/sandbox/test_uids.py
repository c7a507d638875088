"""One uid per running kernel, exclusive across processes."""

import subprocess
import sys

from autograder.sandbox.uids import allocate_uid


def test_allocate_uid_is_exclusive_across_processes(tmp_path):
    lock_dir = str(tmp_path / "locks")
    uid, lock = allocate_uid(950000, 2, lock_dir)
    try:
        code = ("from autograder.sandbox.uids import allocate_uid as a\n"
                f"held = a(950000, 2, {lock_dir!r})\nprint(held[0])\n"
                "try:\n    a(950000, 2, %r)\nexcept RuntimeError:\n    print('full')\n" % lock_dir)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
        assert int(out[0]) in (950000, 950001) and int(out[0]) != uid
        assert out[1] == "full"
        other, lock2 = allocate_uid(950000, 3, lock_dir)  # same process, second kernel
        assert other != uid
        lock2.close()
    finally:
        lock.close()
