"""The browser helper cleans up after itself: a query a test makes inside the Playwright block runs on a
connection of that block's own (Playwright's sync API runs it in a greenlet, and Django's connections are
per context); it is closed when the block ends, so it cannot hold the test database open at teardown."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from mentors.tests.browser import browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_query_inside_the_browser_block_leaves_no_connection_open(live_server):
    with browser_page(live_server.url) as page:
        page.goto("/accounts/login/")
        inside = connections["default"]
        assert not get_user_model().objects.filter(email="nobody@example.org").exists()
        assert inside.connection is not None
    assert inside.connection is None
