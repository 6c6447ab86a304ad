"""PNG and JPEG checks: nothing hidden after the image, no decompression bomb, and a re-encoded
copy without EXIF (GPS), text or ICC metadata."""

import io
import warnings

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

from .messages import MSG_IMAGE_BOMB, MSG_IMAGE_DAMAGED, refusal
from .signatures import PNG_MAGIC, reject_program_after, reject_zip_polyglot

# Images: a small file can declare a huge canvas that takes gigabytes to decode.
MAX_IMAGE_PIXELS = 50_000_000
JPEG_QUALITY = 92


def inspect_image(data: bytes, found: str) -> tuple[int, bytes]:
    reject_zip_polyglot(data, found)
    end = _png_end(data) if found == "png" else _jpeg_end(data)
    reject_program_after(data, [end], found)
    return 1, _clean_image(data, "PNG" if found == "png" else "JPEG")


def _png_end(data: bytes) -> int | None:
    """Offset just after the IEND chunk."""
    position = len(PNG_MAGIC)
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        chunk_type = data[position + 4 : position + 8]
        position += 12 + length  # length, type, data, CRC
        if chunk_type == b"IEND":
            return position
    return None


def _jpeg_end(data: bytes) -> int | None:
    """Offset just after the EOI marker, walking the segments (a thumbnail has its own EOI)."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xD9:
            return position + 2
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
        else:
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
            if marker == 0xDA:  # start of scan: compressed data up to the next real marker
                position = _jpeg_scan_end(data, position)
    return None


def _jpeg_scan_end(data: bytes, position: int) -> int:
    while (position := data.find(b"\xff", position)) != -1 and position + 1 < len(data):
        following = data[position + 1]
        if following == 0xFF:
            position += 1
        elif following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
            position += 2
        else:
            return position
    return len(data)


def _clean_image(data: bytes, pil_format: str) -> bytes:
    """The image decoded in full and saved again: metadata gone, damage and bombs found."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[pil_format]) as probe:
                _check_pixels(probe.size)
                probe.verify()
            # verify() leaves the image unusable: open it again to decode every pixel.
            with Image.open(io.BytesIO(data), formats=[pil_format]) as image:
                image.load()
                return _reencode(image, pil_format)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _image_bomb() from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise refusal("damaged", MSG_IMAGE_DAMAGED) from error


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise _image_bomb()


def _image_bomb() -> ValidationError:
    return refusal("decompression_bomb", MSG_IMAGE_BOMB, limit=MAX_IMAGE_PIXELS // 1_000_000)


def _reencode(image: Image.Image, pil_format: str) -> bytes:
    # Turn the pixels upright first: the Orientation tag goes with the rest of the EXIF.
    upright = ImageOps.exif_transpose(image)
    # Pillow writes ICC profiles and comments found in .info; keep only PNG transparency.
    kept = {"transparency"} if pil_format == "PNG" else set()
    upright.info = {key: value for key, value in upright.info.items() if key in kept}
    output = io.BytesIO()
    if pil_format == "JPEG":
        upright.save(output, format="JPEG", quality=JPEG_QUALITY)
    else:
        upright.save(output, format="PNG")
    return output.getvalue()
