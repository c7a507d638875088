"""The grader of the backpropagation course.

Its sub-packages are its layers, from the bottom up (ARCHITECTURE.md has the
diagram and the rules, checked by import-linter):

* ``constants``, ``safe_files``: shared names, and file access that trusts nothing;
* ``core``: course facts, the one comparison, results, the finite-difference
  oracle, the checks and the diagnosis of mistakes (numpy only);
* ``student``: what runs in the student's kernel: the self-check, the harvest;
* ``plan``: the grader's plan, reference expectations and verdicts;
* ``sandbox``: bubblewrap, uids, and the kernel manager and client;
* ``workspace``: course folders on disk;
* ``pipeline``: the course's steps in nbgrader's autograde pipeline;
* ``grading``: a class in parallel (``backprop grade``), one notebook
  (``backprop check``);
* ``reports``: the class report (``backprop report``);
* ``demo``: sample submissions and ``backprop demo``;
* ``cli``: the ``backprop`` command.
"""

__version__ = "1.0.0"
