import pytest
from django.conf import settings
from django.utils import translation

from crimestats.services import straf11_load


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english():
    """Messages and labels in English (the default language is Danish)."""
    with translation.override("en"):
        yield


@pytest.fixture
def municipality(copenhagen):
    return copenhagen.municipality


@pytest.fixture
def straf11(db):
    return straf11_load()


__all__ = ["settings"]
