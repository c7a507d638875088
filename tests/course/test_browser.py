"""The notebook as students see it: JupyterLab in headless Chromium.

Each notebook variant (the release filled in with the solution, and the
release untouched) gets its own JupyterLab server, started on 127.0.0.1 on a
free port in a temporary folder that holds a copy of ``release/backprop/``.
The server runs with its own, empty Jupyter config, settings, workspace and
runtime folders, so nothing on the machine (a saved workspace, the news
prompt) can change what the page shows.

The tests drive the page the way a student does: open the notebook, wait for
the kernel, Run -> Run All Cells, wait until every code cell has run, then
read the check cells' output from the page; and click nbgrader's Validate
button. Three lab settings differ from the defaults, none of which changes
what runs: every cell stays attached to the page (``windowingMode: none``),
no blank space after the last cell, and no autosave. Full-page screenshots
are kept in ``test-artifacts/browser/``.

Skipped when Playwright or ``/usr/bin/chromium`` is missing.
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder.core.course import ITEMS
from autograder.demo.samples import solved
from tests.support import RELEASE_DIR, REPO, ZH_RELEASE_DIR, ZH_SOURCE_DIR

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]
NOTEBOOK = "backprop.ipynb"
ARTIFACTS = REPO / "test-artifacts" / "browser"
JUPYTER = Path(sys.executable).parent / "jupyter"

# Generous limits: the machine is slow and shared with other test suites.
SERVER_START_TIMEOUT = 120  # seconds
PAGE_TIMEOUT = 120_000  # milliseconds, for loading the page and starting the kernel
RUN_ALL_TIMEOUT = 300_000  # milliseconds; the notebook takes ~10 s when the machine is idle
VALIDATE_TIMEOUT = 300_000  # milliseconds; Validate runs the whole notebook again on the server

ITEM_IDS = [item.grade_id for item in ITEMS]
#: Every item's check sees the untouched placeholders (or weights that never
#: move) and says "not attempted".
UNTOUCHED_NOT_ATTEMPTED = ITEM_IDS
CJK = re.compile(r"[\u4e00-\u9fff]")
RESULT_LINE = re.compile(r"^\[(PASS|PART|FAIL)\] (\w+): ", re.MULTILINE)

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api", exc_type=ImportError,
                               reason="Playwright's Python package cannot be imported")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package)",
                allow_module_level=True)


# --------------------------------------------------------------------------- server

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_json(path: Path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


class LabServer:
    """One JupyterLab server in its own process group, serving ``root``."""

    def __init__(self, base: Path, root: Path, notebook):
        self.base, self.root = base, root
        self.code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
        self.token = secrets.token_hex(16)
        self.port = None
        self.process = None
        self.log_path = base / "jupyter-lab.log"
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def notebook_url(self, name=NOTEBOOK) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}"

    def log_tail(self, lines=40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    def _environment(self) -> dict:
        settings = self.base / "lab-settings"
        # No "would you like to receive news?" prompt and no update check.
        _write_json(settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
                    {"fetchNews": "false", "checkForUpdates": False})
        # Attach every cell to the page, so every output is in the DOM and in the
        # screenshots, and add no blank space after the last cell.
        _write_json(settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
                    {"windowingMode": "none", "scrollPastEnd": False})
        # The file on disk stays as written (outputs-free) until Validate saves it.
        _write_json(settings / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings",
                    {"autosave": False})
        env = dict(os.environ)
        env.pop("BACKPROP_GRADING", None)  # the checks must run, not defer to the grader
        env.update({
            "JUPYTER_CONFIG_DIR": str(self.base / "jupyter-config"),
            "JUPYTER_RUNTIME_DIR": str(self.base / "jupyter-runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.base / "lab-workspaces"),
            "IPYTHONDIR": str(self.base / "ipython"),
            "MPLCONFIGDIR": str(self.base / "matplotlib"),
            "PATH": str(JUPYTER.parent) + os.pathsep + os.environ.get("PATH", ""),
            "PYTHONUNBUFFERED": "1",
        })
        return env

    def _command(self) -> list:
        return [
            str(JUPYTER), "lab", "--no-browser", "--allow-root",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",  # fail rather than serve on another port
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]

    def start(self, attempts=3):
        for attempt in range(attempts):
            self.port = _free_port()
            self._log = open(self.log_path, "ab")
            # cwd=root: nbgrader's Validate reads nbgrader_config.py from the server's
            # working folder; a student's folder has none, and neither has this one.
            self.process = subprocess.Popen(
                self._command(), cwd=self.root, env=self._environment(),
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            if self._wait_until_ready():
                return self
            self.stop()  # most likely another process took the port first: try another
        raise RuntimeError(f"JupyterLab did not start after {attempts} attempts; "
                           f"server log:\n{self.log_tail()}")

    def api(self, path):
        """GET ``/api/<path>`` as JSON, or None while the server does not answer."""
        request = urllib.request.Request(f"{self.url}/api/{path}",
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read()) if response.status == 200 else None
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def _wait_until_ready(self) -> bool:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if self.api("status") is not None:
                return True
            time.sleep(0.25)
        return False

    def wait_for_idle_kernel(self, name=NOTEBOOK, timeout=PAGE_TIMEOUT / 1000):
        """Wait until the server has a session for the notebook with an idle kernel."""
        deadline = time.monotonic() + timeout
        sessions = None
        while time.monotonic() < deadline:
            sessions = self.api("sessions")
            for session in sessions or ():
                kernel = session.get("kernel") or {}
                if session.get("path") == name and kernel.get("execution_state") == "idle":
                    return kernel
            time.sleep(0.25)
        raise AssertionError(f"no idle kernel for {name} after {timeout:.0f} s; "
                             f"sessions: {sessions}\nserver log:\n{self.log_tail()}")

    def stop(self):
        process, self.process = self.process, None
        if process is not None:
            kernels = []
            try:
                import psutil

                kernels = psutil.Process(process.pid).children(recursive=True)
            except Exception:  # noqa: BLE001 - psutil missing or the server already gone
                pass
            # SIGTERM to the server's group: the server shuts its kernels down and exits.
            self._signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._signal_group(process, signal.SIGKILL)
                process.wait(timeout=30)
            # Kernels run in process groups of their own; end any the server left behind.
            for kernel in kernels:
                try:
                    kernel.kill()
                except Exception:  # noqa: BLE001 - already gone
                    pass
        if self._log is not None:
            self._log.close()
            self._log = None

    @staticmethod
    def _signal_group(process, sig):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass


def _serve(tmp_path_factory, request, name, notebook, release_dir=RELEASE_DIR):
    base = tmp_path_factory.mktemp(f"lab-{name}")
    root = base / release_dir.name
    shutil.copytree(release_dir, root)
    nbformat.write(notebook, str(root / NOTEBOOK))
    server = LabServer(base, root, notebook)
    request.addfinalizer(server.stop)
    return server.start()


@pytest.fixture(scope="module")
def solved_server(tmp_path_factory, request, release_nb, source_nb):
    return _serve(tmp_path_factory, request, "solved", solved(release_nb, source_nb))


@pytest.fixture(scope="module")
def zh_solved_server(tmp_path_factory, request):
    release = nbformat.read(str(ZH_RELEASE_DIR / NOTEBOOK), as_version=4)
    source = nbformat.read(str(ZH_SOURCE_DIR / NOTEBOOK), as_version=4)
    return _serve(tmp_path_factory, request, "zh-solved", solved(release, source),
                  release_dir=ZH_RELEASE_DIR)


@pytest.fixture(scope="module")
def untouched_server(tmp_path_factory, request, release_nb):
    return _serve(tmp_path_factory, request, "untouched", release_nb)


# --------------------------------------------------------------------------- browser

@pytest.fixture(scope="module")
def browser():
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              timeout=PAGE_TIMEOUT)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob("*failed.png"):  # from an earlier, failed run
        stale.unlink(missing_ok=True)
    return ARTIFACTS


NOTEBOOK_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL_STATUS = f"{NOTEBOOK_PANEL} .jp-Notebook-ExecutionIndicator"
PROMPTS = f"{NOTEBOOK_PANEL} .jp-CodeCell .jp-InputPrompt"

_PROMPTS_JS = f"""() => [...document.querySelectorAll({json.dumps(PROMPTS)})]
                        .map(e => e.textContent.trim())"""
_KERNEL_STATUS_JS = f"""() => document.querySelector({json.dumps(KERNEL_STATUS)})?.dataset.status"""
_DIALOG_JS = """() => {
    const dialog = document.querySelector(".jp-Dialog");
    return dialog ? "dialog: " + dialog.innerText.trim() : "";
}"""
# Each returns a truthy string when its wait is over: the state, or an open dialog.
_LOADED_JS = f"""(cells) => ({_DIALOG_JS})() || (
    ({_PROMPTS_JS})().length === cells && ({_KERNEL_STATUS_JS})() === "idle" ? "loaded" : "")"""
_STARTED_JS = f"""() => ({_DIALOG_JS})() || (
    ({_PROMPTS_JS})().some(p => p === "[*]:" || /^\\[\\d+\\]:$/.test(p)) ? "started" : "")"""
_FINISHED_JS = f"""() => {{
    const dialog = ({_DIALOG_JS})();
    if (dialog) return dialog;
    const state = ({_KERNEL_STATUS_JS})();
    if (state === "dead") return "kernel dead";
    return state === "idle" && !({_PROMPTS_JS})().includes("[*]:") ? "finished" : "";
}}"""
SELECT_KERNEL = "dialog: Select Kernel"


def _wait(page, script, arg=None, timeout=PAGE_TIMEOUT) -> str:
    return page.wait_for_function(script, arg=arg, timeout=timeout, polling=200).json_value()


def _accept_kernel_choice(page, state):
    """Answer JupyterLab's "Select Kernel" dialog with its default, Python 3.

    JupyterLab asks when the notebook has no kernel at the moment cells are
    run, which happened once here on a heavily loaded machine; a student would
    click "Select" too. Any other dialog fails the test with its text.
    """
    assert state.startswith(SELECT_KERNEL), f"unexpected JupyterLab dialog:\n{state}"
    print(f"JupyterLab asked for a kernel; choosing its default:\n{state}")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    sync_api.expect(page.locator(".jp-Dialog")).to_have_count(0)


def open_notebook(page, server):
    """Open the notebook; wait until every code cell is on the page and the kernel is idle."""
    page.goto(server.notebook_url(), wait_until="domcontentloaded")
    # The notebook renders its cells a few at a time: wait for all of them, and for
    # the kernel, both as the page shows it and as the server reports it.
    for _ in range(3):
        state = _wait(page, _LOADED_JS, server.code_cells)
        if state == "loaded":
            break
        _accept_kernel_choice(page, state)
    assert state == "loaded", state
    server.wait_for_idle_kernel()
    prompts = page.evaluate(_PROMPTS_JS)
    assert all(p == "[ ]:" for p in prompts), f"the notebook has been run before: {prompts}"
    # Fold the file browser away: the screenshots show only the notebook.
    current = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if current.count():
        current.first.click()
    return len(prompts)


def run_all_cells(page):
    """Run -> Run All Cells from the menu bar; wait until the kernel is done."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^\s*Run\s*$")).click()
    item = page.locator("#jp-mainmenu-run .lm-Menu-item[data-command='runmenu:run-all']")
    sync_api.expect(item).to_contain_text("Run All Cells")
    item.click()
    for _ in range(3):
        state = _wait(page, _STARTED_JS)
        if state == "started":
            break
        _accept_kernel_choice(page, state)
    assert state == "started", state
    # Done when no cell is queued or running and the kernel is idle. Run All stops
    # at a cell that raises, so the caller checks that every cell got a number.
    state = _wait(page, _FINISHED_JS, timeout=RUN_ALL_TIMEOUT)
    assert state == "finished", f"Run All did not finish: {state}"


def code_cells(page):
    """(prompt, source, [(mime type, text)]) for each code cell on the page."""
    return page.evaluate(f"""() => [...document.querySelectorAll(
            {json.dumps(NOTEBOOK_PANEL + " .jp-CodeCell")})].map(cell => [
        cell.querySelector(".jp-InputPrompt").textContent.trim(),
        [...cell.querySelectorAll(".jp-InputArea-editor .cm-line")]
            .map(line => line.textContent).join("\\n"),
        [...cell.querySelectorAll(".jp-OutputArea-output")]
            .map(out => [out.dataset.mimeType || "", out.textContent]),
    ])""")


def describe(cells) -> str:
    """The cells as text, for assertion messages."""
    parts = []
    for prompt, source, outputs in cells:
        parts.append(f"{prompt} {source.splitlines()[-1] if source else ''}")
        parts.extend(f"    {mime}: {text.strip()[:800]}" for mime, text in outputs)
    return "\n".join(parts)


def check_results(cells):
    """{grade_id: (mark, the check cell's stdout, its stderr)} from the check cells."""
    results = {}
    for _, source, outputs in cells:
        if "selfcheck." not in source or "import" in source:
            continue
        # a check shows its result as Markdown (rendered on the page), never on stderr
        stdout = "".join(text for mime, text in outputs
                         if mime.endswith("stdout") or mime == "text/markdown")
        stderr = "".join(text for mime, text in outputs if mime.endswith("stderr"))
        lines = RESULT_LINE.findall(stdout)
        assert len(lines) == 1, f"expected one result line in the check cell\n{source}\n{stdout}"
        mark, grade_id = lines[0]
        assert grade_id not in results, f"two check cells report {grade_id}"
        results[grade_id] = (mark, stdout, stderr)
    return results


def screenshot(page, path: Path, max_height=16_000):
    """A full-page screenshot of the whole notebook.

    JupyterLab never scrolls the page, only the notebook panel inside it, so a
    full-page screenshot shows just the window. Grow the window until the panel
    holds the whole notebook (up to ``max_height`` px), scroll the panel to the
    top, then take it.
    """
    measure = f"""async () => {{
        await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
        const panel = document.querySelector({json.dumps(NOTEBOOK_PANEL + " .jp-WindowedPanel-outer")});
        if (!panel) return [0, 0];
        panel.scrollTop = 0;
        return [panel.scrollHeight, panel.clientHeight];
    }}"""
    height = page.viewport_size["height"]
    for _ in range(8):
        content, shown = page.evaluate(measure)
        if shown >= content or height >= max_height:
            break
        height = min(height + content - shown + 40, max_height)
        page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
    page.screenshot(path=str(path), full_page=True)


@contextlib.contextmanager
def diagnosed(page, server, artifacts, name):
    """On failure keep a screenshot, and show the server log with pytest's report."""
    try:
        yield
    except BaseException:
        try:
            page.screenshot(path=str(artifacts / f"{name}-failed.png"))
        finally:
            print(f"JupyterLab server log (last lines):\n{server.log_tail(80)}")
        raise


def run_and_read(page, server, artifacts, name):
    with diagnosed(page, server, artifacts, name):
        n_cells = open_notebook(page, server)
        started = time.monotonic()
        run_all_cells(page)
        elapsed = time.monotonic() - started
    cells = code_cells(page)
    screenshot(page, artifacts / f"{name}-after-run.png")
    assert len(cells) == n_cells
    unrun = [prompt for prompt, _, _ in cells if not re.fullmatch(r"\[\d+\]:", prompt)]
    assert not unrun, (f"Run All stopped after {elapsed:.0f} s with {len(unrun)} cells not run; "
                       f"the page shows:\n{describe(cells)}")
    return cells


# --------------------------------------------------------------------------- tests

def test_solved_notebook_passes_every_check_in_the_browser(page, solved_server, artifacts):
    cells = run_and_read(page, solved_server, artifacts, "solved")
    results = check_results(cells)
    assert list(results) == ITEM_IDS, describe(cells)
    failing = {grade_id: stdout for grade_id, (mark, stdout, _) in results.items() if mark != "PASS"}
    assert not failing, "checks that did not pass:\n" + "\n".join(failing.values())
    noisy = {grade_id: stderr for grade_id, (_, _, stderr) in results.items() if stderr}
    assert not noisy, f"check cells wrote to stderr (Validate counts that as a failure): {noisy}"
    page_text = "\n".join(text for _, _, outputs in cells for _, text in outputs)
    assert "[FAIL]" not in page_text and "[PART]" not in page_text
    assert "Traceback" not in page_text


def test_validate_button_accepts_the_solved_notebook(page, solved_server, artifacts):
    """nbgrader's lab extension adds a Validate button to the notebook toolbar.

    Clicking it saves the notebook, then asks the server's nbgrader extension
    (``POST /assignments/validate``) to run it from scratch and checks every
    grade cell; the result comes back in a dialog.
    """
    with diagnosed(page, solved_server, artifacts, "solved-validate"):
        open_notebook(page, solved_server)
        button = page.locator(f"{NOTEBOOK_PANEL} .jp-Toolbar .validate-button")
        sync_api.expect(button).to_have_count(1)
        sync_api.expect(button).to_contain_text("Validate")
        sync_api.expect(page.locator(".jp-Dialog")).to_have_count(0)
        button.locator("jp-button, button").first.click()
        # One dialog comes back: the results, or "Validation failed" when it could not run.
        dialog = page.locator(".jp-Dialog")
        dialog.wait_for(timeout=VALIDATE_TIMEOUT)
    page.screenshot(path=str(artifacts / "solved-validate.png"))
    text = dialog.inner_text()
    message = dialog.locator("#validation-message")
    assert message.count() == 1, f"no validation results; the dialog says:\n{text}"
    assert "validation-success" in (message.get_attribute("class") or ""), text
    assert "Success! Your notebook passes all the tests." in text
    sync_api.expect(page.locator(".jp-Dialog.nbgrader-SuccessDialog")).to_have_count(1)
    page.locator(".jp-Dialog button", has_text="Ok").click()
    sync_api.expect(page.locator(".jp-Dialog")).to_have_count(0)


def test_untouched_notebook_shows_not_attempted_in_the_browser(page, untouched_server, artifacts):
    cells = run_and_read(page, untouched_server, artifacts, "untouched")
    results = check_results(cells)
    assert list(results) == ITEM_IDS, describe(cells)
    passing = [grade_id for grade_id, (mark, _, _) in results.items() if mark != "FAIL"]
    assert not passing, f"an untouched notebook earns points on {passing}"
    for grade_id in UNTOUCHED_NOT_ATTEMPTED:
        assert "Not attempted" in results[grade_id][1], results[grade_id][1]
    page_text = "\n".join(text for _, _, outputs in cells for _, text in outputs)
    assert "[PASS]" not in page_text
    for name in ("error", "output_error_term", "hidden_error", "hidden_error_term",
                 "delta_w_h_o", "delta_w_i_h"):
        # the Markdown is rendered: `error` shows as code, without its backticks
        assert f"Not attempted: {name} is still the placeholder None." in page_text, name
    noisy = {grade_id: stderr for grade_id, (_, _, stderr) in results.items() if stderr}
    assert not noisy, f"failed checks wrote to stderr (an error box): {noisy}"


def test_validate_shows_each_failing_items_message_and_hint(page, untouched_server, artifacts):
    """Validate reruns the notebook on the server; a failed check then writes its message
    and hint to stderr, which is what Validate's dialog lists for each failed cell."""
    with diagnosed(page, untouched_server, artifacts, "untouched-validate"):
        open_notebook(page, untouched_server)
        button = page.locator(f"{NOTEBOOK_PANEL} .jp-Toolbar .validate-button")
        button.locator("jp-button, button").first.click()
        dialog = page.locator(".jp-Dialog")
        dialog.wait_for(timeout=VALIDATE_TIMEOUT)
    page.screenshot(path=str(artifacts / "untouched-validate.png"))
    text = dialog.inner_text()
    assert "VALIDATION FAILED ON 12 CELL(S)" in text or "The following cell failed" in text, text
    for item in ITEMS:
        assert f"[FAIL] {item.grade_id}: 0/" in text, (item.grade_id, text)
    assert "Not attempted: `error` is still the placeholder `None`." in text
    assert text.count("hint: ") >= len(ITEMS), text


def test_the_chinese_edition_checks_in_chinese_and_draws_every_glyph(page, zh_solved_server,
                                                                      artifacts):
    cells = run_and_read(page, zh_solved_server, artifacts, "zh-solved")
    results = check_results(cells)
    assert list(results) == ITEM_IDS, describe(cells)
    for grade_id, (mark, stdout, stderr) in results.items():
        assert mark == "PASS" and not stderr, (grade_id, stdout, stderr)
        assert CJK.search(stdout), f"{grade_id}'s check does not speak Chinese: {stdout}"
    plots = [outputs for _, source, outputs in cells if "label_loss_plot" in source]
    assert len(plots) == 1, describe(cells)
    assert any(mime == "image/png" for mime, _ in plots[0]), plots[0]
    # matplotlib warns for each glyph its fonts lack ("Glyph 35757 ... missing from font(s)")
    said = " ".join(text for _, text in plots[0])
    assert "missing from" not in said and "Glyph" not in said, said
    cell = page.locator(f"{NOTEBOOK_PANEL} .jp-CodeCell", has_text="label_loss_plot")
    cell.locator(".jp-OutputArea-output img").first.screenshot(path=str(artifacts / "zh-loss-plot.png"))
