"""Factories for tests, benchmarks and demo extras: pages are created published."""

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import (
    AgencyKind,
    AgencyPage,
    Field,
    LifeEvent,
    ProcedurePage,
    ProvincePage,
    Subject,
    Tier,
)
from cms.models import HomePage
from forms_library.models import FormDocument


class PageFactory(factory.django.DjangoModelFactory):
    """Adds the page under `parent` (a factory argument) and marks it published now."""

    class Meta:
        abstract = True

    live = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        now = timezone.now()
        kwargs.setdefault("first_published_at", now)
        kwargs.setdefault("last_published_at", now)
        page = model_class(*args, **kwargs)
        (parent or cls._default_parent(kwargs)).add_child(instance=page)
        return page

    @classmethod
    def _default_parent(cls, kwargs):
        return HomePage.objects.get()


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"subject-{n}")
    name = factory.Sequence(lambda n: f"Đối tượng {n}")


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"Sự kiện {n}")


class ProvinceFactory(PageFactory):
    class Meta:
        model = ProvincePage

    code = factory.Sequence(lambda n: f"tinh-{n}")
    title = factory.Sequence(lambda n: f"Tỉnh {n}")
    slug = factory.SelfAttribute("code")
    allowed_submission_domains = "dichvucong.example.gov.vn"


class AgencyFactory(PageFactory):
    class Meta:
        model = AgencyPage

    code = factory.Sequence(lambda n: f"CQ{n}")
    title = factory.Sequence(lambda n: f"Sở {n}")
    slug = factory.Sequence(lambda n: f"co-quan-{n}")
    kind = AgencyKind.DEPARTMENT
    tier = Tier.PROVINCE

    @classmethod
    def _create(cls, model_class, *args, parent=None, province=None, **kwargs):
        parent = parent or province or ProvinceFactory()
        return super()._create(model_class, *args, parent=parent, **kwargs)


class ProcedureFactory(PageFactory):
    class Meta:
        model = ProcedurePage

    code = factory.Sequence(lambda n: f"1.{n:06d}")
    title = factory.Sequence(lambda n: f"Thủ tục số {n}")
    slug = factory.Sequence(lambda n: f"thu-tuc-{n}")
    tier_province = True
    level = 2
    field = factory.SubFactory(FieldFactory)

    @classmethod
    def _create(cls, model_class, *args, parent=None, agency=None, **kwargs):
        parent = parent or agency or AgencyFactory()
        return super()._create(model_class, *args, parent=parent, **kwargs)


def citing(*forms) -> list[dict]:
    """A procedure's required documents linking these forms (its `documents` value)."""
    items = [
        {"name": f.title, "originals": 1, "copies": 0, "form": f.pk, "form_code": f.code}
        for f in forms
    ]
    return [{"type": "case", "value": {"case": "", "documents": items}}]


def pdf_bytes(lines: tuple[str, ...] = ("To khai",), pages: int = 1) -> bytes:
    """A real PDF (fpdf2's core font: ASCII text only, enough for the library's checks)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for _ in range(pages):
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


class FormDocumentFactory(factory.django.DjangoModelFactory):
    """A form whose file goes through the library's content checks on save."""

    class Meta:
        model = FormDocument

    code = factory.Sequence(lambda n: f"Mẫu số {n:02d}")
    title = factory.Sequence(lambda n: f"Tờ khai số {n}")
    version = "1"
    file = factory.LazyAttribute(lambda o: ContentFile(pdf_bytes(), name="Tờ khai.pdf"))
