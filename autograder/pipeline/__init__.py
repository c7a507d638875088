"""The course's place in nbgrader's own pipeline.

:func:`autograder.pipeline.setup.configure` (called by the course's
``nbgrader_config.py``) installs, in nbgrader's autograde converter:

* :class:`~.exporter.SafeNotebookExporter`, which reads every submission
  without trusting it (:mod:`.notebook_reading`, :mod:`.cell_metadata`,
  :mod:`.submission_folder`);
* :class:`~.restore_cells.RestoreCells` among the sanitizing steps;
* :class:`~.guarded_execute.GuardedExecute` (the sandboxed run and the
  harvest) and :class:`~.apply_verdicts.ApplyVerdicts` (the verdicts, drawn
  by :mod:`.render`) among the autograde steps.

:class:`~.replay.ReplayExecution` stands in for GuardedExecute when a worker
elsewhere ran the notebook. The order of the steps is written beside the
lists in :mod:`.setup`.
"""
