"""The grader's own cells in a student's kernel: the preamble that tells the notebook's
checks to stand aside, and the cell that runs the harvest."""

import inspect
import json

from ..constants import GRADING_ENV, MAX_VALUE_SIZE, NOTEBOOK_LANG_ENV
from ..sandbox.kernel_messages import KERNEL_PACKER_CODE
from ..student import harvest

def preamble(lang: str) -> str:
    """The grader's first cell: the notebook's checks stand aside, its own plot is
    labelled in ``lang`` (the submission's language), and the kernel's messages are
    packed for the grader."""
    return (f"import os as _os; _os.environ[{GRADING_ENV!r}] = '1'; "
            f"_os.environ[{NOTEBOOK_LANG_ENV!r}] = {lang!r}; del _os\n" + KERNEL_PACKER_CODE)


#: The harvest program, as the kernel receives it.
HARVEST_SOURCE = inspect.getsource(harvest)


def harvest_code(spec: dict, out_path: str) -> str:
    """The cell that runs the harvest in the student's kernel: the module's
    source, run in a namespace of its own, then :func:`harvest.run` called on
    the notebook's globals. One name is added to the notebook, and removed."""
    return (f"_backprop_harvest = {{'__name__': 'backprop_harvest'}}\n"
            f"exec(compile({HARVEST_SOURCE!r}, 'backprop_harvest.py', 'exec'), "
            f"_backprop_harvest)\n"
            f"try:\n"
            f"    _backprop_harvest['run'](globals(), {json.dumps(spec)!r}, {out_path!r}, "
            f"{MAX_VALUE_SIZE!r})\n"
            f"finally:\n"
            f"    del _backprop_harvest\n")
