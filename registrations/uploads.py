"""Checks and cleaning of uploaded photos and scans.

A file is judged by what it decodes as, never by its name or declared type. Images are
re-encoded, which drops every EXIF tag (GPS position included), so what we store is only
the picture."""

import hashlib
import io
from dataclasses import dataclass
from typing import Protocol

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener
from pypdf import PdfReader

register_heif_opener()

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
MAX_IMAGE_SIDE = 2000
# A phone photo is at most ~50 megapixels; anything larger is refused before decoding.
MAX_IMAGE_PIXELS = 60_000_000


class Upload(Protocol):
    """What clean_upload reads of an uploaded file.

    Django types an UploadedFile's name and size as optional; a file that passed a form's
    FileField has both.
    """

    @property
    def name(self) -> str: ...

    @property
    def size(self) -> int: ...

    def seek(self, offset: int, /) -> object: ...

    def read(self) -> bytes: ...


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    original_name: str
    original_size: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def extension(self) -> str:
        return ".pdf" if self.content_type == "application/pdf" else ".jpg"


def mark_size_limit(field: forms.Field) -> None:
    """Tell the page script the limit, so a too-large file is refused on the phone
    before minutes of uploading on a weak link."""
    field.widget.attrs["data-max-size"] = settings.MAX_UPLOAD_SIZE


def clean_upload(f: Upload, *, allow_pdf: bool = True) -> CleanFile:
    """Return a CleanFile for an uploaded file, or raise ValidationError in Indonesian."""
    if f.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            "Ukuran berkas %(size)s, melebihi batas %(limit)s. Kecilkan foto atau pindai ulang.",
            code="too_large",
            params={
                "size": filesizeformat(f.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_SIZE),
            },
        )
    f.seek(0)
    data = f.read()
    if not data:
        raise ValidationError("Berkas kosong. Pilih berkas lain.", code="empty")

    if data.startswith(b"%PDF-"):
        if not allow_pdf:
            raise ValidationError("Unggah foto (JPG, PNG, WebP atau HEIC), bukan PDF.", code="pdf")
        _check_pdf(data)
        return CleanFile(data, "application/pdf", f.name, f.size)

    return CleanFile(_reencode_image(data, allow_pdf), "image/jpeg", f.name, f.size)


def _refused(allow_pdf: bool = True) -> ValidationError:
    kinds = "foto (JPG, PNG, WebP, HEIC) atau PDF" if allow_pdf else "foto (JPG, PNG, WebP, HEIC)"
    return ValidationError(
        f"Berkas ini bukan {kinds} yang dapat dibaca. Pilih berkas lain.",
        code="invalid_type",
    )


def _check_pdf(data: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:
        # Untrusted input: whatever the parser trips over means "not a readable PDF".
        raise _refused() from None
    if encrypted:
        raise ValidationError(
            "PDF ini dikunci kata sandi. Unggah PDF tanpa kata sandi atau fotonya.",
            code="pdf_encrypted",
        )
    if pages < 1:
        raise _refused()


def _reencode_image(data: bytes, allow_pdf: bool) -> bytes:
    # exif_transpose() and _flatten() replace the opened ImageFile with a plain Image.
    img: Image.Image
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise _refused(allow_pdf)
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    "Resolusi foto terlalu besar. Ambil ulang foto dengan resolusi biasa.",
                    code="too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            # Apply the camera's rotation before the orientation tag is dropped.
            img = ImageOps.exif_transpose(img)
            if img.mode not in ("RGB", "L"):
                img = _flatten(img)
            img.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            img.save(out, "JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except Exception:
        # Untrusted input: anything the decoder trips over is "not a readable image".
        raise _refused(allow_pdf) from None
    return out.getvalue()


def _flatten(img: Image.Image) -> Image.Image:
    # Transparent PNG/WebP become white, not black, when saved as JPEG.
    img = img.convert("RGBA")
    background = Image.new("RGB", img.size, (255, 255, 255))
    background.paste(img, mask=img.getchannel("A"))
    return background
