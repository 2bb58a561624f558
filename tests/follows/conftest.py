import pytest


@pytest.fixture
def home(site_shell):
    return site_shell["home"]
