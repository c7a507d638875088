"""The command lines that start a sandboxed kernel, checked without starting one."""

import subprocess
import sys

from autograder.sandbox import commands as sb


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
