"""Run student notebooks in a sandboxed IPython kernel.

Threat model
------------
Student code is hostile.  It runs in the kernel that nbgrader's Execute
preprocessor (an nbclient ``NotebookClient``) starts, and may try to read the
course's files (``source/``, ``solutions/``, ``gradebook.db``, other students'
submissions), shadow modules the grading code imports (a ``numpy.py`` next to
the notebook), write outside its folder, reach the network, or exhaust the
machine (fork bombs, memory bombs, huge files, endless loops).

``SandboxedKernelManager`` (use it as nbclient's ``kernel_manager_class``)
answers this as follows:

* The kernel's working folder is a fresh private temp folder holding a copy of
  the course's public files (``public_dir``, notebooks excluded) and an empty
  ``exchange/`` folder.  Nothing of the submission folder (the ``cwd`` nbclient
  passes) is copied: the notebook's cells arrive over the kernel protocol.
* On Linux with bubblewrap the kernel sees only a tmpfs root with read-only
  system dirs (/usr and the /bin, /lib... links), a few /etc files, the Python
  environment (``sys.prefix``/``sys.base_prefix``) and ``extra_ro_paths``;
  the work folder is bound read-write at ``/home/student``; /tmp, /proc and
  /dev are private.  No network namespace is shared: even loopback connects
  to the host fail, so the kernel talks to the grader over zmq's ``ipc``
  transport (unix sockets in a folder bound at the same path on both sides).
* As root, RLIMIT_NPROC is not enforced, so the kernel runs as an
  unprivileged uid of its own (a lock file per uid keeps concurrent kernels,
  even of different grader processes, apart).  Measured on Debian 12 /
  bwrap 0.8: bwrap must run as root (so it can bind the pyenv Python under
  /root, mode 700) *without* a user namespace (``--unshare-all`` creates one
  that maps a single uid, and ``setpriv --reuid`` then fails with EINVAL),
  and ``prlimit`` + ``setpriv`` inside drop to the uid and set the limits.
  Parent dirs that bwrap creates are mode 0700, hence ``--perms 0755 --dir``.
  Not root: bwrap's ``--unshare-all`` user namespace, no uid switch; there
  RLIMIT_NPROC counts only the sandbox's processes (measured as uid 65534).
* ``--new-session`` puts the kernel out of reach of the grader's process
  group signals, so interrupts are sent as ``interrupt_request`` messages.
* Without bubblewrap (e.g. macOS) the kernel runs with resource limits only,
  in the private work folder, and a WARNING says students can read the
  grader's files; ``require_sandbox=True`` turns that into an error.

Residual risks: the kernel can still create user namespaces (kernel attack
surface), fill the disk with many files below the size limit, and anything it
writes to ``exchange/`` is untrusted input for the grader.

Reading ``exchange/``: while the kernel runs (e.g. in an nbclient
``on_cell_executed`` hook via ``client.km``) call ``km.read_exchange()``; at
shutdown, right before the temp folder is removed, the manager stores the
files in ``km.exchange_files`` and calls ``km.on_exchange(files)``, which by
default calls the configurable ``exchange_callback(km, files)``.  Both read
regular files only, never following symlinks, within ``exchange_max_bytes``.
"""
from __future__ import annotations

import functools
import glob
import itertools
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import weakref

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import (Bool, Callable, DottedObjectName, Integer, List, Type, Unicode,
                       default)

from .kernel_client import PromptKernelClient
from .kernel_output import CappedOutput

GiB = 2**30
MiB = 2**20
SANDBOX_HOME = "/home/student"  # the work folder as the sandboxed kernel sees it
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
             "/etc/localtime", "/etc/fonts")
PUBLIC_IGNORE = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__")
EXCHANGE_ENV = "AUTOGRADER_EXCHANGE_DIR"
_uid_counter = itertools.count()


class SandboxUnavailableError(RuntimeError):
    """bubblewrap is required (``require_sandbox``) but cannot be used."""


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _default_bwrap() -> str:
    return shutil.which("bwrap") or ""


def _unshare_args(user_namespace: bool) -> list[str]:
    if user_namespace:  # unprivileged bwrap: the user namespace is required anyway
        return ["--unshare-all"]
    # as root: everything but the user namespace (it would break setpriv, see above)
    return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try"]


@functools.lru_cache(maxsize=None)
def _sandbox_problem(bwrap: str) -> str | None:
    """Why the bwrap sandbox can't be used here, or None if it can (probed once)."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap sandboxing needs Linux (this is {sys.platform})"
    if not bwrap or not os.access(bwrap, os.X_OK):
        return f"bubblewrap not found ({bwrap or 'no bwrap on PATH'})"
    if not shutil.which("prlimit"):
        return "prlimit (util-linux) not found"
    if _is_root() and not shutil.which("setpriv"):
        return "setpriv (util-linux) not found"
    cmd = [bwrap, *_unshare_args(not _is_root()), "--die-with-parent", "--new-session",
           "--ro-bind", "/", "/", "--perms", "1777", "--size", "1048576", "--tmpfs", "/tmp",
           "--proc", "/proc", "--dev", "/dev", "--clearenv", "--setenv", "PATH",
           "/usr/bin:/bin", "--", "true"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                             env={"PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.SubprocessError) as e:
        return f"bubblewrap failed to run: {e}"
    if res.returncode != 0:
        return f"bubblewrap does not work here: {res.stderr.strip()[:300]}"
    return None


def sandbox_available(bwrap_path: str | None = None) -> bool:
    """True if kernels can be started inside bubblewrap on this machine."""
    return _sandbox_problem(bwrap_path if bwrap_path is not None else _default_bwrap()) is None


def describe_sandbox(bwrap_path: str | None = None) -> str:
    """One line saying how student kernels will be isolated here."""
    bwrap = bwrap_path if bwrap_path is not None else _default_bwrap()
    problem = _sandbox_problem(bwrap)
    if problem:
        return (f"NO SANDBOX ({problem}): kernels run with resource limits only "
                "and can read the grader's files")
    who = "a per-kernel unprivileged uid" if _is_root() else "the current uid"
    return (f"bubblewrap sandbox ({bwrap}): private filesystem, no network, "
            f"own PID namespace, runs as {who} with resource limits")


def limits_command(*, cpu: int, address_space: int, processes: int,
                   file_size: int, open_files: int, prlimit: str = "prlimit") -> list[str]:
    """``prlimit`` prefix setting soft=hard limits; a value <= 0 means unlimited."""
    cmd = [prlimit, "--core=0"]
    for flag, value in (("cpu", cpu), ("as", address_space), ("nproc", processes),
                        ("fsize", file_size), ("nofile", open_files)):
        if value > 0:
            cmd.append(f"--{flag}={value}")
    return cmd + ["--"]


_RLIMIT_EXEC = """\
import json, os, resource, sys
for name, value in json.loads(sys.argv[1]).items():
    res = getattr(resource, name, None)
    if res is None or value <= 0:
        continue
    try:
        resource.setrlimit(res, (value, value))
    except (ValueError, OSError):
        try:
            resource.setrlimit(res, (value, resource.getrlimit(res)[1]))
        except (ValueError, OSError):
            pass
os.execv(sys.argv[2], sys.argv[2:])
"""


def python_limits_command(*, cpu: int, address_space: int, processes: int,
                          file_size: int, open_files: int,
                          python: str = sys.executable) -> list[str]:
    """Portable prefix (no prlimit needed) that sets the rlimits, then execs the rest."""
    limits = {"RLIMIT_CORE": 0, "RLIMIT_CPU": cpu, "RLIMIT_AS": address_space,
              "RLIMIT_NPROC": processes, "RLIMIT_FSIZE": file_size,
              "RLIMIT_NOFILE": open_files}
    return [python, "-c", _RLIMIT_EXEC, json.dumps(limits)]


def privdrop_command(uid: int, gid: int, setpriv: str = "setpriv") -> list[str]:
    """``setpriv`` prefix dropping root to uid/gid with no capabilities left."""
    return [setpriv, f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]


def _covered(path: str, bound: list[str]) -> bool:
    return any(path == b or path.startswith(b.rstrip("/") + "/") for b in bound)


def bwrap_command(bwrap: str, *, work_host: str, conn_dir: str, env: dict[str, str],
                  work_inside: str = SANDBOX_HOME, ro_paths=(), ro_files=None,
                  tmp_size: int = 256 * MiB, user_namespace: bool = False) -> list[str]:
    """The bwrap prefix (ending in ``--``) for a kernel.

    ``ro_paths`` are bound read-only at the same path, ``ro_files`` maps
    inside path -> host file (read-only), ``conn_dir`` (connection file and ipc
    sockets) is bound read-write at the same path, ``work_host`` read-write at
    ``work_inside``.  bwrap mounts in argument order, so the /tmp tmpfs comes
    before any bind below /tmp.
    """
    cmd = [bwrap, *_unshare_args(user_namespace), "--die-with-parent", "--new-session",
           "--perms", "1777", "--size", str(tmp_size), "--tmpfs", "/tmp",
           "--proc", "/proc", "--dev", "/dev",
           "--perms", "1777", "--size", str(tmp_size), "--tmpfs", "/dev/shm"]
    bound: list[str] = []
    made: set[str] = {"/", "/tmp", "/proc", "/dev", "/dev/shm"}

    def parents(path: str) -> None:  # bwrap would create them mode 0700
        parts = path.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/" + "/".join(parts[:i])
            if d not in made and not _covered(d, bound):
                cmd.extend(["--perms", "0755", "--dir", d])
                made.add(d)

    for d in SYSTEM_DIRS:
        if os.path.islink(d):
            cmd.extend(["--symlink", os.readlink(d), d])
        elif os.path.isdir(d):
            cmd.extend(["--ro-bind", d, d])
            bound.append(d)
    for inside, host in sorted((ro_files or {}).items()):
        parents(inside)
        cmd.extend(["--ro-bind", host, inside])
    for path in sorted({os.path.realpath(p) for p in ro_paths}):
        if os.path.exists(path) and not _covered(path, bound):
            parents(path)
            cmd.extend(["--ro-bind", path, path])
            bound.append(path)
    for host, inside in ((conn_dir, conn_dir), (work_host, work_inside)):
        parents(inside)
        cmd.extend(["--bind", host, inside])
    cmd.extend(["--chdir", work_inside, "--clearenv"])
    for key, value in sorted(env.items()):
        cmd.extend(["--setenv", key, value])
    return cmd + ["--"]


#: Starts ipykernel as ``python -m ipykernel_launcher`` does (the working folder
#: leaves ``sys.path`` until IPython puts it back), without the debugger: nobody
#: debugs a grading kernel, and importing debugpy costs ~0.1 s of CPU per kernel.
KERNEL_BOOT = ("import sys; sys.modules['debugpy'] = None; "
               "sys.path[:] = [p for p in sys.path if p != '']; "
               "from ipykernel import kernelapp; kernelapp.launch_new_instance()")
#: No SQLite history file and no thread saving it (``In``/``Out`` still work).
KERNEL_ARGS = ("--HistoryManager.enabled=False",)


def grader_font_lists() -> list[str]:
    """The grader's own matplotlib font caches (``fontlist-v*.json``), found where
    matplotlib keeps them, without importing it."""
    folder = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")
    found = []
    for path in sorted(glob.glob(os.path.join(folder, "fontlist-v*.json"))):
        try:
            if os.path.isfile(path) and not os.path.islink(path) \
                    and os.path.getsize(path) < 8 * MiB:
                found.append(path)
        except OSError:
            continue
    return found


def kernel_env(*, home: str, tmp: str, exchange_dir: str,
               mpl_dir: str | None = None) -> dict[str, str]:
    """The whole environment of a student kernel: nothing of the grader's."""
    bindir = os.path.dirname(sys.executable)
    return {
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home, "USER": "student", "LOGNAME": "student", "TMPDIR": tmp,
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": mpl_dir or f"{tmp}/matplotlib", "IPYTHONDIR": f"{tmp}/ipython",
        "XDG_CACHE_HOME": f"{tmp}/cache", "JUPYTER_RUNTIME_DIR": f"{tmp}/jupyter",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
        EXCHANGE_ENV: exchange_dir,
    }


def _process_uids() -> list[int]:
    """Owner uid of every process (empty where there is no /proc, e.g. macOS)."""
    uids = []
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if pid.isdigit():
            try:
                uids.append(os.stat(f"/proc/{pid}").st_uid)
            except OSError:
                pass
    return uids


def _uids_in_use() -> set[int]:
    return set(_process_uids())


def allocate_uid(start: int, count: int, lock_dir: str):
    """Pick a uid in [start, start+count) that no process uses and no other kernel
    holds; returns (uid, lock_file).  The flock lasts until lock_file is closed
    (or the grader process dies), so parallel graders never share a uid."""
    import fcntl

    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    busy = _uids_in_use()
    offset = os.getpid() * 7919 + next(_uid_counter)
    for i in range(count):
        uid = start + (offset + i) % count
        if uid in busy:
            continue
        lock = open(os.path.join(lock_dir, f"{uid}.lock"), "a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        return uid, lock
    raise RuntimeError(f"no free sandbox uid in {start}..{start + count - 1}")


def read_tree_safely(root: str, max_bytes: int, max_files: int = 1000) -> dict[str, bytes]:
    """Regular files under root as {relative path: bytes}, never following symlinks
    (a hostile kernel may plant a link to a host file), skipping FIFOs/devices and
    files beyond the byte budget."""
    out: dict[str, bytes] = {}
    budget = [max_bytes]
    dir_flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW

    def walk(dfd: int, prefix: str, depth: int) -> None:
        for name in sorted(os.listdir(dfd)):
            if len(out) >= max_files:
                return
            try:
                st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode) and depth < 16:
                    sub = os.open(name, dir_flags, dir_fd=dfd)
                    try:
                        walk(sub, f"{prefix}{name}/", depth + 1)
                    finally:
                        os.close(sub)
                elif stat.S_ISREG(st.st_mode) and st.st_size <= budget[0]:
                    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dfd)
                    with os.fdopen(fd, "rb") as f:
                        if stat.S_ISREG(os.fstat(fd).st_mode):
                            data = f.read(budget[0] + 1)
                            if len(data) <= budget[0]:
                                out[prefix + name] = data
                                budget[0] -= len(data)
            except OSError:
                continue

    try:
        top = os.open(root, dir_flags)
    except OSError:
        return out
    try:
        walk(top, "", 0)
    finally:
        os.close(top)
    return out


def _remove_sandbox(root: str, lock) -> None:
    shutil.rmtree(root, ignore_errors=True)
    if lock is not None:
        lock.close()


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
    client_class = DottedObjectName("autograder.kernel_client.PromptKernelClient", config=True)
    client_factory = Type(PromptKernelClient, klass=AsyncKernelClient, config=True)

    public_dir = Unicode("", config=True, help="Folder whose non-notebook files "
                         "(e.g. data_prep.py, binary.csv) are copied into each kernel's work folder.")
    extra_ro_paths = List(Unicode(), config=True, help="Extra host paths (e.g. package "
                          "dirs) bound read-only into the sandbox at the same path.")
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
        return _default_bwrap()

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
        self._sandbox_root = None
        self._finalizer = None
        self._output = None

    # -- setup ------------------------------------------------------------
    def _setup_sandbox(self) -> None:
        problem = _sandbox_problem(self.bwrap_path)
        if problem and self.require_sandbox:
            raise SandboxUnavailableError(f"require_sandbox is set but {problem}; "
                                          "refusing to run student code unsandboxed")
        if problem:
            self.log.warning("!!! SANDBOX DISABLED: %s. Student kernels run with resource "
                             "limits only and CAN READ THE GRADER'S FILES. !!!", problem)
        if self.public_dir and not os.path.isdir(self.public_dir):
            raise FileNotFoundError(f"public_dir {self.public_dir!r} is not a folder")
        self.sandboxed = problem is None
        lock = None
        if self.sandboxed and _is_root():
            self.sandbox_uid, lock = allocate_uid(self.uid_range_start, self.uid_range_size,
                                                  self.uid_lock_dir)
        root = tempfile.mkdtemp(prefix="autograder-sbx-")
        self._sandbox_root = root
        self._finalizer = weakref.finalize(self, _remove_sandbox, root, lock)
        try:
            self._fill_sandbox(root)
        except BaseException:
            self._sandbox_root = None
            self._finalizer()
            raise
        self.log.info("Kernel sandbox: %s; work folder %s",
                      describe_sandbox(self.bwrap_path), self.work_dir_host)

    def _fill_sandbox(self, root: str) -> None:
        work = os.path.join(root, "work")
        if self.public_dir:
            shutil.copytree(self.public_dir, work, ignore=PUBLIC_IGNORE)
        os.makedirs(os.path.join(work, "exchange"), exist_ok=True)
        for sub in ("run", "etc", "tmp"):
            os.mkdir(os.path.join(root, sub), 0o700)
        # matplotlib's config folder, seeded with the grader's font cache: a
        # student's first plot would otherwise scan every font (~0.15 s a kernel).
        mpl = self.mpl_dir = os.path.join(root, "run", "matplotlib")
        os.mkdir(mpl, 0o700)
        for path in grader_font_lists():
            try:
                shutil.copyfile(path, os.path.join(mpl, os.path.basename(path)))
            except OSError:
                pass
        self.work_dir_host = work
        self.exchange_dir_host = os.path.join(work, "exchange")
        self.work_dir_inside = SANDBOX_HOME if self.sandboxed else work
        self.exchange_dir_inside = os.path.join(self.work_dir_inside, "exchange")
        if self.sandbox_uid is not None:
            uid = self.sandbox_uid
            with open(os.path.join(root, "etc", "passwd"), "w") as f:
                f.write(f"student:x:{uid}:{uid}:student:{SANDBOX_HOME}:/bin/sh\n")
            with open(os.path.join(root, "etc", "group"), "w") as f:
                f.write(f"student:x:{uid}:\n")
            os.chmod(os.path.join(root, "etc"), 0o755)
            for dirpath, dirnames, filenames in os.walk(work):
                for name in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
                    os.lchown(name, uid, uid)
            for path in (os.path.join(root, "run"), mpl,
                         *(os.path.join(mpl, n) for n in os.listdir(mpl))):
                os.lchown(path, uid, uid)

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
            mine = _process_uids().count(os.getuid()) if hasattr(os, "getuid") else 0
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
        return (bwrap_command(self.bwrap_path, work_host=self.work_dir_host,
                              conn_dir=os.path.join(self._sandbox_root, "run"),
                              env=self._kernel_env(), ro_paths=ro_paths, ro_files=ro_files,
                              tmp_size=self.tmp_size, user_namespace=not _is_root())
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
        return read_tree_safely(self.exchange_dir_host, self.exchange_max_bytes)

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
            self._sandbox_root = None
            self._finalizer()  # removes the folder, releases the uid lock

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        if not restart and self.has_kernel and await self._async_is_alive():
            await self._async_kill_kernel()  # nothing may still write into the folder
        await super()._async_cleanup_resources(restart=restart)
        self._close_output()
        if not restart:
            self._teardown_sandbox()

    async def cleanup_resources(self, restart: bool = False) -> None:
        await self._async_cleanup_resources(restart=restart)
