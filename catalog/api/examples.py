"""Vietnamese examples of the feed's records for the OpenAPI schema (/api/docs/).

Written from the demo catalogue (fixtures/), so that "Try it out" with the parameters' examples
finds what the example shows; tests/api/test_schema_examples.py holds each to its serializer."""

FORM_EXAMPLE = {
    "id": 1,
    "code": "CT01",
    "title": "Tờ khai thay đổi thông tin cư trú",
    "file_url": "https://thutuc.lamdong.gov.vn/documents/1/CT01-to-khai-thay-doi-thong-tin-cu-tru.pdf",
    "filename": "CT01-to-khai-thay-doi-thong-tin-cu-tru.pdf",
    "format": "pdf",
    "size_bytes": 29295,
    "sha256": "ee9d6b6a589ab075ef6eac5c9942efdf10d2ba74a4170aeae9d5ff3f15127440",
    "page_count": 1,
    "version": "1",
    "effective_date": "2024-01-01",
    "legal_document": "Thông tư 66/2023/TT-BCA",
    "language": "vi",
    "is_sample": False,
    "preview_url": "https://thutuc.lamdong.gov.vn/media/form_previews/CT01.png",
    "page_url": "https://thutuc.lamdong.gov.vn/bieu-mau/1/",
}

PROCEDURE_EXAMPLE = {
    "code": "LD.001",
    "title": "Cấp giấy đăng ký tạm trú, tạm vắng",
    "province": {"code": "lam-dong", "name": "Lâm Đồng"},
    "url": "https://thutuc.lamdong.gov.vn/lam-dong/cat/cap-giay-dang-ky-tam-tru-tam-vang-ld001/",
    "agency": {"code": "CAT", "name": "Công an tỉnh"},
    "co_agencies": [{"code": "CA-XA", "name": "Công an xã, phường, thị trấn"}],
    "field": {"code": "dang-ky-quan-ly-cu-tru", "name": "Đăng ký, quản lý cư trú"},
    "tiers": ["province", "commune"],
    "procedure_type": "Thủ tục hành chính được chuẩn hóa",
    "level": 3,
    "level_label": "Mức độ 3 · Dịch vụ công trực tuyến một phần",
    "level_2022_label": "Dịch vụ công trực tuyến một phần",
    "submission_url": "https://dichvucong.lamdong.gov.vn/",
    "start_button_text": "Nộp hồ sơ trực tuyến",
    "continues_on": "Cổng Dịch vụ công tỉnh Lâm Đồng",
    "other_ways": "Nộp trực tiếp tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính công ích.",
    "online_payment": False,
    "downtime_notice": "",
    "processing_time": "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
    "fee": "Không thu phí",
    "subjects": ["Công dân Việt Nam"],
    "steps": [
        {
            "number": 1,
            "title": "Nộp hồ sơ",
            "description": "Nộp tại Công an xã hoặc trên Cổng Dịch vụ công của tỉnh.",
        },
        {
            "number": 2,
            "title": "Nhận kết quả",
            "description": "Nhận kết quả tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính.",
        },
    ],
    "channels": [
        {
            "channel": "in_person",
            "channel_label": "Trực tiếp",
            "processing_time": "03 ngày làm việc",
            "fee": "Không",
            "description": "Tại Bộ phận Một cửa, giờ hành chính các ngày làm việc.",
        },
        {
            "channel": "online",
            "channel_label": "Trực tuyến",
            "processing_time": "03 ngày làm việc",
            "fee": "Không",
            "description": "Qua Cổng Dịch vụ công của tỉnh.",
        },
    ],
    "documents": [
        {
            "case": "",
            "documents": [
                {
                    "name": "Tờ khai thay đổi thông tin cư trú",
                    "originals": 1,
                    "copies": 0,
                    "form_code": "CT01",
                    "form": FORM_EXAMPLE,
                },
                {
                    "name": "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
                    "originals": 0,
                    "copies": 1,
                    "form_code": "",
                    "form": None,
                },
            ],
        }
    ],
    "forms": [FORM_EXAMPLE],
    "competent_agency": "Công an xã, phường, thị trấn",
    "authorised_agency": "",
    "receiving_address": "Bộ phận Một cửa Công an xã, phường, thị trấn nơi cư trú",
    "result": "Thông báo về việc đăng ký tạm trú",
    "legal_basis": [
        {
            "number": "68/2020/QH14",
            "summary": "Luật Cư trú",
            "date": "2020-11-13",
            "issuer": "Quốc hội",
            "url": "https://vbpl.vn/",
        }
    ],
    "requirements": "",
    "decision": "1039/QĐ-UBND",
    "keywords": ["tạm trú", "tạm vắng"],
    "description": "Đăng ký tạm trú khi đến sinh sống ngoài nơi thường trú từ 30 ngày trở lên.",
    "life_events": [{"code": "cu-tru-giay-to", "name": "Cư trú và giấy tờ tùy thân"}],
    "related_procedures": [],
    "roadmap": [
        {
            "target_level": 4,
            "due_year": 2027,
            "due_date": None,
            "source_decision": "1039/QĐ-UBND ngày 09/5/2013",
            "status": "due",
        }
    ],
    "status": "active",
    "abolished_on": None,
    "abolishing_decision": "",
    "successor": None,
    "is_sample_content": False,
    "last_published_at": "2026-12-01T08:30:00+07:00",
}

# Contact fields left empty rather than invented: they would read as a real agency's numbers.
AGENCY_EXAMPLE = {
    "code": "CAT",
    "name": "Công an tỉnh",
    "province": "lam-dong",
    "kind": "department",
    "tier": "province",
    "parent_agency": None,
    "address": "",
    "phone": "",
    "email": "",
    "website": "",
    "opening_hours": "Thứ Hai đến Thứ Sáu, 7:30–11:30 và 13:30–17:00",
    "url": "https://thutuc.lamdong.gov.vn/lam-dong/cat/",
    "procedure_count": 2,
}

FIELD_EXAMPLE = {
    "code": "dang-ky-quan-ly-cu-tru",
    "name": "Đăng ký, quản lý cư trú",
    "procedure_count": 1,
}

LIFE_EVENT_EXAMPLE = {
    "code": "cu-tru-giay-to",
    "name": "Cư trú và giấy tờ tùy thân",
    "procedure_count": 5,
    "audience": "citizens",
    "description": "Đăng ký thường trú, tạm trú, cấp căn cước.",
}

CITED_FORM_EXAMPLE = {
    **FORM_EXAMPLE,
    "versions": [],
    "procedures": [{"province": "lam-dong", "code": "LD.001"}],
}
