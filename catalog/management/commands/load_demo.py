"""Load the four seed provinces (fixtures/seeds/) with their agencies, fields and procedures.

Idempotent: a second run finds everything in place and writes nothing.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.models import Field, Tier
from catalog.services import (
    ProcedureData,
    bulk_publishing,
    ensure_agency,
    ensure_field,
    ensure_province,
    home_page,
    publish,
    upsert_procedure,
)
from forms_library.demo import load_sample_forms, with_sample_forms

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
FORMS_DIR = Path(settings.BASE_DIR) / "fixtures" / "forms"
SEED_ORDER = ["lam-dong", "cao-bang", "thai-binh", "lao-cai"]


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn từ các quyết định của bốn tỉnh (Load the seed provinces' demo)."

    def handle(self, *args, **options):
        demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic(), bulk_publishing():
            self.update_home(demo["home"])
            samples = with_sample_forms(demo["samples"], load_sample_forms(FORMS_DIR))
            for code in SEED_ORDER:
                seed = json.loads((SEEDS_DIR / f"{code}.json").read_text(encoding="utf-8"))
                counts = self.load_province(seed, demo["provinces"][code], samples)
                self.stdout.write(
                    f"{seed['province']['name']}: "
                    + ", ".join(f"{k} {v}" for k, v in counts.items())
                )

    def update_home(self, data: dict) -> None:
        home = home_page()
        wanted = {
            "title": data["title"],
            "title_en": data["title_en"],
            "intro": data["intro"],
            "intro_en": data["intro_en"],
        }
        if any(getattr(home, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(home, k, v)
            publish(home)

    def load_province(self, seed: dict, extra: dict, samples: dict) -> dict[str, int]:
        info = seed["province"]
        totals = info.get("announced_totals", {})
        province, _ = ensure_province(
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
        agencies = {
            a["code"]: ensure_agency(
                province,
                a["code"],
                a["name"],
                title_en=a.get("name_en", ""),
                kind=a["kind"],
                tier=a["tier"],
            )[0]
            for a in seed["agencies"]
        }
        fields = {
            f["code"]: ensure_field(f["code"], f["name"], name_en=f.get("name_en", ""))[0]
            for f in seed["fields"]
        }
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for item in seed["procedures"]:
            data = self.procedure_data(item, province, agencies, fields, extra, samples)
            _, outcome = upsert_procedure(agencies[item["agency"]], data)
            counts[outcome] += 1
        return counts

    def procedure_data(self, item, province, agencies, fields: dict[str, Field], extra, samples):
        level = item["level"]
        online = level >= 3
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
            roadmap=roadmap,
        )
