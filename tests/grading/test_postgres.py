"""``backprop grade`` with a PostgreSQL gradebook (``$BACKPROP_DB_URL``).

The server comes from ``$BACKPROP_TEST_PG_URL`` (CI starts one with
``scripts/start-postgres.sh``); without it the test starts a throwaway server
with the same script when the PostgreSQL binaries are installed, and skips
otherwise. Each test works in a fresh database. Select with ``pytest -m postgres``.
"""

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from autograder.core.course import ASSIGNMENT
from autograder.demo.sample_class import make_release, write_submissions
from autograder.workspace.folder import nbgrader
from tests.grading.helpers import (
    BY_NAME,
    clone,
    gradebook_dump,
    gradebook_table,
    graded_outputs,
    run_backprop,
)
from tests.support import REPO

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SEED = 4242
CLASS = [(name, BY_NAME[name]) for name in ("perfect", "raises", "every_record")]
SCRIPT = REPO / "scripts" / "start-postgres.sh"
URL_ENV = "BACKPROP_TEST_PG_URL"


def _have_server_binaries() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A base URL of a running server: ``$BACKPROP_TEST_PG_URL`` or a throwaway one."""
    pytest.importorskip("psycopg")
    if os.environ.get(URL_ENV):
        yield os.environ[URL_ENV]
        return
    if not _have_server_binaries():
        pytest.skip(f"no PostgreSQL: set {URL_ENV} or install the postgresql server package")
    # The server may run as the `postgres` user: a folder it can reach, not below
    # pytest's private (mode 0700) temporary folders.
    parent = Path(tempfile.mkdtemp(prefix="backprop-pg-test-"))
    parent.chmod(0o755)
    datadir = parent / "data"
    started = subprocess.run(["bash", str(SCRIPT)], env=dict(os.environ, BACKPROP_PG_DIR=str(datadir)),
                             capture_output=True, text=True, timeout=180)
    try:
        if started.returncode != 0:
            pytest.skip(f"could not start a throwaway PostgreSQL server: {started.stderr[-500:]}")
        yield started.stdout.strip()
    finally:
        if started.returncode == 0:
            subprocess.run(["bash", str(SCRIPT), "--stop", str(datadir)], capture_output=True,
                           timeout=120)
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture
def databases(server):
    """Fresh, empty databases on the server (``databases()`` makes one); dropped afterwards."""
    import sqlalchemy

    names = []
    admin = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")

    def make():
        name = f"backprop_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        url = sqlalchemy.engine.make_url(server).set(database=name)
        return url.render_as_string(hide_password=False)

    try:
        yield make
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database(databases):
    return databases()


@pytest.fixture(scope="module")
def sqlite_reference(tmp_path_factory):
    """The class graded with the default SQLite gradebook."""
    course = make_release(tmp_path_factory.mktemp("pg-ref") / "course", seed=SEED)
    write_submissions(course, CLASS)
    result = run_backprop(["grade", ASSIGNMENT, "--workers", 2], course=course)
    assert result.returncode == 0, result.stdout + result.stderr
    return course


def test_grading_into_a_postgresql_gradebook(database, sqlite_reference, tmp_path):
    env = {"BACKPROP_DB_URL": database}
    course = clone(sqlite_reference, tmp_path / "course")
    shutil.rmtree(course / "autograded")
    (course / "gradebook.db").unlink()
    nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course=course, env=env)
    assert not (course / "gradebook.db").exists()

    result = run_backprop(["grade", ASSIGNMENT, "--workers", 2], course=course, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Graded {len(CLASS)} submissions" in result.stdout
    assert not (course / "gradebook.db").exists()
    assert gradebook_table(course, db_url=database) == gradebook_table(sqlite_reference)

    again = run_backprop(["grade", ASSIGNMENT], course=course, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Graded 0 submissions" in again.stdout

    # a submission whose autograded notebook is gone is graded again
    shutil.rmtree(course / "autograded")
    forced = run_backprop(["grade", ASSIGNMENT, "--student", "raises"], course=course, env=env)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "Graded 1 submission " in forced.stdout
    assert gradebook_table(course, db_url=database) == gradebook_table(sqlite_reference)


def test_same_postgresql_gradebook_as_nbgrader_autograde(databases, sqlite_reference, tmp_path):
    """The equality test of test_coordinator, with both gradebooks in PostgreSQL."""
    courses = {}
    for name in ("sequential", "parallel"):
        url = databases()
        course = clone(sqlite_reference, tmp_path / name)
        shutil.rmtree(course / "autograded")
        (course / "gradebook.db").unlink()
        nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course=course,
                 env={"BACKPROP_DB_URL": url})
        courses[name] = (course, url)
    (sequential, seq_url), (parallel, par_url) = courses["sequential"], courses["parallel"]
    stock = nbgrader(["autograde", ASSIGNMENT, "--force"], course=sequential, check=False,
                     env={"BACKPROP_DB_URL": seq_url})
    assert stock.returncode == 0, stock.stdout[-3000:]
    ours = run_backprop(["grade", ASSIGNMENT, "--workers", 2], course=parallel,
                        env={"BACKPROP_DB_URL": par_url})
    assert ours.returncode == 0, ours.stdout + ours.stderr
    expected = gradebook_dump(seq_url)
    assert gradebook_dump(par_url) == expected
    assert sorted(expected["students"]) == sorted(name for name, _ in CLASS)
    assert gradebook_table(parallel, db_url=par_url) == gradebook_table(sqlite_reference)
    for student, _ in CLASS:
        assert graded_outputs(parallel, student) == graded_outputs(sequential, student)
