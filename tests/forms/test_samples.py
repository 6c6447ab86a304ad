"""The sample forms of fixtures/forms/: deterministic builds, readable Vietnamese text in both
formats, procedure keys that exist in the seeds, and committed files equal to a fresh build."""

import io
import json
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest

from fixtures.forms import build as samples

ROOT = Path(__file__).resolve().parents[2]
FORMS_DIR = ROOT / "fixtures" / "forms"
SEEDS_DIR = ROOT / "fixtures" / "seeds"
PDFTOTEXT = Path("/usr/bin/pdftotext")
FONTS = [str(samples.FONT_DIR / name) for name in samples.FONT_FILES.values()]
needs_fonts = pytest.mark.requires_debian(samples.FONT_PACKAGE, *FONTS)
SPECS = samples.load_specs(FORMS_DIR)
PDF_SPECS = [spec for spec in SPECS if spec["file"].endswith(".pdf")]
DOCX_SPECS = [spec for spec in SPECS if spec["file"].endswith(".docx")]


def ids(spec: dict) -> str:
    return spec["code"]


def flat(text: str) -> str:
    """NFC text with runs of whitespace as one space: titles wrap over lines."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    return {spec["code"]: samples.build_file(spec) for spec in SPECS}


def test_forms_json_describes_eight_forms_in_both_formats():
    assert len(SPECS) == 8
    assert len({spec["code"] for spec in SPECS}) == len(SPECS)
    assert len({spec["file"] for spec in SPECS}) == len(SPECS)
    assert len(PDF_SPECS) == len(DOCX_SPECS) == 4
    assert {"CT01"} <= {spec["code"] for spec in SPECS}
    ct01 = next(spec for spec in SPECS if spec["code"] == "CT01")
    assert "lam-dong/LD.001" in ct01["procedures"]
    for spec in SPECS:
        assert spec["language"] == "vi" and spec["fields"] and spec["procedures"]


def test_every_procedure_key_exists_in_the_seeds():
    known = set()
    for path in SEEDS_DIR.glob("*.json"):
        seed = json.loads(path.read_text(encoding="utf-8"))
        known |= {f"{seed['province']['code']}/{p['code']}" for p in seed["procedures"]}
    listed = {key for spec in SPECS for key in spec["procedures"]}
    assert listed - known == set()
    assert {key.split("/")[0] for key in listed} == {"lam-dong", "cao-bang", "thai-binh", "lao-cai"}


@needs_fonts
@pytest.mark.parametrize("spec", SPECS, ids=ids)
def test_building_twice_gives_the_same_bytes(spec, built):
    assert samples.build_file(spec) == built[spec["code"]]


@needs_fonts
@pytest.mark.parametrize("spec", SPECS, ids=ids)
def test_committed_file_equals_a_fresh_build(spec, built):
    committed = (FORMS_DIR / spec["file"]).read_bytes()
    assert committed == built[spec["code"]], "run: make demo-forms"
    assert len(committed) < 60_000


@needs_fonts
@pytest.mark.requires_debian("poppler-utils", str(PDFTOTEXT))
@pytest.mark.parametrize("spec", PDF_SPECS, ids=ids)
def test_pdf_text_is_vietnamese(spec, built, tmp_path):
    content = built[spec["code"]]
    assert content.startswith(b"%PDF")
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    text = flat(
        subprocess.run(  # noqa: S603 - fixed program, our own file
            [str(PDFTOTEXT), str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    )
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert flat(spec["title"].upper()) in text
    assert samples.form_label(spec["code"]) in text
    assert samples.BANNER in text
    assert flat(spec["fields"][0]) in text


@needs_fonts
@pytest.mark.parametrize("spec", DOCX_SPECS, ids=ids)
def test_docx_has_the_title_and_the_banner(spec, built):
    content = built[spec["code"]]
    assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert spec["title"].upper() in text
    assert samples.BANNER in text
    assert all(label in text for label in spec["fields"])
    assert document.core_properties.created.year == 2025


def test_missing_fonts_name_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(samples, "FONT_DIR", tmp_path)
    with pytest.raises(samples.MissingFontError, match="fonts-dejavu-core"):
        samples.build_pdf(PDF_SPECS[0])
    with pytest.raises(SystemExit, match="fonts-dejavu-core"):
        samples.main(tmp_path)


@needs_fonts
def test_command_writes_every_file(tmp_path, capsys):
    target = tmp_path / "forms"
    target.mkdir()
    shutil.copy(FORMS_DIR / "forms.json", target / "forms.json")
    samples.main(target)
    out = capsys.readouterr().out
    for spec in SPECS:
        assert (target / spec["file"]).read_bytes() == (FORMS_DIR / spec["file"]).read_bytes()
        assert spec["file"] in out
