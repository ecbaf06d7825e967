"""The background-job mechanism: claimed once, reaped when stalled, failed with a reason, started again.

These tests use the real broker (Redis) with no worker consuming: what they check is the state of the
job rows, and that a message was sent. The drills with real workers are in tests/topology.
"""
from datetime import date, timedelta

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone, translation

from crimestats.models import KeyFigureReport, ReportStatus
from crimestats.periods import quarter_period
from crimestats.services import report_request
from crimestats.tasks import key_figure_report_generate
from operations import jobs
from operations.tasks import reap_stalled_jobs

from ..crimestats.factories import CrimeTypeFactory, event, rode

BROKER = django_settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def broker(settings, monkeypatch):
    """Tasks go to the real broker (nobody consumes them here); the queue is emptied afterwards."""
    if not _redis_up():
        pytest.skip(f"needs a Redis broker at {BROKER} (CI has one)")
    from sikkerby.celery import app
    monkeypatch.setenv("CELERY_BROKER_URL", BROKER)  # Celery reads the variable before its configuration
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, BROKER
    _purge(app)
    yield app
    _purge(app)
    app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.fixture
def dead_broker(monkeypatch):
    from sikkerby.celery import app
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:1/0"  # nothing listens there
    yield app
    app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.fixture
def municipality(copenhagen):
    m = copenhagen.municipality
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    for d in (date(2025, 7, 1), date(2024, 7, 1)):
        event(m, on=d, crime_type=vold, area=rode("1"))
    return m


def _purge(app) -> None:
    """Empty both queues (``control.purge`` empties only the queues the app has declared)."""
    from django.conf import settings
    with app.connection_for_write() as conn:
        conn.default_channel.client.delete("celery", settings.REPORTS_QUEUE)


def _queued(app) -> int:
    """Messages waiting in the queues (reports have their own queue: settings.REPORTS_QUEUE)."""
    from django.conf import settings
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        return client.llen("celery") + client.llen(settings.REPORTS_QUEUE)


@pytest.mark.django_db(transaction=True)
def test_asking_while_the_broker_is_down_answers_at_once_and_stores_nothing(municipality, dead_broker):
    started = timezone.now()
    with pytest.raises(jobs.BrokerUnavailable, match="Prøv igen"):
        report_request(municipality=municipality, period=quarter_period(2025, 3))
    assert (timezone.now() - started).total_seconds() < 5
    assert KeyFigureReport.objects.count() == 0  # no ghost row


@pytest.mark.django_db(transaction=True)
def test_the_report_page_answers_503_with_the_form_kept_when_the_broker_is_down(client, municipality, coordinator,
                                                                              dead_broker):
    client.force_login(coordinator)
    response = client.post("/key-figures/", {"kind": "quarter", "year": 2025, "quarter": 3})
    assert response.status_code == 503
    assert "prøv igen" in response.content.decode().lower()
    assert KeyFigureReport.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_job_is_sent_on_commit_and_claimed_once(municipality, broker):
    report = report_request(municipality=municipality, period=quarter_period(2025, 3))
    assert _queued(broker) == 1 and report.attempts == 1
    assert jobs.job_claim(KeyFigureReport, report.pk)
    assert not jobs.job_claim(KeyFigureReport, report.pk)  # a second delivery finds it taken
    key_figure_report_generate.apply(args=[report.pk])  # … and does nothing while the first is alive
    assert KeyFigureReport.objects.get(pk=report.pk).status == ReportStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_lost_message_is_sent_again_then_failed_with_a_reason_and_started_again(municipality, broker, settings):
    settings.JOB_PENDING_SECONDS = 60
    report = report_request(municipality=municipality, period=quarter_period(2025, 3))
    _purge(broker)  # the broker lost the message (a restart without persistence)
    assert reap_stalled_jobs.apply().get() == {"crimestats.KeyFigureReport": 0, "crimestats.PoliceImport": 0,
                                               "partners.PartnerPackPdf": 0,
                                               "tryghedsindeks.SafetyIndexComputation": 0}  # not stalled yet
    for attempt in (2, 3):
        KeyFigureReport.objects.filter(pk=report.pk).update(queued_at=timezone.now() - timedelta(minutes=2))
        assert reap_stalled_jobs.apply().get()["crimestats.KeyFigureReport"] == 1
        report.refresh_from_db()
        assert (report.status, report.attempts, _queued(broker)) == (ReportStatus.PENDING, attempt, 1)
        _purge(broker)
    KeyFigureReport.objects.filter(pk=report.pk).update(queued_at=timezone.now() - timedelta(minutes=2))
    reap_stalled_jobs.apply().get()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.error_params == {"n": 3} and _queued(broker) == 0
    assert "3 gange uden at blive startet" in report.error_message  # shown in the reader's language
    assert report_request(municipality=municipality, period=quarter_period(2025, 3)).version == 2  # not stuck
    jobs.job_restart(report)
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (ReportStatus.PENDING, 1, "")


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_taken_over_and_finished(municipality, broker, settings):
    settings.JOB_STALL_SECONDS = 30
    report = report_request(municipality=municipality, period=quarter_period(2025, 3))
    assert jobs.job_claim(KeyFigureReport, report.pk)  # a worker took it …
    KeyFigureReport.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=31))
    _purge(broker)  # … and died; its message is gone with it
    client = reap_stalled_jobs.apply().get()
    assert client["crimestats.KeyFigureReport"] == 1 and _queued(broker) == 1
    key_figure_report_generate.apply(args=[report.pk])  # the message sent again, run by another worker
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and bytes(report.pdf).startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_work_fails_the_job_with_a_reason_the_user_can_read(municipality, broker, monkeypatch):
    report = report_request(municipality=municipality, period=quarter_period(2025, 3))
    from crimestats import exports

    def broken(**_kw):
        raise ZeroDivisionError
    monkeypatch.setattr(exports, "report_pdf", broken)  # an error in the code, not in the infrastructure
    key_figure_report_generate.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.error_params == {"error": "ZeroDivisionError"}
    with translation.override("en"):
        assert report.error_message.startswith("The job stopped with an error (ZeroDivisionError). Start it again")
    assert report.can_restart()


@pytest.mark.django_db(transaction=True)
def test_the_status_page_reaps_its_own_stalled_job(client, municipality, coordinator, broker, settings):
    settings.JOB_PENDING_SECONDS = 60
    report = report_request(municipality=municipality, period=quarter_period(2025, 3))
    _purge(broker)
    KeyFigureReport.objects.filter(pk=report.pk).update(queued_at=timezone.now() - timedelta(minutes=5),
                                                        attempts=3)
    client.force_login(coordinator)
    response = client.get(f"/key-figures/reports/{report.pk}/status/")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    body = response.content.decode()
    assert "3 gange" in body and "Start igen" in body  # the reason, in Danish, and the button
    response = client.post(f"/key-figures/reports/{report.pk}/restart/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and _queued(broker) == 1


def test_every_job_model_is_found_and_names_a_task():
    models = {m._meta.label: m for m in jobs.job_models()}
    assert set(models) == {"crimestats.KeyFigureReport", "crimestats.PoliceImport", "partners.PartnerPackPdf",
                           "tryghedsindeks.SafetyIndexComputation"}
    assert all(jobs.job_task(m).name == m.job_task for m in models.values())
