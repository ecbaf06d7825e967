"""Danish first: every user-facing string has a Danish translation, and the compiled catalogues are current."""
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGUES = sorted(p for p in BASE.glob("**/locale/da/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 4


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def test_every_string_is_translated_to_danish(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def test_compiled_catalogue_matches_its_source(po_path):
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    expected = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0)) for e in po.translated_entries()}
    got = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0)) for e in mo if e.msgid}
    assert got == expected


def test_a_string_has_one_danish_translation_in_every_catalogue():
    """Django merges the catalogues into one per language, and the first app in ``INSTALLED_APPS`` (the project's
    ``locale/`` before all) wins: a msgid two catalogues translate differently shows one app's words on the
    other's pages ("Change" was "Skift", the language button, in the indicator and partner tables). Where the
    words must differ, the string has a context (``{% translate "Change" context "switch the language" %}``)."""
    translations: dict[tuple, dict[str, str]] = {}
    for path in CATALOGUES:
        for e in polib.pofile(str(path)).translated_entries():
            translations.setdefault((e.msgctxt, e.msgid), {})[str(path.relative_to(BASE))] = \
                e.msgstr or e.msgstr_plural.get(0)
    differing = {key: by_file for key, by_file in translations.items() if len(set(by_file.values())) > 1}
    assert differing == {}


def test_the_table_column_and_the_language_button_read_differently():
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("da"):
        assert translation.gettext("Change") == "Ændring"
        assert translation.pgettext("switch the language", "Change") == "Skift"
        rendered = Template('{% load i18n %}{% translate "Import" context "an import, the noun" %}|'
                            '{% translate "Import" %}').render(Context())
    assert rendered == "Import|Importér"
