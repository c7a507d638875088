"""``backprop grade --scheduler``: the same grades on a real Dask cluster.

A ``dask scheduler`` and ``dask worker`` processes (one thread each) run on
127.0.0.1 as subprocesses of the test. Select with ``pytest -m dask``. Besides
the grades, the cluster's faults: a worker killed in the middle of a task, a
worker without bubblewrap under ``--require-sandbox``, and a ``tls://``
scheduler that only clients with a certificate may use.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.core.course import ASSIGNMENT
from autograder.demo.sample_class import make_release, write_submissions
from autograder.grading.dask_pool import plain_tcp_warning
from autograder.workspace.folder import db_url, tool_env
from tests.grading.helpers import (
    BY_NAME,
    clone,
    grade_ids,
    gradebook_dump,
    gradebook_table,
    graded_outputs,
    run_backprop,
)
from tests.support import REPO

distributed = pytest.importorskip("distributed")

SEED = 77
CLASS = [(name, BY_NAME[name]) for name in ("perfect", "raises", "no_learnrate")]
DASK = Path(sys.executable).parent / "dask"
VENV_BIN = str(Path(sys.executable).parent)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A scheduler and workers on 127.0.0.1, stopped at the end (by their pids)."""

    def __init__(self, folder, *, workers=({}, {}), tls=None):
        if not DASK.exists():
            pytest.skip(f"no dask command next to {sys.executable}")
        self.folder, self.processes = Path(folder), []
        self.folder.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        scheme = "tls" if tls else "tcp"
        self.address = f"{scheme}://127.0.0.1:{port}"
        tls_args = [] if not tls else ["--tls-ca-file", tls["ca"], "--tls-cert", tls["cert"],
                                       "--tls-key", tls["key"]]
        self.start("scheduler", {}, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                   "--no-dashboard", *(["--protocol", "tls"] if tls else []), *tls_args)
        for n, env in enumerate(workers, start=1):
            self.start(f"worker{n}", env, "worker", self.address, "--nthreads", "1",
                       "--nworkers", "1", "--name", f"w{n}", "--host", "127.0.0.1",
                       "--no-dashboard", "--local-directory", str(self.folder / f"w{n}"),
                       *tls_args)
        self.wait(len(workers), tls)

    def start(self, name, env, *args):
        log = open(self.folder / f"{name}.log", "w")
        environment = tool_env({"PYTHONPATH": str(REPO), **env})  # the workers import autograder
        self.processes.append(subprocess.Popen([str(DASK), *args], cwd=self.folder,
                                               env=environment, stdout=log,
                                               stderr=subprocess.STDOUT))

    def wait(self, count, tls):
        security = None
        if tls:
            from distributed.security import Security

            security = Security(tls_ca_file=tls["ca"], tls_client_cert=tls["cert"],
                                tls_client_key=tls["key"], require_encryption=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                with distributed.Client(self.address, timeout=10, security=security) as client:
                    client.wait_for_workers(count, timeout=90)
                    return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(1)

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("dask"))
    yield running.address
    running.stop()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    course = make_release(tmp_path_factory.mktemp("dask-course") / "template", seed=SEED)
    write_submissions(course, CLASS)
    return course


def _complete_once(course):
    """One submission row per student and one score per grade cell, none blank."""
    table = gradebook_table(course)
    assert sorted(table) == sorted(name for name, _ in CLASS)
    assert all(len(row) == len(grade_ids(course)) for row in table.values())
    assert all(auto is not None for row in table.values() for auto, _, _ in row.values())
    counts = gradebook_dump(db_url(course))["counts"]
    assert counts["submitted_assignment"] == counts["student"] == len(CLASS)


@pytest.mark.dask
@pytest.mark.slow
def test_dask_cluster_grades_like_the_local_pool(cluster, template, tmp_path):
    local = clone(template, tmp_path / "local")
    remote = clone(template, tmp_path / "remote")

    on_dask = run_backprop(["grade", ASSIGNMENT, "--scheduler", cluster, "--feedback"],
                           course=remote)
    assert on_dask.returncode == 0, on_dask.stdout + on_dask.stderr
    assert "Dask cluster" in on_dask.stdout and "2 worker threads" in on_dask.stdout
    assert "plain TCP" not in on_dask.stderr  # loopback: nothing to warn about
    last = json.loads((remote / ".backprop" / "last-run.json").read_text())
    assert sorted(last["graded"]) == sorted(name for name, _ in CLASS)
    assert sum(w["tasks"] for w in last["workers"].values()) == len(CLASS)

    on_pool = run_backprop(["grade", ASSIGNMENT, "--workers", 2, "--feedback"], course=local)
    assert on_pool.returncode == 0, on_pool.stdout + on_pool.stderr
    for run in (on_dask, on_pool):
        assert f"Wrote the feedback of {len(CLASS)} submissions" in run.stdout
    pages = {course: {str(p.relative_to(course)): (p.read_bytes(), p.stat().st_mode)
                      for p in sorted((course / "feedback").rglob("*")) if p.is_file()}
             for course in (remote, local)}
    assert len(pages[remote]) > len(CLASS) and pages[remote] == pages[local]

    assert gradebook_table(remote) == gradebook_table(local)
    assert gradebook_dump(db_url(remote)) == gradebook_dump(db_url(local))
    for student, _ in CLASS:
        assert graded_outputs(remote, student) == graded_outputs(local, student)
    _complete_once(remote)


@pytest.mark.dask
@pytest.mark.slow
def test_unreachable_scheduler_is_a_usage_error(template, tmp_path):
    course = clone(template, tmp_path / "course")
    result = run_backprop(["grade", ASSIGNMENT, "--scheduler", f"tcp://127.0.0.1:{_free_port()}"],
                          course=course)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Dask scheduler" in result.stderr


def _cmdline(pid) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _kernel_running_worker(cluster_processes):
    """The pid of a Dask worker process (a nanny's child) whose sandboxed kernel runs."""
    from tests.grading.test_coordinator import _children

    for nanny in cluster_processes[1:]:
        for task in Path(f"/proc/{nanny.pid}/task").glob("*"):
            try:
                workers = [int(p) for p in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            for pid in workers:
                if any(b"bwrap" in _cmdline(child) for child in _children(pid)):
                    return pid
    return None


@pytest.mark.dask
@pytest.mark.slow
def test_a_worker_killed_mid_task_loses_and_duplicates_nothing(template, tmp_path):
    if not Path("/proc/self/task").exists():
        pytest.skip("needs /proc to find the worker running a kernel")
    running = Cluster(tmp_path / "cluster")
    try:
        course = clone(template, tmp_path / "course")
        command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--scheduler",
                   running.address, "--course", str(course)]
        process = subprocess.Popen(command, env=tool_env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        deadline, victim = time.monotonic() + 300, None
        while victim is None:
            assert process.poll() is None and time.monotonic() < deadline
            victim = _kernel_running_worker(running.processes)
            time.sleep(0.1)
        os.kill(victim, signal.SIGKILL)  # the nanny starts a new worker process
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, out + err
        assert f"Graded {len(CLASS)} submissions" in out
        _complete_once(course)
    finally:
        running.stop()


@pytest.mark.dask
@pytest.mark.slow
def test_a_worker_without_the_sandbox_is_named_and_left_out(template, tmp_path):
    no_bwrap = {"PATH": VENV_BIN}  # python and dask, but no bubblewrap
    running = Cluster(tmp_path / "cluster", workers=({}, no_bwrap))
    try:
        course = clone(template, tmp_path / "course")
        result = run_backprop(["grade", ASSIGNMENT, "--scheduler", running.address,
                               "--require-sandbox"], course=course)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "(1 worker thread)" in result.stdout
        assert "was not used: no sandbox: bubblewrap not found" in result.stdout
        last = json.loads((course / ".backprop" / "last-run.json").read_text())
        assert len(last["workers"]) == 1 and len(last["refused_workers"]) == 1
        _complete_once(course)

        alone = Cluster(tmp_path / "alone", workers=(no_bwrap,))
        try:
            refused = run_backprop(["grade", ASSIGNMENT, "--force", "--scheduler",
                                    alone.address, "--require-sandbox"], course=course)
        finally:
            alone.stop()
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "no worker can run student code in the sandbox" in refused.stderr
        assert "bubblewrap not found" in refused.stderr
    finally:
        running.stop()


def _certificates(folder) -> dict:
    """A CA and a certificate for 127.0.0.1 signed by it (openssl)."""
    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    (folder / "san.cnf").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=backprop test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr",
            "-subj", "/CN=127.0.0.1")
    openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "node.pem", "-days", "2", "-extfile", "san.cnf")
    return {"ca": str(folder / "ca.pem"), "cert": str(folder / "node.pem"),
            "key": str(folder / "node.key")}


@pytest.mark.dask
@pytest.mark.slow
def test_a_tls_scheduler_grades_with_certificates_and_refuses_without(template, tmp_path):
    if not subprocess.run(["which", "openssl"], capture_output=True).returncode == 0:
        pytest.skip("needs openssl to make certificates")
    certs = _certificates(tmp_path)
    running = Cluster(tmp_path / "cluster", workers=({},), tls=certs)
    try:
        course = clone(template, tmp_path / "course")
        assert running.address.startswith("tls://")
        bare = run_backprop(["grade", ASSIGNMENT, "--scheduler", running.address],
                            course=course, timeout=300)
        assert bare.returncode == 2, bare.stdout + bare.stderr
        assert "cannot use the Dask scheduler" in bare.stderr
        assert "needs certificates: --tls-ca-file" in bare.stderr
        result = run_backprop(["grade", ASSIGNMENT, "--scheduler", running.address,
                               "--tls-ca-file", certs["ca"], "--tls-cert", certs["cert"],
                               "--tls-key", certs["key"]], course=course)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "plain TCP" not in result.stderr
        _complete_once(course)
    finally:
        running.stop()


def test_plain_tcp_off_this_machine_is_warned_about():
    assert plain_tcp_warning("tcp://10.1.2.3:8786").startswith("WARNING: the Dask scheduler")
    assert "tls://" in plain_tcp_warning("10.1.2.3:8786")
    for quiet in ("tcp://127.0.0.1:8786", "tcp://localhost:8786", "tcp://[::1]:8786",
                  "tls://10.1.2.3:8786", "ucx://10.1.2.3:8786"):
        assert plain_tcp_warning(quiet) is None, quiet


def _sent_tasks_kept() -> int:
    """How many of the messages that sent tasks to the scheduler are still referenced."""
    import gc

    return sum(1 for kept in gc.get_objects() if isinstance(kept, list)
               for message in kept if isinstance(message, dict)
               and message.get("op") == "update-graph")


@pytest.mark.dask
@pytest.mark.slow
def test_the_coordinator_keeps_no_copy_of_the_tasks_it_sent(cluster):
    """Dask's connections keep their last 1,000 messages for debugging; each of the
    coordinator's holds a submission's files, so its memory grew with the class. The
    pool keeps none while it is open, and leaves Dask's setting as it found it."""
    import dask

    from autograder.grading.dask_pool import DaskPool

    before = dask.config.get("distributed.admin.low-level-log-length")
    pool = DaskPool(cluster)
    try:
        for i in range(20):  # one at a time, as submissions stream: a message each
            files = "x" * 30_000 + str(i)
            assert pool.client.submit(len, files, pure=False).result(timeout=60) == len(files)
        assert len(pool.client.scheduler_comm.recent_message_log) == 0
        assert _sent_tasks_kept() == 0
    finally:
        pool.close()
    assert dask.config.get("distributed.admin.low-level-log-length") == before


def _profiler_running(dask_worker) -> list:
    from autograder.grading.dask_pool import PROFILER_CALLBACKS

    return [dask_worker.periodic_callbacks[name].is_running() for name in PROFILER_CALLBACKS
            if name in dask_worker.periodic_callbacks]


@pytest.mark.dask
@pytest.mark.slow
def test_the_workers_profiler_is_paused_while_a_run_is_open(cluster):
    """Dask's statistical profiler samples every running task's stack and keeps 1,000 s of
    samples on each worker. It is off on every worker while a run is open, and back on
    once the last run open on the cluster has ended."""
    from autograder.grading.dask_pool import DaskPool

    def states(client):
        return list(client.run(_profiler_running).values())

    with distributed.Client(cluster, timeout=10) as client:
        assert states(client) == [[True, True], [True, True]]  # Dask's default
        first = DaskPool(cluster)
        try:
            assert states(client) == [[False, False], [False, False]]
            second = DaskPool(cluster)  # another run, ending before the first
            second.close()
            assert states(client) == [[False, False], [False, False]]
        finally:
            first.close()
        assert states(client) == [[True, True], [True, True]]
