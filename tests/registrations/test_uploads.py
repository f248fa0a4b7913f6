"""registrations.uploads: what an uploaded photo or scan becomes before it is stored."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from registrations.uploads import clean_upload, strip_jpeg_metadata
from tests.builders import gps_jpeg_bytes, make_image_bytes, make_pdf_bytes


def upload(content, name="kk.jpg"):
    return SimpleUploadedFile(name, content, "application/octet-stream")


def jpeg_markers(data):
    """The markers of a JPEG up to its first scan, e.g. [0xD8, 0xE0, 0xDB, …, 0xDA]."""
    markers, pos = [0xD8], 2
    while data[pos + 1] != 0xDA:
        markers.append(data[pos + 1])
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return markers + [0xDA]


def png_header(width, height):
    """A PNG that only claims a size: its header, one tiny data chunk, the end."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + chunk(b"IEND", b"")
    )


def jpeg_claiming(width, height):
    """A small real JPEG whose frame header claims another size."""
    data = bytearray(make_image_bytes())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.fixture
def no_decoding(monkeypatch):
    def load(self):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


# --- images ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(png_header(7745, 7745), id="png-60MP"),
        pytest.param(png_header(20000, 20000), id="png-400MP-past-pillows-own-limit"),
        pytest.param(jpeg_claiming(9000, 9000), id="jpeg-81MP"),
    ],
)
def test_it_refuses_too_many_pixels_before_decoding(content, no_decoding):
    with pytest.raises(ValidationError) as e:
        clean_upload(upload(content))
    assert e.value.code == "too_many_pixels"
    assert "Resolusi foto terlalu besar" in e.value.messages[0]


def test_it_accepts_a_jpeg_from_a_phones_50_megapixel_mode():
    # Only the header is real: it is decoded at a quarter of its size, then fitted.
    clean = clean_upload(upload(jpeg_claiming(8160, 6120)))
    assert Image.open(io.BytesIO(clean.content)).size == (2000, 1500)


def test_it_decodes_a_large_jpeg_already_scaled_down(monkeypatch):
    decoded_sizes = []
    real_load = ImageFile.ImageFile.load

    def load(self):
        decoded_sizes.append(self.size)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    clean = clean_upload(upload(make_image_bytes(size=(4000, 3000))))
    assert decoded_sizes[0] == (2000, 1500)
    assert Image.open(io.BytesIO(clean.content)).size == (2000, 1500)


def test_it_shrinks_a_jpeg_that_the_decoder_cannot_scale_exactly():
    clean = clean_upload(upload(make_image_bytes(size=(4032, 3024))))
    assert Image.open(io.BytesIO(clean.content)).size == (2000, 1500)


def test_it_shrinks_a_large_png():
    clean = clean_upload(upload(make_image_bytes("PNG", size=(2400, 1200)), "kk.png"))
    stored = Image.open(io.BytesIO(clean.content))
    assert (stored.format, stored.size) == ("JPEG", (2000, 1000))


def test_it_reencodes_a_small_photo_without_resizing(monkeypatch):
    resized = []
    monkeypatch.setattr(Image.Image, "resize", lambda *a, **k: resized.append(a))
    original = make_image_bytes(size=(2000, 1500), quality=95)
    clean = clean_upload(upload(original))
    assert resized == []
    assert clean.content != original
    assert Image.open(io.BytesIO(clean.content)).size == (2000, 1500)


def test_it_accepts_a_multi_picture_jpeg():
    out = io.BytesIO()
    first, second = Image.new("RGB", (300, 200), (200, 0, 0)), Image.new("RGB", (300, 200))
    first.save(out, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"

    clean = clean_upload(upload(out.getvalue()))
    stored = Image.open(io.BytesIO(clean.content))
    assert (stored.format, stored.size) == ("JPEG", (300, 200))
    assert getattr(stored, "n_frames", 1) == 1
    assert stored.getpixel((10, 10))[0] > 150  # the first picture


def test_it_drops_every_kind_of_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(
        out,
        "JPEG",
        comment=b"<script>alert(1)</script>",
        exif=exif.tobytes(),
        icc_profile=b"\0" * 128 + b"profile",
        xmp=b"<x:xmpmeta>Budi Santoso</x:xmpmeta>",
    )
    raw = out.getvalue()
    assert {0xFE, 0xE1, 0xE2} <= set(jpeg_markers(raw))  # comment, EXIF/XMP, ICC

    content = clean_upload(upload(raw)).content
    assert [m for m in jpeg_markers(content) if m == 0xFE or 0xE1 <= m <= 0xEF] == []
    for text in (b"<script", b"Samsung", b"profile", b"Budi"):
        assert text not in content
    assert Image.open(io.BytesIO(content)).info.get("comment") is None


def test_it_drops_png_text_chunks():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Budi Santoso")
    content = clean_upload(upload(make_image_bytes("PNG", pnginfo=info), "kk.png")).content
    assert b"Budi" not in content


def test_it_strips_gps_from_a_photo():
    content = clean_upload(upload(gps_jpeg_bytes())).content
    assert dict(Image.open(io.BytesIO(content)).getexif()) == {}
    assert b"Samsung" not in content


@pytest.mark.parametrize("fmt", ["GIF", "TIFF", "BMP"])
def test_it_refuses_other_image_formats(fmt):
    with pytest.raises(ValidationError) as e:
        clean_upload(upload(make_image_bytes(fmt)))
    assert e.value.code == "invalid_type"


def test_strip_jpeg_metadata_keeps_the_picture():
    raw = gps_jpeg_bytes()
    stripped = strip_jpeg_metadata(raw)
    assert 0xE1 not in jpeg_markers(stripped)
    assert stripped.endswith(raw[raw.index(b"\xff\xda") :])
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(raw)).tobytes()


@pytest.mark.parametrize("data", [b"", b"not a jpeg", b"\xff\xd8\xff\xe1\xff\xff"])
def test_strip_jpeg_metadata_leaves_what_it_cannot_read(data):
    assert strip_jpeg_metadata(data) == data


# --- PDFs ------------------------------------------------------------------------------


def hostile_pdf_bytes():
    """A one-page PDF with everything a document must not carry: JavaScript run on
    opening and on a page event, an embedded file, a link, author metadata, an interactive
    form and an image whose JPEG data holds EXIF."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)

    image = StreamObject()
    image._data = gps_jpeg_bytes()
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(64),
            NameObject("/Height"): NumberObject(48),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    content = DecodedStreamObject()
    content.set_data(b"q 64 0 0 48 10 10 cm /Im0 Do Q")
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})}
    )
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): JavaScript("app.alert('page')")})
    writer.add_annotation(0, Link(rect=(0, 0, 50, 50), url="https://evil.example/"))
    writer._root_object[NameObject("/OpenAction")] = JavaScript("app.alert('open')")
    writer.add_open_action(JavaScript("app.alert('names')"))
    writer.add_attachment("rahasia.txt", b"isi lampiran rahasia")
    writer.add_metadata({"/Author": "Budi Santoso", "/Title": "KK Budi"})
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject()}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_it_rewrites_a_pdf_without_scripts_attachments_or_metadata():
    raw = hostile_pdf_bytes()
    for text in (b"/JavaScript", b"/OpenAction", b"/EmbeddedFile", b"Budi", b"Samsung"):
        assert text in raw

    clean = clean_upload(upload(raw, "akta.pdf"))
    assert clean.content_type == "application/pdf"
    for text in (
        b"/JavaScript",
        b"/JS",
        b"/OpenAction",
        b"/AA",
        b"/EmbeddedFile",
        b"rahasia",
        b"/Annots",
        b"evil.example",
        b"/AcroForm",
        b"Budi",
        b"Samsung",
    ):
        assert text not in clean.content, text

    reader = PdfReader(io.BytesIO(clean.content))
    assert reader.metadata is None
    assert "/Names" not in reader.trailer["/Root"]
    [page] = reader.pages
    # The page still shows its picture.
    [image] = page.images
    assert image.image.size == (64, 48)
    assert b"Do" in page.get_contents().get_data()
    assert clean.original_size == len(raw)


def test_it_keeps_every_page_of_a_pdf():
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    clean = clean_upload(upload(out.getvalue(), "akta.pdf"))
    assert len(PdfReader(io.BytesIO(clean.content)).pages) == 3


def test_it_refuses_a_pdf_with_too_many_pages():
    writer = PdfWriter()
    for _ in range(21):
        writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError) as e:
        clean_upload(upload(out.getvalue(), "akta.pdf"))
    assert e.value.code == "pdf_too_many_pages"
    assert "21 halaman" in e.value.messages[0]


def test_it_refuses_a_pdf_where_only_a_photo_is_allowed():
    with pytest.raises(ValidationError) as e:
        clean_upload(upload(make_pdf_bytes(), "foto.pdf"), allow_pdf=False)
    assert e.value.code == "pdf"
