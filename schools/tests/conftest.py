from mentors.tests.conftest import account_mail_sent_at_once  # noqa: F401 - the same autouse fixture
