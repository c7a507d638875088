"""The course package as a grading kernel sees it: the notebook's import and nothing else."""

import os
import site
import subprocess
import sys
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from autograder.constants import PACKAGE_DIR
from autograder.sandbox import commands
from autograder.sandbox.kernel_manager import SandboxedKernelManager
from autograder.sandbox.probe import describe_sandbox, sandbox_available
from autograder.sandbox.student_package import (
    KERNEL_MODULES,
    build_student_package,
    kernel_files,
)


def test_the_copy_holds_the_kernel_modules_only(tmp_path):
    dest = build_student_package(tmp_path / "autograder")
    found = sorted(os.path.relpath(os.path.join(folder, name), dest)
                   for folder, _, names in os.walk(dest) for name in names)
    assert found == sorted(kernel_files())
    assert set(KERNEL_MODULES) <= set(found)
    assert all(name.endswith(".py") or name.endswith(".mo") for name in found)
    assert oct(os.stat(dest).st_mode & 0o777) == "0o755"
    assert all(oct(os.stat(os.path.join(dest, m)).st_mode & 0o777) == "0o644"
               for m in found)


def test_a_compiled_catalogue_goes_with_the_modules(tmp_path):
    """The kernel speaks the notebook's language when the catalogue is compiled."""
    package = tmp_path / "package"
    for name in KERNEL_MODULES:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("")
    assert kernel_files(package) == list(KERNEL_MODULES)
    catalogue = package / "locale" / "zh_CN" / "LC_MESSAGES" / "backprop.mo"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(b"mo")
    dest = build_student_package(tmp_path / "copy", package)
    assert (dest and os.path.isfile(os.path.join(dest, "locale", "zh_CN", "LC_MESSAGES",
                                                 "backprop.mo")))


def test_the_copy_imports_the_self_check_and_nothing_that_answers(tmp_path):
    """selfcheck imports in the copy, stands aside while grading, and its internals fail."""
    build_student_package(tmp_path / "autograder")
    program = textwrap.dedent(f"""
        import os, sys
        sys.path[:0] = [{str(tmp_path)!r}, *{site.getsitepackages()!r}]
        os.environ["BACKPROP_GRADING"] = "1"
        from autograder.student import selfcheck
        assert selfcheck.__file__.startswith({str(tmp_path)!r}), selfcheck.__file__
        selfcheck.ex1_other_inputs(None)
        for attempt in (lambda: __import__("autograder.core.oracle"),
                        lambda: selfcheck.expected_training([[0.0]], [0.0]),
                        lambda: selfcheck.initial_weights([[0.0]])):
            try:
                attempt()
                print("ANSWERED")
            except ModuleNotFoundError as exc:
                print("MISSING", exc.name)
    """)
    # -S: none of the environment's .pth files, so no editable install maps the real package
    out = subprocess.run([sys.executable, "-I", "-S", "-c", program], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "This item is graded by the course grader, outside your notebook.",
        "MISSING autograder.core", "MISSING autograder.core", "MISSING autograder.core"]


def test_the_copy_is_bound_over_the_package_after_everything_else():
    site = os.path.join(sys.prefix, "lib", "site-packages", "autograder")
    cmd = commands.bwrap_command("bwrap", work_host="/w", conn_dir="/tmp/r", env={},
                                 ro_paths=[sys.prefix], overlays={site: "/tmp/sbx/package"})
    pairs = list(zip(cmd, cmd[1:], cmd[2:]))
    assert ("--ro-bind", "/tmp/sbx/package", site) in pairs
    assert cmd.index("/tmp/sbx/package") > cmd.index(os.path.realpath(sys.prefix))


@pytest.mark.skipif(not sandbox_available(), reason=describe_sandbox())
@pytest.mark.parametrize("extra_ro_paths", [[], [str(PACKAGE_DIR)]], ids=["default", "old"])
def test_a_sandboxed_kernel_finds_no_oracle_anywhere(extra_ro_paths):
    """Through the package, by path, in compiled files or in the environment (any file
    named like a module of the core that holds the oracle's code)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(f"""
        import os, sys
        import autograder
        from autograder.student import selfcheck
        places = [os.path.dirname(autograder.__file__), sys.prefix, {str(PACKAGE_DIR.parent)!r}]
        found = []
        for place in places:
            for folder, _, names in os.walk(place):
                for name in names:
                    if name.split(".")[0] in ("oracle", "expectations", "checks"):
                        with open(os.path.join(folder, name), "rb") as handle:
                            if b"centred_gradient" in handle.read():
                                found.append(os.path.join(folder, name))
        print("PACKAGE", sorted(os.listdir(os.path.dirname(autograder.__file__))))
        print("FOUND", found)
    """))]
    config = Config()  # "old": a config that still binds the whole package, as it used to
    config.SandboxedKernelManager.extra_ro_paths = extra_ro_paths
    client = NotebookClient(nb, kernel_manager_class=SandboxedKernelManager, timeout=120,
                            allow_errors=True, config=config)
    client.execute()
    lines = nb.cells[0].outputs[0]["text"].splitlines()
    assert lines == ["PACKAGE ['__init__.py', 'constants.py', 'i18n.py', 'locale', "
                     "'plot_fonts.py', 'student']", "FOUND []"]
