"""Browser tests: a real uvicorn server on a free loopback port, driven by Chromium.

The server runs in a thread of the test process on a socket bound to port 0 (so no other
process can take the port between choosing and listening), against a temporary SQLite
database built by the migrations and seeded from seeds/. One backend is enough here: the
API's own tests cover PostgreSQL. Chromium is the system's (/usr/bin/chromium, from
`apt-get install chromium`), started through Playwright with `executable_path`.
"""

import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Page,
    Playwright,
    Request,
    Response,
    sync_playwright,
)
from sqlalchemy import insert

from app import tables
from app.api.app import create_app
from app.database import make_engine
from app.loader import seed
from app.migrate import upgrade
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SCREENSHOTS = ROOT / "test-output" / "explorer"
CHROMIUM = os.environ.get("GEOEVENTS_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

# An actor whose name and description are markup: the explorer must show them as text.
HOSTILE_ACTOR = {
    "id": "hostile-markup",
    "name": "<img src=x onerror=alert(1)>",
    "kind": "group",
    "description": "<script>window.hostileRan = true</script><b onmouseover=alert(2)>bold</b>",
}


def _add_hostile_actor(url: str) -> None:
    engine = make_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(insert(tables.actor).values(**HOSTILE_ACTOR, created_at=now, updated_at=now))
    engine.dispose()


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The root URL of a live explorer over the seeded brief (plus one hostile actor)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'geoevents.db'}"
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, [SEEDS])
    engine.dispose()
    _add_hostile_actor(url)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(create_app(Settings(database_url=url)), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    assert httpx.get(f"{base}/health").status_code == 200
    yield base
    server.should_exit = True
    thread.join(10)
    listener.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless system Chromium (Playwright's own download cannot work offline)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


class Watched:
    """A page whose console errors, failed requests and foreign fetches fail the test."""

    def __init__(self, page: Page, base_url: str):
        self.page, self.base_url = page, base_url
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.allowed_statuses: set[int] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}"))
        page.on("response", self._response)
        page.on("dialog", self._dialog)

    def allow(self, status: int) -> None:
        """Expect API answers with this status (a test of how bad input is shown)."""
        self.allowed_statuses.add(status)

    def _console(self, message: ConsoleMessage) -> None:
        expected = any(f"status of {status} " in message.text for status in self.allowed_statuses)
        if message.type in ("error", "warning") and not expected:
            self.problems.append(f"console {message.type}: {message.text}")

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)
        if not request.url.startswith(self.base_url + "/"):
            self.problems.append(f"request to another origin: {request.url}")

    def _response(self, response: Response) -> None:
        if response.status >= 400 and response.status not in self.allowed_statuses:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str) -> Page:
        """Load `path` and wait until its view has drawn."""
        self.page.goto(self.base_url + path)
        self.wait_ready()
        return self.page

    def wait_ready(self) -> None:
        """Wait for the current view to finish drawing (main[data-ready])."""
        self.page.wait_for_selector("main[data-ready]", state="attached")

    def api_requests(self, path: str) -> list[str]:
        """Requests made so far to this API path (without the query)."""
        prefix = f"{self.base_url}/api/v1{path}"
        return [url for url in self.requests if url == prefix or url.startswith(prefix + "?")]

    def screenshot(self, name: str, *, full_page: bool = False) -> None:
        """Save what the reader sees under test-output/explorer/ for a reviewer."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def explorer(browser: Browser, base_url: str) -> Iterator[Watched]:
    """A fresh browser tab on the live explorer; any console error or failed request fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page(), base_url)
    yield watched
    context.close()
    assert watched.problems == []
    assert watched.dialogs == []
