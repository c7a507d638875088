"""What a worker needs to run a submission, packed as plain data.

A task carries the sanitized notebooks, the public course files as bytes
(``data_prep.py``, ``binary.csv``), the plan's harvest spec (inputs only,
never an expected value) and the execution settings of the course's nbgrader
config, so that a worker on another machine (no shared filesystem) can run
it. It never carries ``solutions/``, an expected value or the gradebook.
"""

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..constants import PACKAGE_DIR
from ..sandbox.kernel_manager import PUBLIC_IGNORE


@dataclass
class Task:
    """One student's submission, ready to execute anywhere."""

    student: str
    notebooks: dict          # notebook id -> sanitized notebook JSON
    public_files: dict       # relative path -> bytes
    harvest_spec: dict
    config: dict             # nbgrader config sections of the execution classes
    execute_class: type = None


def read_public_files(public_dir) -> dict:
    """The files a sandboxed kernel gets from ``public_dir``, as ``{relative path: bytes}``.

    The same selection the sandbox copies (notebooks and caches left out).
    """
    root = Path(public_dir)
    files = {}
    for folder, dirnames, filenames in os.walk(root):
        ignored = PUBLIC_IGNORE(folder, dirnames + filenames)
        dirnames[:] = sorted(d for d in dirnames if d not in ignored)
        for name in sorted(filenames):
            if name not in ignored:
                path = Path(folder) / name
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def write_public_files(files: dict, dest: str) -> None:
    """Write :func:`read_public_files`' result below ``dest``, refusing unsafe names."""
    for rel, data in files.items():
        parts = PurePosixPath(rel).parts
        if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
            raise ValueError(f"unsafe public file name: {rel!r}")
        path = Path(dest, *parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _plain(value):
    from traitlets.config import Config

    if isinstance(value, (Config, dict)):
        return {key: _plain(item) for key, item in value.items()}
    return value


def execute_settings(config, execute_class) -> dict:
    """The config sections that the execution step and its kernel manager read."""
    kernel_manager = execute_class(config=config).kernel_manager
    names = {cls.__name__ for cls in execute_class.mro() + kernel_manager.mro()}
    return {name: _plain(config[name]) for name in sorted(names) if name in config}


def worker_config(config: dict, public_dir: str):
    """The coordinator's execution settings, with this machine's paths."""
    from traitlets.config import Config

    cfg = Config(config)
    cfg.SandboxedKernelManager.public_dir = public_dir
    cfg.SandboxedKernelManager.extra_ro_paths = [
        p for p in cfg.SandboxedKernelManager.get("extra_ro_paths", []) if os.path.exists(p)]
    if cfg.SandboxedKernelManager.get("package_dir", None) != "":
        # This machine's copy of the package (the kernel sees its student side only).
        cfg.SandboxedKernelManager.package_dir = str(PACKAGE_DIR)
    return cfg
