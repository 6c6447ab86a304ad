"""Factories for tests: pages are published through Wagtail, as the product publishes them."""

import datetime

import factory
from django.core.files.base import ContentFile
from django.db import transaction

from catalog.models import (
    AgencyKind,
    AgencyPage,
    Field,
    LifeEvent,
    ProcedurePage,
    ProvincePage,
    Status,
    Subject,
    Tier,
)
from catalog.publishing import create_page
from cms.models import HomePage
from forms_library.models import FormDocument

PUBLISHED_DATES = ("first_published_at", "last_published_at")


class PageFactory(factory.django.DjangoModelFactory):
    """Adds the page under `parent` (a factory argument) and publishes it as the product does:
    catalog.publishing.create_page, so it has a live revision and a 'wagtail.publish' entry.

    `live=False` makes a draft instead: a page with a revision, never published. Explicit
    `first_published_at`/`last_published_at` back-date a published page (the feed's filters)."""

    class Meta:
        abstract = True

    live = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, live=True, **kwargs):
        dates = {name: kwargs.pop(name) for name in PUBLISHED_DATES if name in kwargs}
        page = model_class(*args, **kwargs)
        parent = parent or cls._default_parent(kwargs)
        if not live:
            page.live = False
            parent.add_child(instance=page)
            page.save_revision(clean=False)
            return page
        as_committed(publish_new, parent, page)
        if dates := {name: value for name, value in dates.items() if value is not None}:
            for name, value in dates.items():
                setattr(page, name, value)
            page.save(update_fields=list(dates), clean=False)  # reindexed like any save
        return page

    @classmethod
    def _default_parent(cls, kwargs):
        return HomePage.objects.get()


def publish_new(parent, page) -> None:
    """catalog.publishing.create_page in a savepoint: a page that publishing refuses (invalid)
    leaves no draft behind, as when the product's transaction rolls back."""
    with transaction.atomic():
        create_page(parent, page)


def as_committed(function, *args):
    """Call `function`, then the on-commit work it left (indexing the page for search), as the
    product's transaction commits; a test's transaction never does. Run, it is unscheduled."""
    pending = transaction.get_connection().run_on_commit
    start = len(pending)
    result = function(*args)
    while len(pending) > start:
        callbacks = pending[start:]
        del pending[start:]
        for _savepoints, callback, _robust in callbacks:
            callback()
    return result


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


def lam_dong_province(**values) -> ProvincePage:
    """The province most tests use, with its submission portal's domain."""
    values = {"allowed_submission_domains": "dichvucong.lamdong.gov.vn", **values}
    return ProvinceFactory(code="lam-dong", title="Lâm Đồng", **values)


def cao_bang_province(**values) -> ProvincePage:
    """The second province, by default with no submission portal."""
    values = {"allowed_submission_domains": "", **values}
    return ProvinceFactory(code="cao-bang", title="Cao Bằng", **values)


def building_field() -> Field:
    return FieldFactory(code="xay-dung", name="Xây dựng")


def civil_field() -> Field:
    return FieldFactory(code="ho-tich", name="Hộ tịch")


def small_catalogue(**changes: dict) -> dict:
    """Lâm Đồng: two building permits (Sở Xây dựng), a birth registration and an abolished one
    (Sở Tư pháp); Cao Bằng: a birth registration at commune level (UBND cấp xã).

    Returns the provinces ("ld", "cb") and procedures ("permit", "repair", "birth", "birth_cb",
    "abolished") by name; `changes` maps a name to values that differ, as `birth={...}`."""
    ld, cb = lam_dong_province(**changes.get("ld", {})), cao_bang_province(**changes.get("cb", {}))
    sxd = AgencyFactory(province=ld, code="SXD", title="Sở Xây dựng", slug="so-xay-dung")
    stp = AgencyFactory(province=ld, code="STP", title="Sở Tư pháp", slug="so-tu-phap")
    ubnd = AgencyFactory(
        province=cb, code="UBND-XA", title="UBND cấp xã", tier="commune", slug="ubnd-xa"
    )
    building, civil = building_field(), civil_field()
    procedures = {
        "permit": dict(
            agency=sxd,
            code="1.000894",
            title="Cấp giấy phép xây dựng",
            title_en="Construction permit",
            keywords="GPXD; giấy phép xây dựng",
            field=building,
            level=3,
            submission_url="https://dichvucong.lamdong.gov.vn/gpxd",
        ),
        "repair": dict(
            agency=sxd, code="1.000895", title="Cấp giấy phép sửa chữa nhà ở", field=building
        ),
        "birth": dict(agency=stp, code="2.000488", title="Đăng ký khai sinh", field=civil),
        "birth_cb": dict(
            agency=ubnd,
            code="2.000488",
            title="Đăng ký khai sinh",
            field=civil,
            tier_province=False,
            tier_commune=True,
        ),
        "abolished": dict(
            agency=stp,
            code="2.000999",
            title="Đăng ký khai sinh lưu động",
            field=civil,
            status=Status.ABOLISHED,
            abolished_on=datetime.date(2024, 1, 1),
        ),
    }
    pages = {"ld": ld, "cb": cb}
    for name, values in procedures.items():
        pages[name] = ProcedureFactory(**{**values, **changes.get(name, {})})
    return pages
