"""The execution step of ``benchmarks/scale.py``: record real runs, then replay them.

:class:`RecordingExecute` is the course's ``GuardedExecute`` (the sandbox, the
harvest) that also saves each sanitized notebook's execution, keyed by a hash
of the notebook. :class:`ReplayingExecute` stands in the same place and hands
back the saved execution of an identical notebook without starting a kernel,
so that a benchmark measures everything around the student's code: the
coordinator, the gradebook, the sanitize pass, the verdicts and the plot on
the workers. A notebook never recorded fails loudly.

Both are configured in the benchmark course's ``nbgrader_config.py``; the
workers import this module (the benchmark puts this folder on their path).
"""

import hashlib
import json
import os

import nbformat
from traitlets import Unicode

from autograder.pipeline.guarded_execute import GuardedExecute
from autograder.plan.execution import Execution
from autograder.safe_files import atomic_write


def notebook_key(nb) -> str:
    """The hash a sanitized notebook is recorded under (its cells' types and sources)."""
    cells = [(cell.cell_type, cell.source) for cell in nb.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


class RecordingExecute(GuardedExecute):
    recordings = Unicode("", help="Folder the executions are saved to.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        key = notebook_key(nb)
        executed, resources = super().preprocess(nb, resources, km)
        execution = Execution.stored(resources)
        if execution is not None and self.recordings:
            record = execution.to_json()
            record["notebook"] = nbformat.writes(executed)
            atomic_write(os.path.join(self.recordings, f"{key}.json"),
                         json.dumps(record).encode("utf-8"))
        return executed, resources


class ReplayingExecute(GuardedExecute):
    recordings = Unicode("", help="Folder the executions were saved to.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        path = os.path.join(self.recordings, f"{notebook_key(nb)}.json")
        try:
            with open(path, encoding="utf-8") as handle:
                record = json.load(handle)
        except OSError as exc:
            raise RuntimeError(f"no recorded execution for this notebook ({exc})") from None
        execution = Execution.from_json(record)
        executed = nbformat.reads(execution.notebook, as_version=4)
        execution.notebook = ""
        execution.store(resources)
        return executed, resources
