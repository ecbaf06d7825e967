"""Geographic areas of a municipality, as a hierarchy of levels.

Copenhagen's levels (from the City's own boundary layers, see
``fixtures/areas/README.md``): the city, 10 bydele, 12 local-committee areas,
35 districts, 5 deprived urban areas, 67 kvarterer and 399 roder (the
smallest statistical unit). Not every level nests in every other (a district
can straddle two bydele), so each area has one ``parent`` for the tree that
pages show (its majority container) and, for the finest level, the full set
of containing areas in ``containers`` — which is what aggregation uses to
roll figures up to any level.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    CITY = "city", _("municipality")
    BYDEL = "bydel", _("city district (bydel)")
    LOCAL_COMMITTEE = "local_committee", _("local-committee area")
    DISTRICT = "district", _("district")
    DEPRIVED_AREA = "deprived_area", _("deprived urban area")
    KVARTER = "kvarter", _("neighbourhood (kvarter)")
    RODE = "rode", _("statistical unit (rode)")


class Area(models.Model):
    """An area at one level, with its boundary as GeoJSON (WGS84 lon/lat)."""

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.CASCADE, related_name="areas")
    level = models.CharField(_("level"), max_length=20, choices=AreaLevel.choices)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("parent area"))
    containers = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="members",
                                        verbose_name=_("contained in"))
    geometry = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    area_m2 = models.FloatField(_("area (m²)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["municipality", "level", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "level", "code"], name="uniq_area_code")]
        indexes = [models.Index(fields=["municipality", "level"])]

    def __str__(self):
        return self.name
