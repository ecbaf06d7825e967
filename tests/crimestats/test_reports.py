"""Producing, versioning, publishing and scheduling reports; the PDF and the workbook hold every section."""
import io
import json
from datetime import date

import openpyxl
import pypdf
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from crimestats.models import KeyFigureReport, ReportStatus
from crimestats.periods import quarter_period
from crimestats.sections import GRIDS, TABLES
from crimestats.selectors import report_figures
from crimestats.services import (
    addendum_save,
    report_generate,
    report_publish,
    report_request,
    scheduled_report_request,
)
from crimestats.tasks import key_figure_report_generate, quarterly_key_figure_reports

from .factories import CrimeTypeFactory, charge, event, rode

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_data(municipality, straf11):
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    a = rode("1")
    for d in (date(2025, 7, 1), date(2025, 8, 1), date(2024, 7, 5)):
        event(municipality, on=d, crime_type=vold, area=a, location="Strøget")
    for age in (12, 16, 16, 16, 16, 16, 20):
        charge(municipality, on=date(2025, 8, 1), crime_type=vold, age=age, area=a)
    return vold


def test_a_requested_report_is_produced_with_figures_pdf_and_workbook(municipality, some_data, coordinator,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(municipality=municipality, period=quarter_period(2025, 3), user=coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100 and report.version == 1
    assert report.data["tables"]["reports_by_type"]["rows"][0] == {
        "label": "Vold", "current": 2, "previous": 1, "change": 1, "pct": 100.0}

    pdf = pypdf.PdfReader(io.BytesIO(bytes(report.pdf)))
    text = " ".join(p.extract_text() for p in pdf.pages).replace("\n", " ")
    with translation.override(settings.LANGUAGE_CODE):
        titles = [str(t) for _k, t in TABLES] + [str(t) for _k, t, _w, _s in GRIDS] + [
            "STRAF11", translation.gettext("Uneasy areas"), "Kilde: Danmarks Statistik"]
    missing = [t for t in titles if t.replace(" ", "") not in text.replace(" ", "")]
    assert missing == []
    assert len(pdf.pages) >= 3
    # the data start on 5 July 2024, after last year's period began: the cover says so
    assert "Ufuldstændigt datagrundlag" in text and "dækker 5. juli 2024 – 1. august 2025" in text

    wb = openpyxl.load_workbook(io.BytesIO(bytes(report.xlsx)), read_only=True)
    assert len(wb.sheetnames) == len(TABLES) + 5  # 7 tables, 2 grids, STRAF11, municipalities, uneasy areas
    first = [row for row in wb.worksheets[0].iter_rows(values_only=True)]
    assert ("Vold", 2, 1, 1, 100.0) in first  # the report is written in Danish
    assert any(str(row[0]).startswith("Ufuldstændigt datagrundlag. Politiets data om sager og hændelser dækker")
               for row in first)
    ages = [row for row in wb.worksheets[5].iter_rows(values_only=True)]
    assert ("15–17", 5, 0, 5, None) in ages and ("0–14", None, 0, None, None) in ages  # 1 under-15 suppressed


def test_asking_again_makes_a_new_version_and_a_published_one_is_frozen(municipality, some_data, coordinator,
                                                                         django_capture_on_commit_callbacks):
    period = quarter_period(2025, 3)
    with django_capture_on_commit_callbacks(execute=True):
        v1 = report_request(municipality=municipality, period=period, user=coordinator)
    v1.refresh_from_db()
    report_publish(report=v1, user=coordinator)
    v1.refresh_from_db()
    frozen = (bytes(v1.pdf), v1.data)
    with pytest.raises(ValidationError):
        report_publish(report=v1, user=coordinator)
    event(municipality, on=date(2025, 7, 3), crime_type=some_data, area=rode("1"))  # new data arrives
    report_generate(report_id=v1.pk)  # a re-run of the task changes nothing
    key_figure_report_generate.delay(v1.pk)
    v1.refresh_from_db()
    assert (bytes(v1.pdf), v1.data) == frozen
    with django_capture_on_commit_callbacks(execute=True):
        v2 = report_request(municipality=municipality, period=period, user=coordinator)
    v2.refresh_from_db()
    assert v2.version == 2 and v2.data["tables"]["reports_by_type"]["rows"][0]["current"] == 3
    assert KeyFigureReport.objects.filter(period_start=period.start).count() == 2


def test_a_waiting_report_is_not_duplicated_and_future_periods_are_refused(municipality, some_data):
    period = quarter_period(2025, 3)
    first = report_request(municipality=municipality, period=period)  # not committed: stays waiting
    assert report_request(municipality=municipality, period=period) == first
    with pytest.raises(ValidationError):
        report_request(municipality=municipality, period=quarter_period(date.today().year + 1, 1))


def test_a_run_cut_short_is_simply_run_again(municipality, some_data):
    report = report_request(municipality=municipality, period=quarter_period(2025, 3))
    KeyFigureReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40)  # worker died
    key_figure_report_generate.delay(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.pdf


def test_the_schedule_asks_once_for_the_quarter_that_ended(municipality, some_data,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = scheduled_report_request(municipality=municipality, today=date(2025, 10, 1))
    assert (report.period_start, report.period_end) == (date(2025, 7, 1), date(2025, 9, 30))
    assert report.trigger == "schedule"
    again = scheduled_report_request(municipality=municipality, today=date(2025, 10, 1))
    assert again == report and KeyFigureReport.objects.count() == 1
    jan = scheduled_report_request(municipality=municipality, today=date(2026, 1, 1))
    assert (jan.period_start, jan.period_end) == (date(2025, 10, 1), date(2025, 12, 31))


def test_the_beat_entry_fires_the_day_after_each_quarter():
    from celery.schedules import crontab

    from sikkerby.celery import app
    entry = settings.CELERY_BEAT_SCHEDULE["crimestats-quarterly-key-figures"]
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.month_of_year == {1, 4, 7, 10} and schedule.day_of_month == {1}
    assert entry["task"] in app.tasks


def test_the_beat_task_asks_for_last_quarter_in_each_municipality_with_data(municipality, some_data):
    ids = quarterly_key_figure_reports.delay().get()
    assert len(ids) == 1
    report = KeyFigureReport.objects.get(pk=ids[0])
    assert report.municipality == municipality and report.trigger == "schedule"


def test_the_addendum_is_in_the_report_with_small_counts_suppressed(municipality, some_data, coordinator,
                                                                    django_capture_on_commit_callbacks):
    addendum_save(municipality=municipality, year=2025, quarter=3, user=coordinator, interrogations_12_17=3,
                  ssp_single_cases=41, ssp_assessment="Roligere end sidste kvartal.")
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(municipality=municipality, period=quarter_period(2025, 3))
    report.refresh_from_db()
    a = report.data["addendum"]
    assert (a["interrogations_12_17"], a["ssp_single_cases"], a["ssp_assessment"]) == (
        None, 41, "Roligere end sidste kvartal.")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(bytes(report.pdf))).pages)
    assert "Roligere end sidste kvartal." in text


def test_a_report_stored_before_there_were_two_grid_maps_still_shows_its_one_map():
    """Published reports are frozen: their stored figures keep the single ``grid`` (of reports) they had."""
    from crimestats.exports import grid_maps
    cells = [{"x": 700, "y": 6150, "count": 60, "above": True}, {"x": 701, "y": 6150, "count": None,
                                                                 "above": False}]
    maps = grid_maps({"grid": {"threshold": 50, "cells": cells}})
    assert [(m["key"], m["threshold"], m["above"]) for m in maps] == [("reports", 50, cells[:1])]
    assert grid_maps({"grids": []}) == []


def test_a_published_safety_index_year_is_in_the_report_and_does_not_fail_it(
        municipality, some_data, django_capture_on_commit_callbacks):
    """Issue #15, the crash: Decimal scores in the report's figures made ``full_clean`` refuse the JSON."""
    from decimal import Decimal

    from areas.models import AreaLevel
    from tests.tryghedsindeks.factories import SafetyIndexInputFactory, district, method_v1
    from tryghedsindeks.services import safety_index_compute, safety_index_publish

    SafetyIndexInputFactory(area=district("1"), year=2025)  # the hand-computed example: 57.83 intensiveret
    run = safety_index_compute(municipality=municipality, year=2025, level=AreaLevel.DISTRICT, method=method_v1())
    safety_index_publish(run=run)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(municipality=municipality, period=quarter_period(2025, 3))
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    (row,) = report.data["addendum"]["safety_index"]
    # scores are stored with two decimals; the report keeps them as a number rounded to the same two
    assert (row["area_code"], row["category"], row["score"]) == ("1", "intensiveret", 57.83)
    assert Decimal(str(row["score"])) == run.results.get(area=district("1")).score
    json.dumps(report_figures(municipality=municipality, period=quarter_period(2025, 3)))  # no encoder needed
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(bytes(report.pdf))).pages)
    assert "57,83" in text  # shown the Danish way
    wb = openpyxl.load_workbook(io.BytesIO(bytes(report.xlsx)), read_only=True)
    uneasy = list(wb.worksheets[-1].iter_rows(values_only=True))
    assert any(r[2] == 57.83 for r in uneasy if len(r) > 2)  # a number in the workbook, not text
