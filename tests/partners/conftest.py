from datetime import date
from decimal import Decimal

import pytest

from accounts import roles
from partners import services
from partners.models import ProgressEntry, ProgressStatus, Sector
from partners.selectors import add_months, initiatives_for_month
from tests.factories import UserFactory

MONTH = date(2025, 6, 1)


@pytest.fixture
def buf_initiative(copenhagen):
    return initiatives_for_month(programme=copenhagen, month=MONTH).filter(administration__code="BUF").first()


@pytest.fixture
def sof_initiative(copenhagen):
    return initiatives_for_month(programme=copenhagen, month=MONTH).filter(administration__code="SOF").first()


@pytest.fixture
def police(copenhagen, coordinator, buf_initiative):
    partner = services.partner_save(user=coordinator, name="Københavns Politi", sector=Sector.POLICE)
    services.contact_add(user=coordinator, partner=partner, name="Fiktiv Betjent", email="fiktiv@example.org")
    services.involvement_save(user=coordinator, partner=partner, initiative=buf_initiative, year=2025,
                              role="both", amount_tdkk=Decimal("250.5"), price_level_year=2025)
    return partner


@pytest.fixture
def albertslund_coordinator(copenhagen):
    from initiatives.services import programme_load_file
    from tests.conftest import PROGRAMMES
    programme = programme_load_file(path=PROGRAMMES / "albertslund.yaml").programme
    return UserFactory(municipality=programme.municipality, role=roles.COORDINATOR,
                       administration=programme.municipality.administrations.first(), is_staff=True)


@pytest.fixture
def history(copenhagen, coordinator, buf_initiative, sof_initiative):
    """12 months of entries up to MONTH: BUF's initiative goes from unchanged to progress in the last month,
    SOF's is regress throughout."""
    for i in range(12):
        m = add_months(MONTH, -i)
        services.progress_entry_save(user=coordinator, initiative=buf_initiative, month=m,
                                     status=ProgressStatus.PROGRESS if i == 0 else ProgressStatus.UNCHANGED,
                                     narrative=f"Narrative BUF {m:%Y-%m}", risks="Risk", next_steps="Next")
        services.progress_entry_save(user=coordinator, initiative=sof_initiative, month=m,
                                     status=ProgressStatus.REGRESS, narrative=f"Narrative SOF {m:%Y-%m}")
    return ProgressEntry.objects.all()
