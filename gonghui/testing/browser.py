"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live_server.

Fixtures (registered in gonghui/conftest.py; mark the test ``@pytest.mark.browser``):

- ``browser``    session-wide chromium; every browser test is skipped when chromium is missing.
- ``phone_page`` a fresh page at 390×844, zh-CN, Asia/Shanghai — for the worker face.
- ``desk_page``  a fresh page at 1440×900 — for the workbench.

Both pages are bound to ``live_server`` (so the test runs on a transactional database) and carry
two lists the test may assert on: ``page.external_requests`` (requests that tried to leave the
live server; they are aborted, because union intranets are often offline and a CDN would break
there) and ``page.console_errors`` (JavaScript errors and CSP violations).

Helpers: ``login_worker(page, live_server, user)``, ``login_staff(page, live_server, user, password)``,
``screenshot(page, name)`` → ``test-artifacts/<name>.png`` (git-ignored; look at them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GONGHUI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1440, "height": 900}
# Long enough for a cold page on a busy 2-core CI box, short enough that a broken page fails fast.
TIMEOUT_MS = 15_000

SKIP_REASON = (
    f"未找到浏览器 {CHROMIUM}，跳过浏览器测试（请安装 Debian 软件包 chromium 与 fonts-noto-cjk）/ "
    f"chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium fonts-noto-cjk)"
)


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # expect() has its own 5 s default, too short on a busy CI box

    with sync_playwright() as playwright:
        # Never `playwright install`: it downloads a browser, which the build machines cannot do.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.external_requests = []
    page.console_errors = []

    def leaves_server(url: str) -> bool:
        return not url.startswith(live_server.url) and url.startswith(("http:", "https:", "ws:", "wss:"))

    def abort(route):
        page.external_requests.append(route.request.url)
        route.abort()

    context.route(leaves_server, abort)

    def on_console(msg):
        # A 404/403 page's own status is the point of that page, not a script error.
        if msg.type == "error" and msg.location.get("url") != page.url:
            page.console_errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return context, page


def close_page_connections() -> None:
    """While Playwright's loop runs, Django keeps this thread's connections in a separate (asyncio
    context) slot that its own teardown never sees; close them, or PostgreSQL keeps an idle
    session that blocks dropping the test database."""
    from django.db import connections

    connections.close_all()


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _open_page(
        browser,
        live_server,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    yield page
    context.close()
    close_page_connections()


@pytest.fixture
def desk_page(browser, live_server):
    context, page = _open_page(
        browser, live_server, viewport=DESK, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    yield page
    context.close()
    close_page_connections()


def national_number(phone: str) -> str:
    """+8613800000001 → 13800000001, as a person types it (the field takes 11 digits)."""
    return phone[3:] if phone.startswith("+86") else phone


def login_worker(page, live_server, user) -> None:
    """Signs in through the code flow: ask for a code, read the demo code shown on the page, submit."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=phone]", national_number(user.phone))
    page.get_by_role("button", name="获取验证码").click()
    code = page.locator("#code-hint .demo-code").inner_text()
    page.fill("input[name=code]", code)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()
    assert "/accounts/login/" not in page.url, page.locator(".error").all_inner_texts()


def login_staff(page, live_server, user, password: str) -> None:
    """Signs in at the workbench sign-in page (TOTP is off in tests) and waits for the workbench."""
    page.goto(f"{live_server.url}/accounts/staff-login/")
    page.fill("input[name=phone]", national_number(user.phone))
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录工作台").click()
    assert "/workbench/" in page.url, page.locator(".error").all_inner_texts()


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Saves test-artifacts/<name>.png and returns the path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # Chromium fetches CSS mask icons lazily and a screenshot does not wait for them: wait here,
    # and for the web fonts, so the picture shows what a person sees a moment later.
    page.evaluate(
        """async () => {
          const urls = new Set();
          for (const el of document.querySelectorAll('.ic, .tile-icon')) {
            for (const pseudo of [null, '::after']) {
              const m = getComputedStyle(el, pseudo).maskImage || '';
              const hit = m.match(/url\\("?([^")]+)"?\\)/);
              if (hit) urls.add(hit[1]);
            }
          }
          await Promise.all([...urls].map((u) => new Promise((done) => {
            const img = new Image(); img.onload = img.onerror = done; img.src = u;
          })));
          await document.fonts.ready;
          await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)));
        }"""
    )
    page.screenshot(path=str(path), full_page=full_page)
    return path


def assert_fits_width(page) -> None:
    """Fails when the page scrolls sideways — on a phone that is a page nobody can read."""
    overflow = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > width + 1 && el.closest('[data-scroll-x]') === null)
            .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
          return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
        }"""
    )
    assert overflow["scroll"] <= overflow["width"], f"页面横向溢出 / page overflows sideways: {overflow}"


AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_MISSING = (
    f"未找到 {AXE_JS}：请运行 make setup（npm ci 安装开发依赖 axe-core）/ "
    "axe-core is missing: run make setup (npm ci installs the dev dependency axe-core)"
)


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Runs axe-core (the npm dev dependency, read from node_modules — no CDN) on the page as it is
    now and returns the violations of the given impacts, each as {id, impact, help, targets}."""
    if not AXE_JS.is_file():
        raise AssertionError(AXE_MISSING)
    # evaluate() runs outside the page's CSP, so no inline <script> is needed.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 5).map((n) => [n.target.join(' '), n.failureSummary || '']),
          }));
        }"""
    )
    return [v for v in results if v["impact"] in impacts]


def assert_accessible(page, *, impacts=("serious", "critical")) -> None:
    """Fails when axe-core finds a serious or critical accessibility violation on the page."""
    found = axe_violations(page, impacts=impacts)
    if found:
        lines = [f"axe-core 发现 {len(found)} 类严重无障碍问题 / serious a11y violations on {page.url}:"]
        for v in found:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']}")
            for target, summary in v["targets"]:
                lines.append(f"    {target}  {summary.splitlines()[-1] if summary else ''}")
        raise AssertionError("\n".join(lines))
