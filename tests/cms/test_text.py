"""cms.text: what is stored, the exact and folded forms every room matches text in, and the
name matching of the importer."""

import unicodedata

import pytest

from cms.text import (
    ascii_fold,
    fold,
    has_accents,
    normalise,
    normalise_text,
    strip_invisible,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- normalise: the exact form -------------------------------------------------------------------


def test_normalise_is_nfc_casefolded_with_single_spaces():
    assert normalise("  Đăng   KÝ\tkhai\nSINH  ") == "đăng kí khai sinh"
    assert unicodedata.is_normalized("NFC", normalise(nfd("Thủ tục hành chính")))


@pytest.mark.parametrize(
    "text",
    ["Đăng ký thường trú", "Cấp giấy phép xây dựng", "Lý lịch tư pháp", "sổ đỏ", "Nguyễn"],
)
def test_normalise_makes_decomposed_and_composed_text_equal(text):
    assert normalise(nfd(text)) == normalise(text)
    assert fold(nfd(text)) == fold(text)


def test_normalise_recomposes_marks_typed_in_an_unusual_order():
    # tone before the vowel mark: NFC alone leaves "é" + combining circumflex
    assert normalise("ke\u0301\u0302t ho\u0302n") == "kết hôn"


def test_normalise_keeps_diacritics_and_punctuation():
    assert normalise("Cấp đổi, cấp lại GPLX.") == "cấp đổi, cấp lại gplx."


@pytest.mark.parametrize("value", [None, "", "   ", "\n\t"])
def test_normalise_of_nothing_is_empty(value):
    assert normalise(value) == ""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("thuý", "thúy"),
        ("hoè", "hòe"),
        ("khoẻ", "khỏe"),
        ("thuỷ", "thủy"),
        ("uỷ", "ủy"),
        ("hoá", "hóa"),
        ("xoá", "xóa"),
        ("loà", "lòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("ngòai", "ngoài"),  # three vowels: the middle one
        ("khủyu", "khuỷu"),
        ("qúa", "quá"),  # the u of qu is not a vowel
        ("gìa", "già"),  # nor is the i of gi before another vowel
        ("hòan", "hoàn"),  # a final consonant: on the last vowel
        ("hòang", "hoàng"),
        ("qùynh", "quỳnh"),
        ("rượu", "rượu"),
        ("ngừơi", "người"),
        ("tủôi", "tuổi"),
        ("mưá", "mứa"),
    ],
)
def test_tone_placement_old_and_new_styles_meet(old, new):
    assert normalise(old) == normalise(new)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("hoà", "hòa"),
        ("hòa", "hòa"),
        ("khoẻ", "khỏe"),
        ("thuý", "thúy"),
        ("hoè", "hòe"),
        ("uỷ quyền", "ủy quyền"),
        ("hoàng", "hoàng"),
        ("quỳnh", "quỳnh"),
        ("khuỷu", "khuỷu"),
        ("người", "người"),
        ("giữa", "giữa"),
        ("gì", "gì"),
        ("quốc", "quốc"),
        ("thuở", "thuở"),
        ("mưa", "mưa"),
        ("tuần", "tuần"),
        ("hoặc", "hoặc"),
        ("huế", "huế"),
    ],
)
def test_canonical_tone_placement_is_the_official_style(text, canonical):
    """The tone of an open oa/oe/uy syllable sits on its first vowel (hòa, khỏe, thủy)."""
    assert normalise(text) == canonical


@pytest.mark.parametrize(
    ("y_form", "i_form"),
    [
        ("kỹ", "kĩ"),
        ("ký", "kí"),
        ("kỳ", "kì"),
        ("lý", "lí"),
        ("mỹ", "mĩ"),
        ("tỷ", "tỉ"),
        ("hy", "hi"),
        ("sỹ", "sĩ"),
        ("Đăng ký", "đăng kí"),
        ("lý lịch tư pháp", "lí lịch tư pháp"),
        ("kỹ thuật", "kĩ thuật"),
        ("mỹ thuật", "mĩ thuật"),
        ("dang ky", "dang ki"),
    ],
)
def test_final_y_after_a_consonant_becomes_i(y_form, i_form):
    assert normalise(y_form) == normalise(i_form) == i_form.casefold()


@pytest.mark.parametrize(
    "word", ["quý", "quy", "thủy", "uy", "ủy", "khuya", "y tế", "yêu", "tuyển", "quỳnh", "khuỷu"]
)
def test_y_keeps_its_y_where_it_follows_a_vowel_or_stands_alone(word):
    assert "y" in fold(word)


@pytest.mark.parametrize("word", ["café", "Krông", "Đắk Lắk", "email", "xyz", "ưưư"])
def test_words_that_are_not_vietnamese_syllables_are_left_alone(word):
    assert normalise(word) == unicodedata.normalize("NFC", word).casefold()


def test_normalise_drops_controls_and_invisible_characters():
    assert normalise("\ufeffđăng\u200b ký\x00khai\u00adsinh\u202e") == "đăng kí khaisinh"
    assert normalise("a\ud800b") == "ab"


# --- fold: the folded form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký", "dang ki"),
        ("sổ đỏ", "so do"),
        ("sơ đồ", "so do"),
        ("số đo", "so do"),
        ("ĐỒNG", "dong"),
        ("Cấp giấy phép xây dựng", "cap giay phep xay dung"),
        ("Thủ tục hành chính", "thu tuc hanh chinh"),
        ("người", "nguoi"),
        ("giữa", "giua"),
        ("căn cước", "can cuoc"),
        ("ăâêôơưđ", "aaeooud"),
        ("1.000894", "1.000894"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_handles_d_stroke_which_has_no_decomposition():
    assert unicodedata.decomposition("đ") == ""
    assert fold("đ Đ") == "d d"
    assert fold(nfd("Đường đi")) == "duong di"


def test_fold_meets_tone_and_iy_variants():
    assert fold("hoà") == fold("hòa") == "hoa"
    assert fold("đăng kí") == fold("đăng ký") == fold("dang ky") == "dang ki"


# --- has_accents ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["sổ đỏ", "đ", "Đ", "ă", "â", "ê", "ô", "ơ", "ư", "á", "à", "ả", "ã", "ạ", nfd("ký")]
)
def test_has_accents(text):
    assert has_accents(text)


@pytest.mark.parametrize("text", ["so do", "GPXD", "1.000894", "", None, "building permit", "😀"])
def test_has_no_accents(text):
    assert not has_accents(text)


def test_a_text_and_the_same_text_typed_without_accents_fold_alike():
    """What lets "dang ky" find "Đăng ký" on every path, and what the data migrations that
    refolded stored text rely on."""
    titles = [
        "Đăng ký khai sinh",
        "Đăng kí kết hôn",
        "Cấp lại Giấy chứng nhận đăng ký kinh doanh",
        "Cấp Phiếu lý lịch tư pháp",
        "Công nhận hoà giải viên",
        "Thủ tục cấp phép khai thác thuỷ sản",
        "Cấp chứng chỉ hành nghề kỹ sư; kỳ thi sát hạch",
        "Xác nhận tình trạng hôn nhân của người nước ngoài ở Mỹ",
        "Quyết định công bố thủ tục ngành Y tế, Quy hoạch",
        "Giấy khám sức khoẻ; khuỷu tay; rượu",
    ]
    for title in titles:
        assert fold(ascii_fold(title)) == fold(title), title
        assert fold(ascii_fold(title).upper()) == fold(title), title


# --- ascii_fold: the primitive of slugs and ASCII file names -------------------------------------


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("Đăng ký kết hôn", "Dang ky ket hon"),
        ("Tờ khai.pdf", "To khai.pdf"),
        ("Công nhận hoà giải viên", "Cong nhan hoa giai vien"),
        (nfd("Lý lịch tư pháp"), "Ly lich tu phap"),
        ("ĐƯỜNG", "DUONG"),
        ("", ""),
        (None, ""),
    ],
)
def test_ascii_fold_only_strips_marks_so_slugs_keep_their_spelling(text, stripped):
    assert ascii_fold(text) == stripped


# --- storage hygiene -----------------------------------------------------------------------------


def test_normalise_text_is_nfc_with_tidy_spaces_and_keeps_case_and_lines():
    assert normalise_text(nfd("  Bước 1:   Nộp   hồ sơ \r\nBước 2 ")) == "Bước 1: Nộp hồ sơ\nBước 2"
    assert normalise_text(None) == ""


def test_strip_invisible():
    assert strip_invisible("a\x00b\u200bc\ufeffd\u00ade\u202ef") == "a bcdef"


# --- normalise: names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Sở Tư pháp",
        "SỞ TƯ PHÁP",
        "sở tư pháp",
        "Sở  Tư   pháp",
        "  Sở Tư pháp ",
        "Sở\tTư pháp",
        nfd("Sở Tư pháp"),
        nfd("SỞ TƯ PHÁP"),
        "Sở Tư\u200b pháp",
    ],
)
def test_names_match_regardless_of_case_spacing_and_unicode_form(typed):
    assert normalise(typed) == normalise("Sở Tư pháp")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("UBND xã Hoà Bắc", "UBND xã Hòa Bắc"),
        ("Sở Khoa học và Công nghệ tỉnh Thanh Hoá", "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH THANH HÓA"),
        ("Phòng Quản lý đô thị", "Phòng Quản lí đô thị"),
        ("Trung tâm Kỹ thuật", "Trung tâm Kĩ thuật"),
        ("Chi cục Thuỷ sản", "Chi cục Thủy sản"),
    ],
)
def test_names_match_across_tone_placement_and_i_y_spelling(one, other):
    assert normalise(one) == normalise(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Sở Tư pháp", "Sở Tài chính"), ("Sở Y tế", "So Y te"), ("Sơn La", "Sơn Lá")],
)
def test_different_names_do_not_match(one, other):
    assert normalise(one) != normalise(other)
