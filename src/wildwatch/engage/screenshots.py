"""Screenshots that come with reports: checked, cleaned, stored under a random name.

A screenshot comes from a stranger. It is accepted only if it is really a PNG, JPEG or WebP
picture (its first bytes say so, and Pillow can decode it), at most :data:`MAX_BYTES` and
:data:`MAX_PIXELS`. It is then re-encoded, which drops everything but the pixels: camera
metadata (a phone's GPS position would reveal where the spotter lives) and anything appended to
the file. It is stored as ``DATA_DIR/screenshots/<random>.<ext>`` and only ever served to staff,
as an image with its own content type (never as HTML, never inline in a page's markup).
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
#: Format -> (file extension, content type).
FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"),
           "WEBP": ("webp", "image/webp")}
NAME = re.compile(r"^[A-Za-z0-9_-]{22}\.(png|jpg|webp)$")
_CONTENT_TYPES = {ext: kind for ext, kind in FORMATS.values()}


class ScreenshotError(ValueError):
    """The upload is not an acceptable picture; the message says why."""


def sniff(data: bytes) -> str | None:
    """The format the magic bytes announce: PNG, JPEG, WEBP, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def clean_screenshot(data: bytes) -> tuple[bytes, str]:
    """The picture re-encoded without metadata, and its extension. Raises ScreenshotError."""
    if not data:
        raise ScreenshotError("the screenshot is empty")
    if len(data) > MAX_BYTES:
        raise ScreenshotError(f"a screenshot is at most {MAX_BYTES // (1024 * 1024)} MB")
    announced = sniff(data)
    if announced is None:
        raise ScreenshotError("a screenshot must be a PNG, JPEG or WebP picture")
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[announced]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ScreenshotError("the screenshot has too many pixels")
                image.load()
                picture = ImageOps.exif_transpose(image)
                if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                    picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
                if announced == "JPEG" and picture.mode in ("RGBA", "LA"):
                    picture = picture.convert("RGB")
                out = io.BytesIO()
                options: dict[str, object] = {"quality": 90} if announced != "PNG" else {}
                picture.save(out, format=announced, **options)
    except ScreenshotError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ScreenshotError("the screenshot could not be read as a picture") from None
    return out.getvalue(), FORMATS[announced][0]


def store_screenshot(data: bytes, directory: Path) -> str:
    """Check, clean and store ``data``; returns the stored file's name."""
    cleaned, extension = clean_screenshot(data)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    (directory / name).write_bytes(cleaned)
    return name


def screenshot_path(directory: Path, name: str) -> tuple[Path, str] | None:
    """The stored file for ``name`` and its content type; None for any other name."""
    if not NAME.match(name):
        return None
    path = directory / name
    if not path.is_file():
        return None
    return path, _CONTENT_TYPES[name.rsplit(".", 1)[1]]


def screenshots_dir(data_dir: Path) -> Path:
    return data_dir / "screenshots"


__all__ = ["MAX_BYTES", "ScreenshotError", "clean_screenshot", "screenshot_path",
           "screenshots_dir", "sniff", "store_screenshot"]
