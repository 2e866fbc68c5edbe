"""English here is British English: dates are read and written day first (01/06/2027 is
the first of June), as people in Wales type them."""

from django.conf.locale.en_GB.formats import *  # type: ignore[import-untyped]  # noqa: F403
