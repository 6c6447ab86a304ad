"""A small picture of a form's first page, so a citizen sees what the file is before downloading
it on a slow connection. PDFs are drawn by poppler-utils (pdftoppm), images by Pillow; Office
formats get no picture (drawing them would need an office suite on the server)."""

import io
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

logger = logging.getLogger(__name__)
WIDTH = 360  # pixels: sharp at twice the size shown in the listing, a few tens of KB
PDFTOPPM_SECONDS = 20


def render_preview(data: bytes, file_format: str) -> bytes | None:
    """A PNG of the first page, or None when this format or this server cannot draw one."""
    if file_format == "pdf":
        return _pdf_first_page(data)
    if file_format in ("png", "jpeg"):
        return _thumbnail(Image.open(io.BytesIO(data)))
    return None


def _pdf_first_page(data: bytes) -> bytes | None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        logger.warning("pdftoppm (poppler-utils) is not installed: no preview for PDF forms")
        return None
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "form.pdf", Path(folder) / "page"
        source.write_bytes(data)
        command = [pdftoppm, "-png", "-f", "1", "-l", "1", "-singlefile"]
        command += ["-scale-to-x", str(WIDTH), "-scale-to-y", "-1", str(source), str(target)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDFTOPPM_SECONDS)  # noqa: S603
        except (subprocess.SubprocessError, OSError):
            logger.warning("pdftoppm could not draw the first page of a PDF form", exc_info=True)
            return None
        return _thumbnail(Image.open(target.with_suffix(".png")))


def _thumbnail(image: Image.Image) -> bytes:
    image.thumbnail((WIDTH, WIDTH * 2))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
