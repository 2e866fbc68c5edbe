"""Reading a page as a person does: its words, and the cards it shows; asking for a page
as htmx does; and a carer's tap on "I'll take it" that is refused."""

import html
import re

from django.urls import reverse

from tests.outcomes import nothing_changes

# The header htmx sends with each request it makes, so the view answers with a part only.
HTMX = {"HX-Request": "true"}


def words(markup: str) -> str:
    """What a person reads: the text, tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def cards(markup: str, css_class: str) -> list[str]:
    """The words of each element whose classes start `card <css_class>`, nested ones and all."""
    found = []
    for opening in re.finditer(rf'<(\w+) class="card {css_class}\b', markup):
        tag, depth = opening.group(1), 0
        for edge in re.finditer(rf"<(/?){tag}\b[^>]*>", markup[opening.start() :]):
            depth += -1 if edge.group(1) else 1
            if depth == 0:
                found.append(words(markup[opening.start() : opening.start() + edge.end()]))
                break
    return found


def swapped_in(response, card: str, out_of_band: str) -> str:
    """What htmx swaps into the page: the `card` that changed, then the `out_of_band` part the
    change also touches, and no page around them."""
    reply = response.text.strip()
    assert reply.startswith(card), reply[:80]
    assert f'<div id="{out_of_band}" data-hx-swap-oob="true">' in reply
    assert "<html" not in reply
    return reply


def refused_tap(client, carer, shift, **options):
    """`carer` taps "I'll take it" on `shift` (a plain form post; with `headers=HTMX`, as htmx
    sends it) and is refused: the answer says why, never as an error page, and nothing
    changes."""
    client.force_login(carer)
    with nothing_changes():
        response = client.post(reverse("carer:take", args=[shift.pk]), **options)
    assert response.status_code == 200
    return response
