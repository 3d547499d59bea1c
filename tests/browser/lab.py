"""Local servers on free ports for browser tests and the notebook benchmark: JupyterLab,
Notebook 7, and any app server (marimo, Panel, Streamlit), each stopped by its process id."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

TOKEN = "ipyreport-local-token"


def write_notebook(path: Path, cells: Sequence[str]) -> None:
    """A notebook of code ``cells`` for the default Python kernel."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code) for code in cells]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(
    command: Sequence[str],
    ready: str,
    *,
    port: int,
    name: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60.0,
) -> Iterator[str]:
    """Run a local server (``command``, listening on ``port``) until it answers ``ready``
    (a path); yield its base URL; stop it by its process id afterwards."""
    server = subprocess.Popen(
        list(command),
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: whatever it starts stops with it
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + ready, timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    msg = f"{name} exited with code {server.returncode} before answering {ready}"
                    raise RuntimeError(msg) from None
                if time.monotonic() > deadline:
                    msg = f"{name} did not start within {timeout:.0f} s"
                    raise RuntimeError(msg) from None
                time.sleep(0.3)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)


@contextlib.contextmanager
def running_lab(root: Path, *, app: str = "jupyterlab", timeout: float = 60.0) -> Iterator[str]:
    """Run JupyterLab (or ``app="notebook"``: Notebook 7) serving ``root``; yield its base URL.

    Open pages with ``?token=TOKEN``.
    """
    port = free_port()
    env = {
        "JUPYTER_CONFIG_DIR": str(root / ".config"),
        "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
    }
    command = [
        sys.executable, "-m", app, "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--allow-root",
    ]  # fmt: skip
    if app == "jupyterlab":
        command += [
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
    with serving(
        command, f"/api/status?token={TOKEN}", port=port, name=app, env=env, timeout=timeout
    ) as base:
        yield base


def wait_for(page, script: str, timeout: float = 60.0, arg=None):  # type: ignore[no-untyped-def]
    """Poll a JavaScript function in the page (given ``arg``) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = page.evaluate(script, arg)
        if result:
            return result
        time.sleep(0.1)
    msg = f"timed out waiting for {script}"
    raise AssertionError(msg)


def wait_for_kernel(page, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until the open notebook's kernel reports itself idle."""
    wait_for(
        page,
        "() => document.querySelector('.jp-Notebook-ExecutionIndicator')?.textContent.includes('Idle')",
        timeout,
    )
