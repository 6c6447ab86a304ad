"""search.text: tokens, query parsing, snippets, edit distance (the exact and folded forms are
cms.text's: tests/cms/test_text.py)."""

import unicodedata

import pytest

import cms.text
import search.text
from search.text import (
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    ParsedQuery,
    edit_distance,
    highlight,
    is_code,
    parse_query,
    shingles,
    tokens,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_search_folds_with_the_one_text_module():
    """The backends call text.fold and text.normalise: they must be cms.text's, not a copy."""
    assert search.text.fold is cms.text.fold
    assert search.text.normalise is cms.text.normalise
    assert search.text.has_accents is cms.text.has_accents


# --- tokens --------------------------------------------------------------------------------------


def test_tokens_are_normalised_words_without_punctuation():
    assert tokens("Cấp đổi, cấp lại GPLX (ô tô)!") == [
        "cấp",
        "đổi",
        "cấp",
        "lại",
        "gplx",
        "ô",
        "tô",
    ]
    assert tokens("Đăng Ký") == ["đăng", "kí"]
    assert tokens("") == []
    assert tokens(None) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.000894", ["1.000894"]),
        ("Mã 1.000894.", ["mã", "1.000894"]),
        ("2.001234.000.00.00.H12", ["2.001234.000.00.00.h12"]),
        ("thủ tục 1.001193, 2.000488", ["thủ", "tục", "1.001193", "2.000488"]),
        ("phí 20.000đ", ["phí", "20.000", "đ"]),
    ],
)
def test_tokens_keep_procedure_codes_whole(text, expected):
    assert tokens(text) == expected


def test_is_code():
    assert is_code("1.000894")
    assert is_code("2.001234.000.00.00.H12")
    assert not is_code("1000894")
    assert not is_code("gpxd")
    assert not is_code("")


# --- parse_query ---------------------------------------------------------------------------------


def test_parse_query_gives_exact_and_folded_words():
    parsed = parse_query("Cấp GIẤY phép  xây dựng")
    assert parsed.raw == "Cấp GIẤY phép xây dựng"
    assert parsed.exact == "cấp giấy phép xây dựng"
    assert parsed.folded == "cap giay phep xay dung"
    assert parsed.words_exact == ["cấp", "giấy", "phép", "xây", "dựng"]
    assert parsed.words_folded == ["cap", "giay", "phep", "xay", "dung"]
    assert parsed.accented is True
    assert parsed.code is None


def test_parse_query_unaccented_and_decomposed():
    assert parse_query("cap giay phep xay dung").accented is False
    decomposed = parse_query(nfd("Đăng ký khai sinh"))
    assert decomposed.exact == "đăng kí khai sinh"
    assert decomposed.accented is True


def test_parse_query_tone_and_iy_variants_give_the_same_words():
    assert parse_query("hoà giải").words_exact == parse_query("hòa giải").words_exact
    assert parse_query("đăng kí").words_exact == parse_query("Đăng Ký").words_exact


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.000894", "1.000894"),
        ("  1.000894  ", "1.000894"),
        ('"1.000894"', "1.000894"),
        ("#1.000894", "1.000894"),
        ("2.001234.000.00.00.H12", "2.001234.000.00.00.H12"),
        ("thủ tục 1.000894", None),
        ("1.000894 1.001193", None),
        ("1000894", None),
        ("gpxd", None),
    ],
)
def test_parse_query_detects_a_procedure_code(text, code):
    assert parse_query(text).code == code


def test_parse_query_code_is_also_a_word():
    parsed = parse_query("1.000894")
    assert parsed.words_exact == parsed.words_folded == ["1.000894"]


def test_parse_query_drops_upper_case_operators_but_keeps_words():
    parsed = parse_query("giấy phép AND xây dựng OR NOT nhà NEAR ở")
    assert parsed.words_exact == ["giấy", "phép", "xây", "dựng", "nhà", "ở"]
    assert parse_query("đăng ký và kết hôn hoặc ly hôn").words_folded == [
        "dang",
        "ki",
        "va",
        "ket",
        "hon",
        "hoac",
        "li",
        "hon",
    ]
    assert parse_query("cats and dogs or not").words_exact == ["cats", "and", "dogs", "or", "not"]


SYNTAX = "\"*?~^:()[]{}\\/+-|!&<>=;,'`@#$%"


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "AND",
        "OR",
        "NOT",
        "*",
        "?",
        "OR 1=1",
        "' OR '1'='1' --",
        "'; DROP TABLE catalog_procedurepage; --",
        'title:"xây dựng"~2^3',
        "(giấy OR phép) AND NOT [a TO b] {x}",
        "NEAR(a b, 3)",
        "a*",
        "\\",
        "/regex/",
        "-",
        "+",
        "||",
        "&&",
        SYNTAX,
        "<script>alert(1)</script>",
        "😀",
        "🏠 đăng ký 👨‍👩‍👧",
        "\x00\x01\x07\x1b",
        "\ud800",
        "abc\udfffdef",
        "\u202eabc",
        "a" * 300,
        "đăng ký " * 2000,
        "x" * 10_000,
        "",
        "   ",
        None,
        12345,
        b"dang ky",
        ["a", "b"],
    ],
)
def test_parse_query_never_raises_and_yields_plain_words(text):
    parsed = parse_query(text)
    assert isinstance(parsed, ParsedQuery)
    assert len(parsed.raw) <= MAX_QUERY_LENGTH
    assert len(parsed.words_exact) <= MAX_WORDS
    assert len(parsed.words_folded) == len(parsed.words_exact)
    for word in parsed.words_exact + parsed.words_folded:
        assert word
        assert not any(c in SYNTAX and c != "." for c in word), word
        assert not any(0xD800 <= ord(c) <= 0xDFFF or ord(c) < 32 for c in word)
    assert parsed.exact == " ".join(parsed.words_exact)
    assert parsed.folded == " ".join(parsed.words_folded)
    parsed.raw.encode("utf-8")  # no lone surrogates left


@pytest.mark.parametrize("text", ['"', "AND", "*", "", "   ", "😀", "OR", "\\", None, "()"])
def test_parse_query_of_pure_syntax_has_no_words(text):
    parsed = parse_query(text)
    assert parsed.words_exact == []
    assert parsed.exact == parsed.folded == ""
    assert parsed.code is None


def test_parse_query_caps_length_and_words():
    assert len(parse_query("a" * 300).raw) == MAX_QUERY_LENGTH
    assert parse_query("a" * 300).words_exact == ["a" * MAX_QUERY_LENGTH]
    many = parse_query(" ".join(f"w{i}" for i in range(50)))
    assert many.words_exact == [f"w{i}" for i in range(MAX_WORDS)]


def test_parse_query_script_is_just_words():
    parsed = parse_query("<script>alert(1)</script>")
    assert parsed.words_exact == ["script", "alert", "1", "script"]
    assert "<" not in parsed.raw or "<" not in parsed.exact


def test_parse_query_removes_control_characters():
    parsed = parse_query("\x00đăng\x07ký")
    assert parsed.words_exact == ["đăng", "kí"]


def test_parse_query_accented_flag():
    assert parse_query("sổ đỏ").accented
    assert parse_query("đ").accented
    assert not parse_query("so do").accented
    assert not parse_query("GPXD").accented


# --- shingles ------------------------------------------------------------------------------------


def test_shingles():
    assert shingles(["giấy", "phép", "xây", "dựng"]) == ["giấy phép", "phép xây", "xây dựng"]
    assert shingles(["a", "b", "c"], size=3) == ["a b c"]
    assert shingles(["a", "b", "c"], size=1) == ["a", "b", "c"]
    assert shingles(["a"]) == []
    assert shingles([]) == []
    assert shingles(["a", "b"], size=0) == []


# --- edit_distance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("dung", "dung", 0),
        ("dugn", "dung", 1),  # swapped
        ("sihn", "sinh", 1),  # swapped
        ("thuong", "thuogn", 1),
        ("phep", "phap", 1),  # wrong letter
        ("nghiep", "ngiep", 1),  # missing letter
        ("chieu", "chieuu", 1),  # extra letter
        ("", "ab", 2),
        ("ab", "", 2),
        ("abc", "cba", 2),
        ("ca", "abc", 3),  # optimal string alignment, not unrestricted Damerau
        ("kitten", "sitting", 3),
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b, 5) == distance
    assert edit_distance(b, a, 5) == distance


def test_edit_distance_stops_above_the_limit():
    assert edit_distance("kitten", "sitting", 1) == 2
    assert edit_distance("abcdef", "a", 2) == 3
    assert edit_distance("xay dung", "khai sinh", 1) == 2
    assert edit_distance("abc", "abd", 0) == 1
    assert edit_distance("abc", "abc", 0) == 0


# --- highlight -----------------------------------------------------------------------------------


def test_highlight_marks_accented_text_for_an_unaccented_query():
    text = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
    snippet = highlight(text, parse_query("giay phep xay dung"))
    assert snippet == (
        "Cấp <mark>giấy</mark> <mark>phép</mark> <mark>xây</mark> <mark>dựng</mark> "
        "mới đối với nhà ở riêng lẻ"
    )


def test_highlight_keeps_the_texts_own_spelling():
    snippet = highlight("Đăng ký kết hôn", parse_query("dang ki ket hon"))
    assert snippet == "<mark>Đăng</mark> <mark>ký</mark> <mark>kết</mark> <mark>hôn</mark>"
    snippet = highlight("Công nhận hoà giải viên", parse_query("hòa giải"))
    assert snippet == "Công nhận <mark>hoà</mark> <mark>giải</mark> viên"


def test_highlight_marks_decomposed_query_on_composed_text():
    snippet = highlight("Đăng ký thường trú", parse_query(nfd("thường trú")))
    assert snippet == "Đăng ký <mark>thường</mark> <mark>trú</mark>"


def test_highlight_escapes_everything_but_its_marks():
    text = 'Cấp <script>alert("giấy phép")</script> & phép'
    snippet = highlight(text, parse_query("giấy phép"))
    assert "<script>" not in snippet
    assert snippet == (
        "Cấp &lt;script&gt;alert(&quot;<mark>giấy</mark> <mark>phép</mark>&quot;)&lt;/script&gt; "
        "&amp; phép"
    )


def test_highlight_of_a_hostile_query_is_escaped():
    snippet = highlight("<b>x</b> script", parse_query("<script>"))
    assert snippet == "&lt;b&gt;x&lt;/b&gt; <mark>script</mark>"


def test_highlight_an_accented_query_prefers_the_accented_meaning():
    text = "Phê duyệt sơ đồ vị trí; cấp sổ đỏ; số đo diện tích"
    assert highlight(text, parse_query("sổ đỏ")) == (
        "Phê duyệt sơ đồ vị trí; cấp <mark>sổ</mark> <mark>đỏ</mark>; số đo diện tích"
    )
    unaccented = highlight(text, parse_query("so do"))
    assert unaccented.count("<mark>") == 6


def test_highlight_marks_the_code():
    snippet = highlight("Mã 1.000894: Đăng ký kết hôn", parse_query("1.000894"))
    assert snippet == "Mã <mark>1.000894</mark>: Đăng ký kết hôn"


def test_highlight_marks_a_prefix_being_typed_and_a_typo():
    assert highlight("Cấp thẻ Căn cước", parse_query("the can cuo")) == (
        "Cấp <mark>thẻ</mark> <mark>Căn</mark> <mark>cước</mark>"
    )
    assert highlight("Cấp giấy phép xây dựng", parse_query("xay dugn")) == (
        "Cấp giấy phép <mark>xây</mark> <mark>dựng</mark>"
    )


def test_highlight_cuts_around_the_first_match_with_ellipses():
    before = "Lorem ipsum dolor sit amet, " * 20
    after = " consectetur adipiscing elit," * 20
    text = before + "đăng ký khai sinh cho trẻ em" + after
    snippet = highlight(text, parse_query("dang ky khai sinh"), max_length=100)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>đăng</mark> <mark>ký</mark> <mark>khai</mark> <mark>sinh</mark>" in snippet
    visible = snippet.replace("<mark>", "").replace("</mark>", "")
    assert len(visible) <= 100
    assert not visible[1:-1].startswith(" ")
    body = visible.strip("…")
    assert body.split()[0] in text.split() and body.split()[-1] in text.split()


def test_highlight_without_a_match_gives_the_start_of_the_text():
    text = "Cấp giấy phép xây dựng " * 30
    snippet = highlight(text, parse_query("zzz"), max_length=60)
    assert snippet.startswith("Cấp giấy phép") and snippet.endswith("…")
    assert "<mark>" not in snippet
    assert highlight("ngắn", parse_query("")) == "ngắn"


def test_highlight_of_nothing():
    assert highlight("", parse_query("a")) == ""
    assert highlight(None, parse_query("a")) == ""


def test_highlight_collapses_whitespace_and_keeps_short_text_whole():
    snippet = highlight("Đăng ký\n\ntạm   trú", parse_query("tam tru"))
    assert snippet == "Đăng ký <mark>tạm</mark> <mark>trú</mark>"
