from mentors.tests.conftest import commit_callbacks_run_as_each_request_ends  # noqa: F401 - the same autouse fixture
