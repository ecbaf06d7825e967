"""Indicators (nøgletal) that show whether the programme moves towards its effect goals.

The foundation holds the definitions (seed 001, annex 1 §5, Table 2); values,
revisions and effect-goal status belong to the indicators issue.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from initiatives.models import Direction


class Indicator(models.Model):
    """An indicator of one focus area, followed by one lead administration (others may share it)."""

    programme = models.ForeignKey("initiatives.Programme", on_delete=models.CASCADE, related_name="indicators")
    focus_area = models.ForeignKey("initiatives.FocusArea", on_delete=models.CASCADE, related_name="indicators",
                                   verbose_name=_("focus area"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    responsible = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT,
                                    related_name="indicators", verbose_name=_("responsible administration"))
    co_responsible = models.ManyToManyField("initiatives.Administration", blank=True,
                                            related_name="co_indicators",
                                            verbose_name=_("also responsible"))
    direction = models.CharField(_("desired direction"), max_length=10, choices=Direction.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="uniq_indicator_number")]

    def __str__(self):
        return f"{self.number}. {self.text}"
