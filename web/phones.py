"""Phone numbers people can tap: `{{ text|phone_links }}` escapes free text such as
"Sian (daughter) 07700 900123", keeps its line breaks, and makes each number in it a tel:
link, so a carer on the way or a team leader rings with one tap."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A phone number inside free text: digits with spaces, brackets or dashes, maybe a leading +.
PHONE_NUMBER = re.compile(r"\+?\d[\d ()-]{5,}\d")


def dial(number: str) -> str:
    """A phone number as a tel: link takes it: digits, and a leading + if any."""
    return re.sub(r"[^\d+]", "", number)


@register.filter(is_safe=True)
def phone_links(text: str) -> SafeString:
    text = (text or "").replace("\r\n", "\n")
    pieces: list[str] = []
    last = 0
    for found in PHONE_NUMBER.finditer(text):
        pieces.append(escape(text[last : found.start()]))
        pieces.append(
            format_html('<a class="tel" href="tel:{}">{}</a>', dial(found.group()), found.group())
        )
        last = found.end()
    pieces.append(escape(text[last:]))
    # Every piece is escaped above.
    return mark_safe("".join(pieces).replace("\n", "<br>"))
