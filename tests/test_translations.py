"""Every interface string has its English translation: `makemessages` run over the code as it is
now leaves nothing untranslated or fuzzy, and the compiled catalogue is the one committed."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = Path("locale/en/LC_MESSAGES/django.po")
MO = PO.with_suffix(".mo")
ROOMS = ("cms", "catalog", "search", "forms_library", "frontend", "portals")
# As the makemessages command of docs/operating.md: tests, benchmarks and fixtures hold no
# interface strings.
IGNORED = ("--ignore=.venv", "--ignore=bench", "--ignore=tests", "--ignore=fixtures")

pytestmark = pytest.mark.requires_debian("gettext", "msgfmt", "xgettext")


def statistics(po: Path) -> dict[str, int]:
    """msgfmt's counts of translated, fuzzy and untranslated messages of a catalogue."""
    result = subprocess.run(  # noqa: S603 - gettext's own tool on our file
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    counts = dict.fromkeys(("translated", "fuzzy", "untranslated"), 0)
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts


def untranslated(po: Path) -> list[str]:
    """The msgids whose msgstr is empty (for the failure message)."""
    entries = po.read_text(encoding="utf-8").split("\n\n")
    found = []
    for entry in entries:
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.MULTILINE)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', entry, re.MULTILINE)
        if msgid and msgstr and msgstr.group(1).strip() == '""':
            text = "".join(re.findall(r'"(.*)"', msgid.group(1)))
            if text:
                found.append(text)
    return found


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> Path:
    """The English catalogue as makemessages leaves it, run on a copy of the code."""
    copy = tmp_path_factory.mktemp("messages")
    for room in ROOMS:
        shutil.copytree(ROOT / room, copy / room, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "locale", copy / "locale")
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", "en", *IGNORED],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        capture_output=True,
        check=True,
    )
    return copy / PO


def test_makemessages_leaves_nothing_untranslated(fresh_catalogue):
    counts = statistics(fresh_catalogue)
    missing = untranslated(fresh_catalogue)
    assert counts["untranslated"] == 0 and counts["fuzzy"] == 0, (
        f"{counts}; run makemessages (docs/operating.md) and translate: {missing[:20]}"
    )
    assert counts["translated"] > 400


def test_the_committed_catalogue_is_up_to_date(fresh_catalogue):
    """The committed .po already holds every message of the code (makemessages adds none)."""
    fresh = set(re.findall(r"^msgid (.+)$", fresh_catalogue.read_text("utf-8"), re.MULTILINE))
    committed = set(re.findall(r"^msgid (.+)$", (ROOT / PO).read_text("utf-8"), re.MULTILINE))
    assert fresh - committed == set(), "run makemessages: the code has strings the .po lacks"


def test_the_compiled_catalogue_matches_the_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - gettext's own tool on our file
        ["msgfmt", "--check-format", "-o", str(compiled), str(ROOT / PO)],  # noqa: S607
        check=True,
    )
    assert compiled.read_bytes() == (ROOT / MO).read_bytes(), "run compilemessages"
