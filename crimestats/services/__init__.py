"""Writes of the crimestats app: STRAF11 loading, police-extract import, synthetic extracts, reports."""
from .police_import import police_import_create, police_import_run
from .reports import (
    addendum_save,
    report_generate,
    report_publish,
    report_request,
    scheduled_report_request,
)
from .straf11 import straf11_load

__all__ = [
    "addendum_save", "police_import_create", "police_import_run", "report_generate", "report_publish",
    "report_request", "scheduled_report_request", "straf11_load",
]
