"""``python -m autograder.cli``: the same as the ``backprop`` command."""

import sys

from . import run

sys.exit(run())
