"""nbgrader configuration of the backpropagation course.

The course root is this folder. ``configure`` sets the course id, the SQLite
gradebook ``gradebook.db`` (or ``$BACKPROP_DB_URL``, e.g. a PostgreSQL URL),
and installs the sandboxed execution and the verdict step into nbgrader's
autograde pipeline; see ``autograder/pipeline/setup.py`` for every setting.
Override anything below the call, for example::

    c.GuardedExecute.submission_timeout = 600
    c.SandboxedKernelManager.require_sandbox = True
    c.BackpropGrader.error_carried_forward = False

The course id students pass as ``--course`` is ``backprop-course``. The
exchange (release, fetch, submit, collect, feedback) needs a folder every
student can write to; nbgrader's default, /srv/nbgrader/exchange, must exist::

    c.Exchange.root = "/srv/nbgrader/exchange"
    c.CourseDirectory.course_id = "backprop-course"
    c.LateSubmissionPlugin.penalty_method = "zero"   # late submissions score 0
"""

import os

from autograder.pipeline.setup import configure

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
configure(c, os.path.dirname(os.path.abspath(__file__)))
