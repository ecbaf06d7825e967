"""The action list as an Excel workbook (openpyxl), from the same filtered rows as the page."""
import io
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from sikkerby.spreadsheets import write_table


def actions_xlsx(actions, *, today: date) -> bytes:
    """Every given action (with its finding, walk, area and organisation loaded), overdue in words, demo marked."""
    actions = list(actions)
    wb = Workbook()
    wb.remove(wb.active)
    notes = [_("Made %(day)s; done actions are left out unless a status was chosen.") % {
        "day": today.strftime("%d.%m.%Y")}]
    if any(a.finding.walk.is_demo for a in actions):
        notes.append(_("Contains demo data (marked in the last column): not real figures."))
    write_table(wb, name=_("Actions"), title=_("Actions after safety walks"), notes=notes, header=[
        _("Area"), _("Housing area"), _("Walk"), _("Category"), _("Action"), _("Responsible organisation"),
        _("Deadline"), _("Status"), _("Done on"), pgettext("action deadline", "Overdue"), _("Demo data")], rows=[
        [a.finding.walk.area.name, a.finding.walk.housing_area, a.finding.walk.date,
         a.finding.get_category_display(), a.description, a.responsible.name, a.deadline, a.get_status_display(),
         a.done_on, _("yes") if a.is_overdue(today) else _("no"), _("yes") if a.finding.walk.is_demo else _("no")]
        for a in actions])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
