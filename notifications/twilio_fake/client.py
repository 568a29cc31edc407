"""An SDK HTTP client that sends Twilio API calls to the fake instead of twilio.com.

Everything above the socket stays the real SDK: URL building, auth, form
encoding, response parsing and ``TwilioRestException``. Only the origin of
each URL changes.
"""

from urllib.parse import urlsplit, urlunsplit

from twilio.http.http_client import TwilioHttpClient


def is_twilio_origin(url):
    """Tell whether ``url`` points at twilio.com or one of its subdomains over https."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and (host == "twilio.com" or host.endswith(".twilio.com"))


def rewrite_url(url, base_url):
    """Swap a Twilio origin in ``url`` for ``base_url``; leave other URLs alone."""
    if not is_twilio_origin(url):
        return url
    base = urlsplit(base_url)
    target = urlsplit(url)
    path = base.path.rstrip("/") + target.path
    return urlunsplit((base.scheme, base.netloc, path, target.query, target.fragment))


class FakeTwilioHttpClient(TwilioHttpClient):
    """``TwilioHttpClient`` whose requests to ``https://*.twilio.com`` go to ``base_url``.

    Use it as ``Client(sid, token, http_client=FakeTwilioHttpClient(fake.url))``.
    ``timeout`` (seconds) applies to every request unless a call passes its own.
    Proxy settings from the environment are ignored, since the fake is local.
    """

    def __init__(self, base_url, timeout=None, **kwargs):
        """Build the client; extra keyword arguments go to ``TwilioHttpClient``."""
        super().__init__(timeout=timeout, **kwargs)
        self.base_url = base_url.rstrip("/")
        if self.session is not None:
            self.session.trust_env = False

    def request(self, method, url, *args, **kwargs):
        """Send the SDK's request to the fake; see ``TwilioHttpClient.request``."""
        return super().request(method, rewrite_url(url, self.base_url), *args, **kwargs)
