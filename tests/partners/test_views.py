"""Pages of the partners app: roles, the pack as page, Excel and PDF, the entry form, bad input."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from partners.models import PartnerPackPdf, ProgressEntry

from .conftest import MONTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        return client
    return login


@pytest.mark.parametrize("role", [roles.SSP_CONSULTANT, roles.EXIT_EXPERT, roles.API_CLIENT, roles.MENTOR,
                                  roles.DATA_PROTECTION])
def test_other_roles_get_403(user_of_role, client_of, role):
    c = client_of(user_of_role(role))
    for name in ("partners:pack", "partners:partner_list", "partners:progress_overview", "partners:pack_xlsx"):
        assert c.get(reverse(name)).status_code == 403, name


def test_the_pack_page_shows_status_with_symbol_and_word(client_of, coordinator, history, buf_initiative):
    response = client_of(coordinator).get(reverse("partners:pack"), {"month": "2025-06"})
    html = response.content.decode()
    assert response.status_code == 200
    assert buf_initiative.name in html and "pstatus-progress" in html and "▲" in html
    assert "Ændret status siden sidste måned" in html  # Danish first


def test_a_bad_month_is_a_400_not_a_500(client_of, coordinator):
    c = client_of(coordinator)
    for name in ("partners:pack", "partners:pack_xlsx", "partners:progress_overview"):
        assert c.get(reverse(name), {"month": "2025-13"}).status_code == 400
    assert c.post(reverse("partners:pack_pdf_request"), {"month": "x"}).status_code == 400


def test_the_workbook_has_status_trend_changes_and_indicators(client_of, coordinator, history, buf_initiative):
    response = client_of(coordinator).get(reverse("partners:pack_xlsx"), {"month": "2025-06"})
    assert response.status_code == 200
    assert 'filename="partnerrapport-2025-06.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 3
    status = wb[wb.sheetnames[0]]
    rows = [[c.value for c in r] for r in status.iter_rows()]
    header = next(r for r in rows if r and r[0] == "Indsats")
    assert header[-12:][0] == "07.2024" and header[-1] == "06.2025"
    buf = next(r for r in rows if r and r[0] == buf_initiative.name)
    assert buf[3].startswith("▲") and buf[-12:] == ["●"] * 11 + ["▲"]
    changes = [[c.value for c in r] for r in wb[wb.sheetnames[1]].iter_rows()]
    assert any(r[0] == buf_initiative.name for r in changes)


def test_the_pdf_is_a_job_and_downloads_when_ready(client_of, coordinator, history, buf_initiative,
                                                   django_capture_on_commit_callbacks):
    import pypdf

    c = client_of(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("partners:pack_pdf_request"), {"month": "2025-06"})
    job = PartnerPackPdf.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("partners:pack_pdf_detail", args=[job.pk])
    assert job.status == "done" and job.month == MONTH and job.requested_by == coordinator
    assert "pack-pdf-download" in c.get(response["Location"]).content.decode()
    pdf = c.get(reverse("partners:pack_pdf_download", args=[job.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Månedlig partnerrapport" in text and buf_initiative.name[:20] in text


def test_a_reporter_enters_the_month_and_input_is_kept_on_error(client_of, reporter, buf_initiative):
    c = client_of(reporter)
    url = reverse("partners:progress_edit", args=[buf_initiative.pk]) + "?month=2025-06"
    page = c.get(url).content.decode()
    assert "Tallene for måneden" in page  # the indicators beside the form
    bad = c.post(url, {"status": "", "narrative": "Flere unge i klubben", "month": "2025-06"})
    assert bad.status_code == 200 and "Flere unge i klubben" in bad.content.decode()
    assert 'aria-invalid="true"' in bad.content.decode()
    ok = c.post(url, {"status": "progress", "narrative": "Flere unge i klubben", "month": "2025-06"})
    assert ok.status_code == 302
    assert ProgressEntry.objects.get(initiative=buf_initiative, month=MONTH).status == "progress"


def test_a_reporter_cannot_open_another_administrations_entry(client_of, reporter, sof_initiative):
    url = reverse("partners:progress_edit", args=[sof_initiative.pk]) + "?month=2025-06"
    assert client_of(reporter).get(url).status_code == 403


def test_contacts_are_shown_to_coordinators_only(client_of, coordinator, reporter, police):
    url = reverse("partners:partner_detail", args=[police.pk])
    assert "Fiktiv Betjent" in client_of(coordinator).get(url).content.decode()
    assert "Fiktiv Betjent" not in client_of(reporter).get(url).content.decode()


def test_a_coordinator_adds_a_partner_and_its_initiative(client_of, coordinator, buf_initiative):
    c = client_of(coordinator)
    response = c.post(reverse("partners:partner_create"), {"name": "Movia", "sector": "transport",
                                                           "is_active": "on"})
    assert response.status_code == 302
    from partners.models import Partner
    partner = Partner.objects.get(name="Movia")
    c.post(reverse("partners:involvement_create", args=[partner.pk]),
           {"initiative": buf_initiative.pk, "year": "2025", "role": "funds", "amount_tdkk": "120,5",
            "price_level_year": "2025"})
    inv = partner.involvements.get()
    assert str(inv.amount_tdkk) == "120.500"
    assert buf_initiative.name in c.get(reverse("partners:partner_detail", args=[partner.pk])).content.decode()


def test_the_pack_page_costs_the_same_queries_for_more_entries(client_of, coordinator, history,
                                                                django_assert_max_num_queries):
    c = client_of(coordinator)
    with django_assert_max_num_queries(40) as baseline:
        c.get(reverse("partners:pack"), {"month": "2025-06"})
    ProgressEntry.objects.filter(month=MONTH).delete()
    with django_assert_max_num_queries(len(baseline)):
        c.get(reverse("partners:pack"), {"month": "2025-06"})
