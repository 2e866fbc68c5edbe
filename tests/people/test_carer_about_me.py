"""Ana puts a photo of herself and two lines about herself on her settings page, for the
clients and families she visits: the photo is made small and upright and loses what her
phone's camera wrote into it; what is not a photo, or too big, is refused in plain words and
changes nothing; she can take her photo away again."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, transaction
from PIL import Image

from people.models import CarerProfile
from people.photos import MAX_UPLOAD_BYTES
from tests.factories import photo_upload, with_photo
from tests.web.pages import words

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

# EXIF's Orientation tag: 6 means "turn the picture a quarter clockwise to see it upright",
# which is how a phone held upright stores a photo it took sideways.
ORIENTATION, TURN_CLOCKWISE = 0x0112, 6
# EXIF's Artist and the GPS block: what must never reach anyone who sees the photo.
ARTIST, GPS = 0x013B, 0x8825


@pytest.fixture
def ana(client, ana):
    """Ana, signed in."""
    client.force_login(ana)
    return ana


def profile_of(person) -> CarerProfile:
    return CarerProfile.objects.get(person=person)


def sideways_phone_photo() -> SimpleUploadedFile:
    """3000×2000 as stored, upright 2000×3000: EXIF says turn it; it names who took it and
    where."""
    exif = Image.Exif()
    exif[ORIENTATION] = TURN_CLOCKWISE
    exif[ARTIST] = "Ana Price"
    exif.get_ifd(GPS)[2] = (51.0, 35.0, 0.0)  # latitude
    return photo_upload(3000, 2000, name="IMG_0042.JPG", exif=exif.tobytes())


def test_a_photo_from_her_phone_is_kept_small_upright_and_without_its_metadata(client, ana):
    response = client.post(
        "/me/about/",
        {"photo": sideways_phone_photo(), "about": "I love gardening.\nAsk me about my dog."},
        follow=True,
    )

    assert "Saved, with your new photo." in words(response.text)
    profile = profile_of(ana)
    assert profile.about == "I love gardening.\nAsk me about my dog."
    with default_storage.open(profile.photo.name) as kept, Image.open(kept) as photo:
        assert photo.format == "JPEG"
        # Turned upright, then at most 400 pixels a side.
        assert photo.size == (267, 400)
        # The left half was red; turned a quarter clockwise, red is now on top.
        top, bottom = photo.getpixel((133, 50)), photo.getpixel((133, 350))
        assert top[0] > 200 and top[2] < 60, top
        assert bottom[2] > 200 and bottom[0] < 60, bottom
        assert dict(photo.getexif()) == {}
        assert "exif" not in photo.info
    assert profile.photo.name.startswith("carers/") and "IMG_0042" not in profile.photo.name


def test_her_page_shows_her_photo_and_lines_as_the_people_she_visits_see_them(client, ana):
    with_photo(ana, about="I love gardening.")

    page = client.get("/me/").text

    section = page[page.index('id="about-me-heading"') :]
    assert "How the people you visit see you" in words(section)
    assert f'src="/carers/{ana.pk}/photo/?v={profile_of(ana).photo_version}"' in section
    assert 'alt="Photo of Ana Price"' in section
    assert "I love gardening." in words(section)
    # A phone offers its camera and its photos; the form works without JavaScript.
    assert 'accept="image/*"' in section
    assert 'enctype="multipart/form-data"' in section
    assert "Remove my photo" in words(section)


def test_a_carer_with_no_photo_is_shown_by_her_initials(client, ana):
    page = client.get("/me/").text

    assert 'data-initials="AP"' in page
    assert "Remove my photo" not in words(page)


def test_a_family_member_has_no_photo_to_set(client, sian):
    client.force_login(sian)

    assert "How the people you visit see you" not in client.get("/me/").text
    response = client.post("/me/about/", {"photo": photo_upload(), "about": "Hello"})
    assert response.status_code == 404
    assert not CarerProfile.objects.filter(person=sian).exists()


def bytes_of(path: str) -> bytes:
    with default_storage.open(path) as kept:
        return kept.read()


REFUSED = [
    pytest.param(
        SimpleUploadedFile("me.jpg", b"Dear diary, not a photo at all.", "image/jpeg"),
        "That file is not a photo we can read. Choose a JPEG, PNG or WebP photo.",
        id="not_an_image",
    ),
    pytest.param(
        SimpleUploadedFile("me.jpg", photo_upload().read()[:400], "image/jpeg"),
        "That file is not a photo we can read. Choose a JPEG, PNG or WebP photo.",
        id="cut_short",
    ),
    pytest.param(
        SimpleUploadedFile("me.jpg", b"\xff\xd8" + b"\0" * MAX_UPLOAD_BYTES, "image/jpeg"),
        "That photo is too big. Choose one under 10 MB.",
        id="too_many_bytes",
    ),
    pytest.param(
        # A few kilobytes that would unpack to 60 million pixels.
        photo_upload(10_000, 6_000, name="bomb.png", fmt="PNG"),
        "That photo is too big. Choose one under 10 MB.",
        id="too_many_pixels",
    ),
]


@pytest.mark.parametrize(("upload", "message"), REFUSED)
def test_what_is_no_usable_photo_is_refused_in_plain_words_and_nothing_changes(
    client, ana, upload, message
):
    with_photo(ana, about="I love gardening.")
    before = profile_of(ana).photo.name

    response = client.post("/me/about/", {"photo": upload, "about": "Something new"})

    assert response.status_code == 400
    assert message in words(response.text)
    profile = profile_of(ana)
    assert (profile.photo.name, profile.about) == (before, "I love gardening.")
    assert default_storage.listdir("carers")[1] == [before.removeprefix("carers/")]


@pytest.mark.parametrize(
    ("about", "message"),
    [
        ("x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("One.\nTwo.\nThree.", "Two lines at most, please."),
    ],
    ids=["too_long", "three_lines"],
)
def test_more_than_two_short_lines_is_refused_and_nothing_changes(client, ana, about, message):
    response = client.post("/me/about/", {"about": about, "photo": photo_upload()})

    assert response.status_code == 400
    assert message in words(response.text)
    profile = profile_of(ana)
    assert (profile.about, profile.photo.name) == ("", "")


def test_the_database_holds_at_most_200_characters_too(ana):
    profile = profile_of(ana)
    profile.about = "x" * 201
    with pytest.raises(DataError), transaction.atomic():
        profile.save(update_fields=["about"])


def test_a_new_photo_replaces_the_old_one_at_a_new_address(
    client, ana, django_capture_on_commit_callbacks
):
    with_photo(ana)
    old = profile_of(ana)

    # The old file goes once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/about/", {"photo": photo_upload(600, 600), "about": ""})

    new = profile_of(ana)
    assert new.photo.name != old.photo.name
    assert new.photo_version != old.photo_version
    assert not default_storage.exists(old.photo.name)
    with Image.open(BytesIO(bytes_of(new.photo.name))) as photo:
        assert photo.size == (400, 400)


def test_she_removes_her_photo_and_it_is_gone(client, ana, django_capture_on_commit_callbacks):
    with_photo(ana, about="I love gardening.")
    gone = profile_of(ana).photo.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/me/about/", {"remove_photo": "on", "about": "I love gardening."}, follow=True
        )

    assert "Saved. Your photo is removed." in words(response.text)
    profile = profile_of(ana)
    assert (profile.photo.name, profile.about) == ("", "I love gardening.")
    assert not default_storage.exists(gone)
    assert client.get(f"/carers/{ana.pk}/photo/").status_code == 404


def test_a_transparent_png_is_kept_as_a_jpeg_on_white(client, ana):
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    data = BytesIO()
    image.save(data, "PNG")

    client.post("/me/about/", {"photo": SimpleUploadedFile("me.png", data.getvalue())})

    with Image.open(BytesIO(bytes_of(profile_of(ana).photo.name))) as photo:
        assert (photo.format, photo.size) == ("JPEG", (100, 100))
        assert min(photo.getpixel((50, 50))) > 240
