"""A new face with a photo, in a real browser on a 390×844 phone (Debian's Chromium driven by
Playwright), axe-core checking each page for WCAG 2.2 AA: Ana puts a photo of herself and two
lines on her settings page; Gwen, whom Ana has never visited, sees her coming with that photo,
her lines and "New to you". With JavaScript off, a file that is no photo is refused in plain
words and a photo is taken.

Time is real here (a frozen clock would expire the browser's session cookie), so the visit
lies a few days ahead of today."""

import pytest
from playwright.sync_api import Page, expect

from people.models import CarerProfile
from tests.browser.conftest import assert_accessible, assert_fits_the_phone
from tests.factories import photo_upload
from tests.stories import in_days, place, planned_visit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]


def looks_right(page: Page) -> None:
    assert_fits_the_phone(page)
    assert_accessible(page)


def shows_a_picture(page: Page, alt: str) -> None:
    """The image named `alt` is on the page and the browser could draw it."""
    photo = page.get_by_role("img", name=alt)
    expect(photo).to_be_visible()
    # decode() waits for the picture to load, and fails if the browser cannot draw it.
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0


def test_ana_puts_up_her_photo_and_gwen_sees_a_new_face(phone_of, story):
    place(planned_visit(story.gwen, in_days(2, 10), title="Coffee"), story.ana)
    photo = photo_upload(1600, 1200)
    ana = phone_of("ana@example.org", "/me/")

    expect(ana.get_by_role("heading", name="How the people you visit see you")).to_be_visible()
    looks_right(ana)
    ana.get_by_label("A photo of you").set_input_files(
        {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": photo.read()}
    )
    ana.get_by_label("About me, in two lines").fill("I love gardening.\nAsk me about my dog.")
    ana.get_by_role("button", name="Save about me").click()

    expect(ana.get_by_text("Saved, with your new photo.")).to_be_visible()
    shows_a_picture(ana, "Photo of Ana Price")
    looks_right(ana)
    assert CarerProfile.objects.get(person=story.ana).about == (
        "I love gardening.\nAsk me about my dog."
    )

    gwen = phone_of("gwen@example.org", "/family/")
    coffee = gwen.locator("li.coming-visit", has_text="Coffee")
    expect(coffee.get_by_text("New to you")).to_be_visible()
    expect(coffee.get_by_text("Ask me about my dog.")).to_be_visible()
    shows_a_picture(gwen, "Photo of Ana Price")
    looks_right(gwen)

    gwen.get_by_role("link", name="Likes and wishes").first.click()
    face = gwen.locator(".new-face", has_text="Ana Price")
    expect(face.get_by_text("New to you")).to_be_visible()
    shows_a_picture(gwen, "Photo of Ana Price")
    looks_right(gwen)


def test_with_javascript_off_a_bad_file_is_refused_and_a_photo_taken(phone_of, story):
    ana = phone_of("ana@example.org", "/me/", js=False)
    chooser = ana.get_by_label("A photo of you")
    assert chooser.get_attribute("accept") == "image/*"

    chooser.set_input_files({"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"notes"})
    ana.get_by_role("button", name="Save about me").click()

    expect(
        ana.get_by_text("That file is not a photo we can read. Choose a JPEG, PNG or WebP photo.")
    ).to_be_visible()
    # axe needs JavaScript to run; the page is checked with it on, above.
    assert_fits_the_phone(ana)
    assert not CarerProfile.objects.get(person=story.ana).photo

    ana.get_by_label("A photo of you").set_input_files(
        {"name": "me.png", "mimeType": "image/png", "buffer": photo_upload(fmt="PNG").read()}
    )
    ana.get_by_role("button", name="Save about me").click()

    expect(ana.get_by_text("Saved, with your new photo.")).to_be_visible()
    expect(ana.get_by_role("img", name="Photo of Ana Price")).to_be_visible()
    assert_fits_the_phone(ana)
    assert CarerProfile.objects.get(person=story.ana).photo
