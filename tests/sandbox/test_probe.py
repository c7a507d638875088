"""Whether bubblewrap can be used here, and the one line that says so."""

from autograder.sandbox import probe as sb


def test_describe_sandbox():
    assert sb.sandbox_available("/nonexistent/bwrap") is False
    assert sb.describe_sandbox("/nonexistent/bwrap").startswith("NO SANDBOX")
    assert isinstance(sb.describe_sandbox(), str) and "\n" not in sb.describe_sandbox()
