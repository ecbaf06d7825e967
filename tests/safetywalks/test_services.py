"""Planning a walk, recording findings, assigning actions and following them to done."""
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts import roles
from safetywalks import services
from safetywalks.models import ActionEvent, ActionStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_plans_a_walk_with_its_route_and_organisations(alb_walk, alb_orgs):
    assert alb_walk.route == {"type": "LineString", "coordinates": [[12.35, 55.66], [12.351, 55.661]]}
    assert alb_walk.route_points == [(55.66, 12.35), (55.661, 12.351)]
    assert set(alb_walk.organisations.all()) == set(alb_orgs)
    assert alb_walk.municipality.code == "0165"


def test_a_route_needs_two_points_on_earth():
    assert services.route_geojson([]) is None
    with pytest.raises(ValidationError):
        services.route_geojson([(55.66, 12.35)])
    with pytest.raises(ValidationError):
        services.route_geojson([(95, 12.35), (55.0, 12.0)])


def test_only_coordinators_and_admin_reporters_manage(alb_ssp, alb_reporter, alb_area):
    with pytest.raises(PermissionDenied):
        services.organisation_create(user=alb_ssp, name="Politiet", kind="police")
    org = services.organisation_create(user=alb_reporter, name="Politiet", kind="police")
    assert org.municipality.code == "0165"


def test_an_area_or_organisation_of_another_municipality_is_refused(alb_coordinator, copenhagen, alb_orgs):
    from areas.models import Area
    cph_area = Area.objects.filter(municipality=copenhagen.municipality).first()
    with pytest.raises(ValidationError):
        services.walk_create(user=alb_coordinator, area=cph_area, housing_area="X", date=date(2025, 1, 1),
                             leader="police")
    cph_coordinator = UserFactory(municipality=copenhagen.municipality, role=roles.COORDINATOR)
    cph_org = services.organisation_create(user=cph_coordinator, name="Københavns Politi", kind="police")
    with pytest.raises(ValidationError):
        services.walk_create(user=alb_coordinator, area=Area.objects.get(municipality__code="0165"),
                             housing_area="X", date=date(2025, 1, 1), leader="police", organisations=[cph_org])


def test_an_action_goes_from_open_through_in_progress_to_done_with_date_and_who(alb_finding, alb_orgs,
                                                                               alb_coordinator):
    action = services.action_create(user=alb_coordinator, finding=alb_finding, description="Nye lamper",
                                    responsible=alb_orgs[1], deadline=date(2025, 11, 1))
    assert action.status == ActionStatus.OPEN and action.is_overdue(date(2025, 11, 2))
    services.action_set_status(user=alb_coordinator, action=action, status=ActionStatus.IN_PROGRESS)
    done = services.action_set_status(user=alb_coordinator, action=action, status=ActionStatus.DONE,
                                      done_on=date(2025, 10, 30), comment="Lamperne er sat op")
    assert (done.status, done.done_on, done.closed_by) == (ActionStatus.DONE, date(2025, 10, 30), alb_coordinator)
    assert not done.is_overdue(date(2026, 1, 1))
    assert list(ActionEvent.objects.filter(action=action).values_list("from_status", "to_status")) == [
        ("", "open"), ("open", "in_progress"), ("in_progress", "done")]
    with pytest.raises(ValidationError):  # done cannot go back to open directly
        services.action_set_status(user=alb_coordinator, action=action, status=ActionStatus.OPEN)
    reopened = services.action_set_status(user=alb_coordinator, action=action, status=ActionStatus.IN_PROGRESS)
    assert reopened.done_on is None and reopened.closed_by is None


def test_done_cannot_be_dated_in_the_future(alb_finding, alb_orgs, alb_coordinator):
    action = services.action_create(user=alb_coordinator, finding=alb_finding, description="x",
                                    responsible=alb_orgs[0], deadline=date(2025, 11, 1))
    with pytest.raises(ValidationError):
        services.action_set_status(user=alb_coordinator, action=action, status=ActionStatus.DONE,
                                   done_on=timezone.localdate() + timedelta(days=1))


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(out, format="JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00")
    return out.getvalue()


def test_a_photo_is_stored_through_the_storage_api_without_its_metadata(alb_walk, alb_coordinator):
    photo = SimpleUploadedFile("IMG_0001 Jens.jpg", _jpeg(), content_type="image/jpeg")
    finding = services.finding_create(user=alb_coordinator, walk=alb_walk, kind="unsafe", category="vandalism",
                                      latitude="55.66", longitude="12.35", description="Knust lampe", photo=photo)
    assert finding.photo.name.startswith("safetywalks/photos/") and "Jens" not in finding.photo.name
    with finding.photo.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        assert image.format == "JPEG" and not image.info.get("exif")


def test_a_file_that_is_not_a_photo_is_refused(alb_walk, alb_coordinator):
    with pytest.raises(ValidationError):
        services.finding_create(user=alb_coordinator, walk=alb_walk, kind="unsafe", category="other",
                                latitude="55.66", longitude="12.35", description="x",
                                photo=SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"))
