"""The one browser harness for the Playwright journeys: a real headless Chromium and an axe-core check per page."""
import os
import re
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.db import connections
from playwright.sync_api import sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
BLOCKING = {"serious", "critical"}


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@contextmanager
def browser_page(base_url, viewport=PHONE, *, locale=None, width=None):
    """A fresh page whose every request outside the live server is refused (nothing from the internet).
    `locale` sets the browser's language (its Accept-Language); `width` a phone's width instead of `viewport`."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed at /usr/bin/chromium (make browser installs it)")
    outside = {conn.alias: conn for conn in connections.all(initialized_only=True)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        if width is not None:
            viewport = {"width": width, "height": 844}
        context = browser.new_context(base_url=base_url, viewport=viewport, locale=locale)
        context.route(re.compile(r"^(?!" + re.escape(base_url) + ").*"), lambda route: route.abort())
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            # Playwright's sync API runs the block in a greenlet of its own, where Django's per-context
            # connections are new ones: a query the test makes in the block opens a connection nobody else
            # would close, which outlived the test and held the test database open at teardown.
            for conn in connections.all(initialized_only=True):
                if conn is not outside.get(conn.alias):
                    conn.close()
            context.close()
            browser.close()


class AxeAudit:
    """Runs axe-core on each page visited and remembers serious or critical violations."""

    def __init__(self):
        self.axe = Axe()
        self.pages = []
        self.failures = []

    def check(self, page, label):
        results = self.axe.run(page)
        violations = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
        self.pages.append(label)
        for v in violations:
            targets = [n["target"] for n in v["nodes"]][:3]
            why = v["nodes"][0].get("failureSummary", "").replace("\n", " ") if v["nodes"] else ""
            self.failures.append(f"{label}: {v['id']} ({v['impact']}) {v['help']} at {targets}: {why}")

    def assert_clean(self):
        assert not self.failures, "axe found serious/critical violations:\n" + "\n".join(self.failures)


def last_link(to, live_url):
    """The last link emailed to `to`, pointed at the live server."""
    message = [m for m in mail.outbox if to in m.to][-1]
    return re.search(r"https?://\S+", message.body).group(0).replace("http://testserver", live_url)


def sideways_scroll(page):
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
