"""The reporting calendar (issue #18, part 4): expected periods, completeness, on-time rate, escalating reminders,
the page, the dashboard card and the API."""
from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from indicators import selectors, services, tasks
from indicators.models import (
    PeriodType,
    ReminderLevel,
    ReportingCalendar,
    ReportingReminder,
    ValueStatus,
    period_end,
)
from tests.factories import UserFactory

from .factories import IndicatorValueFactory, city

pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12, 0))


def _entered(programme, n=2):
    return list(programme.indicators.filter(formula="").select_related("responsible").order_by("number")[:n])


@pytest.fixture
def calendars(copenhagen):
    """Two yearly calendars from 2024, due 90 days after the year, escalated 30 days later."""
    a, b = _entered(copenhagen)
    return [ReportingCalendar.objects.create(indicator=ind, period_type=PeriodType.YEAR,
                                             first_period_start=date(2024, 1, 1), due_days=90, escalate_after_days=30,
                                             reminders_from=date(2024, 1, 1))
            for ind in (a, b)]


def _report(indicator, programme, year, on, status=ValueStatus.APPROVED):
    return IndicatorValueFactory(indicator=indicator, area=city(programme), period_start=date(year, 1, 1),
                                 status=status, first_reported_at=_at(on), submitted_at=_at(on))


def test_period_arithmetic():
    assert period_end(PeriodType.YEAR, date(2024, 1, 1)) == date(2024, 12, 31)
    assert period_end(PeriodType.QUARTER, date(2024, 10, 1)) == date(2024, 12, 31)
    assert period_end(PeriodType.QUARTER, date(2024, 4, 1)) == date(2024, 6, 30)
    assert period_end(PeriodType.MONTH, date(2024, 2, 1)) == date(2024, 2, 29)
    cal = ReportingCalendar(period_type=PeriodType.QUARTER, first_period_start=date(2025, 1, 1), due_days=45)
    assert cal.due_date(date(2025, 1, 1)) == date(2025, 5, 15)
    assert cal.expected_periods(date(2025, 5, 15)) == []  # due today: not yet missing
    assert cal.expected_periods(date(2025, 8, 15)) == [date(2025, 1, 1), date(2025, 4, 1)]


def test_a_calendar_starts_on_a_period_and_is_not_for_computed_indicators(copenhagen):
    ind = _entered(copenhagen, 1)[0]
    cal = ReportingCalendar(indicator=ind, period_type=PeriodType.QUARTER, first_period_start=date(2024, 2, 1))
    with pytest.raises(ValidationError) as exc:
        cal.full_clean()
    assert "first_period_start" in exc.value.message_dict
    computed = copenhagen.indicators.exclude(formula="").first()
    if computed is not None:
        with pytest.raises(ValidationError):
            ReportingCalendar(indicator=computed, first_period_start=date(2024, 1, 1)).full_clean()


def test_completeness_and_on_time_rate(copenhagen, calendars):
    a, b = (c.indicator for c in calendars)
    _report(a, copenhagen, 2024, date(2025, 3, 31))          # on the due date: on time
    _report(a, copenhagen, 2025, date(2026, 4, 2))           # two days late
    _report(b, copenhagen, 2024, date(2025, 2, 1), status=ValueStatus.SUBMITTED)  # submitted counts
    IndicatorValueFactory(indicator=b, area=city(copenhagen), period_start=date(2025, 1, 1),
                          status=ValueStatus.DRAFT)          # a draft is not reported
    rows = {r["indicator"].pk: r for r in selectors.reporting_status(
        calendars=ReportingCalendar.objects.select_related("indicator__responsible"), today=date(2026, 6, 1))}
    assert (rows[a.pk]["expected"], rows[a.pk]["reported"], rows[a.pk]["on_time"]) == (2, 2, 1)
    assert (rows[a.pk]["completeness"], rows[a.pk]["on_time_rate"]) == (100, 50)
    assert (rows[b.pk]["completeness"], rows[b.pk]["on_time_rate"]) == (50, 50)
    assert [p["period"] for p in rows[b.pk]["overdue"]] == ["2025"] and rows[b.pk]["overdue"][0]["escalated"]
    # before 2025 is due, only 2024 is expected
    early = selectors.reporting_status(calendars=[calendars[1]], today=date(2026, 3, 31))[0]
    assert early["expected"] == 1 and early["overdue"] == []
    totals = selectors.reporting_totals(list(rows.values()))
    assert (totals["expected"], totals["reported"], totals["on_time"], totals["overdue"]) == (4, 3, 2, 1)
    by_admin = selectors.reporting_by_administration(list(rows.values()))
    assert sum(i["expected"] for i in by_admin) == 4


def test_first_reported_survives_a_return_and_resubmission(copenhagen, calendars, coordinator):
    ind = calendars[0].indicator
    reporter = UserFactory(municipality=copenhagen.municipality, administration=ind.responsible,
                           role=roles.ADMIN_REPORTER)
    value = services.indicator_value_save(user=reporter, indicator=ind, area=city(copenhagen),
                                          period_type=PeriodType.YEAR, period_start=date(2024, 1, 1),
                                          value=5, source="x", note="")
    value = services.indicator_value_submit(user=reporter, value=value)
    first = value.first_reported_at
    assert first is not None
    services.indicator_value_return(user=coordinator, value=value)
    value = services.indicator_value_save(user=reporter, indicator=ind, area=city(copenhagen),
                                          period_type=PeriodType.YEAR, period_start=date(2024, 1, 1),
                                          value=6, source="x", note="")
    value = services.indicator_value_submit(user=reporter, value=value)
    assert value.first_reported_at == first and value.submitted_at > first


def _people(copenhagen, calendars):
    owner = calendars[1].indicator.responsible
    reporter = UserFactory(username="owner-reporter", email="owner@kk.invalid", municipality=copenhagen.municipality,
                           administration=owner, role=roles.ADMIN_REPORTER)
    UserFactory(username="owner-no-mail", email="", municipality=copenhagen.municipality, administration=owner,
                role=roles.ADMIN_REPORTER)
    coordinator = UserFactory(username="coord-mail", email="coord@kk.invalid", municipality=copenhagen.municipality,
                              role=roles.COORDINATOR)
    return reporter, coordinator


def test_reminders_go_to_the_owner_then_escalate_to_the_coordinators_once(copenhagen, calendars):
    a, b = (c.indicator for c in calendars)
    _report(a, copenhagen, 2024, date(2025, 3, 1))
    _report(b, copenhagen, 2024, date(2025, 3, 1))
    reporter, coordinator = _people(copenhagen, calendars)
    # 2025 of a is reported on time; 2025 of b is not: due 2026-03-31, escalated after 2026-04-30
    _report(a, copenhagen, 2025, date(2026, 3, 1))
    assert services.reporting_reminders_send(on=date(2026, 3, 31)) == []
    sent = services.reporting_reminders_send(on=date(2026, 4, 1))
    assert [(r.indicator_id, r.period, r.level) for r in sent] == [(b.pk, "2025", ReminderLevel.OWNER)]
    assert list(sent[0].recipients.all()) == [reporter]
    assert [m.to for m in mail.outbox] == [["owner@kk.invalid"]] and "forfald" in mail.outbox[0].subject.lower()
    assert services.reporting_reminders_send(on=date(2026, 4, 2)) == []  # idempotent
    assert services.reporting_reminders_send(on=date(2026, 4, 30)) == []
    escalated = services.reporting_reminders_send(on=date(2026, 5, 1))
    assert [(r.level, list(r.recipients.all())) for r in escalated] == [(ReminderLevel.ESCALATED, [coordinator])]
    assert mail.outbox[-1].to == ["coord@kk.invalid"]
    assert services.reporting_reminders_send(on=date(2026, 5, 2)) == []
    assert ReportingReminder.objects.count() == 2


def test_a_calendar_set_up_today_from_long_ago_reminds_only_of_periods_that_fall_due_from_now(
        copenhagen, coordinator):
    """Its backlog (every year since 2010 already overdue) is shown, not e-mailed; the next period is reminded."""
    ind = _entered(copenhagen, 1)[0]
    cal = services.reporting_calendar_set(user=coordinator, indicator=ind, period_type="year",
                                          first_period_start=date(2010, 1, 1), due_days=90, escalate_after_days=30)
    today = timezone.localdate()
    assert cal.reminders_from == today
    _people(copenhagen, [cal, cal])
    status = selectors.reporting_status(calendars=[cal], today=today)[0]
    assert len(status["overdue"]) >= 15  # 2010–2024 at least: the page shows the backlog
    assert services.reporting_reminders_send(on=today) == [] and mail.outbox == []
    # the first period due from today on is reminded the day after its due date, to the owner only
    start = cal.first_period_start
    while cal.due_date(start) < today:
        start = date(start.year + 1, 1, 1)
    sent = services.reporting_reminders_send(on=date.fromordinal(cal.due_date(start).toordinal() + 1))
    assert [(r.period_start, r.level) for r in sent] == [(start, ReminderLevel.OWNER)]
    assert len(mail.outbox) == 1 and mail.outbox[0].body.count("- ") == 1
    # moving the first period further back adds backlog, not reminders
    cal = services.reporting_calendar_set(user=coordinator, indicator=ind, period_type="year",
                                          first_period_start=date(2005, 1, 1), due_days=90, escalate_after_days=30)
    assert cal.reminders_from == today
    assert services.reporting_reminders_send(on=date.fromordinal(cal.due_date(start).toordinal() + 2)) == []


def test_the_task_runs_once_a_day_and_names_the_day(copenhagen, calendars):
    _people(copenhagen, calendars)
    # 2024 and 2025 of both indicators, each to the owner and escalated
    assert tasks.send_reporting_reminders(on="2026-05-01") == 8
    assert tasks.send_reporting_reminders(on="2026-05-01") == 0
    from django.conf import settings
    assert settings.CELERY_BEAT_SCHEDULE["indicator-reporting-reminders"]["task"] == \
        "indicators.send_reporting_reminders"


def test_reminders_reach_only_the_indicators_municipality(copenhagen, calendars):
    from initiatives.models import Municipality
    other = Municipality.objects.exclude(pk=copenhagen.municipality_id).first() or \
        Municipality.objects.create(code="0165", name="Albertslund")
    UserFactory(username="alb-coord", email="c@alb.invalid", municipality=other, role=roles.COORDINATOR)
    _people(copenhagen, calendars)
    services.reporting_reminders_send(on=date(2026, 5, 1))
    assert all(addr.endswith("kk.invalid") for m in mail.outbox for addr in m.to)


def test_only_coordinators_set_a_calendar(copenhagen, coordinator, reporter):
    ind = _entered(copenhagen, 1)[0]
    with pytest.raises(PermissionDenied):
        services.reporting_calendar_set(user=reporter, indicator=ind, period_type="year",
                                        first_period_start=date(2024, 1, 1), due_days=90, escalate_after_days=30)
    cal = services.reporting_calendar_set(user=coordinator, indicator=ind, period_type="quarter",
                                          first_period_start=date(2024, 4, 1), due_days=30, escalate_after_days=10)
    assert cal.indicator == ind and cal.period_type == "quarter"


# --- pages ----------------------------------------------------------------------------------------------------
def test_the_reporting_page_shows_the_figures_and_reminders(client, copenhagen, calendars, coordinator):
    _people(copenhagen, calendars)
    services.reporting_reminders_send(on=timezone.localdate())
    client.force_login(coordinator)
    response = client.get(reverse("indicators:reporting"), {"programme": copenhagen.slug})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="reporting-admin-table"' in html and 'id="reporting-indicator-table"' in html
    assert 'id="reminder-table"' in html
    assert response.context["totals"]["expected"] >= 4
    filtered = client.get(reverse("indicators:reporting"), {"programme": copenhagen.slug,
                                                             "administration": "NOPE"})
    assert filtered.context["rows"] == []


def test_the_reporting_page_costs_the_same_for_more_indicators(client, copenhagen, coordinator,
                                                               django_assert_max_num_queries):
    client.force_login(coordinator)
    url = f"{reverse('indicators:reporting')}?programme={copenhagen.slug}"
    entered = list(copenhagen.indicators.filter(formula="").order_by("number"))
    ReportingCalendar.objects.create(indicator=entered[0], first_period_start=date(2020, 1, 1))
    client.get(url)
    with django_assert_max_num_queries(40) as before:
        client.get(url)
    for ind in entered[1:]:
        ReportingCalendar.objects.create(indicator=ind, first_period_start=date(2020, 1, 1))
        _report(ind, copenhagen, 2021, date(2022, 1, 5))
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == len(entered)


def test_the_calendar_form_keeps_input_on_error_and_saves(client, copenhagen, coordinator, reporter):
    ind = _entered(copenhagen, 1)[0]
    url = reverse("indicators:reporting_calendar_edit", args=[ind.pk])
    client.force_login(reporter)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"period_type": "quarter", "first_period": "2024", "due_days": "45",
                            "escalate_after_days": "14"})
    assert bad.status_code == 200 and 'value="2024"' in bad.content.decode() and 'value="45"' in bad.content.decode()
    ok = client.post(url, {"period_type": "quarter", "first_period": "2024-Q2", "due_days": "45",
                           "escalate_after_days": "14"})
    assert ok.status_code == 302
    cal = ReportingCalendar.objects.get(indicator=ind)
    assert (cal.first_period_start, cal.due_days) == (date(2024, 4, 1), 45)


def test_the_dashboard_shows_reporting_completeness_at_a_constant_cost(client, copenhagen, coordinator,
                                                                      django_assert_max_num_queries):
    client.force_login(coordinator)
    url = reverse("initiatives:dashboard")
    entered = list(copenhagen.indicators.filter(formula="").order_by("number"))
    ReportingCalendar.objects.create(indicator=entered[0], first_period_start=date(2020, 1, 1))
    client.get(url)
    with django_assert_max_num_queries(60) as before:
        client.get(url)
    for ind in entered[1:]:
        ReportingCalendar.objects.create(indicator=ind, first_period_start=date(2020, 1, 1))
        _report(ind, copenhagen, 2020, date(2021, 1, 5))
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert 'id="reporting-completeness"' in html and 'id="dashboard-reporting-table"' in html


def test_the_dashboard_card_is_not_shown_to_a_municipality_without_indicators(client, copenhagen, coordinator):
    copenhagen.municipality.modules = [m for m in (copenhagen.municipality.modules or []) if m != "indicators"]
    copenhagen.municipality.save()
    client.force_login(coordinator)
    response = client.get(reverse("initiatives:dashboard"))
    assert 'id="reporting-completeness"' not in response.content.decode()


# --- API ------------------------------------------------------------------------------------------------------
def test_the_api_lists_completeness_paginated_and_filtered(client, copenhagen, calendars, api_client_user,
                                                          django_assert_max_num_queries):
    a = calendars[0].indicator
    _report(a, copenhagen, 2024, date(2025, 3, 1))
    client.force_login(api_client_user)
    url = "/api/v1/reporting-completeness/"
    response = client.get(url, {"limit": 1})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 1 and body["next"]
    row = body["results"][0]
    assert row["indicator"] == a.number and row["expected"] >= 1 and row["reported"] == 1
    assert set(row) >= {"completeness", "on_time_rate", "overdue_periods", "administration"}
    only = client.get(url, {"administration": calendars[1].indicator.responsible.code}).json()["results"]
    assert {r["administration"] for r in only} == {calendars[1].indicator.responsible.code}
    assert client.get(url, {"indicator": "x"}).status_code == 400
    assert client.get(url, {"limit": "0"}).status_code == 400
    assert client.get(url, {"format": "csv"}).status_code == 200
    with django_assert_max_num_queries(12):
        client.get(url)


def test_the_api_refuses_roles_without_indicator_access(client, copenhagen, calendars, ssp_consultant):
    client.force_login(ssp_consultant)
    assert client.get("/api/v1/reporting-completeness/").status_code == 403


def test_a_reporter_sees_the_reminders_of_their_own_administration_only(client, copenhagen, calendars):
    reporter, coordinator = _people(copenhagen, calendars)
    services.reporting_reminders_send(on=date(2026, 5, 1))
    owners = {c.indicator.responsible_id for c in calendars}
    client.force_login(reporter)
    seen = client.get(reverse("indicators:reporting"), {"programme": copenhagen.slug}).context["reminders"]
    assert seen and {r.administration_id for r in seen} == {reporter.administration_id}
    client.force_login(coordinator)
    seen = client.get(reverse("indicators:reporting"), {"programme": copenhagen.slug}).context["reminders"]
    assert {r.administration_id for r in seen} == owners
    other = UserFactory(username="other-admin-rep", municipality=copenhagen.municipality, role=roles.ADMIN_REPORTER,
                        administration=copenhagen.municipality.administrations.exclude(pk__in=owners).first())
    client.force_login(other)
    assert client.get(reverse("indicators:reporting"), {"programme": copenhagen.slug}).context["reminders"] == []
