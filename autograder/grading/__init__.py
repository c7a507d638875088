"""Grading at the scale of a class, and of one notebook.

* :mod:`.coordinator` (``backprop grade``): the coordinator process, with a
  :class:`~.run.Run` that sanitizes, dispatches and finishes each
  submission through nbgrader's own converter (:mod:`.converter`);
* :mod:`.pools` and :mod:`.worker`: local processes or a Dask cluster that
  execute :class:`~.tasks.Task` s in the sandbox;
* :mod:`.state`: what is graded already, so that reruns are incremental;
* :mod:`.progress`, :mod:`.run_files`, :mod:`.runtime`, :mod:`.outcome`: the
  run's bar, files, process settings and final text;
* :mod:`.check` (``backprop check``): one notebook, judged by the oracle.
"""
