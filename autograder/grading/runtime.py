"""The coordinator process while a run lasts: its folder, warnings and garbage collector."""

import gc
import logging
import os
from contextlib import contextmanager


@contextmanager
def warnings_to(log_file):
    """Python warnings go to the run's log file, not to the terminal."""
    handler = logging.FileHandler(log_file, encoding="utf-8")
    logger = logging.getLogger("py.warnings")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    logging.captureWarnings(True)
    try:
        yield
    finally:
        logging.captureWarnings(False)
        logger.removeHandler(handler)
        logger.propagate = propagate
        handler.close()


@contextmanager
def working_dir(path):
    here = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(here)


@contextmanager
def long_lived_frozen():
    """Keep the garbage collector off the run's long-lived objects.

    The modules, the nbgrader app and the gradebook's ORM mappings live for the
    whole run; without this, each full collection walks all of them again
    (about 0.4 s of the coordinator's CPU in a run of 16). Frozen before the
    workers are forked and again before the first submission; everything is
    unfrozen at the end, so garbage made before the run is still collected."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
