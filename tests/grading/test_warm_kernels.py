"""A worker starts the next submission's kernel while the current one runs."""

import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from autograder.constants import PACKAGE_DIR
from autograder.grading.kernel_usage import KernelUsage, measuring
from autograder.grading.warm_kernels import WarmKernels, with_warm_kernels
from autograder.pipeline.guarded_execute import GuardedExecute
from autograder.sandbox.kernel_manager import SandboxedKernelManager
from tests.support import RELEASE_DIR

pytestmark = pytest.mark.slow  # real sandboxed kernels


def _config():
    config = Config()
    config.SandboxedKernelManager.public_dir = str(RELEASE_DIR)
    config.SandboxedKernelManager.extra_ro_paths = [str(PACKAGE_DIR)]
    return config


def _alive(pid) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().split()[2] != "Z"


def test_the_first_kernel_is_taken_warm_and_the_next_one_started():
    config, warm = _config(), WarmKernels()
    manager_class = measuring(SandboxedKernelManager, KernelUsage())
    warm.start(manager_class, kernel_name="python3", config=config)
    assert len(warm) == 1
    started = []
    execute_class = with_warm_kernels(GuardedExecute, warm, start_next=lambda: (
        started.append(1), warm.start(manager_class, kernel_name="python3", config=config)))
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}})
    nb.cells = [new_code_cell("print(6 * 7)"), new_code_cell("x = 1")]
    executor = execute_class(config=config, harvest_spec={"ex1_names": [], "ex1_article": {},
                                                          "ex1_cases": [], "ex2": None,
                                                          "ex2_cases": []})
    executor.kernel_manager_class = manager_class
    try:
        executed, _ = executor.preprocess(nb, {"metadata": {"path": str(RELEASE_DIR)}})
        assert executor.warm_kernels == 1 and executor.cold_kernels == 0
        assert started == [1]  # once, when the first cell started
        assert len(warm) == 1  # the next submission's kernel is up
        assert "42" in nbformat.writes(executed)
        pid = warm._ready[0][1].provisioner.process.pid
        assert _alive(pid)
    finally:
        warm.close()
    assert len(warm) == 0
    assert not _alive(pid)  # a kernel nobody took is killed at retirement


def test_a_dead_warm_kernel_is_not_handed_out():
    config, warm = _config(), WarmKernels()
    manager_class = measuring(SandboxedKernelManager, KernelUsage())
    warm.start(manager_class, kernel_name="python3", config=config)
    manager = warm._ready[0][1]
    manager.provisioner.process.kill()
    manager.provisioner.process.wait()
    assert warm.take(manager_class, "python3") is None
    assert len(warm) == 0
    warm.start(manager_class, kernel_name="python3", config=config)
    assert warm.take(SandboxedKernelManager, "python3") is None  # another class: not it
    warm.close()
