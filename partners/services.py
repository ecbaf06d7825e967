"""Writes of the partners app: partners, their contacts and initiatives, monthly progress entries, reminders.

Every write checks the role and the municipality itself (a view's check is not the only guard), runs
``full_clean()`` inside a transaction, and is logged by django-auditlog.
"""
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from operations.jobs import job_enqueue

from . import selectors
from .models import (
    PackStatus,
    Partner,
    PartnerContact,
    PartnerInitiative,
    PartnerPackPdf,
    ProgressEntry,
    ProgressReminder,
    month_start,
)

PARTNER_FIELDS = ("name", "sector", "description", "website", "is_active")
ENTRY_FIELDS = ("status", "narrative", "figures", "risks", "next_steps")


def _require_coordinator(user, municipality_id):
    if not (roles.is_coordinator(user) and user.municipality_id == municipality_id):
        raise PermissionDenied(_("Only a coordinator of the municipality may keep its partners."))


@transaction.atomic
def partner_save(*, user, partner: Partner | None = None, municipality=None, is_demo: bool = False,
                 **data) -> Partner:
    """Create a partner of the coordinator's municipality, or change one."""
    if partner is None:
        municipality_id = getattr(municipality, "pk", None) or user.municipality_id
        _require_coordinator(user, municipality_id)
        partner = Partner(municipality_id=municipality_id, is_demo=is_demo)
    else:
        _require_coordinator(user, partner.municipality_id)
    for name in PARTNER_FIELDS:
        if name in data:
            setattr(partner, name, data[name])
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def contact_add(*, user, partner: Partner, name: str, job_title: str = "", email: str = "", phone: str = "",
                is_fictional: bool = False) -> PartnerContact:
    _require_coordinator(user, partner.municipality_id)
    contact = PartnerContact(partner=partner, name=name, job_title=job_title, email=email, phone=phone,
                             is_fictional=is_fictional)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_remove(*, user, contact: PartnerContact) -> None:
    _require_coordinator(user, contact.partner.municipality_id)
    contact.delete()


@transaction.atomic
def involvement_save(*, user, partner: Partner, initiative, year: int, role: str, amount_tdkk=None,
                     price_level_year=None, note: str = "") -> PartnerInitiative:
    """Record (or change) what a partner does in an initiative in a year, with its budget share."""
    _require_coordinator(user, partner.municipality_id)
    involvement = (PartnerInitiative.objects.filter(partner=partner, initiative=initiative, year=year).first()
                   or PartnerInitiative(partner=partner, initiative=initiative, year=year))
    involvement.role, involvement.amount_tdkk = role, amount_tdkk
    involvement.price_level_year, involvement.note = price_level_year, note
    involvement.full_clean()
    involvement.save()
    return involvement


@transaction.atomic
def involvement_remove(*, user, involvement: PartnerInitiative) -> None:
    _require_coordinator(user, involvement.partner.municipality_id)
    involvement.delete()


@transaction.atomic
def progress_entry_save(*, user, initiative, month: date, is_demo: bool = False, **data) -> ProgressEntry:
    """Enter or change an initiative's progress entry for a month (one per initiative per month).

    Allowed for a reporter of the initiative's administration and for a coordinator of its municipality
    (``partners.enter_progress``).
    """
    if not user.has_perm("partners.enter_progress", initiative):
        raise PermissionDenied(_("You can only report on your own administration's initiatives."))
    month = month_start(month)
    entry = (ProgressEntry.objects.select_for_update().filter(initiative=initiative, month=month).first()
             or ProgressEntry(initiative=initiative, month=month, entered_by=user, is_demo=is_demo))
    for name in ENTRY_FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    entry.updated_by = user
    entry.full_clean()
    entry.save()
    return entry


def reminder_days() -> tuple[int, ...]:
    """Days of the month on which reporters are reminded of missing entries (setting ``PARTNERS_REMINDER_DAYS``)."""
    return tuple(getattr(settings, "PARTNERS_REMINDER_DAYS", (20, 27)))


def progress_reminders_send(*, on: date) -> list[ProgressReminder]:
    """E-mail every reporter whose administration's initiatives lack this month's entry, on the reminder days.

    At most one e-mail per reporter per day, however often this runs (``ProgressReminder``).
    """
    sent = []
    for item in selectors.progress_reminder_recipients(on=on, days=reminder_days()):
        user, month = item["user"], item["month"]
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Sikker By: %(count)s monthly progress entries missing for %(month)s") % {
                "count": item["outstanding"], "month": month.strftime("%m.%Y")}
            body = _("%(count)s initiatives of %(administration)s have no progress entry for %(month)s yet. "
                     "The partners meet around the monthly report: open Sikker By, Partners, Completeness, to "
                     "enter them.") % {"count": item["outstanding"], "administration": user.administration,
                                       "month": month.strftime("%m.%Y")}
            body += "\n\n" + "\n".join(f"- {name}" for name in item["initiatives"])
        with transaction.atomic():
            reminder, created = ProgressReminder.objects.get_or_create(
                month=month, recipient=user, sent_on=on,
                defaults={"municipality_id": user.municipality_id, "outstanding": item["outstanding"]})
            if created:
                send_mail(subject, body, None, [user.email])
                sent.append(reminder)
    return sent


# --- the pack's PDF (a background job) -------------------------------------------------
@transaction.atomic
def pack_pdf_request(*, user, programme, month: date) -> PartnerPackPdf:
    """Ask for the month's pack as a PDF: a job row, queued when the transaction commits.

    Raises ``operations.jobs.BrokerUnavailable`` (and stores nothing) when the worker cannot be reached.
    """
    if not (user.has_perm("partners.view") and programme.municipality_id == user.municipality_id):
        raise PermissionDenied(_("Only coordinators and reporters of the municipality may produce its pack."))
    job = PartnerPackPdf.objects.create(municipality_id=programme.municipality_id, programme=programme,
                                        month=month_start(month), requested_by=user)
    job_enqueue(job)
    return job


def pack_pdf_generate(*, job_id: int) -> PartnerPackPdf:
    """Produce the PDF of a requested pack (the task's work), reading as the user who asked for it."""
    from . import exports

    job = PartnerPackPdf.objects.select_related("programme", "requested_by").get(pk=job_id)
    if job.status == PackStatus.DONE:
        return job
    user = job.requested_by
    if user is None or not user.is_active or user.municipality_id != job.municipality_id \
            or not user.has_perm("partners.view"):
        raise PermissionDenied("the requesting user may no longer read the pack")
    data = selectors.partner_pack(user=user, programme=job.programme, month=job.month)
    pdf = exports.pack_pdf(data)
    PartnerPackPdf.objects.filter(pk=job.pk).update(pdf=pdf, status=PackStatus.DONE, produced_at=timezone.now(),
                                                    error="", error_params={})
    job.refresh_from_db()
    return job
