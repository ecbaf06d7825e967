"""Forms of safety walks: parse and check input; the services decide and write."""
import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Action, ActionStatus, Finding, Organisation, SafetyWalk

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_NAMES = _("Describe places and what is wrong with them; never names or other details of residents.")
POINT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d+(?:[.,]\d+)?)\s*$")


def _style(form) -> None:
    for f in form.fields.values():
        widget = f.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def parse_points(text: str) -> list[tuple[float, float]]:
    """Lines of "latitude, longitude" (a decimal comma or point; blank lines ignored) as (lat, lon) pairs."""
    points = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = POINT.match(line)
        if not m:
            raise forms.ValidationError(_("Line %(n)s is not “latitude, longitude”: %(line)s"),
                                        params={"n": n, "line": line.strip()[:40]}, code="point")
        lat, lon = (float(v.replace(",", ".")) for v in m.groups())
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise forms.ValidationError(_("Line %(n)s is outside the range of latitudes and longitudes."),
                                        params={"n": n}, code="range")
        points.append((lat, lon))
    if len(points) == 1:
        raise forms.ValidationError(_("A route needs at least two points."), code="short")
    return points


def format_points(points) -> str:
    return "\n".join(f"{lat:.6f}, {lon:.6f}" for lat, lon in points)


class SafetyWalkForm(forms.ModelForm):
    route_text = forms.CharField(
        label=_("Route"), required=False, widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_("One point per line as “latitude, longitude”, in walking order — or click the points on the "
                    "map."))

    class Meta:
        model = SafetyWalk
        fields = ["area", "housing_area", "date", "leader", "organisations", "notes"]
        widgets = {"date": DATE, "organisations": forms.CheckboxSelectMultiple,
                   "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"organisations": _("Organisations taking part; residents are never listed by name."),
                      "notes": NO_NAMES}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.areas_for_walks(user)
        self.fields["organisations"].queryset = selectors.organisations_visible_to(user).order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["route_text"] = format_points(self.instance.route_points)
        elif not self.is_bound:  # the municipality's own outline first (Albertslund has no finer areas)
            areas = self.fields["area"].queryset
            first = areas.filter(level="city").first() or areas.first()
            self.initial.setdefault("area", first.pk if first else None)
        _style(self)

    def clean_route_text(self):
        return parse_points(self.cleaned_data.get("route_text") or "")


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["kind", "category", "latitude", "longitude", "description", "proposed_action", "photo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "proposed_action": forms.Textarea(attrs={"rows": 2}),
                   "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}
        help_texts = {"description": NO_NAMES,
                      "latitude": _("Click the place on the map, or type it (e.g. 55.6612)."),
                      "photo": _("Optional. A photo of the place, without people in it; its metadata is removed.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
            self.fields[name].localize = False
        _style(self)

    def clean(self):
        data = super().clean()
        for name, limit in (("latitude", 90), ("longitude", 180)):
            value = data.get(name)
            if value is not None and abs(value) > Decimal(limit):
                self.add_error(name, _("Outside the range of %(name)s.") % {"name": self.fields[name].label})
        return data


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "responsible", "deadline"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, finding=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = selectors.organisations_visible_to(user).order_by("name")
        if finding is not None and not self.is_bound and finding.proposed_action:
            self.initial.setdefault("description", finding.proposed_action)
        _style(self)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE,
                              help_text=_("For done: the day it was done (today if left empty)."))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
