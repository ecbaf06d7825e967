"""The Excel workbook of a round: every answer of every evaluation the user may see, and the history."""
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import ANSWER_FIELDS, Evaluation, EvaluationEvent


def evaluations_workbook(*, evaluations, evaluation_round) -> bytes:
    """One sheet of answers (a row per evaluation, a column per answer) and one of the history.

    ``evaluations`` must come from ``selectors.evaluation_list`` so the export
    shows exactly what the user may see. Amounts are in 1,000 DKK at the
    price level stated in their own column.
    """
    evaluations = list(evaluations)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Answers")[:31]
    fields = [Evaluation._meta.get_field(name) for name in ANSWER_FIELDS]
    headers = [_("Administration"), _("Initiative"), _("Initiative key"), _("Status"), _("Version"),
               _("Submitted at"), *[_label(f) for f in fields]]
    ws.append([str(h) for h in headers])
    for ev in evaluations:
        ws.append([ev.administration.code, ev.initiative.name, ev.initiative.key, str(ev.get_status_display()),
                   ev.version, ev.submitted_at.replace(tzinfo=None) if ev.submitted_at else None,
                   *[getattr(ev, f.name) for f in fields]])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    for i in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 22

    hs = wb.create_sheet(_("History")[:31])
    hs.append([str(h) for h in (_("Administration"), _("Initiative"), _("Event"), _("Version"), _("By"), _("At"),
                                _("Comment"))])
    events = (EvaluationEvent.objects.filter(evaluation__in=[e.pk for e in evaluations])
              .exclude(kind="saved").select_related("evaluation__initiative", "evaluation__administration", "actor")
              .order_by("evaluation__administration__code", "evaluation__initiative__name", "at"))
    for event in events:
        hs.append([event.evaluation.administration.code, event.evaluation.initiative.name,
                   str(event.get_kind_display()), event.version,
                   event.actor.get_full_name() or event.actor.username if event.actor else "",
                   event.at.replace(tzinfo=None), event.comment])
    for cell in hs[1]:
        cell.font = Font(bold=True)
    wb.properties.title = str(evaluation_round)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _label(field) -> str:
    label = str(field.verbose_name)
    if field.name.endswith("_indicator") or field.name.endswith("_score"):
        dimension = str(field.help_text) if field.name.endswith("_indicator") else label
        kind = _("indicator") if field.name.endswith("_indicator") else _("score")
        return f"{dimension}: {kind}"
    return label[:1].upper() + label[1:]
