"""daphne: leave POST bodies to Django.

Twisted's HTTP request parses every URL-encoded or multipart POST body into `request.args`
(through the e-mail package's header parser, then the form parser) before daphne hands the body
to the application. daphne never reads `args`, and Django parses the body again: each comment
was parsed twice, and a multipart form with a 10 MB attachment was split into parts in memory
once for nothing. Twisted's Request takes `parsePOSTFormSubmission=False` for exactly this,
but daphne does not pass it, so `leave_forms_to_django` makes it the default for daphne's
requests. Twisted's own parsing was 4% of a comment POST's CPU on the worker (docs/speed.md).
"""

import functools


def leave_forms_to_django() -> bool:
    """Make daphne's requests keep their body unparsed; False when daphne is not installed."""
    try:
        from daphne.http_protocol import WebRequest
    except ImportError:  # pragma: no cover - daphne is a dependency; other servers need nothing
        return False
    if getattr(WebRequest, "_forms_left_to_django", False):
        return True
    original = WebRequest.__init__

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parsePOSTFormSubmission", False)
        original(self, *args, **kwargs)

    WebRequest.__init__ = __init__
    WebRequest._forms_left_to_django = True
    return True
