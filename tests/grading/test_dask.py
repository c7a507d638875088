"""``backprop grade --scheduler``: the same grades on a real Dask cluster.

A ``dask scheduler`` and two ``dask worker`` processes (one thread each) run
on 127.0.0.1 as subprocesses of the test. Select with ``pytest -m dask``.
"""

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.core.course import ASSIGNMENT
from autograder.demo.sample_class import make_release, write_submissions
from autograder.workspace.folder import tool_env
from tests.grading.helpers import (
    BY_NAME,
    clone,
    grade_ids,
    gradebook_table,
    graded_outputs,
    run_backprop,
)
from tests.support import REPO

distributed = pytest.importorskip("distributed")
pytestmark = [pytest.mark.dask, pytest.mark.slow]

SEED = 77
CLASS = [(name, BY_NAME[name]) for name in ("perfect", "raises", "no_learnrate")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        pytest.skip(f"no dask command next to {sys.executable}")
    folder = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = tool_env({"PYTHONPATH": str(REPO)})  # the workers import autograder
    processes = []

    def start(name, *args):
        log = open(folder / f"{name}.log", "w")
        processes.append(subprocess.Popen([str(dask), *args], cwd=folder, env=env,
                                          stdout=log, stderr=subprocess.STDOUT))

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port),
              "--no-dashboard")
        for n in (1, 2):
            start(f"worker{n}", "worker", address, "--nthreads", "1", "--nworkers", "1",
                  "--name", f"w{n}", "--host", "127.0.0.1", "--no-dashboard",
                  "--local-directory", str(folder / f"w{n}"))
        deadline = time.monotonic() + 90
        while True:
            try:
                with distributed.Client(address, timeout=10) as client:
                    client.wait_for_workers(2, timeout=60)
                    break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    course = make_release(tmp_path_factory.mktemp("dask-course") / "template", seed=SEED)
    write_submissions(course, CLASS)
    return course


def test_dask_cluster_grades_like_the_local_pool(cluster, template, tmp_path):
    local = clone(template, tmp_path / "local")
    remote = clone(template, tmp_path / "remote")

    on_dask = run_backprop(["grade", ASSIGNMENT, "--scheduler", cluster], course=remote)
    assert on_dask.returncode == 0, on_dask.stdout + on_dask.stderr
    assert "Dask cluster" in on_dask.stdout and "2 worker threads" in on_dask.stdout
    last = json.loads((remote / ".backprop" / "last-run.json").read_text())
    assert sorted(last["graded"]) == sorted(name for name, _ in CLASS)
    assert sum(w["tasks"] for w in last["workers"].values()) == len(CLASS)

    on_pool = run_backprop(["grade", ASSIGNMENT, "--workers", 2], course=local)
    assert on_pool.returncode == 0, on_pool.stdout + on_pool.stderr

    assert gradebook_table(remote) == gradebook_table(local)
    for student, _ in CLASS:
        assert graded_outputs(remote, student) == graded_outputs(local, student)
    ids = grade_ids(remote)
    assert all(len(row) == len(ids) for row in gradebook_table(remote).values())


def test_unreachable_scheduler_is_a_usage_error(template, tmp_path):
    course = clone(template, tmp_path / "course")
    result = run_backprop(["grade", ASSIGNMENT, "--scheduler", f"tcp://127.0.0.1:{_free_port()}"],
                          course=course)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Dask scheduler" in result.stderr
