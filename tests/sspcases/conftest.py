from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from tests.exitprogram.factories import make_user

from .factories import make_concern, make_series


@pytest.fixture
def muni(copenhagen):
    return copenhagen.municipality


@pytest.fixture
def ssp(muni):
    return make_user(muni, roles.SSP_CONSULTANT, "BIF", first_name="Sara", last_name="SSP")


@pytest.fixture
def ssp2(muni):
    return make_user(muni, roles.SSP_CONSULTANT, "BUF", first_name="Sune", last_name="SSP")


@pytest.fixture
def series(ssp):
    """Meetings 28 and 14 days ago, today, and in the future."""
    return make_series(actor=ssp, start=timezone.localdate() - timedelta(days=28))


@pytest.fixture
def concern(ssp, series):
    return make_concern(actor=ssp, series=series, registered_on=series.start_date - timedelta(days=2))
