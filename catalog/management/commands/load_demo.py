"""Load the four seed provinces (fixtures/seeds/) with their agencies, fields and procedures.

Idempotent: a second run finds everything in place and writes nothing.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.levels import needs_submission_url
from catalog.models import Field, LifeEvent, Tier
from catalog.publishing import BulkPublisher
from catalog.transfer.procedures import ProcedureData, ProcedureWriter
from catalog.transfer.resolver import Resolver, ensure_province, sync_page
from catalog.transfer.rows import Ref
from cms.models import HomePage, PortalSettings
from cms.text import fold, normalise_text
from forms_library.demo import load_sample_forms, with_sample_forms

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
FORMS_DIR = Path(settings.BASE_DIR) / "fixtures" / "forms"
SEED_ORDER = ["lam-dong", "cao-bang", "thai-binh", "lao-cai"]
PORTAL_KEYS = (
    "hotline",
    "one_stop_address",
    "one_stop_address_en",
    "opening_hours",
    "opening_hours_en",
    "status_lookup_url",
)

# Which life event (catalog migration 0007's codes) a seed procedure belongs to, where it is
# obvious: by its field's code, or by words of its title (folded: cms.text.fold).
LIFE_EVENT_LINKS: list[tuple[str, set[str], list[str]]] = [
    ("co-con-nho", set(), ["khai sinh", "viec sinh"]),
    ("hon-nhan-gia-dinh", set(), ["ket hon", "hon nhan", "giam ho"]),
    ("cu-tru-giay-to", {"dang-ky-quan-ly-cu-tru"}, ["ly lich tu phap", "trich luc ho tich"]),
    (
        "phuong-tien-lai-xe",
        {
            "dang-ky-quan-ly-phuong-tien-giao-thong-co-gioi-duong-bo",
            "duong-bo",
            "quan-ly-nguoi-lai",
        },
        ["giay phep lai xe"],
    ),
    ("viec-lam", {"viec-lam"}, ["giay phep lao dong"]),
    ("suc-khoe-y-te", {"y-te", "kham-chua-benh"}, []),
    ("khieu-kien", {"giai-quyet-khieu-nai-to-cao", "giai-quyet-khieu-nai"}, []),
    ("dien-nha-dat", {"dat-dai"}, ["nha o rieng le", "sua chua nha o"]),
    (
        "dien-dat-xay-dung",
        {"xay-dung", "xay-dung-do-thi", "quy-hoach-xay-dung"},
        ["giay phep xay dung"],
    ),
    ("khoi-su-kinh-doanh", {"dang-ky-kinh-doanh"}, ["ho kinh doanh", "chu truong dau tu"]),
    ("chi-nhanh-van-phong", set(), ["chi nhanh", "van phong dai dien"]),
    ("lao-dong-bhxh", {"lao-dong-tien-luong", "lao-dong-tien-luong-bhxh"}, []),
    ("thuong-mai-quang-cao", {"thuong-mai"}, ["quang cao", "khuyen mai"]),
    ("so-huu-tri-tue-tai-san", set(), ["the chap", "bat dong san"]),
    ("tai-cau-truc", set(), ["chuyen nhuong du an"]),
    ("tam-dung-cham-dut", set(), ["cham dut hoat dong", "tam ngung hoat dong", "giai the"]),
]


def life_event_codes(field_code: str, title: str) -> list[str]:
    """The life events a procedure obviously belongs to, by LIFE_EVENT_LINKS."""
    folded = fold(title)
    return [
        code
        for code, fields, words in LIFE_EVENT_LINKS
        if field_code in fields or any(word in folded for word in words)
    ]


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn từ các quyết định của bốn tỉnh (Load the seed provinces' demo)."

    def handle(self, *args, **options):
        demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic(), BulkPublisher(source="load_demo") as publisher:
            self.publisher = publisher
            self.resolver = Resolver(publisher)
            self.writer = ProcedureWriter(publisher)
            self.update_home(demo["home"])
            self.update_portal(demo["portal"])
            # Life events come from a migration: link to those present (a flushed test
            # database has none).
            self.life_events = {e.code: e for e in LifeEvent.objects.all()}
            samples = with_sample_forms(demo["samples"], load_sample_forms(FORMS_DIR))
            for code in SEED_ORDER:
                seed = json.loads((SEEDS_DIR / f"{code}.json").read_text(encoding="utf-8"))
                counts = self.load_province(seed, demo["provinces"][code], samples)
                self.stdout.write(
                    f"{seed['province']['name']}: "
                    + ", ".join(f"{k} {v}" for k, v in counts.items())
                )

    def update_home(self, data: dict) -> None:
        keys = ("title", "title_en", "intro", "intro_en")
        sync_page(self.publisher, HomePage.objects.get(), {k: data[k] for k in keys})

    def update_portal(self, data: dict) -> None:
        """The default site's contact details and lookup address, saved only when they differ."""
        portal = PortalSettings.for_site(HomePage.objects.get().get_site())
        values = {key: data[key] for key in PORTAL_KEYS}
        if any(getattr(portal, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(portal, key, value)
            portal.save()

    def load_province(self, seed: dict, extra: dict, samples: dict) -> dict[str, int]:
        info = seed["province"]
        totals = info.get("announced_totals", {})
        province = ensure_province(
            self.publisher,
            info["code"],
            info["name"],
            title_en=info.get("name_en", ""),
            tier_system="three" if "district" in info["tiers"] else "two",
            allowed_submission_domains="\n".join(extra["allowed_submission_domains"]),
            decision=info["decision"],
            decision_date=datetime.date.fromisoformat(info["decision_date"]),
            decision_title=info.get("decision_title", ""),
            announced_total=totals.get("total"),
            announced_province=totals.get("province"),
            announced_district=totals.get("district"),
            announced_commune=totals.get("commune"),
            announced_targets="\n".join(t["text"] for t in info.get("announced_targets", [])),
        )
        agencies = {a["code"]: self.agency(province, a) for a in seed["agencies"]}
        fields = {
            f["code"]: self.resolver.field(
                Ref(code=f["code"], name=f["name"]), name_en=f.get("name_en", "")
            )
            for f in seed["fields"]
        }
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for item in seed["procedures"]:
            data = self.procedure_data(item, province, agencies, fields, extra, samples)
            _, outcome = self.writer.upsert(agencies[item["agency"]], data)
            counts[outcome] += 1
        return counts

    def agency(self, province, seed: dict):
        """The seed's agency, found or created, then brought in line with the seed."""
        values = {"title_en": seed.get("name_en", ""), "kind": seed["kind"], "tier": seed["tier"]}
        agency = self.resolver.agency(province, Ref(code=seed["code"], name=seed["name"]), **values)
        sync_page(self.publisher, agency, {"title": normalise_text(seed["name"]), **values})
        return agency

    def procedure_data(self, item, province, agencies, fields: dict[str, Field], extra, samples):
        level = item["level"]
        online = needs_submission_url(level)
        sample = samples.get(f"{province.code}/{item['code']}", {})
        values = {
            "decision": province.decision,
            "field": fields[item["field"]],
            "tier_province": Tier.PROVINCE in item["tiers"],
            "tier_district": Tier.DISTRICT in item["tiers"],
            "tier_commune": Tier.COMMUNE in item["tiers"],
            "level": level,
            # The seeds name no submission endpoints: demo links go to the province's portal home.
            "submission_url": f"https://{extra['allowed_submission_domains'][0]}/"
            if online
            else "",
            "continues_on": extra["continues_on"] if online else "",
            "is_sample_content": bool(sample),
            **sample,
        }
        source = f"{province.decision} ngày {province.decision_date:%d/%m/%Y}"
        roadmap = [
            {
                "target_level": t["target_level"],
                "due_year": t.get("due_year"),
                "due_date": t.get("due_date"),
                "source_decision": t.get("source") or source,
                "lead_agency": agencies[item["agency"]],
            }
            for t in item["roadmap"]
        ]
        return ProcedureData(
            code=item["code"],
            title=item["title"],
            values=values,
            co_agencies=[agencies[c] for c in item["co_agencies"]],
            life_events=[
                self.life_events[code]
                for code in life_event_codes(item["field"], item["title"])
                if code in self.life_events
            ],
            roadmap=roadmap,
        )
