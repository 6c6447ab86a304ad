"""PDF checks: nothing hidden after it, not truncated, and readable by poppler where installed."""

import re
import subprocess
from pathlib import Path

from .messages import MSG_PDF_TRUNCATED, MSG_PDF_UNREADABLE, refusal
from .signatures import reject_program_after, reject_zip_polyglot

PDF_END = b"%%EOF"
PDF_TAIL_BYTES = 1024

PDFINFO = Path("/usr/bin/pdfinfo")
PDFINFO_SECONDS = 15


def inspect_pdf(data: bytes, found: str) -> tuple[int | None, None]:
    reject_zip_polyglot(data, found)
    # Every revision of a PDF ends with %%EOF; check after each one, not only the last.
    ends = [match.end() for match in re.finditer(re.escape(PDF_END), data)]
    reject_program_after(data, ends, found)
    if PDF_END not in data[-PDF_TAIL_BYTES:]:
        raise refusal("damaged", MSG_PDF_TRUNCATED)
    if PDFINFO.exists():
        return _pdfinfo_pages(data), None
    return _count_pdf_pages(data), None


def _pdfinfo_pages(data: bytes) -> int | None:
    """Pages as poppler reads them; a PDF poppler cannot open would not open for citizens."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, list arguments, data on stdin
            [str(PDFINFO), "-"], input=data, capture_output=True, timeout=PDFINFO_SECONDS
        )
    except (subprocess.TimeoutExpired, OSError) as error:
        raise refusal("damaged", MSG_PDF_UNREADABLE) from error
    if result.returncode != 0:
        raise refusal("damaged", MSG_PDF_UNREADABLE)
    match = re.search(rb"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    return int(match.group(1)) if match else _count_pdf_pages(data)


def _count_pdf_pages(data: bytes) -> int | None:
    # Page objects outside compressed object streams; None rather than a wrong 0.
    count = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    return count or None
