"""The one error type of the domain: a refusal the caller can act on, with the HTTP status the API answers."""


class DomainError(Exception):
    """A service refused a change. `code` names the reason for programs; `http_status` is what the API answers.

    `config.api.exception_handler` turns any DomainError into `{"detail": message, "code": code}` with
    `http_status`; pages show the message. Subclasses set their own defaults.
    """

    code = "refused"
    http_status = 400

    def __init__(self, message, *, code=None, http_status=None):
        super().__init__(message)
        if code is not None:
            self.code = code
        if http_status is not None:
            self.http_status = http_status
