"""The grader of the backpropagation course.

Modules, from the bottom up:

* ``compare``: the one numeric comparison, with named tolerances;
* ``results``, ``values``: what checks return and what a submission handed over;
* ``course``: public facts (items, points, inputs, known numbers);
* ``oracle``: expected values by centred finite differences (public);
* ``checks``: one check per graded item, messages and hints beside it;
* ``selfcheck``: the checks students run in their notebook;
* ``cases``, ``expectations``, ``plan``: inputs and expected values of a grading run;
* ``harvest``: the narrow channel out of the student's kernel;
* ``verdicts``: payload + plan -> one result per item;
* ``sandbox``: the kernel manager that runs student code in bubblewrap;
* ``preprocessors``: the steps installed into nbgrader's own autograde pipeline;
* ``nbgrader_setup``, ``course_dir``, ``samples``, ``demo``, ``cli``: running the course;
* ``parallel`` (``backprop grade``) with ``autograde_steps``, ``execute_task``, ``replay``,
  ``worker_pools``, ``grade_state``, ``class_course``: grading a class in parallel.
"""

__version__ = "1.0.0"
