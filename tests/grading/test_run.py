"""The run's early harvest spec: the plan's inputs, drawn before its expected values."""

from autograder.core.course import ASSIGNMENT
from autograder.grading.run import early_harvest_spec
from autograder.plan.course_data import load_course_data
from autograder.plan.plan import build_plan
from autograder.plan.reference import ReferenceExpectations
from tests.support import REPO, SOLUTIONS_DIR


def test_workers_get_the_plans_inputs_and_nothing_else():
    public = REPO / "source" / ASSIGNMENT
    plan = build_plan(ReferenceExpectations(SOLUTIONS_DIR), load_course_data(public), seed=7,
                      predictions=False)
    assert early_harvest_spec(public, 7) == plan.harvest_spec()
    assert early_harvest_spec(public, 8) != plan.harvest_spec()


class _Log:
    def __init__(self):
        self.lines = []

    def info(self, text, *args):
        self.lines.append(("info", text % args))

    def warning(self, text, *args):
        self.lines.append(("warning", text % args))


def _run(on_tail):
    from types import SimpleNamespace

    from autograder.grading.run import Run

    run = Run(root=None, assignment=ASSIGNMENT, public_dir=None, state=None, log_file=None,
              report=None, on_tail=on_tail)
    run.app = SimpleNamespace(log=_Log())
    return run


def test_the_tail_work_runs_once_in_its_own_thread():
    import threading

    threads = []
    run = _run(lambda: threads.append(threading.current_thread()))
    for _ in range(3):  # the loop asks on every turn of its tail
        run._start_tail()
    run.tail_thread.join()
    assert len(threads) == 1 and threads[0] is not threading.current_thread()
    assert [level for level, _ in run.app.log.lines] == ["info"]


def test_a_failing_tail_work_is_logged_and_nothing_else():
    def fails():
        raise OSError("no fonts here")

    run = _run(fails)
    run._start_tail()
    run.tail_thread.join()
    assert run.app.log.lines == [("warning", "Preparing for the end of the run failed: "
                                  "OSError: no fonts here")]
    idle = _run(None)
    idle._start_tail()  # nothing to do: no thread
    assert idle.tail_thread is None
