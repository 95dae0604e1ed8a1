"""Render an HTML file in headless Chromium and report what a reader would see: errors and a screenshot.

A small client for the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (messages are JSON
terminated by a NUL byte on file descriptors 3 and 4), so no Selenium, Playwright or websocket
library is needed; only the Debian ``chromium`` package. Used by ``python -m analyzer.report.screenshot``
and by the browser test.

It collects everything that should never happen when a report opens: uncaught exceptions, console
errors (including Content-Security-Policy violations), and requests that leave the file (any URL
that is not ``file:``, ``data:`` or ``about:``).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.errors import UsageError

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--no-default-browser-check",
)
_LOCAL_SCHEMES = ("file:", "data:", "about:", "chrome-error:", "devtools:")


@dataclass
class PageReport:
    """What happened while a page loaded."""

    errors: list[str] = field(default_factory=list)  # exceptions, console errors, CSP violations
    external_requests: list[str] = field(default_factory=list)  # URLs outside the file
    values: dict[str, Any] = field(default_factory=dict)  # results of the evaluated expressions
    screenshot: bytes = b""  # PNG
    height: int = 0  # CSS pixels of the whole page


def find_chromium() -> str | None:
    """Path of a Chromium (or Chrome) binary, or None."""
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


class _Pipe:
    """One CDP connection: numbered commands; events are kept in arrival order until read."""

    def __init__(self, to_browser: int, from_browser: int):
        self._out, self._in = to_browser, from_browser
        self._buffer = b""
        self._next_id = 0
        self._pending: list[dict] = []  # parsed messages not yet looked at
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30.0) -> dict:
        self._next_id += 1
        wanted = self._next_id
        message: dict[str, Any] = {"id": wanted, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode("utf-8") + b"\0")
        reply = self._wait(lambda m: m.get("id") == wanted, timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error'].get('message', reply['error'])}")
        return reply.get("result", {})

    def wait_event(self, method: str, timeout: float) -> dict:
        return self._wait(lambda m: m.get("method") == method, timeout)

    def drain(self, seconds: float) -> None:
        """Keep reading events for ``seconds`` (late console errors arrive after the load event)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._pump(left)
        self._wait(lambda m: False, 0.0, must_match=False)

    def _wait(self, match, timeout: float, must_match: bool = True) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            while self._pending:
                message = self._pending.pop(0)
                if "method" in message:
                    self.events.append(message)
                if match(message):
                    return message
            left = deadline - time.monotonic()
            if left <= 0:
                if not must_match:
                    return {}
                raise TimeoutError("Chromium did not answer in time")
            self._pump(left)

    def _pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self._in], [], [], timeout)
        if not ready:
            return
        chunk = os.read(self._in, 1 << 20)
        if not chunk:
            raise ConnectionError("Chromium closed the connection")
        self._buffer += chunk
        *complete, self._buffer = self._buffer.split(b"\0")
        self._pending.extend(json.loads(raw) for raw in complete if raw)


def render_page(html_path: str | Path, *, width: int = 1400, height: int = 2000, full_page: bool = False,
                evaluate: dict[str, str] | None = None, chromium: str | None = None, media: str = "screen",
                timeout: float = 60.0) -> PageReport:
    """Open ``html_path`` in headless Chromium; return errors, outside requests, values and a PNG.

    Parameters
    ----------
    width, height:
        Viewport in CSS pixels (the screenshot's size unless ``full_page``).
    full_page:
        Capture the whole page height instead of the viewport.
    evaluate:
        name -> JavaScript expression, evaluated in order after the screenshot; results land in ``values``.
    media:
        CSS media to emulate: ``"screen"`` or ``"print"`` (to see the printed layout).

    Raises
    ------
    UsageError
        No Chromium is installed, or the file does not exist.
    """
    path = Path(html_path).resolve()
    if not path.is_file():
        raise UsageError(f"{html_path}: no such file; pass the report.html to render")
    binary = chromium or find_chromium()
    if not binary:
        raise UsageError("no Chromium found (looked for " + ", ".join(CHROMIUM_CANDIDATES) +
                         "); install it, e.g. apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="analyzer-chromium-") as profile:
        to_child_read, to_child_write = os.pipe()
        from_child_read, from_child_write = os.pipe()

        def wire_pipes() -> None:
            # Runs in the child before exec: Chromium reads commands on fd 3 and writes on fd 4. Copy the
            # pipe ends above 10 first so that placing one cannot overwrite the other.
            reading = fcntl.fcntl(to_child_read, fcntl.F_DUPFD, 10)
            writing = fcntl.fcntl(from_child_write, fcntl.F_DUPFD, 10)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=wire_pipes,  # the parent's own fds are non-inheritable already
        )
        os.close(to_child_read)
        os.close(from_child_write)
        pipe = _Pipe(to_child_write, from_child_read)
        try:
            return _drive(pipe, path, width, height, full_page, evaluate or {}, media, timeout)
        finally:
            with contextlib.suppress(OSError, RuntimeError, TimeoutError, ConnectionError, ValueError):
                pipe.send("Browser.close", timeout=5)  # the browser may already be gone
            os.close(to_child_write)
            os.close(from_child_read)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _drive(pipe: _Pipe, path: Path, width: int, height: int, full_page: bool, evaluate: dict[str, str],
           media: str, timeout: float) -> PageReport:
    target = pipe.send("Target.createTarget", {"url": "about:blank"}, timeout=timeout)["targetId"]
    session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        pipe.send(f"{domain}.enable", session=session)
    pipe.send("Emulation.setDeviceMetricsOverride",
              {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
    pipe.send("Emulation.setEmulatedMedia", {"media": media}, session=session)
    pipe.send("Page.navigate", {"url": path.as_uri()}, session=session)
    pipe.wait_event("Page.loadEventFired", timeout)
    pipe.drain(0.5)
    report = PageReport()
    metrics = pipe.send("Page.getLayoutMetrics", session=session)
    report.height = int(metrics.get("cssContentSize", metrics.get("contentSize", {})).get("height", height))
    params: dict[str, Any] = {"format": "png"}
    if full_page:
        params.update(captureBeyondViewport=True,
                      clip={"x": 0, "y": 0, "width": width, "height": report.height, "scale": 1})
    report.screenshot = base64.b64decode(pipe.send("Page.captureScreenshot", params, session=session,
                                                   timeout=timeout)["data"])
    # Expressions run after the screenshot, which shows the page as a reader first sees it.
    for name, expression in evaluate.items():
        result = pipe.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=session)
        if "exceptionDetails" in result:
            report.errors.append(f"evaluating {name}: {result['exceptionDetails'].get('text', '')}")
        report.values[name] = result.get("result", {}).get("value")
    pipe.drain(0.2)
    _collect(pipe.events, report)
    return report


def _collect(events: list[dict], report: PageReport) -> None:
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "exception")
            report.errors.append(f"uncaught: {text}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            report.errors.append(f"console.{params['type']}: {args}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            report.errors.append(f"{entry.get('source', 'log')}: {entry.get('text', '')}")
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(_LOCAL_SCHEMES):
                report.external_requests.append(url)
