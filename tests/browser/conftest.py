"""A real HTTP server for the app and Debian's Chromium driven by Playwright (never a downloaded
browser). Screenshots go to $SCREENSHOT_DIR when it is set."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from tracker.models import Role

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


def sign_in(page, live_server, user) -> None:
    page.goto(live_server + "/auth/login")
    page.get_by_label("이메일 또는 직원 번호").fill(user.staff_id)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(live_server + "/teams/")


@pytest.fixture
def manager(make_account):
    return make_account(Role.MANAGER, name="운영담당")


@pytest.fixture
def signed_in_tab(browser, live_server, manager):
    """signed_in_tab(**context_options): a new browser tab, signed in as a manager."""
    contexts = []

    def open_tab(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        tab = context.new_page()
        sign_in(tab, live_server, manager)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(signed_in_tab):
    return signed_in_tab(**DESKTOP)


@pytest.fixture
def audit_page(signed_in_tab):
    """Like ``page``, but letting axe-core's script in despite the Content-Security-Policy."""
    return signed_in_tab(**DESKTOP, bypass_csp=True)


@pytest.fixture
def phone(signed_in_tab):
    return signed_in_tab(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                         device_scale_factor=2)


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
