"""The national portal's life-event groups (dichvucong.gov.vn), for citizens and for businesses.

Existing life events are kept: each group is found by its code or created.
"""

from django.db import migrations

CITIZENS = [
    ("co-con-nho", "Có con nhỏ", "Having a child"),
    ("hoc-tap", "Học tập", "Education"),
    ("viec-lam", "Việc làm", "Employment"),
    ("cu-tru-giay-to", "Cư trú và giấy tờ tùy thân", "Residence and identity papers"),
    ("hon-nhan-gia-dinh", "Hôn nhân và gia đình", "Marriage and family"),
    ("dien-nha-dat", "Điện lực, nhà ở, đất đai", "Electricity, housing and land"),
    ("suc-khoe-y-te", "Sức khỏe và y tế", "Health and medical care"),
    ("phuong-tien-lai-xe", "Phương tiện và người lái", "Vehicles and drivers"),
    ("huu-tri", "Hưu trí", "Retirement"),
    ("nguoi-than-qua-doi", "Người thân qua đời", "Death of a relative"),
    ("khieu-kien", "Giải quyết khiếu kiện", "Complaints and petitions"),
]
BUSINESSES = [
    ("khoi-su-kinh-doanh", "Khởi sự kinh doanh", "Starting a business"),
    ("lao-dong-bhxh", "Lao động và bảo hiểm xã hội", "Labour and social insurance"),
    ("tai-chinh-doanh-nghiep", "Tài chính doanh nghiệp", "Business finance"),
    ("dien-dat-xay-dung", "Điện lực, đất đai, xây dựng", "Electricity, land and construction"),
    ("thuong-mai-quang-cao", "Thương mại, quảng cáo", "Trade and advertising"),
    (
        "so-huu-tri-tue-tai-san",
        "Sở hữu trí tuệ, đăng ký tài sản",
        "Intellectual property, asset registration",
    ),
    (
        "chi-nhanh-van-phong",
        "Thành lập chi nhánh, văn phòng đại diện",
        "Branches and representative offices",
    ),
    ("dau-thau-mua-sam", "Đấu thầu, mua sắm công", "Tenders and public procurement"),
    ("tai-cau-truc", "Tái cấu trúc doanh nghiệp", "Restructuring a business"),
    ("tranh-chap-hop-dong", "Giải quyết tranh chấp hợp đồng", "Resolving contract disputes"),
    ("tam-dung-cham-dut", "Tạm dừng, chấm dứt hoạt động", "Suspending or closing a business"),
]
GROUPS = {"citizens": CITIZENS, "businesses": BUSINESSES}


def load_groups(apps, schema_editor):
    life_event = apps.get_model("catalog", "LifeEvent")
    for audience, events in GROUPS.items():
        for order, (code, name, name_en) in enumerate(events, start=1):
            event, created = life_event.objects.get_or_create(
                code=code,
                defaults={"name": name, "name_vi": name, "name_en": name_en},
            )
            event.audience = audience
            event.sort_order = order
            event.save(update_fields=["audience", "sort_order"])


def remove_groups(apps, schema_editor):
    codes = [code for events in GROUPS.values() for code, _name, _en in events]
    apps.get_model("catalog", "LifeEvent").objects.filter(
        code__in=codes, procedures__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_life_event_groups_and_view_days")]

    operations = [migrations.RunPython(load_groups, remove_groups)]
