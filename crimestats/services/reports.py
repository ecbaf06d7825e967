"""Producing, publishing and scheduling the ØU key-figure reports, and the quarter's uneasy-areas addendum."""
import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from initiatives.models import Municipality
from operations.jobs import job_enqueue

from ..models import KeyFigureReport, ReportStatus, ReportTrigger, UneasyAreasAddendum
from ..periods import Period, last_ended_quarter

logger = logging.getLogger(__name__)


def report_request(*, municipality, period: Period, user=None, trigger: str = ReportTrigger.BROWSER) -> KeyFigureReport:
    """Ask for a report of ``period``: a new version, produced by the worker.

    A published version is never changed; asking again makes the next
    version. If a version of the same period is still waiting or being
    produced, that one is returned instead of starting a second. Requests
    for one municipality are serialised on its row, so two at once (two
    browsers, or the schedule fired by two beat processes) make one report.
    Raises ``operations.jobs.BrokerUnavailable`` — storing nothing — when
    the background service does not answer.
    """
    if period.end > timezone.localdate():
        raise ValidationError(_("The period must not end in the future."))
    with transaction.atomic():
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        same = (KeyFigureReport.objects.select_for_update()
                .filter(municipality=municipality, period_start=period.start, period_end=period.end))
        busy = same.filter(status__in=[ReportStatus.PENDING, ReportStatus.RUNNING]).order_by("-version").first()
        if busy:
            return busy
        version = (same.aggregate(v=Max("version"))["v"] or 0) + 1
        report = KeyFigureReport(municipality=municipality, period_start=period.start, period_end=period.end,
                                 label=period.label, version=version, requested_by=user, trigger=trigger)
        report.full_clean()
        report.save()
        job_enqueue(report)
    return report


def scheduled_report_request(*, municipality, today: date) -> KeyFigureReport:
    """The report of the quarter that ended before ``today`` — created once, however often the schedule fires."""
    period = last_ended_quarter(today)
    with transaction.atomic():
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        existing = (KeyFigureReport.objects.filter(municipality=municipality, period_start=period.start,
                                                   period_end=period.end).order_by("version").first())
        if existing:
            return existing
        return report_request(municipality=municipality, period=period, trigger=ReportTrigger.SCHEDULE)


def _progress(report_id: int, percent: int, status: str = ReportStatus.RUNNING) -> None:
    KeyFigureReport.objects.filter(pk=report_id).update(progress=percent, status=status)


def report_generate(*, report_id: int) -> KeyFigureReport:
    """Compute the figures, draw the PDF and the workbook, and store them together.

    Idempotent: a report that is already produced is returned unchanged, so a
    task delivered twice (late acknowledgement after a worker died) does no
    harm; a run cut short stored nothing and simply runs again. Failure,
    heartbeat and retries are the job mechanism's (``operations.jobs``,
    around this call in the task).
    """
    from .. import exports, selectors

    report = KeyFigureReport.objects.select_related("municipality").get(pk=report_id)
    if report.status == ReportStatus.DONE or report.is_published:
        return report
    _progress(report_id, 5)
    # The report is for the Finance Committee: it is written in the municipality's default language.
    with translation.override(settings.LANGUAGE_CODE):
        period = Period(report.period_start, report.period_end)
        data = selectors.report_figures(municipality=report.municipality, period=period)
        _progress(report_id, 40)
        pdf = exports.report_pdf(report=report, data=data)
        _progress(report_id, 80)
        xlsx = exports.report_xlsx(report=report, data=data)
    with transaction.atomic():
        report = KeyFigureReport.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.DONE:
            return report
        report.data, report.pdf, report.xlsx = data, pdf, xlsx
        report.status, report.progress, report.produced_at, report.error = ReportStatus.DONE, 100, timezone.now(), ""
        report.full_clean(exclude=["pdf", "xlsx"])
        report.save()
    return report


@transaction.atomic
def report_publish(*, report: KeyFigureReport, user) -> KeyFigureReport:
    """Freeze a produced report as the version handed to the Finance Committee."""
    report = KeyFigureReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DONE:
        raise ValidationError(_("Only a finished report can be published."))
    if report.is_published:
        raise ValidationError(_("This version is already published."))
    report.published_at, report.published_by = timezone.now(), user
    report.save(update_fields=["published_at", "published_by"])
    return report


@transaction.atomic
def addendum_save(*, municipality, year: int, quarter: int, user, interrogations_12_17: int | None,
                  ssp_single_cases: int | None, ssp_assessment: str) -> UneasyAreasAddendum:
    """Create or update the quarter's uneasy-areas figures and SSP assessment."""
    addendum = (UneasyAreasAddendum.objects.select_for_update()
                .filter(municipality=municipality, year=year, quarter=quarter).first()
                or UneasyAreasAddendum(municipality=municipality, year=year, quarter=quarter))
    addendum.interrogations_12_17 = interrogations_12_17
    addendum.ssp_single_cases = ssp_single_cases
    addendum.ssp_assessment = ssp_assessment
    addendum.updated_by = user
    addendum.full_clean()
    addendum.save()
    return addendum
