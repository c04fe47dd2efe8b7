"""Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe):
no Python dependency, no port. Used by tests/test_report_browser.py.

    with Browser() as b:
        page = b.open(path)          # waits for the load event
        page.errors                  # console errors, uncaught exceptions, error log entries
        page.eval("document.title")
"""
from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_browser() -> str | None:
    """The first Chromium on PATH (Debian's package is `chromium`)."""
    for name in BROWSERS:
        if shutil.which(name):
            return shutil.which(name)
    return None


def _above(fd: int, lowest: int) -> int:
    """fd moved to a number >= lowest."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, lowest)
    os.close(fd)
    return new


class BrowserError(RuntimeError):
    pass


@dataclass
class Page:
    browser: "Browser"
    session: str
    target: str
    load_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def eval(self, expression: str, timeout: float = 60):
        """The value of a JavaScript expression (promises awaited); a thrown error raises."""
        r = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                   "awaitPromise": True}, self.session, timeout)
        if "exceptionDetails" in r:
            raise BrowserError(f"{expression[:80]!r} threw: {describe_exception(r['exceptionDetails'])}")
        return r["result"].get("value")

    def pdf(self, paper: str = "A4", landscape: bool = False, timeout: float = 120) -> bytes:
        """The page printed to PDF as Chromium's print dialog would (print stylesheet, the
        paper's size in inches, default margins, backgrounds printed); the PDF's bytes."""
        import base64
        width, height = PAPERS[paper]
        r = self.browser.send("Page.printToPDF", {"paperWidth": width, "paperHeight": height, "landscape": landscape,
                                                  "printBackground": True, "preferCSSPageSize": True},
                              self.session, timeout)
        return base64.b64decode(r["data"])

    def screenshot(self, width: int, timeout: float = 120) -> bytes:
        """A PNG of the whole page laid out `width` CSS pixels wide."""
        import base64
        self.browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": 800,
                                                                 "deviceScaleFactor": 1, "mobile": False}, self.session)
        h = self.eval("Math.ceil(document.documentElement.scrollHeight)")
        self.browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": h,
                                                                 "deviceScaleFactor": 1, "mobile": False}, self.session)
        r = self.browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                              self.session, timeout)
        return base64.b64decode(r["data"])

    def close(self):
        self.browser.send("Target.closeTarget", {"targetId": self.target})


# paper sizes in inches (Page.printToPDF's units)
PAPERS = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}


def describe_exception(d: dict) -> str:
    exc = d.get("exception") or {}
    return f"{exc.get('description') or d.get('text')} (line {d.get('lineNumber')})"


class Browser:
    """One headless Chromium; each open() is a fresh tab. Chromium reads commands from its fd 3
    and writes replies and events to its fd 4, each a JSON message ended by a NUL byte."""

    def __init__(self, executable: str | None = None, width: int = 1280, height: int = 900):
        self.executable = executable or find_browser()
        if not self.executable:
            raise BrowserError("no Chromium on PATH")
        self.size = (width, height)
        self._id = 0
        self._buf = b""
        self._events: list[dict] = []

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="ikzf1cnv-chromium-")
        cmd_r, self._cmd_w = os.pipe()
        self._out_r, out_w = os.pipe()
        cmd_r, out_w = (_above(fd, 10) for fd in (cmd_r, out_w))  # clear of the 3 and 4 they go to
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
                f"--window-size={self.size[0]},{self.size[1]}", "about:blank"]
        # bash puts the pipe ends on fds 3 and 4 for the browser (and the Debian wrapper script)
        self._log = open(os.path.join(self.profile, "stderr.log"), "wb")
        self.proc = subprocess.Popen(
            ["bash", "-c", f'exec "$0" "$@" 3<&{cmd_r} 4>&{out_w} {cmd_r}<&- {out_w}>&-', self.executable, *args],
            pass_fds=(cmd_r, out_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log,
            start_new_session=True)  # its own process group: its helpers end with it
        os.close(cmd_r)
        os.close(out_w)
        try:
            self.send("Target.getTargets", timeout=60)  # up and answering
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        try:
            if self.proc.poll() is None:
                try:
                    self.send("Browser.close", timeout=10)
                except (BrowserError, OSError):
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # whatever of this browser's group is left
            except ProcessLookupError:
                pass
            self.proc.wait()
        finally:
            for fd in (self._cmd_w, self._out_r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._log.close()
            shutil.rmtree(self.profile, ignore_errors=True)

    # ------------------------------------------------------------------ protocol
    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"Chromium did not answer in time: {self.stderr()[-2000:]}")
            ready, _, _ = select.select([self._out_r], [], [], left)
            if ready:
                chunk = os.read(self._out_r, 1 << 20)
                if not chunk:
                    raise BrowserError(f"Chromium closed the pipe (exit {self.proc.poll()}): {self.stderr()[-2000:]}")
                self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def stderr(self) -> str:
        p = Path(self.profile, "stderr.log")
        return p.read_text(errors="replace") if p.exists() else ""

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self._cmd_w, data):]
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise BrowserError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self._events.append(m)

    def wait_event(self, method: str, session: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self._events):
                if m["method"] == method and m.get("sessionId") == session:
                    return self._events.pop(i)
            m = self._read(deadline)
            if "method" in m:
                self._events.append(m)

    def take_errors(self, session: str) -> list[str]:
        """The errors a page reported so far: console.error/assert, uncaught exceptions, and
        error entries of the browser's log (a failed load, a blocked resource, ...)."""
        errs, keep = [], []
        for m in self._events:
            p = m.get("params", {})
            if m.get("sessionId") != session:
                keep.append(m)
            elif m["method"] == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
                errs.append(f"console.{p['type']}: " + " ".join(str(a.get("value", a.get("description")))
                                                              for a in p.get("args", [])))
            elif m["method"] == "Runtime.exceptionThrown":
                errs.append("exception: " + describe_exception(p["exceptionDetails"]))
            elif m["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
                errs.append(f"log ({p['entry'].get('source')}): {p['entry'].get('text')} {p['entry'].get('url', '')}")
        self._events = keep
        return errs

    def open(self, path: str | Path, timeout: float = 120, javascript: bool = True) -> Page:
        """A new tab showing a local file, after its load event; load_seconds from navigation
        to the load event, errors as take_errors found them by then. javascript=False: the
        page's own scripts do not run (page.eval still does)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        if not javascript:
            self.send("Emulation.setScriptExecutionDisabled", {"value": True}, session)
        self.take_errors(session)
        url = Path(path).resolve().as_uri()
        t0 = time.monotonic()
        nav = self.send("Page.navigate", {"url": url}, session, timeout)
        if nav.get("errorText"):
            raise BrowserError(f"navigation to {path} failed: {nav['errorText']}")
        self.wait_event("Page.loadEventFired", session, timeout)
        page = Page(self, session, target, load_seconds=time.monotonic() - t0)
        if page.eval("[location.href, document.readyState]") != [url, "complete"]:
            raise BrowserError(f"{path}: the load event came from another page")
        if javascript:
            page.eval("new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")  # a frame laid out
        page.errors = self.take_errors(session)
        return page
