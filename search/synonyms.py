"""Synonyms for administrative terms: what else a query means, applied at query time by every
backend.

Each entry is (key, expansions). A key written with accents ("sổ đỏ") matches a query that
contains it in exact form, or one typed without any accent ("so do": citizens on a phone keyboard
type the popular name so), but no other accented spelling: "sơ đồ" and "số đo", which fold to the
same letters, never take its meaning. A key written without accents ("gpxd", "ho khau") matches
the folded query, with or without accents. Abbreviations are therefore written folded ("DKKD",
"GCN QSDD" also match "ĐKKD", "GCN QSDĐ"), and popular names whose folded spelling means nothing
else get a folded twin.

Keys match whole words or phrases anywhere in the query ("cap gpxd nha o" expands gpxd). Editors
add entries of the same shape in the admin; expand() takes them as `entries`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .text import ParsedQuery, fold, has_accents, tokens

Entry = tuple[str, list[str]]

# Abbreviations, written without accents so that ĐKKD and DKKD both match.
ABBREVIATIONS: list[Entry] = [
    ("GPXD", ["giấy phép xây dựng"]),
    ("GPLX", ["giấy phép lái xe"]),
    ("LLTP", ["lý lịch tư pháp"]),
    ("CCCD", ["căn cước công dân", "căn cước"]),
    ("CMND", ["chứng minh nhân dân", "căn cước công dân", "căn cước"]),
    ("CMT", ["chứng minh nhân dân", "căn cước"]),
    ("GCN QSDD", ["giấy chứng nhận quyền sử dụng đất"]),
    ("GCNQSDD", ["giấy chứng nhận quyền sử dụng đất"]),
    ("QSDD", ["quyền sử dụng đất"]),
    ("GCN", ["giấy chứng nhận"]),
    ("DKKD", ["đăng ký kinh doanh", "đăng ký doanh nghiệp", "đăng ký hộ kinh doanh"]),
    ("GPKD", ["giấy phép kinh doanh", "đăng ký kinh doanh"]),
    ("DKDN", ["đăng ký doanh nghiệp"]),
    ("GCNDKDN", ["giấy chứng nhận đăng ký doanh nghiệp"]),
    ("HKD", ["hộ kinh doanh"]),
    ("DNTN", ["doanh nghiệp tư nhân"]),
    ("TNHH", ["trách nhiệm hữu hạn"]),
    ("CTCP", ["công ty cổ phần"]),
    ("HTX", ["hợp tác xã"]),
    ("BHXH", ["bảo hiểm xã hội"]),
    ("BHYT", ["bảo hiểm y tế"]),
    ("BHTN", ["bảo hiểm thất nghiệp", "trợ cấp thất nghiệp"]),
    ("MST", ["mã số thuế", "đăng ký thuế"]),
    ("UBND", ["ủy ban nhân dân"]),
    ("XNK", ["xuất nhập khẩu", "xuất khẩu nhập khẩu"]),
    ("GPLD", ["giấy phép lao động"]),
    ("ATTP", ["an toàn thực phẩm"]),
    ("PCCC", ["phòng cháy chữa cháy", "phòng cháy và chữa cháy"]),
    ("DTM", ["đánh giá tác động môi trường"]),
    ("GPMT", ["giấy phép môi trường"]),
    ("CCHN", ["chứng chỉ hành nghề"]),
    ("KCN", ["khu công nghiệp"]),
    ("THPT", ["trung học phổ thông"]),
    ("THCS", ["trung học cơ sở"]),
    ("TTHC", ["thủ tục hành chính"]),
    ("DVC", ["dịch vụ công"]),
    ("VPDKDD", ["văn phòng đăng ký đất đai"]),
]

# Popular names for official terms, written with accents. Unless listed in ACCENT_ONLY, each also
# gets a folded twin (its spelling without accents means nothing else).
POPULAR: list[Entry] = [
    ("sổ đỏ", ["giấy chứng nhận quyền sử dụng đất"]),
    ("sổ hồng", ["giấy chứng nhận quyền sở hữu nhà ở", "giấy chứng nhận quyền sử dụng đất"]),
    ("hộ khẩu", ["đăng ký thường trú", "thường trú", "cư trú"]),
    ("nhập hộ khẩu", ["đăng ký thường trú"]),
    ("cắt hộ khẩu", ["xóa đăng ký thường trú"]),
    ("tách hộ khẩu", ["tách hộ"]),
    ("sổ hộ khẩu", ["thường trú", "xác nhận thông tin về cư trú"]),
    ("sổ tạm trú", ["đăng ký tạm trú"]),
    ("tạm trú tạm vắng", ["đăng ký tạm trú", "khai báo tạm vắng"]),
    ("tạm vắng", ["khai báo tạm vắng"]),
    ("bằng lái xe", ["giấy phép lái xe"]),
    ("bằng lái", ["giấy phép lái xe"]),
    ("đổi bằng lái", ["cấp đổi giấy phép lái xe", "đổi giấy phép lái xe"]),
    ("thi bằng lái", ["sát hạch cấp giấy phép lái xe"]),
    ("nước ngầm", ["nước dưới đất"]),
    ("khai thác nước ngầm", ["khai thác sử dụng nước dưới đất"]),
    ("giếng khoan", ["nước dưới đất"]),
    ("giấy khai sinh", ["đăng ký khai sinh", "khai sinh"]),
    ("làm giấy khai sinh", ["đăng ký khai sinh"]),
    ("giấy chứng tử", ["đăng ký khai tử"]),
    ("giấy báo tử", ["đăng ký khai tử"]),
    ("giấy xác nhận độc thân", ["xác nhận tình trạng hôn nhân"]),
    ("xác nhận độc thân", ["xác nhận tình trạng hôn nhân"]),
    ("làm căn cước", ["cấp thẻ căn cước"]),
    ("chứng minh nhân dân", ["căn cước công dân", "căn cước"]),
    ("chứng minh thư", ["chứng minh nhân dân", "căn cước"]),
    ("làm hộ chiếu", ["cấp hộ chiếu"]),
    ("đăng ký xe máy", ["đăng ký xe"]),
    ("đăng ký ô tô", ["đăng ký xe"]),
    ("biển số xe", ["đăng ký xe", "biển số"]),
    ("sang tên xe", ["đăng ký sang tên xe"]),
    (
        "giấy phép kinh doanh",
        ["đăng ký kinh doanh", "đăng ký doanh nghiệp", "đăng ký hộ kinh doanh"],
    ),
    ("giấy đăng ký kinh doanh", ["đăng ký doanh nghiệp", "đăng ký hộ kinh doanh"]),
    ("mở công ty", ["đăng ký thành lập doanh nghiệp"]),
    ("thành lập công ty", ["đăng ký thành lập doanh nghiệp"]),
    ("xin phép xây dựng", ["giấy phép xây dựng"]),
    ("xin phép xây nhà", ["giấy phép xây dựng", "nhà ở riêng lẻ"]),
    ("công chứng bản sao", ["chứng thực bản sao"]),
    ("sao y bản chính", ["chứng thực bản sao từ bản chính"]),
    ("sao y", ["chứng thực bản sao"]),
    ("thổ cư", ["đất ở"]),
    ("lên thổ cư", ["chuyển mục đích sử dụng đất"]),
    ("chuyển lên đất ở", ["chuyển mục đích sử dụng đất"]),
    ("chuyển đất nông nghiệp", ["chuyển mục đích sử dụng đất"]),
    ("sang tên sổ đỏ", ["đăng ký biến động", "chuyển nhượng quyền sử dụng đất"]),
    ("mất sổ đỏ", ["cấp lại giấy chứng nhận quyền sử dụng đất", "cấp lại giấy chứng nhận"]),
    ("nhận con nuôi", ["nuôi con nuôi", "làm con nuôi"]),
    ("xin con nuôi", ["nuôi con nuôi", "làm con nuôi"]),
]

# Popular names whose folded spelling also means something else: no folded twin, so only exact
# queries and queries typed without accents take them ("sơ đồ" and "số đo" are not "sổ đỏ").
ACCENT_ONLY = frozenset({"sổ đỏ"})

# Old and new names: documents keep the name of their day, citizens type either.
OLD_AND_NEW: list[Entry] = [
    ("thẻ căn cước công dân", ["thẻ căn cước"]),
    ("căn cước công dân", ["căn cước"]),
    ("sở tài nguyên và môi trường", ["sở nông nghiệp và môi trường"]),
    ("sở nông nghiệp và phát triển nông thôn", ["sở nông nghiệp và môi trường"]),
    ("sở kế hoạch và đầu tư", ["sở tài chính"]),
    ("sở giao thông vận tải", ["sở xây dựng"]),
    ("sở thông tin và truyền thông", ["sở khoa học và công nghệ"]),
    ("sở lao động thương binh và xã hội", ["sở nội vụ"]),
    ("ủy ban nhân dân huyện", ["ủy ban nhân dân cấp huyện"]),
    ("ủy ban nhân dân xã", ["ủy ban nhân dân cấp xã"]),
]

# English terms for the English site: they lead to the Vietnamese titles too.
ENGLISH: list[Entry] = [
    ("building permit", ["giấy phép xây dựng"]),
    ("construction permit", ["giấy phép xây dựng", "building permit"]),
    ("driving licence", ["giấy phép lái xe"]),
    ("driving license", ["giấy phép lái xe", "driving licence"]),
    ("driver's license", ["giấy phép lái xe", "driving licence"]),
    ("drivers license", ["giấy phép lái xe", "driving licence"]),
    ("driver's licence", ["giấy phép lái xe", "driving licence"]),
    ("birth registration", ["đăng ký khai sinh"]),
    ("birth certificate", ["đăng ký khai sinh", "khai sinh", "birth registration"]),
    ("marriage certificate", ["đăng ký kết hôn", "marriage registration"]),
    ("death certificate", ["đăng ký khai tử", "death registration"]),
    (
        "business registration",
        ["đăng ký kinh doanh", "đăng ký doanh nghiệp", "đăng ký hộ kinh doanh"],
    ),
    ("company registration", ["đăng ký thành lập doanh nghiệp", "đăng ký doanh nghiệp"]),
    ("criminal record", ["lý lịch tư pháp"]),
    ("police certificate", ["lý lịch tư pháp", "criminal record"]),
    ("id card", ["căn cước", "identity card"]),
    ("identity card", ["căn cước"]),
    ("citizen id", ["căn cước công dân", "identity card"]),
    ("passport", ["hộ chiếu"]),
    ("permanent residence", ["đăng ký thường trú"]),
    ("temporary residence", ["đăng ký tạm trú"]),
    ("land use right certificate", ["giấy chứng nhận quyền sử dụng đất"]),
    ("land title", ["giấy chứng nhận quyền sử dụng đất", "land use right certificate"]),
    ("red book", ["giấy chứng nhận quyền sử dụng đất", "land use right certificate"]),
    ("work permit", ["giấy phép lao động"]),
    ("groundwater", ["nước dưới đất"]),
    ("ground water", ["nước dưới đất", "groundwater"]),
    ("health insurance", ["bảo hiểm y tế"]),
    ("social insurance", ["bảo hiểm xã hội"]),
    ("unemployment benefit", ["trợ cấp thất nghiệp"]),
    ("tax code", ["mã số thuế", "tax registration"]),
    ("tax registration", ["đăng ký thuế"]),
    ("certified copy", ["chứng thực bản sao"]),
    ("notarised copy", ["chứng thực bản sao", "certified copy"]),
    ("notarized copy", ["chứng thực bản sao", "certified copy"]),
    ("environmental permit", ["giấy phép môi trường"]),
    ("vehicle registration", ["đăng ký xe"]),
    ("food safety", ["an toàn thực phẩm"]),
    ("household business", ["hộ kinh doanh"]),
    ("marital status", ["xác nhận tình trạng hôn nhân"]),
]


def _folded_twins(entries: list[Entry]) -> list[Entry]:
    return [
        (fold(key), list(values))
        for key, values in entries
        if has_accents(key) and key not in ACCENT_ONLY
    ]


BUILT_IN: list[Entry] = [
    *ABBREVIATIONS,
    *POPULAR,
    *_folded_twins(POPULAR),
    *OLD_AND_NEW,
    *ENGLISH,
]


@dataclass(frozen=True)
class Rule:
    """A key ready to match: its words in exact or folded form, and what it expands to."""

    words: tuple[str, ...]
    accented: bool
    expansions: tuple[str, ...]
    unaccented_only: bool = False  # an accented key's folded form, for queries without accents


def compile_entries(entries: Iterable) -> list[Rule]:
    """Rules from (key, expansions) pairs; malformed pairs are skipped, never raised on."""
    rules = []
    for entry in entries or []:
        try:
            key, values = entry
        except (TypeError, ValueError):
            continue
        if not isinstance(key, str):
            continue
        if isinstance(values, str):
            values = values.replace(";", "\n").splitlines()
        accented = has_accents(key)
        words = tuple(tokens(key) if accented else tokens(fold(key)))
        expansions = tuple(
            phrase
            for phrase in (" ".join(tokens(v)) for v in values or [] if isinstance(v, str))
            if phrase
        )
        if words and expansions:
            rules.append(Rule(words, accented, expansions))
            if accented:
                rules.append(Rule(tuple(tokens(fold(key))), False, expansions, True))
    return rules


@lru_cache(maxsize=1)
def built_in_rules() -> tuple[Rule, ...]:
    return tuple(compile_entries(BUILT_IN))


def _spans(words: list[str], phrase: tuple[str, ...]) -> list[tuple[int, int]]:
    size = len(phrase)
    return [
        (i, i + size) for i in range(len(words) - size + 1) if tuple(words[i : i + size]) == phrase
    ]


def expand(parsed: ParsedQuery, entries: list[Entry] | None = None) -> list[str]:
    """The phrases (in normalise() form) the query also means, from BUILT_IN and `entries`.

    Accented keys match the exact words of the query, unaccented keys its folded words; a key
    matches as a whole phrase anywhere in the query. A key found only inside a longer key that
    matched adds nothing ("GCN QSDĐ" is not also "GCN"; "nhập hộ khẩu" is not also "hộ khẩu").
    Phrases come once each, in the order their keys are listed (editors' entries after the
    built-in ones), never the query itself."""
    if parsed is None or not parsed.words_exact:
        return []
    rules = [*built_in_rules(), *compile_entries(entries or [])]
    matched = []
    for rule in rules:
        if rule.unaccented_only and parsed.accented:
            continue
        words = parsed.words_exact if rule.accented else parsed.words_folded
        spans = _spans(words, rule.words)
        if spans:
            matched.append((rule, spans))
    longest = [span for _, spans in matched for span in spans]

    def covered(span: tuple[int, int]) -> bool:
        start, end = span
        return any(s <= start and end <= e and e - s > end - start for s, e in longest)

    found: list[str] = []
    for rule, spans in matched:
        if all(covered(span) for span in spans):
            continue
        for phrase in rule.expansions:
            if phrase not in found and phrase != parsed.exact:
                found.append(phrase)
    return found
