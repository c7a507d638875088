"""The sandbox's folder on the grader's side: what goes into it, and its removal.

One temporary folder per sandbox, named after the grader process that made
it (:mod:`.leftovers`), holding

* ``work/``: a copy of the public course files, the kernel's home folder,
  with ``exchange/`` for the harvest's result;
* ``run/``: the connection file and ipc sockets, and matplotlib's folder;
* ``etc/``: the ``passwd`` and ``group`` files of the kernel's own uid;
* ``package/``: the student-side modules of the course package
  (:mod:`.student_package`);
* ``tmp/``: the kernel's temporary folder when there is no bubblewrap.

The kernel may fill ``work/`` with anything (a folder nested thousands deep,
links, FIFOs); :func:`remove_folder` removes it all without recursion and
without following a link.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass

from ..safe_trees import remove_tree
from .commands import SANDBOX_HOME, grader_font_lists
from .leftovers import owner_prefix
from .student_package import build_student_package

PUBLIC_IGNORE = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__")


@dataclass(frozen=True)
class HostFolder:
    root: str
    work: str
    mpl: str            # the same path inside and outside the sandbox
    package: str | None


def make_folder(*, public_dir: str, uid: int | None, package_dir: str | None) -> HostFolder:
    """A new sandbox folder, filled; removed again if filling it fails."""
    root = tempfile.mkdtemp(prefix=owner_prefix())
    try:
        return _fill(root, public_dir=public_dir, uid=uid, package_dir=package_dir)
    except BaseException:
        remove_folder(root)
        raise


def _fill(root: str, *, public_dir: str, uid: int | None, package_dir: str | None) -> HostFolder:
    work = os.path.join(root, "work")
    if public_dir:
        shutil.copytree(public_dir, work, ignore=PUBLIC_IGNORE)
    os.makedirs(os.path.join(work, "exchange"), exist_ok=True)
    for sub in ("run", "etc", "tmp"):
        os.mkdir(os.path.join(root, sub), 0o700)
    # matplotlib's config folder, seeded with the grader's font cache: a
    # student's first plot would otherwise scan every font (~0.15 s a kernel).
    mpl = os.path.join(root, "run", "matplotlib")
    os.mkdir(mpl, 0o700)
    for path in grader_font_lists():
        try:
            shutil.copyfile(path, os.path.join(mpl, os.path.basename(path)))
        except OSError:
            pass
    package = None
    if package_dir:
        package = build_student_package(os.path.join(root, "package"), package_dir)
    if uid is not None:
        with open(os.path.join(root, "etc", "passwd"), "w") as f:
            f.write(f"student:x:{uid}:{uid}:student:{SANDBOX_HOME}:/bin/sh\n")
        with open(os.path.join(root, "etc", "group"), "w") as f:
            f.write(f"student:x:{uid}:\n")
        os.chmod(os.path.join(root, "etc"), 0o755)
        for dirpath, dirnames, filenames in os.walk(work):  # the public files: shallow
            for name in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
                os.lchown(name, uid, uid)
        for path in (os.path.join(root, "run"), mpl,
                     *(os.path.join(mpl, n) for n in os.listdir(mpl))):
            os.lchown(path, uid, uid)
    return HostFolder(root=root, work=work, mpl=mpl, package=package)


def remove_folder(root: str, lock=None, share=None, log=None) -> None:
    """Stop what still runs in the CPU group ``share``, remove ``root``, free the uid
    ``lock``. Never raises: what cannot be removed is left for the next run's sweep."""
    try:
        if share is not None and not share.remove() and log is not None:
            log.warning("Processes still run in the CPU group %s", share.path)
        try:
            remove_tree(root)
        except OSError as exc:
            if log is not None:
                log.warning("Could not remove the sandbox folder %s: %s", root, exc)
    finally:
        if lock is not None:
            lock.close()
