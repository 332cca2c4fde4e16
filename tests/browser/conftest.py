"""A real HTTP server for the app and Debian's Chromium driven by Playwright (never a downloaded
browser). Screenshots go to $SCREENSHOT_DIR when it is set."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    assert shutil.which("chromium") or os.path.exists(CHROMIUM), (
        "Chromium is missing: `make test` installs Debian's chromium and fonts-nanum")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot():
    directory = os.environ.get("SCREENSHOT_DIR")

    def take(page, name: str) -> None:
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def axe_violations():
    """Serious and critical WCAG 2.1 A/AA violations that axe-core finds on the page."""
    assert AXE.exists(), "axe-core is missing: `make test` runs npm ci"
    script = AXE.read_text(encoding="utf-8")

    def check(page) -> list[str]:
        page.add_script_tag(content=script)
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
        return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
                for v in result["violations"] if v["impact"] in ("serious", "critical")]

    return check
