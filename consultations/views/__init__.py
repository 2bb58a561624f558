"""Views parse input, call one service or selector, and render. Rules: rules.py."""

from .exports import export, stats  # noqa: F401
from .officers import (  # noqa: F401
    close_now,
    manage,
    moderate,
    publish_outcome,
    respond,
)
from .overview import officer_home  # noqa: F401
from .public import attachment, comment_create, comment_detail  # noqa: F401
