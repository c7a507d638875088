"""The sandboxed kernel manager: real kernels started through nbclient.

One sandboxed kernel runs a notebook of hostile cells (results are read by
several tests); a fallback kernel, a refused start and two concurrent kernels
cover the rest. The command lines, uids and probe are tested without a kernel
(test_commands.py, test_uids.py, test_probe.py).
"""
from __future__ import annotations

import ast
import asyncio
import json
import logging
import os
import socket
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from autograder.constants import PACKAGE_DIR
from autograder.sandbox import commands, probe
from autograder.sandbox.kernel_manager import SandboxedKernelManager
from autograder.sandbox.probe import SandboxUnavailableError

HAVE_BWRAP = probe.sandbox_available()
IS_ROOT = os.geteuid() == 0
needs_bwrap = pytest.mark.skipif(
    not HAVE_BWRAP, reason=f"bubblewrap sandbox unavailable here: {probe.describe_sandbox()}")
SECRET = "TOP-SECRET-course-file-42"
#: The folder that holds the environment running the tests: a checkout, when the venv
#: was made inside one (as scripts/setup.sh makes it).
CHECKOUT = Path(sys.prefix).parent

PRELUDE = """\
import json, os, socket, sys
def attempt(fn):
    try:
        return "OK:" + repr(fn())[:80]
    except BaseException as e:
        return "ERR:%s:%s" % (type(e).__name__, getattr(e, "errno", ""))
def report(**kw):
    print("REPORT " + json.dumps(kw))
"""


# ---------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder: a secret, a gradebook, a hostile submission, public files."""
    root = tmp_path_factory.mktemp("course")
    (root / "secret.txt").write_text(SECRET)
    (root / "gradebook.db").write_text(SECRET)
    sub = root / "submitted" / "alice" / "ps1"
    sub.mkdir(parents=True)
    (sub / "numpy.py").write_text("raise SystemExit('hostile numpy imported')\n")
    (sub / "autograder.py").write_text("raise SystemExit('hostile autograder imported')\n")
    public = root / "release" / "ps1"
    public.mkdir(parents=True)
    (public / "data_prep.py").write_text(
        "import pandas as pd\n\ndef load(path='binary.csv'):\n    return pd.read_csv(path)\n")
    (public / "binary.csv").write_text("admit,gre,gpa\n0,380,3.61\n1,660,3.67\n1,800,4.0\n")
    (public / "ps1.ipynb").write_text("{}")  # notebooks are not copied
    return {"root": root, "sub": sub, "public": public, "secret": root / "secret.txt"}


def make_nb(*sources, slow=()):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for i, src in enumerate(sources):
        cell = nbformat.v4.new_code_cell(textwrap.dedent(src))
        if i in slow:
            cell.metadata["tags"] = ["slow"]
        nb.cells.append(cell)
    return nb


def make_client(nb, course, km_class=SandboxedKernelManager, client_kw=None, **traits):
    c = Config()
    c.SandboxedKernelManager.public_dir = str(course["public"])
    for name, value in traits.items():
        setattr(c.SandboxedKernelManager, name, value)
    return NotebookClient(nb, kernel_manager_class=km_class, config=c, timeout=60,
                          allow_errors=True, shutdown_kernel="immediate",
                          resources={"metadata": {"path": str(course["sub"])}},
                          **(client_kw or {}))


def reports(nb) -> dict:
    """Merge the REPORT lines of all cells; errors are kept under 'errors'."""
    merged = {"errors": []}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                for line in out["text"].splitlines():
                    if line.startswith("REPORT "):
                        merged.update(json.loads(line[len("REPORT "):]))
            elif out.get("output_type") == "error":
                merged["errors"].append(f"{out['ename']}: {out['evalue']}")
    return merged


# ------------------------------------------------- the hostile notebook
@pytest.fixture(scope="module")
def hostile(course):
    """Run one sandboxed kernel through a notebook of attacks; return what happened."""
    if not HAVE_BWRAP:
        pytest.skip(f"bubblewrap sandbox unavailable here: {probe.describe_sandbox()}")
    import matplotlib.font_manager  # noqa: F401 - the grader's font cache exists from here on

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    os.environ["AUTOGRADER_TEST_GRADER_SECRET"] = SECRET  # must not reach the kernel
    secret, sub, croot = str(course["secret"]), str(course["sub"]), str(course["root"])
    checkout = str(CHECKOUT)
    nb = make_nb(
        PRELUDE,
        """
        import numpy as np, pandas as pd, matplotlib.pyplot as plt
        import data_prep
        df = data_prep.load()
        plt.plot([1, 2]); plt.savefig("plot.png")
        report(np_sum=int(np.arange(10).sum()), df_shape=list(df.shape),
               gpa=float(df.gpa.max()), numpy_file=np.__file__, cwd=os.getcwd(),
               listing=sorted(os.listdir(".")), uid=os.getuid(), gid=os.getgid(),
               env=dict(os.environ), has_numpy_py=os.path.exists("numpy.py"),
               autograder=attempt(lambda: __import__("autograder")),
               oracle=attempt(lambda: __import__("autograder.core.oracle")),
               debugpy=attempt(lambda: __import__("debugpy")),
               history=get_ipython().history_manager.enabled,  # noqa: F821
               mpl_dir=plt.matplotlib.get_cachedir(),
               mpl_files=sorted(os.listdir(plt.matplotlib.get_cachedir())))
        """,
        f"""
        SECRET, SUB, COURSE, CHECKOUT = {secret!r}, {sub!r}, {croot!r}, {checkout!r}
        report(rel=attempt(lambda: open("../secret.txt").read()),
               rel_up=attempt(lambda: open("../../secret.txt").read()),
               absolute=attempt(lambda: open(SECRET).read()),
               gradebook=attempt(lambda: open(COURSE + "/gradebook.db").read()),
               proc1=attempt(lambda: open("/proc/1/root" + SECRET).read()),
               procself=attempt(lambda: open("/proc/self/root" + SECRET).read()),
               proc1_cwd=attempt(lambda: os.listdir("/proc/1/cwd")),
               sub_listing=attempt(lambda: os.listdir(SUB)),
               ssh=attempt(lambda: os.listdir("/root/.ssh")),
               shadow=attempt(lambda: open("/etc/shadow").read()),
               root_listing=sorted(os.listdir("/root")),
               checkout=attempt(lambda: sorted(os.listdir(CHECKOUT))))
        """,
        f"""
        def conn(addr):
            s = socket.socket()
            s.settimeout(3)
            try:
                s.connect(addr)
                return "connected"
            finally:
                s.close()
        report(loopback=attempt(lambda: conn(("127.0.0.1", {port}))),
               internet=attempt(lambda: conn(("8.8.8.8", 53))))
        """,
        f"""
        SUB = {sub!r}
        report(w_sub=attempt(lambda: open(SUB + "/pwned.txt", "w").write("x")),
               w_usr=attempt(lambda: open("/usr/pwned.txt", "w").write("x")),
               w_prefix=attempt(lambda: open(sys.prefix + "/pwned.txt", "w").write("x")),
               w_etc=attempt(lambda: open("/etc/pwned.txt", "w").write("x")),
               w_home=attempt(lambda: open("mine.txt", "w").write("x")),
               w_tmp=attempt(lambda: open("/tmp/mine.txt", "w").write("x")),
               f_small=attempt(lambda: open("small.bin", "wb").write(b"x" * 2**19)),
               f_big=attempt(lambda: open("big.bin", "wb").write(b"x" * 2**21)))
        """,
        f"""
        ex = os.environ["AUTOGRADER_EXCHANGE_DIR"]
        with open(os.path.join(ex, "result.json"), "w") as f:
            json.dump({{"score": 7}}, f)
        os.makedirs(os.path.join(ex, "sub"))
        open(os.path.join(ex, "sub", "note.txt"), "w").write("hi")
        os.symlink({secret!r}, os.path.join(ex, "leak.txt"))  # a host path
        os.mkfifo(os.path.join(ex, "fifo"))
        report(exchange_inside=ex)
        """,
        "while True:\n    pass\n",  # interrupted after its 3 s timeout
        "report(alive_after_interrupt=True)",
        """
        import time
        pids, err = [], None
        for _ in range(500):
            try:
                pid = os.fork()
            except OSError as e:
                err = type(e).__name__
                break
            if pid == 0:
                time.sleep(60)
                os._exit(0)
            pids.append(pid)
        for p in pids:
            os.kill(p, 9)
        for p in pids:
            os.waitpid(p, 0)
        report(forked=len(pids), fork_error=err)
        """,
        """
        def grow():
            chunks = []
            while True:
                chunks.append(b"x" * 2**26)
        report(huge=attempt(lambda: len(bytearray(8 * 2**30))), grow=attempt(grow))
        """,
        "report(alive_at_end=True)",
        slow={6},
    )
    seen = {}

    def on_cell_executed(cell, cell_index, execute_reply):
        if "AUTOGRADER_EXCHANGE_DIR" in cell.source:  # the kernel is still alive here
            km = client.km
            seen["alive_read"] = km.read_exchange()
            seen["exchange_dir_host"] = km.exchange_dir_host
            seen["work_dir_host"] = km.work_dir_host
            seen["uid"] = km.sandbox_uid
            with open(os.path.join(km.exchange_dir_host, "result.json")) as f:
                seen["direct_read"] = f.read()

    def at_cleanup(km, files):
        seen["cleanup_files"] = files
        seen["cleanup_dir_existed"] = os.path.isdir(km.exchange_dir_host)

    client = make_client(
        nb, course, max_file_size=2**20, exchange_callback=at_cleanup,
        client_kw=dict(on_cell_executed=on_cell_executed, interrupt_on_timeout=True,
                       error_on_timeout={"ename": "Timeout", "evalue": "", "traceback": []},
                       timeout_func=lambda cell: 3 if "slow" in cell.metadata.get("tags", []) else 60))
    try:
        client.execute()
    finally:
        listener.close()
        del os.environ["AUTOGRADER_TEST_GRADER_SECRET"]
    stderr = "".join(out.get("text", "") for cell in nb.cells for out in cell.get("outputs", [])
                     if out.get("output_type") == "stream" and out.get("name") == "stderr")
    return {"r": reports(nb), "seen": seen, "port": port, "stderr": stderr}


def test_imports_and_public_files(hostile, course):
    r = hostile["r"]
    assert r["np_sum"] == 45 and r["df_shape"] == [3, 3] and r["gpa"] == 4.0
    assert r["numpy_file"].endswith("site-packages/numpy/__init__.py")
    assert str(course["sub"]) not in r["numpy_file"] and not r["has_numpy_py"]
    assert r["cwd"] == commands.SANDBOX_HOME
    assert r["listing"] == ["binary.csv", "data_prep.py", "exchange", "plot.png"]
    # the course package's student side (not the student's autograder.py), and no oracle
    assert r["autograder"] == f"OK:<module 'autograder' from '{PACKAGE_DIR}/__init__.py'>"
    assert r["oracle"] == "ERR:ModuleNotFoundError:"


def test_kernel_starts_lean(hostile):
    """No debugger in a grading kernel; matplotlib starts from the grader's font cache
    in a folder of the kernel's own (no font scan, no warning about it)."""
    r = hostile["r"]
    assert r["debugpy"].startswith("ERR:") and r["history"] is False
    assert r["mpl_dir"].endswith("/run/matplotlib")
    fonts = [name for name in r["mpl_files"] if name.startswith("fontlist-v")]
    assert fonts and fonts == [os.path.basename(p) for p in commands.grader_font_lists()]
    assert "font cache" not in hostile["stderr"]
    assert "Matplotlib created a temporary" not in hostile["stderr"]


def test_kernel_env_is_minimal(hostile):
    env = hostile["r"]["env"]
    assert "AUTOGRADER_TEST_GRADER_SECRET" not in env and "JPY_PARENT_PID" not in env
    assert env["HOME"] == commands.SANDBOX_HOME and env["MPLBACKEND"] == "module://matplotlib_inline.backend_inline"
    assert env["OPENBLAS_NUM_THREADS"] == "1" and env["LC_ALL"] == "C.UTF-8"
    assert env["AUTOGRADER_EXCHANGE_DIR"] == commands.SANDBOX_HOME + "/exchange"


def test_runs_as_unprivileged_uid(hostile):
    r, seen = hostile["r"], hostile["seen"]
    if IS_ROOT:
        assert r["uid"] == r["gid"] == seen["uid"] != 0
        assert 900000 <= r["uid"] < 901000
    else:
        assert r["uid"] == os.getuid()


def test_host_files_invisible(hostile):
    r = hostile["r"]
    for key in ("rel", "rel_up", "absolute", "gradebook", "proc1", "procself",
                "proc1_cwd", "sub_listing", "ssh", "shadow"):
        assert r[key].startswith("ERR:"), (key, r[key])
    assert SECRET not in json.dumps(r)
    assert r["root_listing"] == ([".pyenv"] if sys.base_prefix.startswith("/root/") else [])
    if (CHECKOUT / "pyproject.toml").exists():  # the venv sits in a checkout of the course
        # only the venv and the student side of the package (an editable install's folder):
        # no source/, solutions/, tests/ or course files
        assert r["checkout"].startswith("OK:"), r["checkout"]
        seen = set(ast.literal_eval(r["checkout"][3:]))
        assert seen <= {Path(sys.prefix).name, "autograder"}, seen


def test_no_network(hostile):
    r = hostile["r"]
    assert r["loopback"].startswith("ERR:"), r["loopback"]
    assert r["internet"].startswith("ERR:"), r["internet"]


def test_writes_confined_to_work_folder(hostile, course):
    r = hostile["r"]
    for key in ("w_sub", "w_usr", "w_prefix", "w_etc"):
        assert r[key].startswith("ERR:"), (key, r[key])
    assert r["w_home"] == r["w_tmp"] == "OK:1"
    assert not (course["sub"] / "pwned.txt").exists()
    assert not os.path.exists("/usr/pwned.txt")
    assert not os.path.exists(os.path.join(sys.prefix, "pwned.txt"))


def test_file_size_limit(hostile):
    r = hostile["r"]
    assert r["f_small"] == "OK:%d" % 2**19
    assert r["f_big"] == "ERR:OSError:27"  # EFBIG


def test_exchange_readable_on_host(hostile):
    seen = hostile["seen"]
    assert json.loads(seen["direct_read"]) == {"score": 7}
    expected = {"result.json": b'{"score": 7}', "sub/note.txt": b"hi"}
    assert seen["alive_read"] == expected  # symlink to a host file and FIFO skipped
    assert seen["cleanup_files"] == expected and seen["cleanup_dir_existed"]
    assert not os.path.exists(seen["work_dir_host"])  # removed at cleanup


def test_interrupt_reaches_kernel(hostile):
    assert hostile["r"]["alive_after_interrupt"] is True
    assert any(e.startswith("KeyboardInterrupt") for e in hostile["r"]["errors"])


def test_fork_bomb_stopped(hostile):
    r = hostile["r"]
    assert r["fork_error"] == "BlockingIOError"
    assert 0 < r["forked"] < 64


def test_memory_bomb_fails(hostile):
    r = hostile["r"]
    assert r["huge"] == "ERR:MemoryError:"
    assert r["grow"] == "ERR:MemoryError:"
    assert r["alive_at_end"] is True


# ------------------------------------------------------ other kernels
def test_fallback_without_bwrap(course, caplog):
    nb = make_nb(PRELUDE, """
        import numpy, data_prep, resource
        ex = os.environ["AUTOGRADER_EXCHANGE_DIR"]
        open(os.path.join(ex, "out.txt"), "w").write("fallback")
        report(cwd=os.getcwd(), listing=sorted(os.listdir(".")), numpy_file=numpy.__file__,
               rows=len(data_prep.load()), fsize=resource.getrlimit(resource.RLIMIT_FSIZE)[0],
               exchange=ex)
        """)
    got = {}
    client = make_client(nb, course, bwrap_path="/nonexistent/bwrap", max_file_size=12345,
                         exchange_callback=lambda km, files: got.update(km=km, files=files))
    with caplog.at_level(logging.WARNING):
        client.execute()
    r = reports(nb)
    assert not r["errors"]
    km = got["km"]
    assert not km.sandboxed and km.sandbox_uid is None
    assert r["cwd"] == km.work_dir_host == km.work_dir_inside
    assert r["exchange"] == km.exchange_dir_inside == km.exchange_dir_host
    assert r["listing"] == ["binary.csv", "data_prep.py", "exchange"]
    assert str(course["sub"]) not in r["numpy_file"] and r["rows"] == 3
    assert r["fsize"] == 12345
    assert got["files"] == {"out.txt": b"fallback"}
    assert any("SANDBOX DISABLED" in rec.getMessage() for rec in caplog.records)


def test_require_sandbox_refuses_fallback(course):
    client = make_client(make_nb("1"), course, bwrap_path="/nonexistent/bwrap",
                         require_sandbox=True)
    with pytest.raises(SandboxUnavailableError, match="require_sandbox"):
        client.execute()


@needs_bwrap
@pytest.mark.skipif(not IS_ROOT, reason="per-kernel uids are only used when grading as root")
def test_concurrent_kernels_get_different_uids(course):
    nbs = [make_nb("import os, time; time.sleep(1); print(os.getuid())") for _ in range(2)]

    async def run_both():
        await asyncio.gather(*(make_client(nb, course).async_execute() for nb in nbs))

    asyncio.run(run_both())
    uids = [int(nb.cells[0].outputs[0]["text"]) for nb in nbs]
    assert uids[0] != uids[1] and 0 not in uids
