"""Dates typed into any form, the admin's included, are read day first in English and in
Welsh: a medication check valid until 01/06/2027 runs out in June, not in January."""

from datetime import date

import pytest
from django import forms
from django.utils import formats, translation


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_typed_date_is_read_day_first(language):
    with translation.override(language):
        assert forms.DateField().clean("01/06/2027") == date(2027, 6, 1)
        assert forms.DateField().clean("2027-06-01") == date(2027, 6, 1)  # date pickers


def test_a_short_date_is_written_day_first():
    with translation.override("en"):
        assert formats.date_format(date(2027, 6, 1), "SHORT_DATE_FORMAT") == "01/06/2027"
