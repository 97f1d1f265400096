"""Browser tests: the app served on 127.0.0.1, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORTS = {
    "landscape": {"width": 1280, "height": 800},
    "laptop": {"width": 1366, "height": 768},
    "fullhd": {"width": 1920, "height": 1080},
    "portrait": {"width": 1080, "height": 1920},
}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The app on a free loopback port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class NetworkLog:
    """Every request the page made, and its transfer size, to check "nothing leaves 127.0.0.1"."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.outside: list[str] = []
        self.bytes = 0

    def attach(self, page) -> None:
        page.on("request", self._on_request)
        page.on("response", self._on_response)

    def _on_request(self, request) -> None:
        self.urls.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            self.outside.append(request.url)

    def _on_response(self, response) -> None:
        try:
            self.bytes += len(response.body())
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            pass


def new_page(browser, request, viewport: str = "landscape", **context_options):
    """A touch-enabled page at a named viewport; outside requests are blocked and logged."""
    context_options.setdefault("locale", "vi-VN")  # a test may try another browser language
    context = browser.new_context(has_touch=True, viewport=VIEWPORTS[viewport], **context_options)
    page = context.new_page()
    log = NetworkLog()
    log.attach(page)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            else route.abort()
        ),
    )
    request.node._nghedan_pages = getattr(request.node, "_nghedan_pages", []) + [page]
    request.addfinalizer(context.close)
    return page, log


@pytest.fixture
def page_factory(browser, request):
    """Call with a viewport name: returns (page, network log)."""
    return lambda viewport="landscape", **kw: new_page(browser, request, viewport, **kw)


def screenshot(page, name: str) -> Path:
    """Keep a screenshot in test-artifacts/screenshots/ (the run keeps the folder)."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for n, page in enumerate(getattr(item, "_nghedan_pages", [])):
            safe = item.nodeid.replace("/", "_").replace("::", "-").replace("[", "-").strip("]")
            try:
                screenshot(page, f"FAILED-{safe}-{n}")
            except Exception:  # noqa: BLE001 - the page may already be closed
                pass
