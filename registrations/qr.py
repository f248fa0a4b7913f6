import io

import qrcode
import qrcode.image.svg


def _make(url, **kwargs):
    return qrcode.make(url, error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, **kwargs)


def qr_png(url):
    out = io.BytesIO()
    _make(url, box_size=12).save(out, format="PNG")
    return out.getvalue()


def qr_svg(url):
    out = io.BytesIO()
    _make(url, image_factory=qrcode.image.svg.SvgPathImage).save(out)
    return out.getvalue()
