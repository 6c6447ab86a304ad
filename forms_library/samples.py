"""Sample form files for the demo (fixtures/forms/): real, openable PDF and DOCX files laid out
like Vietnamese forms, so the forms library, previews and downloads have something to show.

They are generated, not drawn by hand, so every file can be rebuilt from forms.json; the output
is byte-for-byte deterministic (fixed dates and zip timestamps) so the committed files can be
checked against a fresh build and never drift.
"""

import io
import json
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_PACKAGE = "fonts-dejavu-core"

# One fixed instant for every date a file records, so rebuilding changes nothing.
FIXED_DATE = datetime(2025, 1, 1, tzinfo=UTC)
ZIP_DATE = (2025, 1, 1, 0, 0, 0)

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
BANNER = "MẪU MINH HỌA – không phải biểu mẫu chính thức (sample for demonstration)"
ADDRESSEE = "Kính gửi: "
PLACE_DATE = "................, ngày ...... tháng ...... năm ........"
SIGN_NOTE = "(Ký, ghi rõ họ tên)"
AUTHOR = "thutuc – build_demo_forms"

RED = (192, 0, 0)


class MissingFontError(FileNotFoundError):
    """The DejaVu fonts are needed to embed Vietnamese glyphs in the PDFs."""


def font_paths() -> dict[str, Path]:
    """The TTF files by style; raises MissingFontError naming the Debian package to install."""
    paths = {style: FONT_DIR / name for style, name in FONT_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise MissingFontError(
            f"Thiếu phông chữ DejaVu: {', '.join(missing)}. "
            f"Cài gói Debian {FONT_PACKAGE} (install Debian's {FONT_PACKAGE})."
        )
    return paths


def load_specs(directory: Path) -> list[dict]:
    """The sample forms described by directory/forms.json."""
    return json.loads((directory / "forms.json").read_text(encoding="utf-8"))


def form_label(code: str) -> str:
    """ "Mẫu số 04a/ĐK" for numbered codes, "Mẫu CT01" for the others, as printed on forms."""
    return f"Mẫu số {code}" if code[:1].isdigit() else f"Mẫu {code}"


def signer(title: str) -> str:
    """Who signs: a declaration (tờ khai) has a declarant, an application its applicant."""
    return "NGƯỜI KÊ KHAI" if title.lower().startswith("tờ khai") else "NGƯỜI LÀM ĐƠN"


def legal_note(spec: dict) -> str:
    return f"(Theo {spec['legal_document']})" if spec.get("legal_document") else ""


# PDF ------------------------------------------------------------------------------------------


class _SamplePDF(FPDF):
    """Repeats the sample banner at the foot of every page, so no page reads as official."""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 7)
        self.set_text_color(*RED)
        self.cell(0, 4, f"{BANNER} – trang {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def build_pdf(spec: dict) -> bytes:
    """The form as an A4 PDF with the DejaVu fonts embedded (subset), so diacritics render."""
    fonts = font_paths()
    pdf = _SamplePDF(format="A4", unit="mm")
    pdf.set_margins(left=25, top=15, right=15)
    pdf.set_auto_page_break(auto=True, margin=18)
    for style, path in fonts.items():
        pdf.add_font("DejaVu", style, str(path))
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer(AUTHOR)
    pdf.set_creator(AUTHOR)
    pdf.set_author(AUTHOR)
    pdf.set_title(f"{form_label(spec['code'])} – {spec['title']} (mẫu minh họa)")
    pdf.set_subject(BANNER)
    pdf.set_lang("vi-VN")
    pdf.add_page()
    width = pdf.epw

    # Form code and its source, top right.
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 5, form_label(spec["code"]), align="R", new_x="LMARGIN", new_y="NEXT")
    if note := legal_note(spec):
        pdf.set_font("DejaVu", "", 7.5)
        pdf.multi_cell(0, 4, note, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    # The banner, boxed in red.
    pdf.set_font("DejaVu", "B", 9)
    pdf.set_text_color(*RED)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.5)
    pdf.cell(0, 8, BANNER, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.ln(4)

    # National motto, underlined by a short rule.
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, MOTTO, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, MOTTO_2, align="C", new_x="LMARGIN", new_y="NEXT")
    rule = pdf.get_string_width(MOTTO_2)
    middle = pdf.l_margin + width / 2
    pdf.line(middle - rule / 2, pdf.get_y(), middle + rule / 2, pdf.get_y())
    pdf.ln(7)

    # Title in bold capitals.
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, spec["title"].upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("DejaVu", "", 11)
    _pdf_dotted(pdf, ADDRESSEE, indent=width * 0.15)
    pdf.ln(2)
    for number, label in enumerate(spec["fields"], start=1):
        _pdf_dotted(pdf, f"{number}. {label}: ")
    pdf.ln(2)
    pdf.multi_cell(
        0,
        6,
        "Tôi xin cam đoan những thông tin kê khai trên là đúng sự thật và chịu trách nhiệm "
        "trước pháp luật về lời khai của mình.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(5)

    # Date and signature, in the right half; kept together on one page.
    if pdf.will_page_break(32):
        pdf.add_page()
    half, left = width / 2, pdf.l_margin + width / 2
    pdf.set_x(left)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(half, 6, PLACE_DATE, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(half, 6, signer(spec["title"]), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(half, 6, SIGN_NOTE, align="C", new_x="LMARGIN", new_y="NEXT")
    with _quiet("fontTools"):
        return bytes(pdf.output())


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """fontTools logs every subsetting step at INFO, which the dev settings print: a screenful
    per PDF. Warnings still show."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _pdf_dotted(pdf: FPDF, label: str, indent: float = 0) -> None:
    """The label followed by dots to the right margin; a long label wraps and the dots follow on
    the last line (or a line of their own), leaving room to write by hand."""
    line_height, dot = 7, pdf.get_string_width(".")
    pdf.set_x(pdf.l_margin + indent)
    room = pdf.epw - indent
    if pdf.get_string_width(label) > room * 0.7:
        pdf.multi_cell(room, line_height, label.rstrip(), new_x="LMARGIN", new_y="NEXT")
        label, indent = "", 0
        room = pdf.epw
    pdf.set_x(pdf.l_margin + indent)
    dots = int((room - pdf.get_string_width(label)) / dot) - 1
    pdf.cell(room, line_height, label + "." * dots, new_x="LMARGIN", new_y="NEXT")


# DOCX -----------------------------------------------------------------------------------------

DOCX_FONT = "Times New Roman"  # has the Vietnamese glyphs on every office suite's platform


def build_docx(spec: dict) -> bytes:
    """The form as an A4 Word document in Times New Roman 13 pt, the usual administrative style."""
    document = docx.Document()
    _docx_setup(document, spec)
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin

    code = document.add_paragraph()
    code.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    code.add_run(form_label(spec["code"])).bold = True
    if note := legal_note(spec):
        code.add_run("\n" + note).font.size = Pt(10)

    banner = document.add_paragraph()
    banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_box(banner)
    run = banner.add_run(BANNER)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(11), RGBColor(*RED)

    motto = document.add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto.paragraph_format.space_before = Pt(6)
    motto.add_run(MOTTO).bold = True
    motto_2 = document.add_paragraph()
    motto_2.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = motto_2.add_run(MOTTO_2)
    run.bold = run.underline = True

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(12)
    run = title.add_run(spec["title"].upper())
    run.bold, run.font.size = True, Pt(14)

    _docx_dotted(document, ADDRESSEE, width, indent=Mm(25))
    for number, label in enumerate(spec["fields"], start=1):
        _docx_dotted(document, f"{number}. {label}: ", width)
    pledge = document.add_paragraph(
        "Tôi xin cam đoan những thông tin kê khai trên là đúng sự thật và chịu trách nhiệm "
        "trước pháp luật về lời khai của mình."
    )
    pledge.paragraph_format.space_before = Pt(6)

    signature = document.add_table(rows=1, cols=2)
    cell = signature.rows[0].cells[1]
    place = cell.paragraphs[0]
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.paragraph_format.space_before = Pt(12)
    place.add_run(PLACE_DATE).italic = True
    who = cell.add_paragraph()
    who.alignment = WD_ALIGN_PARAGRAPH.CENTER
    who.add_run(signer(spec["title"])).bold = True
    who.add_run("\n" + SIGN_NOTE).italic = True

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run(BANNER)
    run.font.size, run.font.color.rgb = Pt(9), RGBColor(*RED)

    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _docx_setup(document: DocxDocument, spec: dict) -> None:
    """A4 page, administrative margins, the font for every script, fixed core properties."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name, style.font.size = DOCX_FONT, Pt(13)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), DOCX_FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    style.element.get_or_add_rPr().append(language)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.15

    properties = document.core_properties
    properties.title = f"{form_label(spec['code'])} – {spec['title']} (mẫu minh họa)"
    properties.subject = BANNER
    properties.author = properties.last_modified_by = AUTHOR
    properties.comments = legal_note(spec)
    properties.language = "vi-VN"
    properties.keywords = spec["code"]
    properties.revision = 1
    naive = FIXED_DATE.replace(tzinfo=None)
    properties.created = properties.modified = properties.last_printed = naive

    # The template's thumbnail shows a blank page, not this form: leave it out of the package.
    package_rels = document.part.package.rels
    for key, relationship in list(package_rels.items()):
        if relationship.reltype == RT.THUMBNAIL:
            del package_rels[key]


def _docx_dotted(document: DocxDocument, label: str, width: int, indent: int = 0) -> None:
    """The label then a right tab with dot leader to the margin: the line to write on."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.space_before = Pt(3)
    paragraph.paragraph_format.tab_stops.add_tab_stop(
        width - indent, WD_TAB_ALIGNMENT.RIGHT, leader=WD_TAB_LEADER.DOTS
    )
    paragraph.add_run(label + "\t")


def _docx_box(paragraph: Paragraph) -> None:
    """A red border around the paragraph, so the sample banner cannot be missed."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for name, value in (("val", "single"), ("sz", "12"), ("space", "4"), ("color", "C00000")):
            edge.set(qn(f"w:{name}"), value)
        borders.append(edge)
    paragraph.paragraph_format.element.get_or_add_pPr().append(borders)


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry timestamps: python-docx stamps the current time."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return output.getvalue()


# Both -----------------------------------------------------------------------------------------

BUILDERS = {".pdf": build_pdf, ".docx": build_docx}


def build_file(spec: dict) -> bytes:
    """The bytes of the spec's file, by its extension."""
    suffix = Path(spec["file"]).suffix.lower()
    if suffix not in BUILDERS:
        raise ValueError(f"{spec['file']}: chỉ tạo được .pdf hoặc .docx (only .pdf or .docx)")
    return BUILDERS[suffix](spec)


def build_all(directory: Path) -> list[Path]:
    """(Re)write every file forms.json lists, in its order; the paths written."""
    font_paths()  # fail before writing anything
    written = []
    for spec in load_specs(directory):
        path = directory / spec["file"]
        path.write_bytes(build_file(spec))
        written.append(path)
    return written
