"""Reads for other parts of the site. Forums and rounds arrive with the forums issue;
until then there is no open round to list."""


def rounds_for_home(limit: int = 6) -> list:
    return []


def nav_link():
    """The site header's link to this area, as (label, url), or None while there is nothing
    to show. Asked on every page: keep it to one cheap query at most."""
    return None
