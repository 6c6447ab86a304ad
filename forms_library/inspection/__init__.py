"""Checks on an uploaded form file by its content, not by its name.

Editors upload forms that citizens then download and open, so a file that is really a program,
an archive, a macro-enabled document, a decompression bomb or a file that parses as two formats
must never reach the library. The format is read from the bytes; the extension only has to agree
with it. Images are re-encoded so no EXIF (GPS), text or ICC metadata is published.

One module a job: upload (the entry point), formats, filenames, signatures (programs, archives,
polyglots), pdf, images, office (OLE, RTF), zipped (DOCX, XLSX, ODT, ODS), messages.
"""

from .filenames import sanitise_filename
from .formats import FORMATS
from .upload import Inspected, detect_format, inspect_upload

__all__ = ["FORMATS", "Inspected", "detect_format", "inspect_upload", "sanitise_filename"]
