"""The mistake finder: a model of backpropagation whose single edits are the slips.

* :mod:`.model`: the ingredients, their neighbours and the formulas;
  :mod:`.evaluation`: the formulas evaluated as NumPy evaluates them;
* :mod:`.edits`: what a slip is; :mod:`.families`: edits that give the same
  values, and the :class:`~.families.Mistake` a check receives;
  :mod:`.texts`: names and hints;
* :mod:`.step`: Example 1, a step judged on several networks, with error
  carried forward;
* :mod:`.training`, :mod:`.simulate`, :mod:`.stack`: Example 2's candidate
  trainings and their vectorised simulation; :mod:`.trajectories`: a
  student's trainings matched against them.

The checks reach it through :mod:`autograder.core.diagnose`.
"""
