"""Checks and cleaning of uploaded photos and scans.

A file is judged by what it decodes as, never by its name or declared type. Images are
re-encoded and PDFs rewritten, so what we store is only the picture or the pages: no EXIF
tag (GPS position included), comment, script, attachment or author survives."""

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Protocol

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, StreamObject

register_heif_opener()

# MPO is the multi-picture JPEG some phone cameras write; its first picture is the photo.
IMAGE_FORMATS = ["JPEG", "PNG", "WEBP", "HEIF"]
JPEG_FORMATS = {"JPEG", "MPO"}
MAX_IMAGE_SIDE = 2000
# Read from the header, before anything is decoded. A PNG, WebP or HEIC is decoded at full
# size, so a document photo gets 40 megapixels at most; a JPEG is decoded already scaled
# down (draft), so a phone's 50-MP mode still fits.
MAX_IMAGE_PIXELS = 40_000_000
MAX_JPEG_PIXELS = 52_000_000
# A KK or birth certificate is a page or two; more pages only cost time to rewrite.
MAX_PDF_PAGES = 20
# Page entries that can run something, or carry data beside what the page shows.
PDF_PAGE_EXCLUDED = ["/AA", "/Annots", "/Thumb", "/Metadata", "/PieceInfo", "/B"]


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
        return CleanFile(_rewrite_pdf(data), "application/pdf", f.name, f.size)

    return CleanFile(_reencode_image(data, allow_pdf), "image/jpeg", f.name, f.size)


def _refused(allow_pdf: bool = True) -> ValidationError:
    kinds = "foto (JPG, PNG, WebP, HEIC) atau PDF" if allow_pdf else "foto (JPG, PNG, WebP, HEIC)"
    return ValidationError(
        f"Berkas ini bukan {kinds} yang dapat dibaca. Pilih berkas lain.",
        code="invalid_type",
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        "Resolusi foto terlalu besar. Ambil ulang foto dengan resolusi biasa.",
        code="too_many_pixels",
    )


# --- images -----------------------------------------------------------------------------


def _reencode_image(data: bytes, allow_pdf: bool) -> bytes:
    img: Image.Image
    try:
        with warnings.catch_warnings():
            # Our own limit is checked below, before anything is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
        with opened:
            _check_pixels(opened)
            if opened.format in JPEG_FORMATS:
                # Decode straight at (nearly) the stored size: libjpeg scales by 1/2, 1/4
                # or 1/8 while decoding, far cheaper than decoding all pixels and resizing.
                opened.draft("RGB", _fitted(opened.size))
            opened.load()
            img = opened
            # Apply the camera's rotation before the orientation tag is dropped.
            ImageOps.exif_transpose(img, in_place=True)
            if img.mode not in ("RGB", "L"):
                img = _flatten(img)
            if max(img.size) > MAX_IMAGE_SIDE:
                # After a draft the image is at most twice the target: bilinear is as good
                # as Lanczos there, at half the cost.
                img = img.resize(_fitted(img.size), Image.Resampling.BILINEAR)
            # Nothing of the original's info (comment, ICC profile, XMP, EXIF) is written.
            img.info = {}
            out = io.BytesIO()
            img.save(out, "JPEG", quality=85)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception:
        # Untrusted input: anything the decoder trips over is "not a readable image".
        raise _refused(allow_pdf) from None
    return out.getvalue()


def _check_pixels(img: Image.Image) -> None:
    limit = MAX_JPEG_PIXELS if img.format in JPEG_FORMATS else MAX_IMAGE_PIXELS
    if img.width * img.height > limit:
        raise _too_many_pixels()


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    """The size that fits `size` within MAX_IMAGE_SIDE, keeping its proportions."""
    width, height = size
    scale = min(1.0, MAX_IMAGE_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _flatten(img: Image.Image) -> Image.Image:
    # Transparent PNG/WebP become white, not black, when saved as JPEG.
    img = img.convert("RGBA")
    background = Image.new("RGB", img.size, (255, 255, 255))
    background.paste(img, mask=img.getchannel("A"))
    return background


# --- PDFs -------------------------------------------------------------------------------


def _rewrite_pdf(data: bytes) -> bytes:
    """The pages of a PDF in a new file: no document-level actions or JavaScript, no
    embedded files, forms, annotations, page actions or metadata, and no metadata inside
    the JPEG images the pages show."""
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
    if pages > MAX_PDF_PAGES:
        raise ValidationError(
            "PDF ini berisi %(pages)s halaman; paling banyak %(limit)s. Unggah hanya "
            "halaman KK atau akta kelahiran.",
            code="pdf_too_many_pages",
            params={"pages": pages, "limit": MAX_PDF_PAGES},
        )
    try:
        # Only the pages are copied: the document catalog (open action, JavaScript and
        # embedded-file name trees, forms, outline, XMP) stays behind with the reader.
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page, excluded_keys=PDF_PAGE_EXCLUDED)
            _clean_resources(added, set())
        writer.metadata = None
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except Exception:
        raise _refused() from None
    return out.getvalue()


def _clean_resources(holder: DictionaryObject, seen: set[int]) -> None:
    """Strip metadata from the images and forms a page (or form) draws, recursively."""
    resources = holder.get("/Resources")
    if resources is None:
        return
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return
    for ref in xobjects.get_object().values():
        xobject = ref.get_object()
        if not isinstance(xobject, StreamObject) or id(xobject) in seen:
            continue
        seen.add(id(xobject))
        xobject.pop("/Metadata", None)
        xobject.pop("/PieceInfo", None)
        if xobject.get("/Subtype") == "/Form":
            _clean_resources(xobject, seen)
        elif xobject.get("/Subtype") == "/Image" and _is_dct(xobject.get("/Filter")):
            xobject._data = strip_jpeg_metadata(xobject._data)


def _is_dct(filters: object) -> bool:
    if isinstance(filters, list):
        return len(filters) == 1 and _is_dct(filters[0])
    return filters in ("/DCTDecode", "/DCT")


# APP0 (JFIF) and APP14 (Adobe, tells how to read the colours) describe the picture;
# every other application segment and every comment is metadata.
_KEPT_APP_MARKERS = {0xE0, 0xEE}


def strip_jpeg_metadata(data: bytes) -> bytes:
    """A JPEG stream without its APPn segments (EXIF, XMP, ICC, …) and comments; the
    compressed picture itself is copied untouched. Returns `data` as it is when it does
    not look like a JPEG."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return data
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is the picture
            out += data[pos:]
            return bytes(out)
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > len(data):
            return data
        is_app = 0xE0 <= marker <= 0xEF
        if not (marker == 0xFE or (is_app and marker not in _KEPT_APP_MARKERS)):
            out += data[pos:end]
        pos = end
    return data
