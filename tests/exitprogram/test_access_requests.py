"""Issue #16 item 5: access logs that serve the citizen without exposing the staff.

- the data-subject export is the data-protection role's duty, with the reason recorded;
- nobody else learns from it whether a person is in the programme (same answer for members and non-members);
- the citizen's copy gives dates, purposes and the organisation, never employees or the case reference
  (CJEU C-579/21); the internal copy names the employees;
- reads record the purpose the user chose (case work unless they chose another).
"""
import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from accounts import roles
from exitprogram import services
from exitprogram.models import AccessLog
from tests.factories import MunicipalityFactory, UserFactory

from .factories import cpr_for, make_case, make_user

pytestmark = pytest.mark.django_db
NOT_IN_PROGRAMME = "010203-4321"


@pytest.fixture
def dpo(muni):
    return make_user(muni, roles.DATA_PROTECTION, "ØKF", first_name="Dina", last_name="Databeskyttelse")


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def _export(client, cpr, copy="citizen", reason="J.nr. 2026-0042"):
    return client.post(reverse("exitprogram:access_log"), {"cpr": cpr, "reason": reason, "copy": copy})


@pytest.mark.parametrize("cpr_of", ["member", "non_member"])
def test_a_case_worker_gets_the_same_refusal_for_members_and_non_members(client, consultant, case, cpr_of):
    client.force_login(consultant)
    cpr = case.cpr if cpr_of == "member" else NOT_IN_PROGRAMME
    before = AccessLog.objects.count()
    assert client.get(reverse("exitprogram:access_log")).status_code == 403
    assert _export(client, cpr).status_code == 403
    assert AccessLog.objects.count() == before  # a refused request reads and writes nothing


def test_the_citizens_copy_has_dates_purposes_and_the_organisation_and_no_staff(client, consultant, case, dpo):
    client.force_login(consultant)
    client.get(reverse("exitprogram:case_detail", args=[case.uuid]))
    client.force_login(dpo)
    with translation.override("da"):
        response = _export(client, case.cpr)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0] == ["dato", "organisation", "handling", "formål"]
    body = response.content.decode()
    for secret in (consultant.username, consultant.get_full_name(), dpo.username, "Dina", case.reference,
                   case.cpr, "J.nr."):
        assert secret not in body, secret
    assert [r[1] for r in rows[1:]] == ["Københavns Kommune"] * 3
    assert [r[3] for r in rows[1:]] == ["sagsarbejde", "sagsarbejde", "indsigtsanmodning"]
    assert all(len(r[0]) == 10 for r in rows[1:])  # the date, not the time


def test_the_internal_copy_names_the_employees_and_the_reason(client, consultant, case, dpo):
    client.force_login(consultant)
    client.get(reverse("exitprogram:case_detail", args=[case.uuid]))
    client.force_login(dpo)
    rows = _rows(_export(client, case.cpr, copy="internal"))
    assert rows[0] == ["time", "user", "name", "action", "case", "what", "purpose", "reason"]
    assert rows[2][1:5] == [consultant.username, consultant.get_full_name(), "view", case.reference]
    assert rows[-1][1] == dpo.username and rows[-1][6:] == ["data-subject access request", "J.nr. 2026-0042"]


def test_a_non_member_gets_the_same_kind_of_document_with_only_the_request_in_it(client, consultant, case, dpo):
    client.force_login(dpo)
    member, stranger = _export(client, case.cpr), _export(client, NOT_IN_PROGRAMME)
    assert member.status_code == stranger.status_code == 200
    for header in ("Content-Type", "Content-Disposition"):
        assert member[header] == stranger[header]
    assert _rows(member)[0] == _rows(stranger)[0]
    assert len(_rows(stranger)) == 2  # the header and this request's own row
    assert len(_rows(member)) > 2


def test_the_export_needs_a_reason_without_a_cpr_number_and_records_it(client, case, dpo):
    client.force_login(dpo)
    before = AccessLog.objects.count()
    assert _export(client, case.cpr, reason="").status_code == 400
    assert _export(client, case.cpr, reason=f"om {case.cpr}").status_code == 400
    assert AccessLog.objects.count() == before
    assert _export(client, case.cpr, reason="Brev modtaget 20.11.2026").status_code == 200
    row = AccessLog.objects.order_by("-pk").first()
    assert (row.action, row.purpose, row.reason, row.username) == (
        "export", AccessLog.Purpose.DATA_SUBJECT_REQUEST, "Brev modtaget 20.11.2026", dpo.username)


def test_the_export_answers_from_the_own_municipalitys_rows_only(client, case):
    other = MunicipalityFactory()
    outsider = UserFactory(municipality=other, role=roles.DATA_PROTECTION)
    client.force_login(outsider)
    rows = _rows(_export(client, case.cpr, copy="internal"))
    assert [r[1] for r in rows[1:]] == [outsider.username]  # only the request; nothing of Copenhagen's


def test_reads_record_the_purpose_the_user_chose(client, consultant, case):
    client.force_login(consultant)
    detail = reverse("exitprogram:case_detail", args=[case.uuid])
    page = client.get(detail)
    assert 'id="read-purpose"' in page.content.decode()
    assert AccessLog.objects.filter(case_uuid=case.uuid, what="case page").last().purpose == "case work"

    response = client.post(reverse("exitprogram:read_purpose"), {"purpose": "supervision", "next": detail})
    assert response.status_code == 302 and response["Location"] == detail
    client.get(detail)
    client.get(reverse("exitprogram:case_list"))
    assert AccessLog.objects.filter(case_uuid=case.uuid, what="case page").last().purpose == "supervision"
    assert AccessLog.objects.filter(case_uuid=case.uuid, what="case list").last().purpose == "supervision"

    # a purpose outside the list is not taken, and the form never sends the user off-site
    response = client.post(reverse("exitprogram:read_purpose"), {"purpose": "curiosity",
                                                                 "next": "https://evil.example/"})
    assert response["Location"] == reverse("exitprogram:case_list")
    client.get(detail)
    assert AccessLog.objects.filter(case_uuid=case.uuid, what="case page").last().purpose == "supervision"


def test_the_retention_rule_and_the_export_keep_their_own_purposes(consultant, dpo, muni):
    case = make_case(consultant=consultant, cpr=cpr_for(date_(1991, 1, 1)))
    services.access_log_export(actor=dpo, cpr=case.cpr, reason="x")
    assert set(AccessLog.objects.filter(subject_hash=case.cpr_hash).values_list("purpose", flat=True)) == {
        "case work", "data-subject access request"}
    assert all(row.municipality_id == muni.pk for row in AccessLog.objects.filter(subject_hash=case.cpr_hash))


def date_(*args):
    from datetime import date
    return date(*args)
