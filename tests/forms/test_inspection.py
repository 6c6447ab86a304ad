"""Upload checks by content (forms_library.inspection), on real files built in the test: what is
accepted and what it is recorded as, and every kind of refusal with its code and a Vietnamese
message that tells the editor what to do."""

import bz2
import gzip
import io
import lzma
import re
import struct
import tarfile
import unicodedata
import zipfile
import zlib

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from forms_library.inspection import Inspected, inspect_upload, office, sanitise_filename, zipped
from forms_library.inspection import pdf as pdf_checks
from forms_library.inspection.signatures import OLE_MAGIC, PNG_MAGIC

MAX_BYTES = 20 * 1024 * 1024
MiB = 1024 * 1024
VIETNAMESE_LETTERS = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOS_STUB = b"This program cannot be run in DOS mode.\r\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03" + bytes(59) + DOS_STUB * 40


# --------------------------------------------------------------------------------------------
# Helpers


def inspect(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> Inspected:
    return inspect_upload(io.BytesIO(data), name, max_bytes)


def rejected(data: bytes, name: str, code: str, max_bytes: int = MAX_BYTES) -> str:
    """The message of the refusal, after checking its code and that it speaks Vietnamese."""
    with pytest.raises(ValidationError) as caught:
        inspect(data, name, max_bytes)
    assert caught.value.code == code, caught.value.messages
    message = caught.value.messages[0]
    assert VIETNAMESE_LETTERS.search(message.lower()), message
    assert "Hãy" in message, f"the message should say what to do: {message}"
    return message


def rezip(data: bytes, replace: dict[str, bytes] | None = None, **kwargs: bytes) -> bytes:
    """A copy of a ZIP with some members replaced; keyword members (with / for __) are added."""
    replace = replace or {}
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info))
            target.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED)
        for name, content in kwargs.items():
            target.writestr(name.replace("__", "/"), content, compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


def add_members(data: bytes, members: dict[str, bytes]) -> bytes:
    output = io.BytesIO(data)
    with zipfile.ZipFile(output, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def small_zip(members: dict[str, bytes] | None = None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (members or {"ghi-chu.txt": b"xin chao"}).items():
            archive.writestr(name, content)
    return output.getvalue()


def make_pdf(pages: int = 1) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(text=f"To khai - trang {number + 1}")
    return bytes(pdf.output())


def make_png(size: tuple[int, int] = (40, 30), **save_options) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, format="PNG", **save_options)
    return output.getvalue()


def make_jpeg(size: tuple[int, int] = (40, 20), **save_options) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(output, format="JPEG", **save_options)
    return output.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(side: int = 20_000) -> bytes:
    """A real 1-bit PNG of side × side blank pixels: tens of KB, 400 megapixels decoded."""
    compressor = zlib.compressobj(9)
    rows = bytes(1 + side // 8) * 1000  # filter byte + packed row, a thousand rows at a time
    data = b"".join(compressor.compress(rows) for _ in range(side // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        PNG_MAGIC + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")
    )


def make_odf(mimetype: str, **extra: bytes) -> bytes:
    """An OpenDocument file by the spec: "mimetype" first and stored, then the XML parts."""
    output = io.BytesIO()
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        b"<office:body><office:text><text:p>T\xe1\xbb\x9d khai</text:p></office:text>"
        b"</office:body></office:document-content>"
    )
    meta = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3">'
        b'<office:meta><meta:document-statistic meta:page-count="2" meta:word-count="2"/>'
        b"</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    ).encode()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in {"content.xml": content, "meta.xml": meta, **extra}.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


# A minimal writer of OLE compound files (the container of .doc and .xls), so the OLE checks run
# on real files: olefile only reads. Version 3, 512-byte sectors, one FAT sector; every stream is
# padded to 4096 bytes so it lives in ordinary sectors and no mini stream is needed.
OLE_SECTOR = 512
OLE_FREE, OLE_END, OLE_FAT, OLE_NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def build_ole(tree: dict) -> bytes:
    """tree: name → bytes (a stream) or dict (a storage)."""
    entries: list[dict] = []

    def add(name: str, node: dict | bytes, kind: int) -> int:
        index = len(entries)
        entries.append({"name": name, "kind": kind, "data": None, "kids": []})
        if isinstance(node, dict):
            for child_name, child in node.items():
                child_kind = 1 if isinstance(child, dict) else 2
                entries[index]["kids"].append(add(child_name, child, child_kind))
        else:
            entries[index]["data"] = node.ljust(max(4096, -(-len(node) // 512) * 512), b"\0")
        return index

    add("Root Entry", tree, 5)
    directory_sectors = -(-len(entries) // 4)
    fat = [OLE_FAT, *chain(1, directory_sectors)]
    starts: dict[int, int] = {}
    stream_data = b""
    for index, entry in enumerate(entries):
        if entry["data"] is not None:
            starts[index] = len(fat)
            fat += chain(len(fat), len(entry["data"]) // OLE_SECTOR)
            stream_data += entry["data"]
    assert len(fat) <= OLE_SECTOR // 4, "the test writer has a single FAT sector"
    fat += [OLE_FREE] * (OLE_SECTOR // 4 - len(fat))

    siblings: dict[int, int] = {}  # each child points right to the next: a valid (list) tree
    for entry in entries:
        for left, right in zip(entry["kids"], entry["kids"][1:], strict=False):
            siblings[left] = right
    directory = b""
    for index, entry in enumerate(entries):
        name = (entry["name"] + "\0").encode("utf-16-le")
        data = entry["data"] or b""
        start = starts.get(index, OLE_END if entry["kind"] == 5 else 0)
        child = entry["kids"][0] if entry["kids"] else OLE_NONE
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name, len(name), entry["kind"], 1, OLE_NONE, siblings.get(index, OLE_NONE), child,
            bytes(16), 0, 0, 0, start, len(data),
        )  # fmt: skip
    directory = directory.ljust(directory_sectors * OLE_SECTOR, b"\0")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        OLE_MAGIC, bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
        0, 1, 1, 0, 4096, OLE_END, 0, OLE_END, 0,
    )  # fmt: skip
    header += struct.pack("<109I", 0, *[OLE_FREE] * 108)
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + stream_data


def chain(start: int, length: int) -> list[int]:
    return [start + offset + 1 for offset in range(length - 1)] + [OLE_END]


# --------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return make_pdf()


@pytest.fixture(scope="module")
def docx_file() -> bytes:
    document = docx.Document()
    document.add_paragraph("Tờ khai đăng ký hộ kinh doanh")
    output = io.BytesIO()
    document.save(output)
    with zipfile.ZipFile(output) as archive:
        app = archive.read("docProps/app.xml").replace(b"<Pages>1</Pages>", b"<Pages>3</Pages>")
    return rezip(output.getvalue(), {"docProps/app.xml": app})


@pytest.fixture(scope="module")
def xlsx_file() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Danh sách thành viên"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture(scope="module")
def bomb_docx(docx_file) -> bytes:
    """A DOCX with a 150 MiB member of zeros, written streaming: the archive stays small."""
    output = io.BytesIO(docx_file)
    with (
        zipfile.ZipFile(output, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/image1.bin", "w") as member,
    ):
        block = bytes(MiB)
        for _ in range(150):
            member.write(block)
    return output.getvalue()


# --------------------------------------------------------------------------------------------
# Accepted files


def test_valid_pdf_is_accepted_with_its_page_count():
    result = inspect(make_pdf(pages=3), "Tờ khai.PDF")
    assert result == Inspected("pdf", "application/pdf", "Tờ khai.pdf", 3, None)


def test_pdf_pages_are_counted_from_the_file_without_pdfinfo(pdf, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_checks, "PDFINFO", tmp_path / "no-pdfinfo")
    assert inspect(pdf, "to-khai.pdf").page_count == 1


@pytest.mark.requires_debian("poppler-utils", str(pdf_checks.PDFINFO))
def test_pdf_that_poppler_cannot_read_is_damaged():
    rejected(b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", "to-khai.pdf", "damaged")


def test_django_upload_is_read_and_left_at_the_start(pdf):
    upload = SimpleUploadedFile("../../etc/passwd.pdf", pdf, content_type="application/pdf")
    result = inspect_upload(upload, upload.name, MAX_BYTES)
    assert (result.format, result.filename) == ("pdf", "passwd.pdf")
    assert upload.tell() == 0


def test_valid_docx_is_accepted_with_pages_from_app_xml(docx_file):
    result = inspect(docx_file, "Tờ khai đăng ký.docx")
    assert result.format == "docx"
    assert result.content_type.endswith("wordprocessingml.document")
    assert (result.filename, result.page_count, result.content) == ("Tờ khai đăng ký.docx", 3, None)


def test_valid_xlsx_is_accepted(xlsx_file):
    result = inspect(xlsx_file, "Danh sách.XLSX")
    assert (result.format, result.filename, result.page_count) == ("xlsx", "Danh sách.xlsx", None)
    assert result.content_type.endswith("spreadsheetml.sheet")


def test_valid_odt_is_accepted_with_pages_from_meta():
    result = inspect(make_odf(ODT), "to-khai.odt")
    assert (result.format, result.content_type, result.page_count) == ("odt", ODT, 2)


def test_valid_ods_is_accepted():
    result = inspect(make_odf(ODS), "bang-ke.ods")
    assert (result.format, result.content_type, result.page_count) == ("ods", ODS, None)


def test_clean_rtf_is_accepted():
    rtf = rb"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0 T\u7901? khai\par}"
    result = inspect(rtf, "to-khai.rtf")
    assert result == Inspected("rtf", "application/rtf", "to-khai.rtf", None, None)


def test_png_comes_back_without_exif_text_or_icc():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Nguyễn Văn A")
    text.add_text("Comment", "secret")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = make_png(pnginfo=text, exif=exif.tobytes(), icc_profile=icc)
    assert all(chunk in original for chunk in (b"eXIf", b"iCCP", b"tEXt", b"iTXt"))

    result = inspect(original, "anh.png")
    assert (result.format, result.content_type, result.page_count) == ("png", "image/png", 1)
    assert not any(chunk in result.content for chunk in (b"eXIf", b"iCCP", b"tEXt", b"iTXt"))
    with Image.open(io.BytesIO(result.content)) as cleaned:
        assert cleaned.size == (40, 30)
        assert not cleaned.info
        assert not cleaned.getexif()


def test_jpeg_comes_back_upright_without_exif_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored sideways: turn 90° clockwise to view
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (10.0, 46.0, 30.0),
    }
    original = make_jpeg(exif=exif.tobytes(), comment=b"Phuong 1")
    with Image.open(io.BytesIO(original)) as source:
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = inspect(original, "anh-chup.JPG")
    assert (result.format, result.content_type, result.filename) == (
        "jpeg",
        "image/jpeg",
        "anh-chup.jpg",
    )
    assert b"Exif\0\0" not in result.content and b"Phuong 1" not in result.content
    with Image.open(io.BytesIO(result.content)) as cleaned:
        assert cleaned.size == (20, 40)  # the orientation was applied before EXIF was dropped
        assert not cleaned.getexif()
        assert "exif" not in cleaned.info and "comment" not in cleaned.info


@pytest.mark.parametrize("name", ["anh.jpeg", "anh.jpg", "anh.JPEG"])
def test_jpeg_accepts_both_extensions_and_keeps_its_own(name):
    assert inspect(make_jpeg(), name).filename == name.lower()


# --------------------------------------------------------------------------------------------
# Size and emptiness


def test_empty_file_is_refused():
    rejected(b"", "to-khai.pdf", "empty")


def test_file_over_the_limit_is_refused_naming_the_limit_and_not_read_in_full():
    class CountingFile(io.BytesIO):
        read_bytes = 0

        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            self.read_bytes += len(chunk)
            return chunk

    upload = CountingFile(b"%PDF-" + bytes(10 * MiB))
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload, "to-khai.pdf", MiB)
    assert caught.value.code == "too_large"
    assert "1 MB" in caught.value.messages[0]
    assert upload.read_bytes == MiB + 1
    assert upload.tell() == 0
    assert "2,5 MB" in rejected(bytes(3 * MiB), "to-khai.pdf", "too_large", 5 * MiB // 2)


# --------------------------------------------------------------------------------------------
# PDFs


def test_truncated_pdf_is_damaged(pdf):
    message = rejected(pdf[: len(pdf) // 2], "to-khai.pdf", "damaged")
    assert "PDF" in message


# --------------------------------------------------------------------------------------------
# Programs and archives


@pytest.mark.parametrize(
    "data",
    [
        WINDOWS_PROGRAM,
        b"\x7fELF\x02\x01\x01" + bytes(200),
        b"\xcf\xfa\xed\xfe" + bytes(200),
        b"\xfe\xed\xfa\xce" + bytes(200),
        b"#!/bin/sh\nrm -rf ~\n",
    ],
    ids=["windows", "linux", "mach-o-64", "mach-o-32", "script"],
)
def test_programs_are_refused_whatever_their_name(data):
    message = rejected(data, "to-khai.pdf", "executable")
    assert "thực thi" in message or "tập lệnh" in message


def tar_file() -> bytes:
    output = io.BytesIO()
    with tarfile.open(fileobj=output, mode="w") as archive:
        info = tarfile.TarInfo("to-khai.pdf")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"%PDF"))
    return output.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"Rar!\x1a\x07\x01\x00" + bytes(100), "RAR"),
        (b"7z\xbc\xaf\x27\x1c" + bytes(100), "7z"),
        (gzip.compress(b"to khai"), "gzip"),
        (bz2.compress(b"to khai"), "bzip2"),
        (lzma.compress(b"to khai"), "xz"),
        (tar_file(), "tar"),
    ],
    ids=["rar", "7z", "gzip", "bzip2", "xz", "tar"],
)
def test_archives_are_refused_by_kind(data, kind):
    assert kind in rejected(data, "to-khai.docx", "archive")


def test_plain_zip_named_docx_is_an_archive():
    assert "ZIP" in rejected(small_zip(), "to-khai.docx", "archive")


def test_unknown_content_is_refused_listing_allowed_formats():
    message = rejected(b"Day la mot tep van ban thuong.\n", "to-khai.pdf", "not_allowed_format")
    assert ".pdf" in message and ".docx" in message and ".jpg" in message


# --------------------------------------------------------------------------------------------
# Macros, embedded programs and objects


def test_docm_named_docx_is_refused(docx_file):
    with zipfile.ZipFile(io.BytesIO(docx_file)) as archive:
        types = archive.read("[Content_Types].xml").replace(WORD_MAIN, WORD_MACRO_MAIN)
    docm = rezip(docx_file, {"[Content_Types].xml": types}, word__vbaProject_bin=b"\xd0\xcf")
    assert ".docx" in rejected(docm, "to-khai.docx", "macro")


def test_macro_enabled_content_type_alone_is_refused(docx_file):
    with zipfile.ZipFile(io.BytesIO(docx_file)) as archive:
        types = archive.read("[Content_Types].xml").replace(WORD_MAIN, WORD_MACRO_MAIN)
    rejected(rezip(docx_file, {"[Content_Types].xml": types}), "to-khai.docx", "macro")


@pytest.mark.parametrize(
    ("member", "code"),
    [
        ("word/embeddings/setup.exe", "executable"),
        ("word/media/run.ps1", "executable"),
        ("word/activeX/activeX1.xml", "embedded_object"),
        ("xl/vbaProject.bin", "macro"),
    ],
)
def test_programs_and_controls_inside_office_files_are_refused(xlsx_file, member, code):
    rejected(add_members(xlsx_file, {member: b"x"}), "bang-ke.xlsx", code)


def test_odt_with_basic_macros_is_refused():
    odt = make_odf(ODT, **{"Basic/Standard/Module1.xml": b"<script/>"})
    assert ".odt" in rejected(odt, "to-khai.odt", "macro")


def test_rtf_with_embedded_object_is_refused():
    rtf = rb"{\rtf1{\object\objemb{\*\objclass Package}{\*\objdata 01050000020000000b000000}}}"
    assert "RTF" in rejected(rtf, "to-khai.rtf", "embedded_object")


# --------------------------------------------------------------------------------------------
# Zip bombs and hostile archives


def test_zip_bomb_inside_docx_is_refused(bomb_docx):
    assert len(bomb_docx) < MiB
    assert "image1.bin" in rejected(bomb_docx, "to-khai.docx", "zip_bomb")


def test_total_unzipped_size_is_capped(docx_file, monkeypatch):
    # Members under 1 MiB escape the ratio rule, so only the total catches these.
    members = {f"word/media/blank{number}.bin": bytes(900 * 1024) for number in range(4)}
    monkeypatch.setattr(zipped, "MAX_UNZIPPED_BYTES", 3 * MiB)
    assert "3 MB" in rejected(add_members(docx_file, members), "to-khai.docx", "zip_bomb")


def test_too_many_members_are_refused(xlsx_file):
    members = {f"xl/media/part{number}.xml": b"<a/>" for number in range(1001)}
    rejected(add_members(xlsx_file, members), "bang-ke.xlsx", "zip_bomb")


def test_declared_sizes_are_not_trusted(docx_file):
    """A member that claims 100 bytes but expands to 5 MiB: reading counts real bytes."""
    data = bytearray(add_members(docx_file, {"word/media/blank.bin": bytes(5 * MiB)}))
    entry = data.find(b"PK\x01\x02")
    while entry != -1:  # patch the central directory record of that member
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_length] == b"word/media/blank.bin":
            struct.pack_into("<I", data, entry + 24, 100)
        entry = data.find(b"PK\x01\x02", entry + 4)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert archive.getinfo("word/media/blank.bin").file_size == 100
    rejected(bytes(data), "to-khai.docx", "damaged")


@pytest.mark.parametrize("member", ["../../evil.xml", "/etc/cron.d/job", "C:/Windows/x.xml"])
def test_member_names_escaping_the_folder_are_refused(docx_file, member):
    rejected(add_members(docx_file, {member: b"<a/>"}), "to-khai.docx", "unsafe_path")


# --------------------------------------------------------------------------------------------
# Polyglots


def test_pdf_with_zip_appended_is_a_polyglot(pdf):
    assert "hai định dạng" in rejected(pdf + small_zip(), "to-khai.pdf", "polyglot")


def test_pdf_with_program_after_its_end_is_a_polyglot(pdf):
    rejected(pdf + WINDOWS_PROGRAM, "to-khai.pdf", "polyglot")


def test_png_with_zip_appended_is_a_polyglot():
    rejected(make_png() + small_zip(), "anh.png", "polyglot")


def test_jpeg_with_program_after_its_end_is_a_polyglot():
    rejected(make_jpeg() + b"\r\n" + WINDOWS_PROGRAM, "anh.jpg", "polyglot")


def test_rtf_with_zip_appended_is_a_polyglot():
    rejected(rb"{\rtf1\ansi To khai\par}" + small_zip(), "to-khai.rtf", "polyglot")


# --------------------------------------------------------------------------------------------
# Images


def test_decompression_bomb_png_is_refused():
    bomb = bomb_png()
    assert len(bomb) < 200_000
    assert "50 triệu" in rejected(bomb, "anh.png", "decompression_bomb")


def test_truncated_png_is_damaged():
    data = make_png((400, 300))
    rejected(data[: len(data) // 2], "anh.png", "damaged")


# --------------------------------------------------------------------------------------------
# Extension against content


def test_real_png_named_jpg_is_refused_naming_both():
    message = rejected(make_png(), "anh.jpg", "extension_mismatch")
    assert "PNG" in message and ".jpg" in message and ".png" in message


def test_docx_named_pdf_is_refused_naming_both(docx_file):
    message = rejected(docx_file, "to-khai.pdf", "extension_mismatch")
    assert ".pdf" in message and ".docx" in message


def test_renamed_exe_named_pdf_is_refused_as_a_program():
    rejected(WINDOWS_PROGRAM, "to-khai.pdf", "executable")


@pytest.mark.parametrize("name", ["to-khai", "to-khai.txt", "to-khai.pdf.exe", ""])
def test_missing_or_unknown_extension_is_refused_listing_allowed(pdf, name):
    message = rejected(pdf, name, "not_allowed_format")
    assert ".pdf, .doc, .docx" in message


# --------------------------------------------------------------------------------------------
# Word and Excel 97–2003 (OLE)


def test_real_doc_is_accepted():
    doc = build_ole({"WordDocument": b"\xec\xa5" + bytes(100), "1Table": b"\0" * 10})
    result = inspect(doc, "to-khai.DOC")
    assert result == Inspected("doc", "application/msword", "to-khai.doc", None, None)


def test_real_xls_is_accepted():
    result = inspect(build_ole({"Workbook": b"\x09\x08" + bytes(100)}), "bang-ke.xls")
    assert (result.format, result.content_type) == ("xls", "application/vnd.ms-excel")


def test_doc_with_macros_storage_is_refused():
    doc = build_ole(
        {
            "WordDocument": b"\xec\xa5",
            "Macros": {"VBA": {"ThisDocument": b"Attribute VB_Name", "dir": b"\x01"}},
        }
    )
    assert ".docx" in rejected(doc, "to-khai.doc", "macro")


def test_xls_with_vba_project_is_refused():
    xls = build_ole({"Workbook": b"\x09\x08", "_VBA_PROJECT_CUR": {"PROJECT": b"ID="}})
    assert ".xlsx" in rejected(xls, "bang-ke.xls", "macro")


def test_other_ole_file_is_refused():
    ppt = build_ole({"PowerPoint Document": b"\0", "Current User": b"\0"})
    assert "PowerPoint" in rejected(ppt, "trinh-chieu.doc", "not_allowed_format")


def test_doc_named_xls_is_refused():
    rejected(build_ole({"WordDocument": b"\xec\xa5"}), "to-khai.xls", "extension_mismatch")


def test_doc_with_zip_appended_is_a_polyglot():
    rejected(build_ole({"WordDocument": b"\xec\xa5"}) + small_zip(), "to-khai.doc", "polyglot")


def test_ole_classifier_on_stream_names():
    assert office.ole_format([["WordDocument"], ["\x05SummaryInformation"]]) == "doc"
    assert office.ole_format([["Book"]]) == "xls"
    assert office.ole_format([["Workbook"], ["_VBA_PROJECT_CUR"]]) == "xls"
    assert office.ole_format([["Storage", "WordDocument"], ["PowerPoint Document"]]) is None
    assert office.ole_macro_entry([["WordDocument"], ["Macros"], ["Macros", "VBA"]]) == "Macros"
    assert office.ole_macro_entry([["Workbook"], ["_VBA_PROJECT_CUR", "PROJECT"]])
    assert office.ole_macro_entry([["WordDocument"], ["1Table"]]) is None


# --------------------------------------------------------------------------------------------
# File names


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\x\\y\\Tờ khai.pdf", "Tờ khai.pdf"),
        ("Tờ khai đăng ký.docx", "Tờ khai đăng ký.docx"),
        ("to\x00khai\x1f\x7f.pdf", "tokhai.pdf"),
        ("hoa-don\u202efdp.exe", "hoa-donfdp.exe"),
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ('a<b>:c"d|e?f*g.pdf', "abcdefg.pdf"),
        ("  Tờ \t khai\n mẫu  01 .pdf  ", "Tờ khai mẫu 01.pdf"),
        ("...an.pdf...", "an.pdf"),
        ("CON.pdf", "CON-tep.pdf"),
        ("con", "con-tep"),
        ("lpt9.tar.docx", "lpt9-tep.tar.docx"),
        ("Aux .pdf", "Aux-tep.pdf"),
        ("COM10.pdf", "COM10.pdf"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),
        ("", "bieu-mau"),
        (".pdf", "bieu-mau.pdf"),
        ('<>?".docx', "bieu-mau.docx"),
        ("thư mục/", "bieu-mau"),
        ("bản 1.2 cuối", "bản 1.2 cuối"),
    ],
)
def test_sanitise_filename(original, expected):
    assert sanitise_filename(original) == expected


def test_sanitise_filename_turns_nfd_into_nfc():
    decomposed = unicodedata.normalize("NFD", "Tờ khai đăng ký.docx")
    assert decomposed != "Tờ khai đăng ký.docx"
    assert sanitise_filename(decomposed) == "Tờ khai đăng ký.docx"


@pytest.mark.parametrize("letter", ["a", "ệ"])
def test_sanitise_filename_limits_length_keeping_the_extension(letter):
    name = sanitise_filename(letter * 300 + ".docx")
    assert len(name) == 150
    assert name == letter * 145 + ".docx"
