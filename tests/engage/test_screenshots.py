"""Screenshots from strangers: real pictures only, without metadata, under random names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from wildwatch.engage.screenshots import (
    MAX_BYTES,
    ScreenshotError,
    clean_screenshot,
    screenshot_path,
    store_screenshot,
)


def picture(kind: str, *, exif: bool = False, size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 180, 160))
    out = io.BytesIO()
    options: dict[str, object] = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"          # Make
        data[0x8825] = {1: "N", 2: (1.0, 17.0, 30.0)}  # GPS: where the spotter was
        options["exif"] = data.tobytes()
    image.save(out, format=kind, **options)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "extension"), [("PNG", "png"), ("JPEG", "jpg"),
                                                 ("WEBP", "webp")])
def test_pictures_are_kept_without_their_metadata(tmp_path: Path, kind: str,
                                                   extension: str) -> None:
    sent = picture(kind, exif=True)
    name = store_screenshot(sent + b"<script>alert(1)</script>", tmp_path)
    found = screenshot_path(tmp_path, name)
    assert found is not None and found[0].suffix == "." + extension
    stored = found[0].read_bytes()
    assert b"<script>" not in stored and b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 30) and image.format == kind
        assert not image.getexif()


@pytest.mark.parametrize(("data", "why"), [
    (b"", "empty"),
    (b"<html><script>alert(1)</script></html>", "PNG, JPEG or WebP"),
    (b"GIF89a" + b"\0" * 100, "PNG, JPEG or WebP"),
    (b"\x89PNG\r\n\x1a\n" + b"not really a picture", "could not be read"),
    (b"\xff\xd8\xff" + b"<svg onload=alert(1)>", "could not be read"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_BYTES, "at most 5 MB"),
])
def test_anything_else_is_refused_with_a_reason(data: bytes, why: str) -> None:
    with pytest.raises(ScreenshotError, match=why):
        clean_screenshot(data)


def test_a_picture_too_large_to_decode_is_refused() -> None:
    with pytest.raises(ScreenshotError, match="too many pixels"):
        clean_screenshot(picture("PNG", size=(8000, 6000)))


def test_only_stored_names_are_served(tmp_path: Path) -> None:
    name = store_screenshot(picture("PNG"), tmp_path)
    assert screenshot_path(tmp_path, name) is not None
    (tmp_path / "notes.txt").write_text("secret")
    for other in ("../secret_key", "notes.txt", name.replace(".png", ".html"),
                  name[:-4] + ".jpg", "/etc/passwd"):
        assert screenshot_path(tmp_path, other) is None
