"""Run a submission in the sandbox, survive its crashes and hangs, then harvest.

This replaces nbgrader's ``Execute`` in the autograde pipeline:

* the kernel comes from
  :class:`~autograder.sandbox.kernel_manager.SandboxedKernelManager`;
* the whole submission has one wall-clock budget, on top of the per-cell
  timeout;
* a cell that kills the kernel or times out is recorded, the kernel is
  restarted and the notebook runs again without that cell, so the rest of the
  notebook is still graded;
* what the kernel's messages add to the saved notebook is bounded, and
  nothing of the grader's own runs in the kernel is kept
  (:class:`~.output_gate.OutputGate`);
* the locked cell that trains the network makes the grader's own full
  training (:mod:`.full_run`), so that it is not run twice;
* finally the harvest (:mod:`autograder.student.harvest`, sent as its source)
  runs in the same kernel and its JSON file is read back before the sandbox
  is removed.

What the run handed over goes into ``resources`` as one
:class:`~autograder.plan.execution.Execution` for
:class:`~autograder.pipeline.apply_verdicts.ApplyVerdicts`. What the grader
writes into the notebook and the record (why a cell was skipped, the run's
events) is in the language of the submission's assignment (:mod:`.language`).
"""

import os
import shutil
import tempfile
from time import monotonic

from jupyter_client.manager import KernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_output
from nbgrader.preprocessors import Execute
from traitlets import Dict, Integer, Type, default

from ..constants import PAYLOAD_FILE
from ..i18n import N_, _, ngettext
from ..plan import payload as payloads
from ..plan.execution import Execution
from ..plan.settings import BackpropGrader
from ..sandbox.kernel_manager import SandboxedKernelManager
from . import full_run
from .cell_failures import cell_name
from .harvest_cell import harvest_code, preamble
from .language import language_of, submission_language
from .notebook_reading import unreadable_reason
from .output_gate import OutputGate

#: What a cell says when the notebook's time ran out before it.
OUT_OF_TIME = N_("Not run: your notebook used up the {n} s the grader allows for it.")


def _note(cell, name, text):
    cell.outputs.append(new_output("error", ename=name, evalue=text,
                                   traceback=[f"{name}: {text}"]))


class GuardedExecute(OutputGate, Execute):
    """nbgrader's Execute, sandboxed, time-boxed, crash-tolerant, with a harvest."""

    kernel_manager = Type(
        SandboxedKernelManager, klass=KernelManager,
        help="Kernel manager for student code; the default runs it in bubblewrap."
    ).tag(config=True)
    submission_timeout = Integer(
        240, help="Wall-clock seconds for a whole submission, restarts included."
    ).tag(config=True)
    harvest_timeout = Integer(
        60, help="Seconds for the grader's calls of the student's functions."
    ).tag(config=True)
    max_restarts = Integer(
        3, help="How often a crashed or hung kernel is restarted without the guilty cell."
    ).tag(config=True)
    iopub_timeout = Integer(
        15, help="Seconds to wait, after a cell's reply, for the rest of its output "
        "(nbclient's default, 4 s, drops the tail of a long output on a loaded machine)."
    ).tag(config=True)
    max_output_bytes = Integer(
        2 * 2**20, help="Output kept per run of a submission (printed, displayed, updated "
        "displays, errors); the rest is dropped."
    ).tag(config=True)
    harvest_spec = Dict(
        default_value=None, allow_none=True,
        help="The plan's harvest spec (inputs only). None: build the plan in this process. "
        "A parallel run's workers get it from the coordinator and never see the plan."
    )

    @default("shutdown_kernel")
    def _kill_when_done(self):
        # The kernel is thrown away once its values are harvested: killing it
        # (its whole sandbox goes with it) saves the ~0.4 s of a polite shutdown.
        return "immediate"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.kernel_manager_class = self.kernel_manager
        self._fixed_timeout = None
        self._deadline = monotonic() + self.submission_timeout
        self._asked_exit = False
        self._interrupted = False

    async def _async_handle_timeout(self, timeout, cell=None):
        self._interrupted = True  # the cell ran past its limit (whatever comes next)
        return await super()._async_handle_timeout(timeout, cell)

    def on_cell_executed(self, **kwargs):
        self.charge_reply_error(kwargs["execute_reply"], kwargs["cell"], kwargs["cell_index"])
        super().on_cell_executed(**kwargs)
        # exit()/quit() stop the kernel ~0.1 s after the reply, so that the death would be
        # blamed on a later, innocent cell: blame the cell that asked instead.
        payload = kwargs["execute_reply"].get("content", {}).get("payload") or []
        if any(isinstance(item, dict) and item.get("source") == "ask_exit" for item in payload):
            self._asked_exit = True

    # -- time and output limits ------------------------------------------------
    def _remaining(self) -> float:
        return self._deadline - monotonic()

    def _get_timeout(self, cell):
        if self._fixed_timeout is not None:
            return self._fixed_timeout
        timeout = super()._get_timeout(cell)
        remaining = max(1, int(self._remaining()))
        return remaining if timeout is None else min(timeout, remaining)

    # -- running ----------------------------------------------------------------
    def preprocess(self, nb, resources=None, km=None):
        self._messages_language = language_of(resources)  # for the output gate's notes
        with submission_language(resources):
            return self._preprocess(nb, resources)

    def _preprocess(self, nb, resources):
        if unreadable_reason(nb):  # a stand-in for an unreadable file: nothing to run
            Execution.not_run(_("was not graded: your notebook could not be read")).store(
                resources)
            return nb, resources
        started = monotonic()
        self._deadline = started + self.submission_timeout
        spec = self.harvest_spec
        if spec is None:
            spec = BackpropGrader(parent=self).plan().harvest_spec()
        skipped, events, payload = {}, [], None
        self._skip_names, self._skip_seconds = {}, {}
        for attempt in range(self.max_restarts + 1):
            payload, restart = self._attempt(nb, resources, spec, skipped, events)
            if not restart:
                break
            self.log.info("Restarting the kernel without the cells %s (attempt %d)",
                          sorted(skipped), attempt + 2)
        else:
            runs = self.max_restarts + 1
            events.append(ngettext("The grader stopped running your notebook after {n} crash "
                                   "or hang.", "The grader stopped running your notebook "
                                   "after {n} crashes or hangs.", runs).format(n=runs))
        if payload is None:
            payload = payloads.Payload(None, _("could not be checked because your notebook "
                                               "crashed or hung before the grader could call "
                                               "it"))
        Execution(payload=payload.raw, problem=payload.problem, events=events,
                  skipped=dict(skipped), seconds=monotonic() - started).store(resources)
        return self.nb, resources

    def _attempt(self, nb, resources, spec, skipped, events):
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, None)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self.open_gate()
        self._asked_exit = False
        with self.setup_kernel():
            info = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            self._run_hidden(preamble(self._messages_language), 30)
            training = full_run.training_cell(self.nb)
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type != "code":
                    continue
                if index in skipped:
                    cell.outputs = []
                    _note(cell, self._skip_names.get(index, "CellSkipped"), skipped[index])
                    continue
                if self._remaining() <= 0:
                    reason = _(OUT_OF_TIME).format(n=self.submission_timeout)
                    _note(cell, "CellSkipped", reason)
                    skipped[index] = reason
                    self._skip_seconds[index] = self.submission_timeout
                    continue
                limit = self._get_timeout(cell)
                self._interrupted = False
                try:
                    if index == training:  # its call of train_nn is the grader's full training
                        self._run_hidden(full_run.install_code(spec, self._payload_path()), 30)
                    self.preprocess_cell(cell, resources, index)
                    if index == training:
                        self._run_hidden(full_run.RESTORE_CODE, 30)
                except DeadKernelError:
                    return self._skip(cell, index, "KernelDied", skipped, events), True
                except CellTimeoutError:  # it ignored the interrupt, or its output was lost
                    ename = "CellTimeoutError" if self._interrupted else "OutputLost"
                    return self._skip(cell, index, ename, skipped, events, limit), True
                if self._asked_exit:
                    return self._skip(cell, index, "KernelExit", skipped, events), True
                if self._timed_out(cell):
                    return self._skip(cell, index, "CellTimeoutError", skipped, events,
                                      limit), True
            if training in skipped:
                spec = full_run.harvest_spec(spec, self._skip_names.get(training, "CellSkipped"),
                                             self._skip_seconds.get(training))
            return self._harvest(spec, events), False

    #: What the cell and the run's events say about a cell that stopped the kernel.
    SKIP_NOTES = {
        "KernelDied": (N_("This cell crashed the kernel, so the grader ran your notebook "
                          "again without it."), N_("{cell} crashed the kernel.")),
        "CellTimeoutError": (N_("This cell did not finish within {seconds} s, so the grader "
                                "ran your notebook again without it."),
                             N_("{cell} did not finish within {seconds} s.")),
        "KernelExit": (N_("This cell shut the kernel down, so the grader ran your notebook "
                          "again without it."), N_("{cell} shut the kernel down.")),
        # a message the client refused (too large) takes the rest of the cell's output along
        "OutputLost": (N_("This cell sent output that did not arrive in full (too large, or "
                          "never sent), so the grader ran your notebook again without it."),
                       N_("{cell} lost its output.")),
    }

    def _skip(self, cell, index, ename, skipped, events, seconds=None):
        """Note why a cell stopped the kernel; skip it when the notebook runs again."""
        note, event = (_(text) for text in self.SKIP_NOTES[ename])
        self._skip_seconds[index] = seconds
        fields = dict(cell=cell_name(self.nb, index), seconds=seconds)
        if ename != "CellTimeoutError" or not any(
                out.get("ename") == ename for out in cell.get("outputs", [])
                if out.get("output_type") == "error"):
            _note(cell, ename, note.format(**fields))
        skipped[index] = note.format(**fields)
        self._skip_names[index] = ename
        event = event.format(**fields)
        events.append(event[0].upper() + event[1:])
        return None

    def _timed_out(self, cell) -> bool:
        return any(out.get("ename") == self.error_on_timeout.get("ename")
                   for out in cell.get("outputs", []) if out.get("output_type") == "error")

    def _run_hidden(self, code, timeout):
        """Run code in the kernel without adding it to the notebook."""
        cell = new_code_cell(code)
        self.nb.cells.append(cell)
        index = len(self.nb.cells) - 1
        self._fixed_timeout = timeout
        self.hidden_run(True)
        try:
            self.execute_cell(cell, index, store_history=False)
        finally:
            self.hidden_run(False)
            self._fixed_timeout = None
            self.nb.cells.pop(index)
        return cell

    def _exchange_dirs(self):
        """(host, inside, scratch): the kernel's exchange folder, or one scratch
        folder per kernel (removed after the harvest) for a kernel without one."""
        host = getattr(self.km, "exchange_dir_host", None)
        inside = getattr(self.km, "exchange_dir_inside", None)
        if host and inside:
            return host, inside, None
        if getattr(self, "_scratch_for", None) is not self.km:
            if getattr(self, "_scratch", None):  # an earlier kernel's, never harvested
                shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch_for = self.km
            self._scratch = tempfile.mkdtemp(prefix="backprop-exchange-")
        return self._scratch, self._scratch, self._scratch

    def _payload_path(self) -> str:
        return os.path.join(self._exchange_dirs()[1], PAYLOAD_FILE)

    def _harvest(self, spec, events):
        host, inside, scratch = self._exchange_dirs()
        try:
            code = harvest_code(spec, os.path.join(inside, PAYLOAD_FILE))
            limit = self.harvest_timeout + 10
            late = _("The grader's calls of your functions did not finish within {n} s.").format(
                n=limit)
            try:
                cell = self._run_hidden(code, limit)
                if self._timed_out(cell):
                    events.append(late)
            except DeadKernelError:
                events.append(_("The kernel crashed while the grader called your functions."))
            except CellTimeoutError:  # the student's code ignored the interrupt
                events.append(late)
            if hasattr(self.km, "read_exchange"):
                # The sandbox reads regular files only and never follows links.
                payload = payloads.payload_from_files(self.km.read_exchange())
            else:
                payload = payloads.read_payload(os.path.join(host, PAYLOAD_FILE))
            if not payload.complete and not payload.problem:
                payload.problem = _("was not reached: the kernel crashed or hung while the "
                                    "grader called your functions")
            for entry in payload.raw.values():  # calls the grader interrupted: say how long
                if isinstance(entry, dict) and entry.get("kind") == "timeout":
                    entry["seconds"] = limit
            return payload
        finally:
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
