"""Phone numbers in free text become tap-to-call links; the rest stays text."""

from django.template import Context, Template


def render(text: str) -> str:
    return Template("{{ text|phone_links }}").render(Context({"text": text}))


def test_each_number_is_a_tap_to_call_link_and_the_words_stay():
    assert render("Sian (daughter) 07700 900123\r\nGP: +44 29 2000 0000") == (
        'Sian (daughter) <a class="tel" href="tel:07700900123">07700 900123</a><br>'
        'GP: <a class="tel" href="tel:+442920000000">+44 29 2000 0000</a>'
    )


def test_the_words_are_escaped():
    assert render("<b>Bryn</b> & co") == "&lt;b&gt;Bryn&lt;/b&gt; &amp; co"


def test_nothing_to_show_shows_nothing():
    assert render("") == ""
    assert render("Room 12") == "Room 12"
