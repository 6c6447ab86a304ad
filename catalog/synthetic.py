"""Deterministic synthetic procedures for benchmarks: realistic shapes, titles marked synthetic.

The same --seed always gives the same rows, so benchmark runs compare like with like.
"""

import random
from collections.abc import Iterator

from .levels import needs_submission_url

SYNTHETIC_MARK = "[dữ liệu tổng hợp]"

DEPARTMENTS = [
    ("STP", "Sở Tư pháp", "Hộ tịch"),
    ("SXD", "Sở Xây dựng", "Xây dựng"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "Đất đai"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "Thành lập và hoạt động doanh nghiệp"),
    ("SGTVT", "Sở Giao thông vận tải", "Đường bộ"),
    ("SYT", "Sở Y tế", "Khám bệnh, chữa bệnh"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Giáo dục và Đào tạo"),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Việc làm"),
    ("SCT", "Sở Công Thương", "Lưu thông hàng hóa trong nước"),
    ("SNN", "Sở Nông nghiệp và Phát triển nông thôn", "Trồng trọt"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Văn hóa"),
    ("STTTT", "Sở Thông tin và Truyền thông", "Báo chí"),
]
DISTRICT_AGENCY = ("UBND-HUYEN", "UBND cấp huyện", "Hộ tịch")
COMMUNE_AGENCY = ("UBND-XA", "UBND cấp xã", "Chứng thực")
ACTIONS = [
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Điều chỉnh",
    "Gia hạn",
    "Thu hồi",
    "Đăng ký",
    "Xác nhận",
    "Thẩm định",
    "Công nhận",
]
OBJECTS = [
    "giấy phép xây dựng công trình",
    "giấy chứng nhận quyền sử dụng đất",
    "giấy phép lái xe",
    "giấy chứng nhận đăng ký doanh nghiệp",
    "giấy phép hoạt động khám bệnh, chữa bệnh",
    "chứng chỉ hành nghề",
    "giấy khai sinh",
    "giấy phép kinh doanh vận tải",
    "giấy chứng nhận đủ điều kiện an toàn thực phẩm",
    "giấy phép khai thác nước ngầm",
    "giấy phép biểu diễn nghệ thuật",
    "giấy phép thành lập cơ sở giáo dục",
]
QUALIFIERS = [
    "cho cá nhân",
    "cho tổ chức",
    "cho doanh nghiệp có vốn đầu tư nước ngoài",
    "trong trường hợp bị mất",
    "do thay đổi thông tin",
    "",
]
DOCUMENTS = [
    "Đơn đề nghị",
    "Tờ khai",
    "Bản sao giấy tờ tùy thân",
    "Bản vẽ thiết kế",
    "Giấy chứng nhận quyền sử dụng đất",
    "Báo cáo đánh giá",
    "Hợp đồng",
    "Văn bản ủy quyền",
]
STEPS = [
    "Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định.",
    "Nộp hồ sơ tại Bộ phận một cửa hoặc qua Cổng Dịch vụ công.",
    "Cơ quan tiếp nhận kiểm tra tính đầy đủ của hồ sơ.",
    "Cơ quan có thẩm quyền thẩm định và giải quyết.",
    "Trả kết quả cho tổ chức, cá nhân.",
]
LEGAL = [
    "Luật Xây dựng số 50/2014/QH13",
    "Nghị định số 43/2011/NĐ-CP",
    "Nghị định số 42/2022/NĐ-CP",
    "Thông tư số 01/2018/TT-VPCP",
    "Luật Đất đai số 31/2024/QH15",
]
SUBJECTS = ["Công dân Việt Nam", "Tổ chức", "Doanh nghiệp", "Người nước ngoài"]
TIER_WEIGHTS = [("tỉnh", 0.70), ("huyện", 0.18), ("xã", 0.12)]
LEVEL_WEIGHTS = [(1, 0.25), (2, 0.40), (3, 0.22), (4, 0.13)]
SUBMISSION_HOST = "dichvucong.example.gov.vn"


def _weighted(rng: random.Random, choices: list[tuple]) -> object:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def synthetic_rows(count: int, seed: int = 1, province: str = "") -> Iterator[dict[str, str]]:
    """`count` rows in the import columns' shape (the flat CSV/XLSX format)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    for n in range(1, count + 1):
        tier = _weighted(rng, TIER_WEIGHTS)
        if tier == "tỉnh":
            agency_code, _agency, field = rng.choice(DEPARTMENTS)
        else:
            agency_code, _agency, field = DISTRICT_AGENCY if tier == "huyện" else COMMUNE_AGENCY
        level = _weighted(rng, LEVEL_WEIGHTS)
        title = " ".join(
            part
            for part in (rng.choice(ACTIONS), rng.choice(OBJECTS), rng.choice(QUALIFIERS))
            if part
        )
        documents = []
        for index, name in enumerate(rng.sample(DOCUMENTS, rng.randint(2, 6)), start=1):
            form = f" [mẫu: SYN-{n % 500:03d}-{index}]" if index <= 2 and level >= 2 else ""
            documents.append(f"{name} ({rng.choice(['bản chính', 'bản sao'])}){form}")
        yield {
            "code": f"SYN.{n:06d}",
            "title": f"{title} {SYNTHETIC_MARK} #{n}",
            "agency": agency_code,
            "field": field,
            "tiers": tier,
            "level": str(level),
            "submission_url": f"https://{SUBMISSION_HOST}/thu-tuc/{n}"
            if needs_submission_url(level)
            else "",
            "co_agencies": rng.choice(["", "", "STC", "SNV"]),
            "processing_time": f"{rng.choice([3, 5, 7, 10, 15, 20, 30])} ngày làm việc",
            "fee": rng.choice(["Không", "50.000 đồng", "100.000 đồng/hồ sơ", "Theo quy định"]),
            "subjects": "; ".join(rng.sample(SUBJECTS, rng.randint(1, 2))),
            "steps": "\n".join(STEPS[: rng.randint(3, 5)]),
            "documents": "\n".join(documents),
            "result": f"{title.split(' ', 1)[1].capitalize()} được cấp",
            "legal_basis": "\n".join(rng.sample(LEGAL, rng.randint(1, 3))),
            "requirements": rng.choice(
                ["", "Không", "Đáp ứng điều kiện theo quy định của pháp luật"]
            ),
            "decision": f"{rng.randint(100, 3000)}/QĐ-UBND",
            "status": "đang hiệu lực" if rng.random() > 0.03 else "đã bãi bỏ",
            "keywords": rng.choice(["", "GPXD", "sổ đỏ", "GPLX", "đăng ký kinh doanh"]),
            "title_en": "",
            "province": province,
        }
