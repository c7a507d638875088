"""A worker's side of one run: the course as the worker sees it, set up once.

A :class:`WorkerSession` is made from a run's
:class:`~autograder.grading.kit.CourseKit` the first time one of its tasks
reaches a worker: a private course folder (the release and source files, the
gradebook replica), the run's nbgrader configuration with this machine's
paths, and per worker thread an nbgrader converter with its own replica and
its warm kernels (:mod:`.warm_kernels`). Every later task of the run reuses
it; the plan is loaded once, when the first verdict needs it.

The sessions of a worker process live on the process itself: on the
``distributed.Worker`` object in a Dask worker (where several runs may come
and go, each retired at its end), on the process object in a local worker
(which serves one run). Nothing of a session is a module global.
"""

from __future__ import annotations

import copy
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

from ..constants import PACKAGE_DIR
from ..sandbox.leftovers import sweep
from .kernel_usage import KernelUsage, measuring
from .warm_kernels import WarmKernels, with_warm_kernels

#: Runs a Dask worker keeps set up at once (older ones are retired).
KEEP_SESSIONS = 2


def _scratch_dir():
    """Memory-backed scratch space where there is some: nbgrader commits each grade
    to the replica separately, and on a disk every commit waits for a sync."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return None


def _write_files(files: dict, folder: Path) -> None:
    from .tasks import write_public_files

    folder.mkdir(parents=True, exist_ok=True)
    write_public_files(files, str(folder))


def _replica_converter_class():
    from .converter import StudentAutograde
    from .replica import mark_untouched

    class ReplicaAutograde(StudentAutograde):
        """The converter, marking the rows nbgrader's later steps may write."""

        replica_path = ""

        def after_init(self, student) -> None:
            mark_untouched(self.replica_path, student)

    return ReplicaAutograde


def local_page_templates(cfg) -> None:
    """Template folders of the feedback page that are not on this machine (the
    coordinator's install of nbgrader or of this package lies elsewhere) become
    this machine's, as the course's setup names them."""
    from ..pipeline.setup import page_templates

    here = page_templates()
    for section, key in here:
        configured = cfg[section].get(key)
        if configured is None or not all(os.path.isdir(p) for p in configured):
            cfg[section][key] = here[section, key]


class ThreadState:
    """One worker thread's converter, gradebook replica and warm kernels."""

    def __init__(self, session, index):
        from nbgrader.coursedir import CourseDirectory

        from ..pipeline.cell_metadata import remembering_cells
        from .converter import split_pipeline

        self.session = session
        self.db_path = session.root / f"gradebook-{index}.db"
        config = session.config
        coursedir = CourseDirectory(config=config)
        coursedir.db_url = f"sqlite:///{self.db_path}"
        self.converter = _replica_converter_class()(coursedir=coursedir, config=config)
        self.converter.replica_path = str(self.db_path)
        self.converter.log = session.log
        execute_class, pipeline = split_pipeline(self.converter.autograde_preprocessors)
        self.converter.setup_pipeline(pipeline)
        self._cells = ExitStack()
        self._cells.enter_context(remembering_cells(self.converter))
        self.usage = KernelUsage()
        probe = execute_class(config=config)
        self.kernel_manager = measuring(probe.kernel_manager, self.usage)
        self.kernel_name = session.kernel_name
        self.extra_arguments = list(probe.extra_arguments)
        self.warm = WarmKernels()
        self.prestart = True
        self.execute_class = with_warm_kernels(execute_class, self.warm,
                                               start_next=self.start_next_kernel)
        self._feedback = None

    def feedback_converter(self):
        """nbgrader's ``generate_feedback`` converter, reading this thread's replica,
        set up once as its ``start()`` sets it up (writer, exporter, preprocessors)."""
        if self._feedback is None:
            from nbconvert.writers import FilesWriter
            from nbgrader.converters import GenerateFeedback

            converter = GenerateFeedback(coursedir=self.converter.coursedir,
                                         config=copy.deepcopy(self.session.config))
            converter.log = self.session.log
            converter.writer = FilesWriter(parent=converter, config=converter.config)
            converter.exporter = converter.exporter_class(parent=converter,
                                                          config=converter.config)
            for step in converter.preprocessors:
                converter.exporter.register_preprocessor(step)
            self._feedback = converter
        return self._feedback

    def start_next_kernel(self) -> None:
        """Start the kernel of this thread's next submission (if one is expected)."""
        if self.prestart and not len(self.warm) and self.session.sandboxed_kernels:
            self.warm.start(self.kernel_manager, kernel_name=self.kernel_name,
                            config=self.session.config, extra_arguments=self.extra_arguments)

    def reset(self) -> None:
        """A fresh replica for the next student."""
        shutil.copyfile(self.session.template, self.db_path)

    def close(self) -> None:
        self.warm.close()
        self._cells.close()


class WorkerSession:
    """One run, set up on one worker (see the module docstring)."""

    def __init__(self, kit):
        import warnings

        from sqlalchemy.exc import SAWarning

        # nbgrader's add_submission warns about its own ORM use on every new
        # submission ("... not in session"): harmless, and once per student here.
        warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader.api")
        self.kit, self.token = kit, kit.token
        self.log = logging.getLogger("backprop.worker")
        sweep(log=self.log)  # sandboxes left on this machine by a grader that died
        self.root = Path(tempfile.mkdtemp(prefix="backprop-worker-", dir=_scratch_dir()))
        self.assignment = kit.assignment
        self.release_dir = self.root / "release" / kit.assignment
        _write_files(kit.release, self.release_dir)
        _write_files(kit.source, self.root / "source" / kit.assignment)
        self.template = self.root / "gradebook-template.db"
        self.template.write_bytes(kit.gradebook)
        self.config = self._local_config(kit.config)
        self.kernel_name = self._kernel_name()
        self.sandboxed_kernels = self._uses_sandboxed_kernels()
        self._threads, self._lock = {}, threading.Lock()
        self._plan = None

    def _local_config(self, config):
        from traitlets.config import Config

        cfg = Config(copy.deepcopy(config))
        cfg.CourseDirectory.root = str(self.root)
        cfg.CourseDirectory.assignment_id = self.assignment
        cfg.CourseDirectory.db_url = f"sqlite:///{self.template}"
        public = str(self.release_dir)
        cfg.BackpropGrader.public_dir = public
        cfg.BackpropGrader.solutions_dir = ""
        cfg.BackpropGrader.cache_dir = ""
        cfg.SandboxedKernelManager.public_dir = public
        cfg.SandboxedKernelManager.extra_ro_paths = [
            p for p in cfg.SandboxedKernelManager.get("extra_ro_paths", []) if os.path.exists(p)]
        if cfg.SandboxedKernelManager.get("package_dir", None) != "":
            # This machine's copy of the package (the kernel sees its student side only).
            cfg.SandboxedKernelManager.package_dir = str(PACKAGE_DIR)
        if self.kit.require_sandbox:
            cfg.SandboxedKernelManager.require_sandbox = True
        if self.kit.feedback:
            local_page_templates(cfg)
        return cfg

    def _kernel_name(self) -> str:
        import json

        import sqlalchemy

        engine = sqlalchemy.create_engine(f"sqlite:///{self.template}", future=True)
        try:
            with engine.connect() as db:
                found = db.execute(sqlalchemy.text("SELECT kernelspec FROM notebook")).scalars()
                for text in found:
                    try:
                        name = json.loads(text or "{}").get("name")
                    except (ValueError, AttributeError):
                        name = None
                    if name:
                        return name
        finally:
            engine.dispose()
        return "python3"

    def _uses_sandboxed_kernels(self) -> bool:
        from ..sandbox.kernel_manager import SandboxedKernelManager
        from .converter import split_pipeline

        execute_class, _ = split_pipeline(self.config.Autograde.autograde_preprocessors)
        return issubclass(execute_class(config=self.config).kernel_manager,
                          SandboxedKernelManager)

    def thread(self) -> ThreadState:
        """This thread's state, made on first use."""
        ident = threading.get_ident()
        with self._lock:
            state = self._threads.get(ident)
            if state is None:
                state = self._threads[ident] = ThreadState(self, len(self._threads))
            return state

    def plan(self, source, timeout):
        """The run's plan (loaded once; see :mod:`.shared`)."""
        with self._lock:
            if self._plan is None:
                self._plan = source.get(timeout) if hasattr(source, "get") else source
            return self._plan

    def close(self) -> None:
        with self._lock:
            states, self._threads = list(self._threads.values()), {}
        for state in states:
            state.close()
        shutil.rmtree(self.root, ignore_errors=True)


class Sessions:
    """The sessions a worker process holds, by kit token."""

    def __init__(self):
        self._sessions, self._lock = {}, threading.Lock()

    def get(self, kit) -> WorkerSession:
        with self._lock:
            session = self._sessions.get(kit.token)
            if session is None:
                session = self._sessions[kit.token] = WorkerSession(kit)
                while len(self._sessions) > KEEP_SESSIONS:  # a run that never retired
                    self._sessions.pop(next(iter(self._sessions))).close()
            return session

    def retire(self, token) -> bool:
        with self._lock:
            session = self._sessions.pop(token, None)
        if session is not None:
            session.close()
        return session is not None

    def close(self) -> None:
        for token in list(self._sessions):
            self.retire(token)


def _process_home():
    """The object this worker process's sessions hang off (see the module docstring)."""
    if "distributed" in sys.modules:
        try:
            from distributed import get_worker

            return get_worker()
        except ValueError:  # not inside a Dask worker
            pass
    return multiprocessing.current_process()


def sessions() -> Sessions:
    home = _process_home()
    found = getattr(home, "_backprop_sessions", None)
    if found is None:
        found = Sessions()
        home._backprop_sessions = found
    return found
