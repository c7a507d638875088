"""The course package as a grading kernel sees it: the notebook's import, nothing more.

The installed ``autograder`` package holds the finite-difference oracle
(``core.oracle``), which computes every graded answer for any input: a
``backprop_step`` that called it would pass the grader's hidden networks
without any backpropagation. A kernel that the grader runs needs one thing
of the package: ``from autograder.student import selfcheck`` in the
notebook's setup cell, whose checks stand aside while grading
(``BACKPROP_GRADING=1``) before they would import anything else.

:func:`build_student_package` copies just those modules into a folder of the
sandbox, which bubblewrap then binds read-only *over* the package's own path
(wherever it is installed, inside the Python environment or not), so the
kernel finds no oracle, no checks, no compiled ``__pycache__`` and no
grader code, by import or by path. The student's own environment keeps the
whole package, and the notebook's full self-check with it.
"""

from __future__ import annotations

import os
import shutil

from .. import i18n
from ..constants import PACKAGE_DIR

#: The package's files a grading kernel gets: what ``autograder.student.selfcheck``
#: imports at module level. Nothing here computes an answer.
KERNEL_MODULES = ("__init__.py", "constants.py", "i18n.py", "plot_fonts.py",
                  "student/__init__.py", "student/selfcheck.py", "student/notebook_calls.py",
                  "student/trainings.py", "student/loss_plot.py",
                  "student/notebook_language.py")
#: The compiled message catalogues, so that what the notebook says while it is graded
#: (the self-check standing aside, the loss plot's labels) is in the notebook's language;
#: copied when they are there (without one, those messages are in English).
KERNEL_CATALOGUES = tuple(f"locale/{lang}/LC_MESSAGES/backprop.mo"
                          for lang in i18n.LANGUAGES if lang != i18n.DEFAULT)


def kernel_files(package_dir=PACKAGE_DIR, modules=KERNEL_MODULES,
                 catalogues=KERNEL_CATALOGUES) -> list[str]:
    """The files of ``package_dir`` a grading kernel gets: ``modules``, and those of
    ``catalogues`` that exist."""
    return [*modules, *(name for name in catalogues
                        if os.path.isfile(os.path.join(package_dir, *name.split("/"))))]


def build_student_package(dest, package_dir=PACKAGE_DIR, modules=KERNEL_MODULES,
                          catalogues=KERNEL_CATALOGUES) -> str:
    """Copy :func:`kernel_files` of ``package_dir`` into the new folder ``dest``; return
    its path.

    Folders are made 0755 and files 0644 whatever the umask, so that the
    kernel's own uid can read them."""
    dest = os.fspath(dest)
    os.mkdir(dest, 0o755)
    os.chmod(dest, 0o755)
    for module in kernel_files(package_dir, modules, catalogues):
        target = os.path.join(dest, *module.split("/"))
        folder = os.path.dirname(target)
        if not os.path.isdir(folder):
            os.makedirs(folder, 0o755)
            os.chmod(folder, 0o755)
        shutil.copyfile(os.path.join(package_dir, *module.split("/")), target)
        os.chmod(target, 0o644)
    return dest
