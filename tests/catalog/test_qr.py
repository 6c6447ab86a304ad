"""The QR code of a procedure page (for printed notices) and the offline service worker route."""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

from catalog.qr import cache_key, qr_svg

from ..factories import ProcedureFactory


@pytest.fixture
def procedure(agency):
    cache.clear()
    return ProcedureFactory(agency=agency)


def test_the_qr_code_is_an_svg_kept_for_a_day(client, procedure):
    response = client.get(f"/thu-tuc/{procedure.pk}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    assert response.content.rstrip().endswith(b"</svg>")
    assert "max-age=86400" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])


def test_a_known_etag_gets_a_304(client, procedure):
    url = f"/thu-tuc/{procedure.pk}/qr.svg"
    etag = client.get(url)["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag


def test_each_language_encodes_its_own_page_url(client, procedure):
    url = f"/thu-tuc/{procedure.pk}/qr.svg"
    vietnamese, english = client.get(url), client.get(url + "?lang=en")
    assert vietnamese.content == qr_svg("http://testserver" + procedure.url).encode()
    with translation.override("en"):
        english_url = procedure.url
    assert english_url.startswith("/en/")
    assert english.content == qr_svg("http://testserver" + english_url).encode()
    assert vietnamese["ETag"] != english["ETag"]


def test_the_code_comes_from_the_cache_once_made(client, procedure):
    url = f"/thu-tuc/{procedure.pk}/qr.svg"
    client.get(url)
    key = cache_key("http://testserver" + procedure.url)
    assert cache.get(key) == qr_svg("http://testserver" + procedure.url)
    cache.set(key, "<svg/>")
    assert client.get(url).content == b"<svg/>"


@pytest.mark.parametrize("query", ["?lang=fr", ""])
def test_unknown_pages_and_languages_are_not_found(client, procedure, query):
    if query:
        assert client.get(f"/thu-tuc/{procedure.pk}/qr.svg{query}").status_code == 404
    else:
        assert client.get(f"/thu-tuc/{procedure.pk + 999}/qr.svg").status_code == 404


def test_a_draft_has_no_qr_code(client, agency):
    draft = ProcedureFactory(agency=agency, live=False)
    assert client.get(f"/thu-tuc/{draft.pk}/qr.svg").status_code == 404


def test_the_service_worker_is_served_for_the_whole_site(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert b'addEventListener("fetch"' in response.content
