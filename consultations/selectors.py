"""Reads for other parts of the site. Consultation pages arrive with the consultations
issue; until then there is no open comment period to list."""


def consultations_for_home(limit: int = 6) -> list:
    return []


def nav_link():
    """The site header's link to this area, as (label, url), or None while there is nothing
    to show. Asked on every page: keep it to one cheap query at most."""
    return None
