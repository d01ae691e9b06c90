"""A small Chrome DevTools Protocol driver for the catalogue's browser tests.

Headless Chromium is started with ``--remote-debugging-port=0``; the port it picked is read
from ``DevToolsActivePort`` in its fresh profile folder, and one websocket (``websockets``, a
dependency of Prefect) carries every command. Pages are targets attached in "flat" mode, so
their events arrive on the same socket tagged with their ``sessionId``.

Only what the tests need: open a page, wait for ``load``, evaluate JavaScript, and collect
what counts as an error (uncaught exceptions, console.error, browser log errors, failed
requests and HTTP statuses >= 400).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class CdpError(RuntimeError):
    pass


def find_chromium() -> str | None:
    configured = os.environ.get("YUSUAN_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def install_chromium() -> str:
    """apt-get install chromium (as root, Debian). Returns the binary or raises CdpError."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise CdpError(
            "Chromium is not installed and cannot be installed from here (needs root and "
            "apt-get): run `apt-get install -y chromium` as root, or set YUSUAN_CHROMIUM to a "
            "Chromium/Chrome binary"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log: list[str] = []
    for attempt in (["apt-get", "install", "-y", "chromium"], ["apt-get", "update"],
                    ["apt-get", "install", "-y", "chromium"]):
        proc = subprocess.run(attempt, capture_output=True, text=True, env=env, timeout=900)
        log.append(f"$ {' '.join(attempt)} -> exit {proc.returncode}\n{proc.stderr[-2000:]}")
        binary = find_chromium()
        if binary and attempt[1] == "install":
            return binary
    raise CdpError("could not install Chromium with apt-get:\n" + "\n".join(log))


@dataclass
class Browser:
    """A headless Chromium process and its DevTools websocket."""

    binary: str
    profile: Path
    process: subprocess.Popen[bytes] | None = None
    ws: ClientConnection | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    log: IO[bytes] | None = None
    _next_id: int = 0

    def start(self, timeout: float = 60.0) -> Browser:
        self.profile.mkdir(parents=True, exist_ok=True)
        port_file = self.profile / "DevToolsActivePort"
        port_file.unlink(missing_ok=True)
        self.log = open(self.profile.parent / "chromium.log", "wb")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,  # its own process group, ended in close()
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CdpError(f"Chromium exited with {self.process.returncode}, see {self.log.name}")
            lines = port_file.read_text().split() if port_file.exists() else []
            if len(lines) >= 2:
                url = f"ws://127.0.0.1:{lines[0]}{lines[1]}"
                self.ws = connect(url, max_size=None, proxy=None, open_timeout=timeout)
                return self
            time.sleep(0.05)
        self.close()
        raise CdpError(f"Chromium did not open its DevTools port within {timeout:g}s")

    def send(self, method: str, params: dict[str, Any] | None = None, *,
             session: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
        assert self.ws is not None
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline, method)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CdpError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _receive(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        assert self.ws is not None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CdpError(f"no answer to {waiting_for} in time")
        try:
            data = json.loads(self.ws.recv(timeout=remaining))
        except TimeoutError as exc:
            raise CdpError(f"no answer to {waiting_for} in time") from exc
        if "method" in data:
            self.events.append(data)
        return data

    def wait_for(self, method: str, session: str, since: int, timeout: float = 30.0) -> dict[str, Any]:
        """The first event ``method`` of ``session`` received after index ``since``."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[since:]:
                if event.get("method") == method and event.get("sessionId") == session:
                    return event
            since = len(self.events)
            self._receive(deadline, method)

    def new_page(self) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        return page

    def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(CdpError, OSError, ConnectionClosed):  # closing anyway
                self.send("Browser.close", timeout=5)
            self.ws.close()
            self.ws = None
        if self.process is not None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the group this test started
                self.process.wait(timeout=10)
            self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None


@dataclass
class Page:
    browser: Browser
    session: str
    mark: int = 0  # index in browser.events where the current document's events start

    def goto(self, url: str, timeout: float = 30.0) -> None:
        self.mark = len(self.browser.events)
        result = self.browser.send("Page.navigate", {"url": url}, session=self.session)
        if result.get("errorText"):
            raise CdpError(f"navigating to {url}: {result['errorText']}")
        # no loaderId: only the fragment changed, the document stays (no load event)
        event = "Page.loadEventFired" if result.get("loaderId") else "Page.navigatedWithinDocument"
        self.browser.wait_for(event, self.session, self.mark, timeout)

    def evaluate(self, expression: str) -> Any:
        result = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in result:
            raise CdpError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def set_viewport(self, width: int, height: int, *, mobile: bool = False) -> None:
        """Emulate a screen: ``mobile`` also applies the page's viewport meta tag, as a phone."""
        self.browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session=self.session,
        )

    def settle(self, seconds: float = 0.3) -> None:
        """Drain events for a moment (late console messages, failed subresources)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.browser._receive(deadline, "events")
            except CdpError:
                break

    def errors(self) -> list[str]:
        found: list[str] = []
        for event in self.browser.events[self.mark:]:
            if event.get("sessionId") != self.session:
                continue
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')} "
                             f"{params['exceptionDetails'].get('exception', {}).get('description', '')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append("console.error: " + " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Network.loadingFailed" and not params.get("canceled"):
                found.append(f"request failed: {params.get('errorText')} ({params.get('type')})")
            elif method == "Network.responseReceived" and params["response"].get("status", 200) >= 400:
                found.append(f"HTTP {params['response']['status']}: {params['response']['url']}")
        return found
