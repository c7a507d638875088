"""Tests of autograder.sandbox: real kernels started through nbclient.

One sandboxed kernel runs a notebook of hostile cells (results are read by
several tests); a fallback kernel, a refused start and two concurrent kernels
cover the rest.  The helper-level tests need no kernel.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from autograder import sandbox as sb
from autograder.sandbox import SandboxedKernelManager, SandboxUnavailableError

HAVE_BWRAP = sb.sandbox_available()
IS_ROOT = os.geteuid() == 0
needs_bwrap = pytest.mark.skipif(
    not HAVE_BWRAP, reason=f"bubblewrap sandbox unavailable here: {sb.describe_sandbox()}")
SECRET = "TOP-SECRET-course-file-42"

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
        pytest.skip(f"bubblewrap sandbox unavailable here: {sb.describe_sandbox()}")
    import matplotlib.font_manager  # noqa: F401 - the grader's font cache exists from here on

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    os.environ["AUTOGRADER_TEST_GRADER_SECRET"] = SECRET  # must not reach the kernel
    secret, sub, croot = str(course["secret"]), str(course["sub"]), str(course["root"])
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
               debugpy=attempt(lambda: __import__("debugpy")),
               history=get_ipython().history_manager.enabled,  # noqa: F821
               mpl_dir=plt.matplotlib.get_cachedir(),
               mpl_files=sorted(os.listdir(plt.matplotlib.get_cachedir())))
        """,
        f"""
        SECRET, SUB, COURSE = {secret!r}, {sub!r}, {croot!r}
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
               work_main=attempt(lambda: sorted(os.listdir("/work/main"))))
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
    assert r["cwd"] == sb.SANDBOX_HOME
    assert r["listing"] == ["binary.csv", "data_prep.py", "exchange", "plot.png"]
    assert r["autograder"].startswith("ERR:")  # neither the grader's nor the student's


def test_kernel_starts_lean(hostile):
    """No debugger in a grading kernel; matplotlib starts from the grader's font cache
    in a folder of the kernel's own (no font scan, no warning about it)."""
    r = hostile["r"]
    assert r["debugpy"].startswith("ERR:") and r["history"] is False
    assert r["mpl_dir"].endswith("/run/matplotlib")
    fonts = [name for name in r["mpl_files"] if name.startswith("fontlist-v")]
    assert fonts and fonts == [os.path.basename(p) for p in sb.grader_font_lists()]
    assert "font cache" not in hostile["stderr"]
    assert "Matplotlib created a temporary" not in hostile["stderr"]


def test_kernel_env_is_minimal(hostile):
    env = hostile["r"]["env"]
    assert "AUTOGRADER_TEST_GRADER_SECRET" not in env and "JPY_PARENT_PID" not in env
    assert env["HOME"] == sb.SANDBOX_HOME and env["MPLBACKEND"] == "Agg"
    assert env["OPENBLAS_NUM_THREADS"] == "1" and env["LC_ALL"] == "C.UTF-8"
    assert env["AUTOGRADER_EXCHANGE_DIR"] == sb.SANDBOX_HOME + "/exchange"


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
    if sys.prefix.startswith("/work/main/"):
        assert r["work_main"] == "OK:['.venv']"  # only the venv, no source/ or solutions/


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


# ------------------------------------------------- helpers, no kernel
def test_bwrap_command_layout(tmp_path):
    conn, work = "/tmp/autograder-sbx-x/run", str(tmp_path / "work")
    cmd = sb.bwrap_command("/usr/bin/bwrap", work_host=work, conn_dir=conn,
                           env={"PATH": "/usr/bin", "HOME": sb.SANDBOX_HOME},
                           ro_paths=[sys.prefix, "/usr/lib"], tmp_size=1000)
    assert cmd[0] == "/usr/bin/bwrap" and cmd[-1] == "--"
    for flag in ("--unshare-net", "--unshare-pid", "--die-with-parent", "--new-session",
                 "--clearenv"):
        assert flag in cmd
    assert "--unshare-all" not in cmd and "--unshare-user" not in cmd  # root + setpriv
    pairs = list(zip(cmd, cmd[1:], cmd[2:]))
    rw = [(a, b) for f, a, b in pairs if f == "--bind"]
    assert rw == [(conn, conn), (work, sb.SANDBOX_HOME)]
    assert cmd.index("/tmp") < cmd.index(conn)  # tmpfs /tmp first, then binds below it
    assert ("--ro-bind", "/", "/") not in pairs
    assert ("--ro-bind", "/usr/lib", "/usr/lib") not in pairs  # already under /usr
    assert ("--chdir", sb.SANDBOX_HOME) == tuple(cmd[cmd.index("--chdir"):][:2])
    assert ("--perms", "0755", "--dir") in pairs  # parents made traversable
    assert cmd.index("--clearenv") < cmd.index("--setenv")
    user_ns = sb.bwrap_command("bwrap", work_host=work, conn_dir=conn, env={},
                               user_namespace=True)
    assert "--unshare-all" in user_ns


def test_limits_and_privdrop_commands():
    cmd = sb.limits_command(cpu=600, address_space=3 * 2**30, processes=64,
                            file_size=2**26, open_files=1024, prlimit="/usr/bin/prlimit")
    assert cmd == ["/usr/bin/prlimit", "--core=0", "--cpu=600", f"--as={3 * 2**30}",
                   "--nproc=64", f"--fsize={2**26}", "--nofile=1024", "--"]
    assert "--as" not in " ".join(sb.limits_command(cpu=1, address_space=0, processes=1,
                                                    file_size=1, open_files=1))
    drop = sb.privdrop_command(900123, 900123)
    assert "--reuid=900123" in drop and "--clear-groups" in drop
    assert "--inh-caps=-all" in drop and "--no-new-privs" in drop and drop[-1] == "--"


def test_python_limits_command_sets_limits():
    prefix = sb.python_limits_command(cpu=100, address_space=0, processes=0,
                                      file_size=4096, open_files=200)
    out = subprocess.run(
        prefix + [sys.executable, "-c", "import resource as r; print(r.getrlimit(r.RLIMIT_FSIZE),"
                  " r.getrlimit(r.RLIMIT_CPU), r.getrlimit(r.RLIMIT_NOFILE))"],
        capture_output=True, text=True, check=True).stdout
    assert out.split() == ["(4096,", "4096)", "(100,", "100)", "(200,", "200)"]


def test_kernel_env_leaks_nothing(monkeypatch):
    monkeypatch.setenv("GRADER_TOKEN", "x")
    env = sb.kernel_env(home="/h", tmp="/t", exchange_dir="/h/exchange")
    assert "GRADER_TOKEN" not in env and "JPY_PARENT_PID" not in env
    assert env["PYTHONNOUSERSITE"] == "1" and env["MPLCONFIGDIR"].startswith("/t")


def test_read_tree_safely(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"a")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.txt").write_bytes(b"bb")
    (tmp_path / "big.txt").write_bytes(b"x" * 100)
    (tmp_path / "link").symlink_to("/etc/hostname")
    (tmp_path / "dlink").symlink_to("/etc")
    os.mkfifo(tmp_path / "fifo")
    assert sb.read_tree_safely(str(tmp_path), max_bytes=50) == {"a.txt": b"a", "d/b.txt": b"bb"}
    assert sb.read_tree_safely(str(tmp_path / "missing"), max_bytes=50) == {}


def test_allocate_uid_is_exclusive_across_processes(tmp_path):
    lock_dir = str(tmp_path / "locks")
    uid, lock = sb.allocate_uid(950000, 2, lock_dir)
    try:
        code = ("from autograder.sandbox import allocate_uid as a\n"
                f"held = a(950000, 2, {lock_dir!r})\nprint(held[0])\n"
                "try:\n    a(950000, 2, %r)\nexcept RuntimeError:\n    print('full')\n" % lock_dir)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
        assert int(out[0]) in (950000, 950001) and int(out[0]) != uid
        assert out[1] == "full"
        other, lock2 = sb.allocate_uid(950000, 3, lock_dir)  # same process, second kernel
        assert other != uid
        lock2.close()
    finally:
        lock.close()


def test_describe_sandbox():
    assert sb.sandbox_available("/nonexistent/bwrap") is False
    assert sb.describe_sandbox("/nonexistent/bwrap").startswith("NO SANDBOX")
    assert isinstance(sb.describe_sandbox(), str) and "\n" not in sb.describe_sandbox()
