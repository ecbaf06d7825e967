"""Pages: who may open them, every read of a concern is audited, nothing personal in a URL, forms keep input."""
import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from exitprogram.models import AccessLog
from sspcases.models import AgendaItem, Concern, MeetingSeries

from .factories import make_concern, make_series

pytestmark = pytest.mark.django_db


def _first(series):
    return series.meetings.order_by("number").first()


def _rows(concern, what=None):
    qs = AccessLog.objects.filter(case_uuid=concern.uuid, action="view")
    return qs.filter(what=what).count() if what else qs.count()


@pytest.mark.parametrize("role", [roles.COORDINATOR, roles.EXIT_EXPERT, roles.MENTOR, roles.ADMIN_REPORTER,
                                  roles.API_CLIENT, roles.DATA_PROTECTION])
def test_only_ssp_consultants_open_the_meetings_and_concerns(client, user_of_role, role, series, concern):
    client.force_login(user_of_role(role))
    for url in (reverse("sspcases:series_list"), reverse("sspcases:concern_list"),
                reverse("sspcases:meeting_detail", args=[_first(series).uuid]),
                reverse("sspcases:concern_detail", args=[concern.uuid])):
        assert client.get(url).status_code in (403, 404), (role, url)
    assert _rows(concern) == 0


def test_superusers_see_no_named_young_person(client, series, concern):
    from tests.factories import UserFactory
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("sspcases:concern_detail", args=[concern.uuid])).status_code in (403, 404)


def test_coordinators_see_counts(client, coordinator, series, concern, ssp):
    AgendaItem.objects.all()  # nothing recorded yet
    client.force_login(coordinator)
    page = client.get(reverse("sspcases:statistics"))
    assert page.status_code == 200 and concern.last_name not in page.content.decode()


def test_another_municipalitys_ssp_consultant_gets_404(client, series, concern):
    from initiatives.models import Municipality
    from tests.factories import UserFactory
    other = Municipality.objects.create(code="0998", name="Andeby")
    stranger = UserFactory(municipality=other, role=roles.SSP_CONSULTANT)
    client.force_login(stranger)
    for url in (reverse("sspcases:series_detail", args=[series.pk]),
                reverse("sspcases:meeting_detail", args=[_first(series).uuid]),
                reverse("sspcases:concern_detail", args=[concern.uuid]),
                reverse("sspcases:concern_convert", args=[concern.uuid])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("sspcases:item_record", args=[_first(series).uuid, concern.uuid]),
                           {f"c{concern.pk}-action": "monitor", f"c{concern.pk}-owner": "ssp"})
    assert response.status_code == 404 and not AgendaItem.objects.exists()
    assert concern.last_name not in client.get(reverse("sspcases:concern_list")).content.decode()
    assert _rows(concern) == 0


def test_every_read_of_a_concern_writes_an_access_log_row(client, ssp, ssp2, series, concern):
    client.force_login(ssp2)
    client.get(reverse("sspcases:concern_list"))
    assert _rows(concern, "ssp concern list") == 1
    client.get(reverse("sspcases:concern_detail", args=[concern.uuid]))
    assert _rows(concern, "ssp concern page") == 1
    client.get(reverse("sspcases:meeting_detail", args=[_first(series).uuid]))
    assert _rows(concern, "ssp meeting agenda") == 1
    row = AccessLog.objects.filter(case_uuid=concern.uuid, action="view").last()
    assert row.username == ssp2.username and row.municipality_id == ssp2.municipality_id
    assert row.case_reference == concern.reference and concern.last_name not in row.what


def test_register_a_concern_keeps_input_on_error_and_keeps_names_out_of_urls_and_logs(client, ssp, series, caplog):
    client.force_login(ssp)
    data = {"series": series.pk, "source": "police", "registered_on": timezone.localdate().isoformat(),
            "first_name": "Fiktiv", "last_name": "Hemmeligsen", "cpr": "311399-1234", "age": "",
            "description": "Bekymring"}
    with caplog.at_level(logging.DEBUG):
        bad = client.post(reverse("sspcases:concern_create"), data)
    assert bad.status_code == 400 and 'value="Hemmeligsen"' in bad.content.decode()
    data["cpr"] = ""
    data["age"] = "14"
    ok = client.post(reverse("sspcases:concern_create"), data)
    concern = Concern.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("sspcases:concern_detail", args=[concern.uuid])
    assert "Hemmeligsen" not in ok["Location"] and "Hemmeligsen" not in caplog.text
    assert concern.is_minor and concern.registered_by == ssp


def test_two_meetings_through_the_pages_carry_a_concern_over(client, ssp, series, concern):
    client.force_login(ssp)
    first, second = list(series.meetings.order_by("number")[:2])
    prefix = f"c{concern.pk}"
    client.post(reverse("sspcases:meeting_hold", args=[first.uuid]),
                {"ssp_participants": [ssp.pk], "police_participants": "Politiassistent Demo", "version": first.version})
    response = client.post(reverse("sspcases:item_record", args=[first.uuid, concern.uuid]), {
        f"{prefix}-decision": "Forældresamtale", f"{prefix}-action": "parent_talk", f"{prefix}-owner": "ssp",
        f"{prefix}-owner_name": "Sara", f"{prefix}-deadline": (first.held_on + timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    page = client.get(reverse("sspcases:meeting_detail", args=[second.uuid])).content.decode()
    assert concern.reference in page and "Forældresamtale" in page and "carried" in page
    bad = client.post(reverse("sspcases:item_record", args=[second.uuid, concern.uuid]), {
        f"{prefix}-decision": "Lukkes", f"{prefix}-action": "youth_talk", f"{prefix}-owner": "police",
        f"{prefix}-closes_concern": "on"})
    assert bad.status_code == 400 and "Lukkes" in bad.content.decode()
    client.post(reverse("sspcases:item_record", args=[second.uuid, concern.uuid]), {
        f"{prefix}-decision": "Lukkes", f"{prefix}-action": "youth_talk", f"{prefix}-owner": "police",
        f"{prefix}-closes_concern": "on", f"{prefix}-closure_outcome": "resolved"})
    concern.refresh_from_db()
    assert concern.status == "closed"


def test_move_a_meeting_and_create_a_series(client, ssp):
    client.force_login(ssp)
    response = client.post(reverse("sspcases:series_create"), {
        "name": "Enkeltsager", "start_date": "2030-01-03", "interval_days": 14, "police_unit": "Vestegn"})
    series = MeetingSeries.objects.get(name="Enkeltsager")
    assert response.status_code == 302 and series.meetings.count() > 10
    second = series.meetings.get(number=2)
    bad = client.post(reverse("sspcases:meeting_move", args=[second.uuid]), {"new_date": "2030-02-20",
                                                                             "reason": "Ferie", "version": 1})
    assert bad.status_code == 400 and "Ferie" in bad.content.decode()
    client.post(reverse("sspcases:meeting_move", args=[second.uuid]), {"new_date": "2030-01-20", "reason": "Ferie",
                                                                        "version": 1})
    second.refresh_from_db()
    assert second.held_on.isoformat() == "2030-01-20"
    n = series.meetings.count()
    client.post(reverse("sspcases:series_extend", args=[series.pk]))
    assert series.meetings.count() > n


def test_convert_page_makes_the_exit_case(client, ssp, series):
    concern = make_concern(actor=ssp, series=series, registered_on=series.start_date, cpr="170506-4234")
    client.force_login(ssp)
    response = client.post(reverse("sspcases:concern_convert", args=[concern.uuid]),
                           {"track": "general", "crime_level": "serious"})
    concern.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == reverse("exitprogram:case_detail",
                                                                           args=[concern.exit_case.uuid])


def test_concern_list_query_count_does_not_grow(client, ssp, series, django_assert_max_num_queries):
    for _ in range(3):
        make_concern(actor=ssp, series=series, registered_on=series.start_date)
    client.force_login(ssp)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("sspcases:concern_list"))
    for _ in range(6):
        make_concern(actor=ssp, series=series, registered_on=series.start_date)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("sspcases:concern_list"))
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("sspcases:meeting_detail", args=[_first(series).uuid]))


def test_a_new_series_for_another_start(client, ssp):
    make_series(actor=ssp, start=timezone.localdate())
    client.force_login(ssp)
    assert client.get(reverse("sspcases:series_list")).status_code == 200


def test_a_stale_move_answers_409_with_the_colleagues_date_beside_yours_and_keeps_your_input(client, ssp, ssp2):
    series = make_series(actor=ssp, start=timezone.localdate() + timedelta(days=7))
    second = series.meetings.get(number=2)
    opened = second.version
    client.force_login(ssp2)  # the colleague moves it first
    assert client.post(reverse("sspcases:meeting_move", args=[second.uuid]), {
        "new_date": (second.held_on + timedelta(days=1)).isoformat(), "reason": "Ferie",
        "version": opened}).status_code == 302
    client.force_login(ssp)
    mine = (second.held_on - timedelta(days=1)).isoformat()
    response = client.post(reverse("sspcases:meeting_move", args=[second.uuid]),
                           {"new_date": mine, "reason": "Helligdag", "version": opened})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflict"' in page and f'value="{mine}"' in page
    table = page[page.index('id="conflict"'):page.index("</table>", page.index('id="conflict"'))]
    assert "Ferie" in table and "Helligdag" in table  # the colleague's reason beside mine (conflict_attributes)
    assert f"{second.held_on + timedelta(days=1):%Y-%m-%d}" in table  # and the date they moved it to
    second.refresh_from_db()
    assert second.move_reason == "Ferie"
    # saving again from the page (which now carries the colleague's version) is a deliberate overwrite
    assert client.post(reverse("sspcases:meeting_move", args=[second.uuid]), {
        "new_date": mine, "reason": "Helligdag", "version": second.version}).status_code == 302
    second.refresh_from_db()
    assert second.move_reason == "Helligdag"


def test_cancel_and_plan_again_through_the_page(client, ssp):
    series = make_series(actor=ssp, start=timezone.localdate() + timedelta(days=7))
    meeting = series.meetings.get(number=1)
    client.force_login(ssp)
    page = client.get(reverse("sspcases:meeting_detail", args=[meeting.uuid])).content.decode()
    assert reverse("sspcases:meeting_cancel", args=[meeting.uuid]) in page
    bad = client.post(reverse("sspcases:meeting_cancel", args=[meeting.uuid]), {"reason": "", "version": 1})
    assert bad.status_code == 400
    done = client.post(reverse("sspcases:meeting_cancel", args=[meeting.uuid]),
                       {"reason": "Politiet kan ikke", "version": 1}, follow=True)
    page = done.content.decode()
    assert 'id="cancelled"' in page and "Politiet kan ikke" in page
    assert reverse("sspcases:meeting_cancel", args=[meeting.uuid]) not in page
    again = client.post(reverse("sspcases:meeting_reinstate", args=[meeting.uuid]), {"version": 2}, follow=True)
    assert 'id="cancelled"' not in again.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "planned" and meeting.version == 3
