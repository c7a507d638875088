"""The kernel manager that runs a student's kernel in the sandbox.

See the package's docstring (:mod:`autograder.sandbox`) for the threat model.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import weakref

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import (
    Bool,
    Callable,
    DottedObjectName,
    Float,
    Integer,
    List,
    Type,
    Unicode,
    default,
)

from ..constants import PACKAGE_DIR
from ..i18n import _
from ..safe_files import read_tree
from .commands import (
    ETC_FILES,
    KERNEL_ARGS,
    KERNEL_BOOT,
    SANDBOX_HOME,
    bwrap_command,
    kernel_env,
    limits_command,
    privdrop_command,
    python_limits_command,
)
from .cpu_share import CpuShare, cpu_share_problem, join_command, usable_hierarchy
from .host_folder import PUBLIC_IGNORE, make_folder, remove_folder
from .kernel_client import PromptKernelClient
from .kernel_output import CappedOutput
from .probe import (
    SandboxUnavailableError,
    default_bwrap,
    describe_sandbox,
    is_root,
    probe_sandbox,
    problem_text,
)
from .uids import allocate_uid, process_uids

GiB = 2**30
MiB = 2**20
__all__ = ["PUBLIC_IGNORE", "SandboxedKernelManager"]


class SandboxedKernelManager(AsyncKernelManager):
    """AsyncKernelManager whose kernel runs sandboxed in a private work folder.

    Use with nbclient/nbgrader as ``kernel_manager_class``.  Attributes set at
    start: ``work_dir_host``/``work_dir_inside``, ``exchange_dir_host``/
    ``exchange_dir_inside`` (also in the kernel's ``$AUTOGRADER_EXCHANGE_DIR``),
    ``sandboxed`` (bwrap in use) and ``sandbox_uid`` (None if not switched).
    ``read_exchange()`` reads exchange/ while the temp folder exists; at
    cleanup ``exchange_files`` is filled and ``on_exchange()`` is called just
    before the folder is removed (see the module docstring).
    """

    # The client returns from ``wait_for_ready`` without waiting for IOPub to fall silent.
    client_class = DottedObjectName("autograder.sandbox.kernel_client.PromptKernelClient",
                                    config=True)
    client_factory = Type(PromptKernelClient, klass=AsyncKernelClient, config=True)

    public_dir = Unicode("", config=True, help="Folder whose non-notebook files "
                         "(e.g. data_prep.py, binary.csv) are copied into each kernel's work folder.")
    extra_ro_paths = List(Unicode(), config=True, help="Extra host paths bound read-only "
                          "into the sandbox at the same path.")
    package_dir = Unicode(str(PACKAGE_DIR), config=True, help="The course package: the "
                          "kernel sees at its path only the modules the notebook imports "
                          "while it is graded (autograder.sandbox.student_package), never "
                          "the oracle or the checks. Empty: none of it.")
    cpu_share = Float(1.0, config=True, help="CPUs a kernel and every process it starts may "
                      "use together, as a cgroup CPU quota of its own, where the machine "
                      "allows it (see autograder.sandbox.cpu_share); 0: no cgroup.")
    bwrap_path = Unicode(config=True, help="bubblewrap executable; a missing path "
                         "disables the sandbox (fallback, or an error with require_sandbox).")
    require_sandbox = Bool(False, config=True, help="Refuse to start a kernel "
                           "without the bubblewrap sandbox instead of falling back.")
    cpu_time_limit = Integer(600, config=True, help="RLIMIT_CPU: CPU seconds per "
                             "kernel process (0 = unlimited).")
    memory_limit = Integer(3 * GiB, config=True, help="RLIMIT_AS: address space in "
                           "bytes per process (0 = unlimited).")
    max_processes = Integer(64, config=True, help="RLIMIT_NPROC: processes+threads of "
                            "the kernel's uid (not enforced if the kernel runs as root).")
    max_file_size = Integer(64 * MiB, config=True, help="RLIMIT_FSIZE: largest file "
                            "the kernel may write, in bytes (0 = unlimited).")
    max_open_files = Integer(1024, config=True, help="RLIMIT_NOFILE: open files per process.")
    tmp_size = Integer(256 * MiB, config=True, help="Size of the sandbox's private /tmp tmpfs.")
    uid_range_start = Integer(900000, config=True, help="First uid for kernels when the "
                              "grader runs as root; each running kernel gets its own uid.")
    uid_range_size = Integer(1000, config=True, help="Number of uids from uid_range_start.")
    uid_lock_dir = Unicode(config=True, help="Folder of per-uid lock files shared by graders.")
    exchange_max_bytes = Integer(16 * MiB, config=True, help="Most bytes read from exchange/.")
    exchange_callback = Callable(None, allow_none=True, config=True, help="Called as "
                                 "callback(manager, files) with exchange/'s files before cleanup.")
    kernel_output_max_bytes = Integer(64 * 1024, config=True, help="Bytes kept (for the "
                                      "log) of what the kernel process writes to its own "
                                      "stdout/stderr; the rest is dropped, never passed on.")

    @default("bwrap_path")
    def _bwrap_path_default(self) -> str:
        return default_bwrap()

    @default("uid_lock_dir")
    def _uid_lock_dir_default(self) -> str:
        return os.path.join(tempfile.gettempdir(), "autograder-sandbox-uids")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.work_dir_host = self.work_dir_inside = None
        self.exchange_dir_host = self.exchange_dir_inside = None
        self.mpl_dir = None  # the same path inside and outside the sandbox
        self.sandboxed = False
        self.sandbox_uid = None
        self.exchange_files: dict[str, bytes] = {}
        self.kernel_output = b""
        self.cpu_group = None  # the kernel's CpuShare, if it has one
        self._package = None
        self._sandbox_root = None
        self._finalizer = None
        self._output = None

    # -- setup ------------------------------------------------------------
    def _setup_sandbox(self) -> None:
        problem = probe_sandbox(self.bwrap_path)
        if problem and self.require_sandbox:
            raise SandboxUnavailableError(problem)
        if problem:
            self.log.warning("!!! SANDBOX DISABLED: %s. Student kernels run with resource "
                             "limits only and CAN READ THE GRADER'S FILES. !!!",
                             problem_text(problem))
        if self.public_dir and not os.path.isdir(self.public_dir):
            raise FileNotFoundError(_("public_dir {folder!r} is not a folder").format(
                folder=self.public_dir))
        self.sandboxed = problem is None
        lock = None
        if self.sandboxed and is_root():
            self.sandbox_uid, lock = allocate_uid(self.uid_range_start, self.uid_range_size,
                                                  self.uid_lock_dir)
        try:
            folder = make_folder(public_dir=self.public_dir, uid=self.sandbox_uid,
                                 package_dir=self.package_dir if self.sandboxed else None)
        except BaseException:
            if lock is not None:
                lock.close()
            raise
        share = self._make_cpu_group(os.path.basename(folder.root))
        self._sandbox_root, self.cpu_group, self._package = folder.root, share, folder.package
        self._finalizer = weakref.finalize(self, remove_folder, folder.root, lock, share,
                                           self.log)
        self.mpl_dir, self.work_dir_host = folder.mpl, folder.work
        self.exchange_dir_host = os.path.join(folder.work, "exchange")
        self.work_dir_inside = SANDBOX_HOME if self.sandboxed else folder.work
        self.exchange_dir_inside = os.path.join(self.work_dir_inside, "exchange")
        self.log.info("Kernel sandbox: %s; %s; work folder %s",
                      describe_sandbox(self.bwrap_path), self._describe_cpu(), self.work_dir_host)

    def _describe_cpu(self) -> str:
        if self.cpu_group is not None:
            return f"a CPU share of {self.cpu_share:g} CPU (cgroup)"
        if not self.sandboxed:
            return "no CPU share (no sandbox)"
        if self.cpu_share <= 0:
            return "no CPU share (cpu_share is 0)"
        return f"no CPU share ({cpu_share_problem() or 'its cgroup could not be made'})"

    def _make_cpu_group(self, name: str) -> CpuShare | None:
        hierarchy = usable_hierarchy() if self.sandboxed and self.cpu_share > 0 else None
        if hierarchy is None:
            return None
        try:
            return CpuShare.create(name, self.cpu_share, hierarchy)
        except OSError as exc:
            self.log.warning("No CPU share for this kernel: %s", exc)
            return None

    def _kernel_env(self) -> dict[str, str]:
        tmp = "/tmp" if self.sandboxed else os.path.join(self._sandbox_root, "tmp")
        return kernel_env(home=self.work_dir_inside, tmp=tmp,
                          exchange_dir=self.exchange_dir_inside,
                          mpl_dir=self.mpl_dir)

    async def _async_pre_start_kernel(self, **kw):
        kw.pop("cwd", None)  # the submission folder: never the kernel's cwd
        kw.pop("env", None)  # the grader's environment: never the kernel's
        if self._sandbox_root is None:
            self._setup_sandbox()
        run = os.path.join(self._sandbox_root, "run")
        self.connection_file = os.path.join(run, "kernel.json")
        if self.sandboxed:
            # TCP ports can't be reached across the network namespace.
            self.transport = "ipc"
            self.ip = os.path.join(run, "ipc")
            self.cache_ports = False
            if self.kernel_spec is not None:  # bwrap --new-session: no signals from us
                self.kernel_spec.interrupt_mode = "message"
        return await super()._async_pre_start_kernel(**kw)

    async def pre_start_kernel(self, **kw):
        return await self._async_pre_start_kernel(**kw)

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if self.sandbox_uid is not None and os.path.exists(self.connection_file):
            os.chown(self.connection_file, self.sandbox_uid, self.sandbox_uid)

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        kernel = [sys.executable, "-c", KERNEL_BOOT,
                  "-f", os.path.realpath(self.connection_file), *KERNEL_ARGS,
                  *(extra_arguments or [])]
        limits = dict(cpu=self.cpu_time_limit, address_space=self.memory_limit,
                      processes=self.max_processes, file_size=self.max_file_size,
                      open_files=self.max_open_files)
        if not self.sandboxed:
            # Without a user namespace RLIMIT_NPROC counts every process of our uid
            # (ignored for root): allow max_processes more than already run.
            mine = process_uids().count(os.getuid()) if hasattr(os, "getuid") else 0
            if limits["processes"] > 0:
                limits["processes"] = limits["processes"] + mine if mine else 0
            return python_limits_command(**limits) + kernel
        ro_paths = [sys.prefix, sys.base_prefix, sys.exec_prefix,
                    os.path.dirname(os.path.realpath(sys.executable)), *self.extra_ro_paths]
        ro_files = {p: p for p in ETC_FILES if os.path.exists(p)}
        prefix = []
        if self.sandbox_uid is not None:
            for name in ("passwd", "group"):
                ro_files[f"/etc/{name}"] = os.path.join(self._sandbox_root, "etc", name)
            prefix = privdrop_command(self.sandbox_uid, self.sandbox_uid, shutil.which("setpriv"))
        overlays = {os.path.realpath(self.package_dir): self._package} if self._package else {}
        return (join_command(self.cpu_group)
                + bwrap_command(self.bwrap_path, work_host=self.work_dir_host,
                                conn_dir=os.path.join(self._sandbox_root, "run"),
                                env=self._kernel_env(), ro_paths=ro_paths, ro_files=ro_files,
                                overlays=overlays, tmp_size=self.tmp_size,
                                user_namespace=not is_root())
                + limits_command(**limits, prlimit=shutil.which("prlimit")) + prefix + kernel)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        kw["env"] = self._kernel_env() if not self.sandboxed else {"PATH": "/usr/bin:/bin"}
        kw["cwd"] = self.work_dir_host
        # Never the grader's stdout/stderr: a capped pipe (see autograder.kernel_output).
        self._close_output()
        output = self._output = CappedOutput(self.kernel_output_max_bytes)
        kw["stdout"] = kw["stderr"] = output.write_fd
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        except BaseException:
            self._close_output()
            self._teardown_sandbox()
            raise
        output.release_writer()

    async def _launch_kernel(self, kernel_cmd, **kw):
        return await self._async_launch_kernel(kernel_cmd, **kw)

    # -- exchange & cleanup -----------------------------------------------
    def read_exchange(self) -> dict[str, bytes]:
        """exchange/'s regular files now ({relative path: bytes}); {} once removed."""
        if not self.exchange_dir_host or not os.path.isdir(self.exchange_dir_host):
            return {}
        return read_tree(self.exchange_dir_host, self.exchange_max_bytes)

    def on_exchange(self, files: dict[str, bytes]) -> None:
        """Hook run at cleanup, before the work folder is removed."""
        if self.exchange_callback is not None:
            self.exchange_callback(self, files)

    def _close_output(self) -> None:
        """Keep (capped) and log what the kernel process wrote to its stdout/stderr."""
        output, self._output = self._output, None
        if output is None:
            return
        self.kernel_output, total = output.close()
        if total:
            self.log.debug("Kernel process output (%d bytes): %s", total,
                           self.kernel_output.decode("utf-8", "replace"))
        if output.dropped:
            self.log.warning("The kernel process wrote %d bytes to its own stdout/stderr; "
                             "%d were dropped", total, output.dropped)

    def _teardown_sandbox(self) -> None:
        if self._sandbox_root is None:
            return
        try:
            self.exchange_files = self.read_exchange()
            self.on_exchange(self.exchange_files)
        finally:
            self._sandbox_root = self.cpu_group = self._package = None
            self._finalizer()  # stops the CPU group, removes the folder, frees the uid

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        if not restart and self.has_kernel and await self._async_is_alive():
            await self._async_kill_kernel()  # nothing may still write into the folder
        await super()._async_cleanup_resources(restart=restart)
        self._close_output()
        if not restart:
            self._teardown_sandbox()

    async def cleanup_resources(self, restart: bool = False) -> None:
        await self._async_cleanup_resources(restart=restart)
