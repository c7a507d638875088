"""Notes for a student who may have forgotten to save: ``backprop check`` reads the
file on disk, which is also what is submitted, not what JupyterLab shows."""

import json
from pathlib import Path

from ..i18n import N_, _

#: JupyterLab writes the file and then its checkpoint; a second is ample slack.
SLACK_SECONDS = 1.0

OLDER_THAN_CHECKPOINT = N_(
    "{name} on disk is older than its last checkpoint ({checkpoint}) and differs from it. "
    "If you have been working on it in JupyterLab, save it (File → Save Notebook, Ctrl+S) "
    "and check again: the grader grades the file on disk.")
NEVER_RUN = N_(
    "{name} on disk has never been run: no cell in it has an output. If you have been "
    "working on it in JupyterLab, save it (File → Save Notebook, Ctrl+S) and check again: "
    "the grader grades the file on disk.")


def _checkpoint(path: Path) -> Path:
    return path.parent / ".ipynb_checkpoints" / f"{path.stem}-checkpoint{path.suffix}"


def _never_run(text: str) -> bool:
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return False  # not a notebook at all: the check says so
    code = [c for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
    return bool(code) and not any(c.get("execution_count") or c.get("outputs") for c in code)


def save_notes(path: Path) -> list[str]:
    """Sentences about the file at ``path`` that suggest it was not saved (in the
    current language)."""
    notes = []
    try:
        text = path.read_text(encoding="utf-8")
        modified = path.stat().st_mtime
    except (OSError, UnicodeDecodeError):
        return notes  # the check itself reports an unreadable file
    checkpoint = _checkpoint(path)
    try:
        if (checkpoint.stat().st_mtime > modified + SLACK_SECONDS
                and checkpoint.read_text(encoding="utf-8") != text):
            notes.append(_(OLDER_THAN_CHECKPOINT).format(
                name=path.name, checkpoint=f".ipynb_checkpoints/{checkpoint.name}"))
    except (OSError, UnicodeDecodeError):
        pass
    if _never_run(text):
        notes.append(_(NEVER_RUN).format(name=path.name))
    return notes
