"""The steps this course installs into nbgrader's own autograde pipeline.

``nbgrader_setup.configure`` puts them in place; see the order there.
"""

from .apply_verdicts import ApplyVerdicts
from .guarded_execute import GuardedExecute
from .restore_cells import RestoreCells

__all__ = ["ApplyVerdicts", "GuardedExecute", "RestoreCells"]
