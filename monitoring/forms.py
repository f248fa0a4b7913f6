from datetime import date

from django import forms
from django.utils import timezone

from registrations.models import Village
from registrations.validators import date_field
from verification.forms import reported_as_filter_field


class FilterForm(forms.Form):
    """The period, area and target group (why children were reported) every figure, list
    and workbook of the monitoring pages honours."""

    date_from = date_field("Periode dari", required=False)
    date_to = date_field("sampai", required=False)
    village = forms.ModelChoiceField(
        label="Kelurahan/desa", queryset=Village.objects.all(), required=False, empty_label="Semua"
    )
    reported_as = reported_as_filter_field()

    def __init__(self, data=None, *, villages=None, **kwargs):
        super().__init__(data, **kwargs)
        # A village user's page covers its own village only: there is nothing to choose.
        if villages is not None:
            self.fields["village"].queryset = villages

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "Tanggal akhir sebelum tanggal awal.")
        return cleaned

    def period(self):
        """(first day, last day) chosen, the current year by default; call after is_valid()."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and not self.errors else {}
        start = data.get("date_from") or date(today.year, 1, 1)
        end = data.get("date_to") or date(today.year, 12, 31)
        return start, end
