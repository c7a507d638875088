"""Expensive expected values kept on disk between grading runs.

Example 2's reference training on the course data (900 epochs of the
reference ``train_nn``, a few seconds) does not depend on the run's hidden
seed, so it is computed once and reused by every later run, in any process
(plain ``nbgrader autograde``, ``backprop grade``, the formgrader).

An entry is found by a key made of everything its value depends on: the bytes
of the solution files, the data, the training settings and the numpy version.
Editing ``solutions/reference.py`` or the data therefore computes a new entry
instead of reusing a stale one. Entries are ``.npz`` files read with
``allow_pickle=False`` (no code runs when one is loaded); a missing, partly
written or damaged entry is computed again and replaced atomically.

The grader keeps its entries in the course (``.backprop/cache``). ``backprop
check`` keeps its own, computed from the finite-difference oracle, in the
user's cache folder (:func:`user_cache_dir`): only the student's own checks
read them, and they judge nothing the grader uses.
"""

import hashlib
import io
import json
import logging
import os
import zipfile
from pathlib import Path

import numpy as np

from ..safe_files import atomic_write

log = logging.getLogger(__name__)

#: Bump when the layout of an entry changes.
FORMAT = 1


def cache_key(**parts) -> str:
    """sha256 of ``parts``: text, numbers and arrays (by dtype, shape and bytes)."""
    digest = hashlib.sha256(f"backprop-plan-cache/{FORMAT}/numpy-{np.__version__}".encode())
    for name in sorted(parts):
        value = parts[name]
        digest.update(b"\0" + name.encode() + b"=")
        if isinstance(value, np.ndarray):
            array = np.ascontiguousarray(value)
            digest.update(f"{array.dtype.str}{array.shape}".encode() + array.tobytes())
        else:
            digest.update(json.dumps(value, sort_keys=True).encode())
    return digest.hexdigest()


#: Where ``backprop check`` keeps its entries; empty for none.
CACHE_DIR_VARIABLE = "BACKPROP_CACHE_DIR"


def user_cache_dir(environ=None) -> Path | None:
    """The folder for ``backprop check``'s entries, created if needed:
    ``$BACKPROP_CACHE_DIR`` (set but empty: no cache), else
    ``$XDG_CACHE_HOME/backprop/plan``, else ``~/.cache/backprop/plan``. None when
    it cannot be made or written (a read-only home): checking then only takes
    longer."""
    environ = os.environ if environ is None else environ
    if CACHE_DIR_VARIABLE in environ:
        chosen = environ[CACHE_DIR_VARIABLE]
        if not chosen:
            return None
        folder = Path(chosen)
    else:
        base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = Path(base) / "backprop" / "plan"
    if not folder.is_absolute():  # "~" unknown, or a relative setting
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def as_arrays(values) -> tuple:
    """A training result as a tuple of float64 arrays (what the cache stores)."""
    return tuple(np.array(value, dtype=np.float64) for value in values)


class PlanCache:
    """A folder of cached training results (see the module docstring)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def _path(self, key) -> Path:
        return self.folder / f"training-{key}.npz"

    def load(self, key):
        """The stored arrays for ``key``, or None when absent or unreadable."""
        path = self._path(key)
        try:
            with np.load(path, allow_pickle=False) as stored:
                count = int(stored["count"])
                return tuple(np.array(stored[f"value_{i}"], dtype=np.float64)
                             for i in range(count))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
            log.warning("Ignoring the damaged cache entry %s (%s); computing it again",
                        path, exc)
            return None

    def store(self, key, values) -> None:
        """Write ``values`` for ``key`` atomically. A cache that cannot be written
        only costs time, so failures are logged, never raised."""
        buffer = io.BytesIO()
        np.savez(buffer, count=np.int64(len(values)),
                 **{f"value_{i}": value for i, value in enumerate(values)})
        try:
            atomic_write(self._path(key), buffer.getvalue())
        except OSError as exc:
            log.warning("Could not write the plan cache in %s (%s)", self.folder, exc)

    def named(self, kind, key, compute) -> dict:
        """Cached ``{name: array}`` (any dtype but object) for ``key``; on a miss,
        ``compute()`` it and store it."""
        path = self.folder / f"{kind}-{key}.npz"
        try:
            with np.load(path, allow_pickle=False) as stored:
                return {name: np.array(stored[name]) for name in stored.files}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
            log.warning("Ignoring the damaged cache entry %s (%s); computing it again",
                        path, exc)
        values = {name: np.asarray(value) for name, value in compute().items()}
        buffer = io.BytesIO()
        np.savez(buffer, **values)
        try:
            atomic_write(path, buffer.getvalue())
        except OSError as exc:
            log.warning("Could not write the plan cache in %s (%s)", self.folder, exc)
        return values

    def training(self, key, compute) -> tuple:
        """The cached result for ``key``; on a miss, ``compute()`` it and store it."""
        values = self.load(key)
        if values is None:
            values = as_arrays(compute())
            self.store(key, values)
        return values
