"""A carer's photo: checked, made small and stripped of what the camera wrote into it.

A phone's photo is a few megabytes, taller than the screen, and may carry where and when it
was taken. What is kept is a JPEG at most 400 pixels a side, the right way up, with nothing
but the pixels: enough to know a face at the door, little to leak.
"""

import secrets
import warnings
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from people.models import CarerProfile

# What a phone's camera makes fits well inside these; anything larger is refused unread.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_PIXELS = 50_000_000
# The longest side kept, in pixels: sharp on any phone at the size pages show a face.
SIDE = 400
JPEG_QUALITY = 85


class PhotoRefused(ValueError):
    """The upload is not a photo we can use; `message` says why, in plain words."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(message)
        self.message = message


TOO_BIG = _("That photo is too big. Choose one under 10 MB.")
NOT_A_PHOTO = _("That file is not a photo we can read. Choose a JPEG, PNG or WebP photo.")


def prepare(upload: UploadedFile) -> ContentFile:
    """The upload as a small JPEG, or PhotoRefused."""
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise PhotoRefused(TOO_BIG)
    image = _open(upload)
    # Phones store a photo sideways and say in its EXIF which way is up.
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((SIDE, SIDE))
    # A new image from the pixels alone: no EXIF, no GPS, no comment travels with it.
    # Transparent parts (a PNG's) become white.
    rgba = upright.convert("RGBA")
    clean = Image.new("RGB", rgba.size, "white")
    clean.paste(rgba, mask=rgba.getchannel("A"))
    out = BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name=f"{secrets.token_urlsafe(12)}.jpg")


def _open(upload: UploadedFile) -> Image.Image:
    """The upload's pixels, read only when it is an image of a sensible size."""
    try:
        # A decompression bomb is a small file of enormous dimensions: Pillow warns, we refuse.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.width * image.height > MAX_UPLOAD_PIXELS:
                raise PhotoRefused(TOO_BIG)
            image.load()
    except PhotoRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise PhotoRefused(TOO_BIG) from error
    # A broken or disguised file makes Pillow's decoders raise all kinds of error (OSError,
    # SyntaxError, struct.error, EOFError...): whatever it is, the file is no photo for us.
    except Exception as error:
        raise PhotoRefused(NOT_A_PHOTO) from error
    return image


def replace_photo(profile: CarerProfile, photo: ContentFile | None) -> None:
    """The carer's new photo (None: no photo). The old file goes once the change is saved."""
    old = profile.photo.name if profile.photo else ""
    if photo is None:
        profile.photo.name = ""
        profile.save(update_fields=["photo"])
    else:
        profile.photo.save(photo.name or "photo.jpg", photo, save=False)
        profile.save(update_fields=["photo"])
    if old:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
