"""Sample forms for the demo (fixtures/forms/): files the project generates (`make demo-forms`),
loaded into the library marked as samples and linked from the seed procedures they fit."""

import copy
import datetime
import hashlib
import json
from pathlib import Path

from django.core.files import File

from .models import FormDocument


def load_sample_forms(directory: Path) -> list[tuple[dict, FormDocument]]:
    """Each sample form of forms.json, created or brought up to date; an unchanged file is left
    alone, a changed one becomes the form's new version (the old one stays in its history)."""
    specs = json.loads((directory / "forms.json").read_text(encoding="utf-8"))
    return [(spec, _upsert_form(spec, directory / spec["file"])) for spec in specs]


def _upsert_form(spec: dict, path: Path) -> FormDocument:
    form = FormDocument.objects.filter(code=spec["code"], is_sample=True).first()
    form = form or FormDocument(code=spec["code"], is_sample=True)
    facts = {
        "title": spec["title"],
        "title_en": spec.get("title_en", ""),
        "version": spec.get("version", ""),
        "effective_date": datetime.date.fromisoformat(spec["effective_date"])
        if spec.get("effective_date")
        else None,
        "legal_document": spec.get("legal_document", ""),
        "language": spec.get("language", "vi"),
    }
    new_file = _sha256_of(path) != form.sha256
    if not new_file and all(getattr(form, k) == v for k, v in facts.items()):
        return form
    for name, value in facts.items():
        setattr(form, name, value)
    if new_file:
        with path.open("rb") as handle:
            form.original_filename = path.name
            form.file = File(handle, name=path.name)
            form.save()
    else:
        form.save()
    return form


def _sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def with_sample_forms(samples: dict, forms: list[tuple[dict, FormDocument]]) -> dict:
    """The demo's sample content, with each sample form linked from the required documents of
    the procedures it is listed for: an item citing its code gets the file; otherwise the
    document is added."""
    samples = copy.deepcopy(samples)
    for spec, form in forms:
        for key in spec["procedures"]:
            sample = samples.setdefault(key, {})
            cases = sample.setdefault("documents", [])
            if not _link_cited(cases, form):
                _add_item(cases, _item_citing(spec, form))
    return samples


def _link_cited(cases: list[dict], form: FormDocument) -> bool:
    linked = False
    for case in cases:
        for item in case["value"]["documents"]:
            if item.get("form_code") == form.code:
                item["form"], linked = form.pk, True
    return linked


def _item_citing(spec: dict, form: FormDocument) -> dict:
    return {
        "name": f"{spec['document_name']} (nội dung minh họa)",
        "originals": 1,
        "copies": 0,
        "form": form.pk,
        "form_code": form.code,
    }


def _add_item(cases: list[dict], item: dict) -> None:
    """Into the set of documents every applicant files (the case with no name)."""
    common = next((case for case in cases if not case["value"]["case"]), None)
    if common is None:
        common = {"type": "case", "value": {"case": "", "documents": []}}
        cases.append(common)
    common["value"]["documents"].append(item)
