"""Key-figure pages: who may see them, the button that starts a report, downloads, imports, the addendum."""
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from crimestats.models import KeyFigureReport, PoliceEvent, UneasyAreasAddendum
from crimestats.periods import quarter_period
from crimestats.services import report_request
from tests.factories import MunicipalityFactory

from .factories import CrimeTypeFactory, csv_file, event, point_in, rode

pytestmark = pytest.mark.django_db


@pytest.fixture
def produced(municipality, straf11, django_capture_on_commit_callbacks):
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    event(municipality, on=date(2025, 7, 1), crime_type=vold, area=rode("1"))
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(municipality=municipality, period=quarter_period(2025, 3))
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("role, status", [(roles.COORDINATOR, 200), (roles.ADMIN_REPORTER, 403),
                                          (roles.SSP_CONSULTANT, 403), (roles.API_CLIENT, 403)])
def test_only_coordinators_see_the_key_figures(client, user_of_role, role, status, produced):
    client.force_login(user_of_role(role))
    for url in (reverse("crimestats:report_list"), reverse("crimestats:report_detail", args=[produced.pk]),
                reverse("crimestats:report_pdf", args=[produced.pk]), reverse("crimestats:import_list"),
                reverse("crimestats:addendum_edit")):
        assert client.get(url).status_code == status, url


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(reverse("crimestats:report_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_municipalitys_report_is_not_found(client, coordinator, produced):
    other = KeyFigureReport.objects.create(municipality=MunicipalityFactory(), period_start=date(2025, 1, 1),
                                           period_end=date(2025, 3, 31), label="2025 K1")
    client.force_login(coordinator)
    assert client.get(reverse("crimestats:report_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("crimestats:report_xlsx", args=[other.pk])).status_code == 404
    assert other.label not in client.get(reverse("crimestats:report_list")).content.decode()


def test_the_button_produces_a_report_and_shows_it(client, coordinator, municipality, straf11,
                                                   django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crimestats:report_list"), {"kind": "quarter", "year": 2025, "quarter": 2})
    report = KeyFigureReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("crimestats:report_detail",
                                                                           args=[report.pk])
    assert report.requested_by == coordinator and report.label == "2025 K2"
    page = client.get(response["Location"]).content.decode()
    # no police extract was imported: the police tables say so (no tables of zeros); STRAF11 is there
    assert 'id="reports_by_type-no-data"' in page and 'id="table-reports_by_type"' not in page
    assert 'id="table-straf11"' in page and 'id="table-comparison"' in page


def test_a_bad_request_keeps_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("crimestats:report_list"), {"kind": "ytd", "year": "2025", "to_date": ""})
    assert response.status_code == 400
    assert KeyFigureReport.objects.count() == 0
    html = response.content.decode()
    assert 'value="2025"' in html and 'value="ytd" selected' in html


def test_downloads_are_files_and_are_logged(client, coordinator, produced):
    client.force_login(coordinator)
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    pdf = client.get(reverse("crimestats:report_pdf", args=[produced.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="noegletal-20250701-20250930-v1.pdf"' in pdf["Content-Disposition"]
    xlsx = client.get(reverse("crimestats:report_xlsx", args=[produced.pk]))
    assert xlsx.content[:2] == b"PK"
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 2


def test_reading_a_report_page_is_logged_with_who_read_it(client, coordinator, produced):
    client.force_login(coordinator)
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    response = client.get(reverse("crimestats:report_detail", args=[produced.pk]))
    assert response.status_code == 200 and b"chart-grid-events" in response.content
    # one event on 1 July 2025 is all the police data: the page warns before a table shows a fall
    assert 'id="coverage-warning"' in response.content.decode() and "dækker 1. juli 2025 – 1. juli 2025" in \
        response.content.decode()
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("-pk")
    assert entries.count() == before + 1
    assert entries[0].actor == coordinator and entries[0].object_pk == str(produced.pk)


def test_publishing_from_the_page_freezes_the_version(client, coordinator, produced):
    client.force_login(coordinator)
    client.post(reverse("crimestats:report_publish", args=[produced.pk]))
    produced.refresh_from_db()
    assert produced.published_by == coordinator
    assert "published-badge" in client.get(reverse("crimestats:report_detail", args=[produced.pk])).content.decode()


def test_the_progress_fragment_refreshes_the_page_when_ready(client, coordinator, produced, municipality):
    client.force_login(coordinator)
    done = client.get(reverse("crimestats:report_status", args=[produced.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    waiting = report_request(municipality=municipality, period=quarter_period(2025, 2))  # not committed
    response = client.get(reverse("crimestats:report_status", args=[waiting.pk]))
    assert "HX-Refresh" not in response and 'hx-trigger="every 1s"' in response.content.decode()


def test_the_report_list_does_not_grow_in_queries(client, coordinator, municipality, django_assert_max_num_queries):
    client.force_login(coordinator)
    url = reverse("crimestats:report_list")
    client.get(url)
    with django_assert_max_num_queries(12) as baseline:
        client.get(url)
    n = len(baseline)
    for q in range(1, 5):
        for v in (1, 2):
            p = quarter_period(2024, q)
            KeyFigureReport.objects.create(municipality=municipality, period_start=p.start, period_end=p.end,
                                           label=p.label, version=v, requested_by=coordinator)
    with django_assert_max_num_queries(n):
        client.get(url)


def test_upload_of_an_extract_imports_it(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    x, y = point_in(rode("1"))
    upload = csv_file([["R1", "report", "2025-01-05", "VOLD-SIMPEL", "Simpel vold", "Strøget", x, y]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crimestats:import_list"), {"kind": "events", "file": upload})
    assert response.status_code == 302
    assert PoliceEvent.objects.filter(record_id="R1").exists()
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-result"' in page


def test_an_upload_with_the_wrong_header_is_refused_on_the_form(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("crimestats:import_list"),
                           {"kind": "charges", "file": csv_file([], header=["a", "b"])})
    assert response.status_code == 400 and "record_id,date,crime_code" in response.content.decode()


def test_the_addendum_form_saves_and_keeps_bad_input(client, coordinator, municipality):
    client.force_login(coordinator)
    url = reverse("crimestats:addendum_edit")
    bad = client.post(url, {"year": 2025, "quarter": 9, "ssp_single_cases": "12", "ssp_assessment": "Tekst"})
    assert bad.status_code == 400 and "Tekst" in bad.content.decode()
    ok = client.post(url, {"year": 2025, "quarter": 3, "interrogations_12_17": 20, "ssp_single_cases": 12,
                           "ssp_assessment": "Tekst"})
    assert ok.status_code == 302
    a = UneasyAreasAddendum.objects.get(municipality=municipality, year=2025, quarter=3)
    assert (a.interrogations_12_17, a.ssp_single_cases, a.updated_by) == (20, 12, coordinator)


def test_the_report_list_filters_with_the_same_filterset_as_the_api(client, coordinator, municipality):
    for q in (1, 2):
        p = quarter_period(2025, q)
        KeyFigureReport.objects.create(municipality=municipality, period_start=p.start, period_end=p.end,
                                       label=p.label, status="done" if q == 1 else "failed",
                                       trigger="schedule" if q == 1 else "command",
                                       published_at=timezone.now() if q == 1 else None)
    client.force_login(coordinator)
    html = client.get(reverse("crimestats:report_list"), {"status": "failed"}).content.decode()
    assert "2025 K2" in html and "2025 K1" not in html
    assert "en kommando" in html  # who started it, in words
    html = client.get(reverse("crimestats:report_list"), {"published": "true"}).content.decode()
    assert "2025 K1" in html and "2025 K2" not in html and "kvartalsplanen" in html
    assert '<option value="true" selected>Ja</option>' in html
    html = client.get(reverse("crimestats:report_list")).content.decode()
    assert "2025 K1" in html and "2025 K2" in html and '<option value="" selected>Alle</option>' in html
    assert "---------" not in html  # the status filter says "Alle" too
    # every drop-down looks like one (the published filter had the text-field style)
    assert html.count('class="form-select"') == 2 and '<select name="published" class="form-select"' in html


def test_the_import_progress_fragment_polls_until_done(client, coordinator, municipality):
    from crimestats.services import police_import_create
    imp = police_import_create(municipality=municipality, kind="events", uploaded_file=csv_file([]))
    client.force_login(coordinator)
    url = reverse("crimestats:import_status", args=[imp.pk])
    waiting = client.get(url)
    assert "HX-Refresh" not in waiting and 'hx-trigger="every 1s"' in waiting.content.decode()
    detail = client.get(reverse("crimestats:import_detail", args=[imp.pk])).content.decode()
    assert 'id="import-progress"' in detail
    from crimestats.services import police_import_run
    police_import_run(police_import_id=imp.pk)
    assert client.get(url)["HX-Refresh"] == "true"


def test_a_period_without_counts_says_so_instead_of_an_empty_grid_map(client, coordinator, produced,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        empty = report_request(municipality=produced.municipality, period=quarter_period(2025, 2))
    client.force_login(coordinator)
    html = client.get(reverse("crimestats:report_detail", args=[empty.pk])).content.decode()
    assert 'id="grid-reports-empty"' in html and 'id="chart-grid-reports"' not in html
    assert 'id="coverage-warning"' in html  # and the police data do not reach that quarter
    html = client.get(reverse("crimestats:report_detail", args=[produced.pk])).content.decode()
    assert 'id="chart-grid-reports"' in html and 'id="grid-reports-empty"' not in html


def test_the_cells_above_a_threshold_are_counted_and_a_long_list_starts_folded(client, coordinator, produced):
    client.force_login(coordinator)
    url = reverse("crimestats:report_detail", args=[produced.pk])
    data = produced.data
    data["grids"][0]["cells"] = [{"x": 780 + i, "y": 6150, "count": 60 + i, "above": True} for i in range(3)]
    type(produced).objects.filter(pk=produced.pk).update(data=data)
    html = client.get(url).content.decode()
    assert '<details id="grid-reports-cells" open>' in html and "3 celler over tærsklen" in html
    data["grids"][0]["cells"] = [{"x": 700 + i, "y": 6150, "count": 60 + i, "above": True} for i in range(26)]
    type(produced).objects.filter(pk=produced.pk).update(data=data)
    html = client.get(url).content.decode()
    # 26 rows fold away behind their count; every one is still in the page for a screen reader to open
    assert '<details id="grid-reports-cells">' in html and "26 celler over tærsklen" in html
    assert html.count("<td>6150</td>") == 26
