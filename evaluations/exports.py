"""The Excel workbook of a round: every answer of every evaluation the user may see, and the history."""
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from sikkerby.spreadsheets import write_table

from .models import ANSWER_FIELDS, Evaluation, EvaluationEvent


def evaluations_workbook(*, evaluations, evaluation_round) -> bytes:
    """One sheet of answers (a row per evaluation, a column per answer) and one of the history.

    ``evaluations`` must come from ``selectors.evaluation_list`` so the export
    shows exactly what the user may see. Amounts are in 1,000 DKK at the
    price level stated in their own column. Every cell goes through
    ``sikkerby.spreadsheets``: answers that look like formulas stay text, times
    are local (Europe/Copenhagen), and each sheet has its title in A1, a frozen
    header row and an autofilter.
    """
    evaluations = list(evaluations)
    wb = Workbook()
    wb.remove(wb.active)
    title = str(evaluation_round)
    fields = [Evaluation._meta.get_field(name) for name in ANSWER_FIELDS]
    headers = [_("Administration"), _("Initiative"), _("Initiative key"), _("Status"), _("Version"),
               _("Submitted at"), *[_label(f) for f in fields]]
    answers = write_table(
        wb, name=_("Answers"), title=f"{title}: {_('Answers')}", header=[str(h) for h in headers],
        rows=[[ev.administration.code, ev.initiative.name, ev.initiative.key, str(ev.get_status_display()),
               ev.version, ev.submitted_at, *[getattr(ev, f.name) for f in fields]] for ev in evaluations])
    answers.freeze_panes = "C3"  # the header row and the initiative stay in view

    events = (EvaluationEvent.objects.filter(evaluation__in=[e.pk for e in evaluations])
              .exclude(kind="saved").select_related("evaluation__initiative", "evaluation__administration", "actor")
              .order_by("evaluation__administration__code", "evaluation__initiative__name", "at"))
    write_table(
        wb, name=_("History"), title=f"{title}: {_('History')}",
        header=[str(h) for h in (_("Administration"), _("Initiative"), _("Event"), _("Version"), _("By"), _("At"),
                                 _("Comment"))],
        rows=[[event.evaluation.administration.code, event.evaluation.initiative.name,
               str(event.get_kind_display()), event.version,
               event.actor.get_full_name() or event.actor.username if event.actor else "",
               event.at, event.comment] for event in events])
    wb.properties.title = title
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
