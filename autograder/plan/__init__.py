"""The grader's side of a submission: the plan and the verdicts.

A :class:`~autograder.plan.plan.GradingPlan` holds the inputs a submission is
run on (its harvest spec goes into the student's kernel) and the values
expected of it (which never do). The expected values come from the
instructor's reference solutions, loaded by :mod:`autograder.plan.loader`.
:mod:`autograder.plan.verdicts` turns an
:class:`~autograder.plan.execution.Execution` and a plan into a
:class:`~autograder.core.results.GradedSubmission`.
"""
