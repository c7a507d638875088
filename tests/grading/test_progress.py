"""The run's progress bar in a log: one tqdm line per finished submission."""

import io

from autograder.grading.progress import Progress


def test_a_log_gets_one_line_per_submission_naming_it_and_the_failures():
    stream = io.StringIO()
    progress = Progress(3, stream)
    for student, ok in (("ann", True), ("bob", False), ("cy", True)):
        progress.step(student, ok=ok)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and "\r" not in stream.getvalue()
    assert "1/3" in lines[0] and lines[0].endswith("ann")
    assert "2/3" in lines[1] and lines[1].endswith("1 failed, bob FAILED")
    assert "3/3" in lines[2] and "100%" in lines[2]
