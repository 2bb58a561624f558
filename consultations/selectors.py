"""Reads for other parts of the site. Consultation pages arrive with the consultations
issue; until then there is no open comment period to list."""


def consultations_for_home(limit: int = 6) -> list:
    return []
