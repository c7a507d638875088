"""GuardedExecute's settings (its behaviour is exercised by the autograde and hostile tests)."""

from traitlets.config import Config

from autograder.pipeline.guarded_execute import GuardedExecute


def test_the_kernel_is_killed_once_harvested_unless_configured_otherwise():
    assert GuardedExecute().shutdown_kernel == "immediate"  # no 0.4 s polite shutdown
    polite = Config({"GuardedExecute": {"shutdown_kernel": "graceful"}})
    assert GuardedExecute(config=polite).shutdown_kernel == "graceful"
