"""search.synonyms: built-in administrative vocabulary and accent-aware expansion."""

import unicodedata

import pytest

from search.synonyms import ACCENT_ONLY, BUILT_IN, POPULAR, compile_entries, expand
from search.text import fold, has_accents, normalise, parse_query, tokens


def means(query: str, entries=None) -> list[str]:
    return expand(parse_query(query), entries)


# --- the built-in list ---------------------------------------------------------------------------


def test_built_in_is_large_and_well_formed():
    assert len(BUILT_IN) >= 60
    for key, expansions in BUILT_IN:
        assert isinstance(key, str) and tokens(key), key
        assert expansions and all(isinstance(e, str) and tokens(e) for e in expansions), key
    rules = compile_entries(BUILT_IN)
    accented = [key for key, _ in BUILT_IN if has_accents(key)]
    assert len(rules) == len(BUILT_IN) + len(accented)  # each accented key: its unaccented form
    assert sum(rule.unaccented_only for rule in rules) == len(accented)


def test_built_in_keys_are_unique_in_their_matching_form():
    seen = set()
    for key, _ in BUILT_IN:
        form = normalise(key) if has_accents(key) else fold(key)
        assert form not in seen, key
        seen.add(form)


@pytest.mark.parametrize(
    "key",
    ["GPXD", "GPLX", "LLTP", "CCCD", "CMND", "GCN QSDD", "GCNQSDD", "DKKD", "GPKD", "BHXH"]
    + ["BHYT", "MST", "DKDN", "HKD", "UBND", "XNK"]
    + ["sổ đỏ", "sổ hồng", "hộ khẩu", "bằng lái xe", "nước ngầm", "giấy khai sinh"]
    + ["làm căn cước", "sang tên xe", "giấy phép kinh doanh", "chứng minh nhân dân"]
    + ["building permit", "driving licence", "driver's license", "birth registration"]
    + ["birth certificate", "business registration", "criminal record", "id card"],
)
def test_built_in_covers_the_common_terms(key):
    assert key in {k for k, _ in BUILT_IN}


def test_abbreviation_keys_are_written_without_accents_so_both_spellings_match():
    for key, _ in BUILT_IN:
        if key.isupper() and " " not in key:
            assert not has_accents(key), key


def test_popular_names_get_a_folded_twin_unless_ambiguous():
    keys = {k for k, _ in BUILT_IN}
    assert "so do" not in keys
    assert "sổ đỏ" in ACCENT_ONLY
    for key, _ in POPULAR:
        assert (fold(key) in keys) == (key not in ACCENT_ONLY), key


# --- abbreviations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("GPXD", "giấy phép xây dựng"),
        ("gpxd", "giấy phép xây dựng"),
        ("cap gpxd nha o", "giấy phép xây dựng"),
        ("Cấp GPXD nhà ở", "giấy phép xây dựng"),
        ("GPLX", "giấy phép lái xe"),
        ("đổi GPLX", "giấy phép lái xe"),
        ("LLTP", "lí lịch tư pháp"),
        ("CCCD", "căn cước công dân"),
        ("CCCD", "căn cước"),
        ("CMND", "chứng minh nhân dân"),
        ("CMND", "căn cước"),
        ("GCN QSDĐ", "giấy chứng nhận quyền sử dụng đất"),
        ("GCN QSDD", "giấy chứng nhận quyền sử dụng đất"),
        ("gcnqsdđ", "giấy chứng nhận quyền sử dụng đất"),
        ("ĐKKD", "đăng kí kinh doanh"),
        ("DKKD", "đăng kí kinh doanh"),
        ("GPKD", "giấy phép kinh doanh"),
        ("BHXH", "bảo hiểm xã hội"),
        ("BHYT", "bảo hiểm y tế"),
        ("MST", "mã số thuế"),
        ("ĐKDN", "đăng kí doanh nghiệp"),
        ("HKD", "hộ kinh doanh"),
        ("UBND", "ủy ban nhân dân"),
        ("XNK", "xuất nhập khẩu"),
    ],
)
def test_abbreviations_expand(query, phrase):
    assert phrase in means(query)


def test_a_longer_key_wins_over_the_keys_inside_it():
    assert means("GCN QSDĐ") == ["giấy chứng nhận quyền sử dụng đất"]
    assert means("nhập hộ khẩu") == ["đăng kí thường trú"]


def test_abbreviations_match_whole_words_only():
    assert means("gpxdx") == []
    assert means("mstx") == []
    assert "mã số thuế" not in means("must")


# --- popular names, old and new names ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"),
        ("cấp lại sổ đỏ bị mất", "giấy chứng nhận quyền sử dụng đất"),
        ("sổ hồng", "giấy chứng nhận quyền sở hữu nhà ở"),
        ("hộ khẩu", "đăng kí thường trú"),
        ("ho khau", "đăng kí thường trú"),
        ("nhập hộ khẩu", "đăng kí thường trú"),
        ("cắt hộ khẩu", "xóa đăng kí thường trú"),
        ("bằng lái xe", "giấy phép lái xe"),
        ("bang lai xe", "giấy phép lái xe"),
        ("đổi bằng lái xe", "giấy phép lái xe"),
        ("nước ngầm", "nước dưới đất"),
        ("nuoc ngam", "nước dưới đất"),
        ("giấy khai sinh", "đăng kí khai sinh"),
        ("làm giấy khai sinh", "đăng kí khai sinh"),
        ("làm căn cước", "cấp thẻ căn cước"),
        ("chứng minh nhân dân", "căn cước công dân"),
        ("chung minh nhan dan", "căn cước"),
        ("sang tên xe", "đăng kí sang tên xe"),
        ("đăng ký xe máy", "đăng kí xe"),
        ("giấy phép kinh doanh", "đăng kí kinh doanh"),
        ("tạm trú tạm vắng", "đăng kí tạm trú"),
        ("tạm trú tạm vắng", "khai báo tạm vắng"),
        ("thẻ căn cước công dân", "thẻ căn cước"),
        ("sở tài nguyên và môi trường", "sở nông nghiệp và môi trường"),
        ("sở kế hoạch và đầu tư", "sở tài chính"),
    ],
)
def test_popular_and_old_names_expand(query, phrase):
    assert phrase in means(query)


# --- accent awareness: sổ đỏ, sơ đồ, số đo ----------------------------------------------------


@pytest.mark.parametrize("query", ["sơ đồ", "số đo", "sơ đồ vị trí", "số đo đất", "sổ đo"])
def test_look_alikes_never_take_the_meaning_of_so_do(query):
    assert "giấy chứng nhận quyền sử dụng đất" not in means(query)


@pytest.mark.parametrize("query", ["so do", "SO DO", "cap so do", "so do dat"])
def test_a_popular_name_typed_without_accents_takes_its_meaning(query):
    # Citizens type "so do" for sổ đỏ; sơ đồ and số đo are typed with their accents to mean them.
    assert means(query)[0] == "giấy chứng nhận quyền sử dụng đất"


def test_so_do_with_accents_in_any_unicode_form_expands():
    phrase = "giấy chứng nhận quyền sử dụng đất"
    assert phrase in means("sổ đỏ")
    assert phrase in means("SỔ ĐỎ")
    assert phrase in means(unicodedata.normalize("NFD", "sổ đỏ"))


def test_an_accented_key_needs_the_exact_words():
    assert means("sổ đo") == []
    assert means("số đỏ") == []


def test_an_unaccented_key_matches_with_or_without_accents():
    assert means("hộ khẩu") == means("ho khau")
    assert means("bằng lái xe") == means("bang lai xe")


# --- English -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("building permit", "giấy phép xây dựng"),
        ("Building Permit", "giấy phép xây dựng"),
        ("apply for a building permit", "giấy phép xây dựng"),
        ("driving licence", "giấy phép lái xe"),
        ("driver's license", "giấy phép lái xe"),
        ("driver's license", "driving licence"),
        ("drivers license", "giấy phép lái xe"),
        ("birth registration", "đăng kí khai sinh"),
        ("birth certificate", "đăng kí khai sinh"),
        ("business registration", "đăng kí kinh doanh"),
        ("criminal record", "lí lịch tư pháp"),
        ("ID card", "căn cước"),
        ("passport", "hộ chiếu"),
        ("work permit", "giấy phép lao động"),
        ("groundwater", "nước dưới đất"),
    ],
)
def test_english_terms_expand_to_vietnamese(query, phrase):
    assert phrase in means(query)


# --- the shape of the answer ---------------------------------------------------------------------


def test_expansions_are_in_normalised_form_and_unique():
    for query in ["GPXD", "hộ khẩu", "CMND", "ĐKKD", "driver's license", "sổ hồng", "GCN QSDĐ"]:
        phrases = means(query)
        assert phrases
        assert len(phrases) == len(set(phrases))
        for phrase in phrases:
            assert phrase == " ".join(tokens(phrase)) == normalise(phrase)


def test_nothing_to_expand():
    assert means("đăng ký khai sinh") == []
    assert means("xyz") == []
    assert means("") == []
    assert means('"') == []
    assert expand(None) == []


@pytest.mark.parametrize("query", ['"', "AND", "*", "OR 1=1", "a" * 300, "😀", "<script>", None])
def test_expand_never_raises(query):
    assert isinstance(expand(parse_query(query)), list)


def test_expand_never_returns_the_query_itself():
    entries = [("hồ sơ", ["hồ sơ"])]
    assert means("hồ sơ", entries) == []


# --- editors' entries ----------------------------------------------------------------------------


def test_editor_entries_are_applied_after_the_built_in_ones():
    entries = [("GPXD", ["cấp phép xây dựng"]), ("nhà đất", ["đất đai"])]
    assert means("GPXD", entries) == ["giấy phép xây dựng", "cấp phép xây dựng"]
    assert means("thủ tục nhà đất", entries) == ["đất đai"]


def test_editor_entries_follow_the_same_accent_rules():
    entries = [("sơ đồ", ["bản đồ địa chính"]), ("ban do", ["bản đồ"])]
    assert means("sơ đồ", entries) == ["bản đồ địa chính"]
    # Without accents, both sổ đỏ (built in) and the editors' sơ đồ may be meant.
    assert means("so do", entries) == ["giấy chứng nhận quyền sử dụng đất", "bản đồ địa chính"]
    assert means("sổ đồ", entries) == []
    assert means("bản đồ", entries) == []  # the expansion is the query itself
    assert means("xem ban do", entries) == ["bản đồ"]
    assert means("xem bán đồ", entries) == ["bản đồ"]


def test_editor_entries_are_normalised_when_compared():
    entries = [("  Giấy   Phép  ", ["  CẤP  Giấy phép hoà giải "])]
    assert means("giấy phép", entries)[-1] == "cấp giấy phép hòa giải"
    assert means("giay phep", entries)[-1] == "cấp giấy phép hòa giải"  # typed without accents
    assert means("giấy phếp", entries) == []


def test_malformed_editor_entries_are_skipped():
    entries = [None, ("only-key",), (1, ["x"]), ("", ["x"]), ("key", []), ("key", None), 42]
    entries.append(("nhà", "nhà ở; nhà riêng"))
    assert means("nhà", entries) == ["nhà ở", "nhà riêng"]
    assert means("key", entries) == []
