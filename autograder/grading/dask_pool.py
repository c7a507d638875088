"""Grading on a Dask cluster: ``backprop grade --scheduler ADDRESS``.

The kit and the plan are scattered to every worker once (``broadcast``); a
task carries one submission's files and names them. A worker killed in the
middle of a task has it run again elsewhere by the scheduler; the coordinator
takes one result per submission, so a grade is neither lost nor written twice.

A scheduler runs whatever its clients send on every worker, so its address is
as powerful as a shell on every worker: use ``tls://`` with certificates
(``--tls-ca-file``, ``--tls-cert``, ``--tls-key``, or Dask's own
``distributed.comm.tls`` configuration). Plain ``tcp://`` to anything but
this machine is warned about (see SECURITY.md).

With ``--require-sandbox`` every worker is asked first whether bubblewrap works
there; one that cannot is left out (and named), and a worker that joins later
refuses its tasks the same way, which are then sent to the others.
"""

from __future__ import annotations

import ipaddress
import logging
import queue
import socket
import uuid
from urllib.parse import urlsplit

from ..i18n import _, ngettext
from .shared import DaskPlan

log = logging.getLogger(__name__)

#: How often a task refused by a worker without the sandbox is sent again.
MAX_REFUSALS = 3
#: Dask's setting for how many recent messages each connection keeps a copy of, for
#: debugging; 0 while the pool is open. With Dask's default (1,000) the client kept the
#: last 1,000 messages it sent the scheduler, each holding a submission's files: the
#: coordinator's memory grew with the class up to about 1,000 submissions' worth.
MESSAGE_LOG = {"distributed.admin.low-level-log-length": 0}
#: The periodic callbacks of a Dask worker's statistical profiler, paused on every worker
#: while a run is open. It samples the stack of each running task 100 times a second and
#: keeps the last 1,000 seconds of samples: on 1,000 replayed submissions
#: (``benchmarks/scale.py``) each worker grew to 515 MiB with it and stayed under 240 MiB
#: without, and the run took 228 ms a submission against 186.
PROFILER_CALLBACKS = ("profile", "profile-cycle")


def pause_profiler(dask_worker) -> bool:
    """Run on a worker's event loop (``Client.run``): stop its statistical profiler
    until the last open run resumes it; whether this call stopped it."""
    state = dask_worker.__dict__.setdefault("_backprop_profiler", {"runs": 0, "stopped": []})
    state["runs"] += 1
    if state["runs"] > 1:
        return False
    for name in PROFILER_CALLBACKS:
        callback = dask_worker.periodic_callbacks.get(name)
        if callback is not None and callback.is_running():
            callback.stop()
            state["stopped"].append(name)
    return bool(state["stopped"])


def resume_profiler(dask_worker) -> bool:
    """Run on a worker's event loop: the end of one run; the last one to end starts
    again what :func:`pause_profiler` stopped. Whether it did."""
    state = getattr(dask_worker, "_backprop_profiler", None)
    if not state or state["runs"] == 0:
        return False
    state["runs"] -= 1
    if state["runs"]:
        return False
    stopped, state["stopped"] = state["stopped"], []
    for name in stopped:
        callback = dask_worker.periodic_callbacks.get(name)
        if callback is not None:
            callback.start()
    return bool(stopped)


def plain_tcp_warning(address: str) -> str | None:
    """The warning for a scheduler reached without encryption off this machine."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", ""):
        return None
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            loopback = all(ipaddress.ip_address(info[4][0]).is_loopback
                           for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            loopback = False
    if loopback:
        return None
    return _("WARNING: the Dask scheduler {address} is reached over plain TCP: anyone who "
             "can reach it can run code on every worker, and grades and notebooks travel "
             "unencrypted. Use a tls:// address with certificates (see SECURITY.md).").format(
                 address=address)


def security_from(tls_ca_file=None, tls_cert=None, tls_key=None):
    """A ``distributed.security.Security`` from the CLI options; ``None`` leaves
    it to Dask's configuration."""
    if not (tls_ca_file or tls_cert or tls_key):
        return None
    from distributed.security import Security

    return Security(tls_ca_file=tls_ca_file, tls_client_cert=tls_cert,
                    tls_client_key=tls_key, require_encryption=True)


def needs_certificates(address: str, security) -> str | None:
    """Why a ``tls://`` scheduler cannot be reached as configured, or None."""
    if not address.startswith("tls://") or security is not None:
        return None
    from distributed.security import Security

    configured = Security()  # Dask's distributed.comm.tls configuration
    if configured.tls_ca_file and configured.tls_client_cert:
        return None
    return _("a tls:// scheduler needs certificates: --tls-ca-file, --tls-cert and --tls-key "
             "(or Dask's distributed.comm.tls configuration)")


def sandbox_status():
    """Run on a worker: why bubblewrap cannot be used there, or None, as
    :func:`~autograder.sandbox.probe.probe_sandbox` says it (plain data: the
    coordinator says it in its own language, :func:`refusal`)."""
    from ..sandbox.probe import default_bwrap, probe_sandbox

    return probe_sandbox(default_bwrap())


def refusal(problem) -> str:
    """Why a worker is left out, in the current language."""
    from ..sandbox.probe import problem_text

    return _("no sandbox: {problem}").format(problem=problem_text(problem))


class DaskPool:
    """Tasks sent to a Dask distributed scheduler."""

    def __init__(self, address, *, security=None, require_sandbox=False, connect_timeout=10,
                 workers_timeout=60):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - an optional dependency
            raise RuntimeError(_("--scheduler needs dask[distributed] (pip install "
                                 "'backprop-course[scale]')")) from exc
        problem = needs_certificates(address, security)
        if problem:
            raise ValueError(problem)
        import dask

        kwargs = {"security": security} if security is not None else {}
        # also for a connection made again during the run; restored by close()
        self._message_log = dask.config.set(MESSAGE_LOG)
        try:
            self.client = Client(address, timeout=connect_timeout, set_as_default=False,
                                 **kwargs)
        except BaseException:
            self._restore_message_log()
            raise
        try:
            self.client.wait_for_workers(1, timeout=workers_timeout)
        except BaseException:
            self._close_client()
            raise
        self.refusing = {}
        if require_sandbox:
            self.refusing = {worker: refusal(problem) for worker, problem
                             in self.client.run(sandbox_status).items() if problem}
        threads = {w: n for w, n in self.client.nthreads().items() if w not in self.refusing}
        if not threads:
            self._close_client()
            raise RuntimeError(_("no worker can run student code in the sandbox: "
                                 "{workers}").format(workers="; ".join(
                                     f"{w}: {why}" for w, why in sorted(self.refusing.items()))))
        self._profiler_paused = False
        try:
            self.client.run(pause_profiler)
            self._profiler_paused = True
        except Exception as exc:  # noqa: BLE001 - it only costs the workers memory and time
            log.warning("Could not pause the workers' profiler: %s", exc)
        self.capacity = max(1, sum(threads.values()))
        self.description = ngettext("Dask cluster {address} ({n} worker thread)",
                                    "Dask cluster {address} ({n} worker threads)",
                                    self.capacity).format(address=address, n=self.capacity)
        self.done = queue.Queue()
        self._futures, self._tasks = {}, {}
        self._warm_up(threads)
        self._token = uuid.uuid4().hex[:12]
        self.kit = self.kit_future = self.plan = None
        self.plan_name = f"backprop-plan-{self._token}"

    def _warm_up(self, workers) -> None:
        """Import what a task needs on every worker now, while the coordinator
        loads nbgrader (the kit cannot be unpickled without those modules)."""
        from .worker import warm_up

        self._warm = [self.client.submit(warm_up, pure=False, workers=[address],
                                         key=f"backprop-warm-up-{uuid.uuid4().hex[:8]}-{address}")
                      for address in workers]

    def start(self, kit, *, prestart=True) -> None:
        # A worker unpickles the kit in its event loop: let its imports finish
        # first (two threads importing the same modules can deadlock).
        for future in self._warm:
            try:
                future.result(timeout=120)
            except Exception as exc:  # noqa: BLE001 - the task will say what is wrong
                log.warning("A worker could not import the grader: %s", exc)
        self.kit = kit
        self.kit_future = self.client.scatter(kit, broadcast=True, hash=False)

    def publish_plan(self, plan) -> None:
        from distributed import Variable

        future = self.client.scatter(plan, broadcast=True, hash=False)
        Variable(self.plan_name, client=self.client).set(future)
        self.plan = future

    def _allowed(self):
        if not self.refusing:
            return None
        return [w for w in self.client.scheduler_info()["workers"] if w not in self.refusing]

    def submit(self, tag, task) -> None:
        from .worker import grade_task

        attempts = self._tasks.get(tag, (None, 0))[1] + 1
        self._tasks[tag] = (task, attempts)
        plan = self.plan if self.plan is not None else DaskPlan(self.plan_name)
        future = self.client.submit(grade_task, task, self.kit_future, plan, pure=False,
                                    key=f"backprop-grade-{self._token}-{attempts}-{tag}",
                                    workers=self._allowed(), allow_other_workers=False)
        self._futures[tag] = future
        future.add_done_callback(lambda f, tag=tag: self._on_done(tag, f))

    def _on_done(self, tag, future):
        try:
            result, error = future.result(), None
        except BaseException as exc:  # noqa: BLE001 - the remote task's exception
            result, error = None, exc
        self.done.put((tag, future, result, error))

    def resolve(self, tag, future, result, error):
        from .worker import SandboxRefused

        if self._futures.get(tag) is not future:
            return None
        self._futures.pop(tag).release()
        task, attempts = self._tasks.pop(tag)
        if isinstance(error, SandboxRefused):
            self.refusing[error.worker] = refusal(error.problem)
            log.warning("%s", error)
            if attempts < MAX_REFUSALS and self._allowed():
                self._tasks[tag] = (task, attempts)
                self.submit(tag, task)
                return None
        return result, error

    def close(self, *, kill=False) -> None:
        from .worker import retire

        for future in list(self._futures.values()) + self._warm:
            future.cancel()
        if self._profiler_paused:
            self._profiler_paused = False
            try:
                self.client.run(resume_profiler)
            except Exception as exc:  # noqa: BLE001 - the cluster may be gone already
                log.warning("Could not resume the workers' profiler: %s", exc)
        if self.kit is not None:
            try:
                self.client.run(retire, self.kit.token)
            except Exception as exc:  # noqa: BLE001 - the cluster may be gone already
                log.warning("Could not retire the run on the workers: %s", exc)
            try:
                from distributed import Variable

                Variable(self.plan_name, client=self.client).delete()
            except Exception:  # noqa: BLE001 - never set
                pass
        self._close_client()

    def _close_client(self) -> None:
        try:
            self.client.close()
        finally:
            self._restore_message_log()

    def _restore_message_log(self) -> None:
        if self._message_log is not None:
            self._message_log.__exit__(None, None, None)
            self._message_log = None
