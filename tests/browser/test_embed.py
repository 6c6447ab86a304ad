"""A member portal on another origin embeds the catalogue: with the widget script and a div,
whose list renders, narrows on a search and shows a title's markup as text; and with an iframe,
which loads when the portal settings name the portal's origin and is refused otherwise.

The portal is a small HTTPS server on 127.0.0.1 (a self-signed certificate the browser context
accepts), the catalogue the live server on http://localhost: a frame-ancestors origin must be
https, and loopback addresses are not mixed content."""

import http.server
import ssl
import subprocess
import threading

import pytest
from wagtail.models import Site

from cms.models import PortalSettings

from ..factories import AgencyFactory, ProcedureFactory, lam_dong_province
from .axe import assert_no_serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("database_search"),
    pytest.mark.requires_debian("openssl", "openssl"),
]

MARKUP_TITLE = "Thẩm định <b>thiết kế</b> xây dựng"


@pytest.fixture
def agency(site_tree):
    sxd = AgencyFactory(province=lam_dong_province(), code="SXD", title="Sở Xây dựng")
    ProcedureFactory(
        agency=sxd,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        level=3,
        submission_url="https://dichvucong.lamdong.gov.vn/gpxd",
    )
    ProcedureFactory(agency=sxd, code="1.000895", title="Cấp giấy phép sửa chữa nhà ở")
    ProcedureFactory(agency=sxd, code="1.000896", title=MARKUP_TITLE)
    ProcedureFactory(
        agency=AgencyFactory(province=sxd.province, code="STP"), title="Đăng ký khai sinh"
    )
    return sxd


class Portal:
    """An HTTPS server answering every path with `html`."""

    def __init__(self, cert: str, key: str):
        portal = self
        self.html = ""

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = portal.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.origin = f"https://127.0.0.1:{self.server.server_port}"

    def page(self, lang: str, body: str) -> str:
        self.html = (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>Cổng thông tin</title></head><body><main><h1>Cổng thông tin</h1>"
            f"{body}</main></body></html>"
        )
        return self.origin + "/"


@pytest.fixture
def portal(tmp_path):
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run(  # noqa: S603 - openssl with fixed arguments, a throwaway certificate
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]  # noqa: S607
        + ["-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    server = Portal(cert, key)
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def tab(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", ignore_https_errors=True
    )
    yield context.new_page()
    context.close()


def widget(live_server, attributes: str = "") -> str:
    return (
        f'<div data-catalog-agency="SXD"{attributes}></div>'
        f'<script src="{live_server.url}/embed/widget.js"></script>'
    )


def test_the_widget_lists_searches_and_shows_markup_as_text(live_server, agency, portal, tab):
    tab.goto(portal.page("vi", widget(live_server)))
    items = tab.locator(".tt-list > li")
    status = tab.get_by_role("status")
    assert status.inner_text() in ("Đang tải…", "3 thủ tục")
    tab.wait_for_function("document.querySelectorAll('.tt-list > li').length === 3")
    assert status.inner_text() == "3 thủ tục"
    link = tab.get_by_role("link", name=MARKUP_TITLE)
    assert link.get_attribute("href").startswith(live_server.url + "/")
    assert tab.locator(".tt-list b").count() == 0
    assert "Đăng ký khai sinh" not in tab.locator(".tt-list").inner_text()
    assert_no_serious_violations(tab)

    tab.get_by_label("Tìm thủ tục").fill("sua chua")
    tab.get_by_role("button", name="Tìm").click()
    tab.wait_for_function("document.querySelectorAll('.tt-list > li').length === 1")
    assert items.first.get_by_role("link").inner_text() == "Cấp giấy phép sửa chữa nhà ở"
    assert status.inner_text() == "1 thủ tục"
    assert_no_serious_violations(tab)


def test_the_widget_follows_the_page_language_and_its_filters(live_server, agency, portal, tab):
    tab.goto(portal.page("en", widget(live_server, ' data-catalog-level="3"')))
    tab.wait_for_function("document.querySelectorAll('.tt-list > li').length === 1")
    assert tab.get_by_role("status").inner_text() == "1 procedure"
    assert tab.get_by_label("Find a procedure").is_visible()
    meta = tab.locator(".tt-meta").inner_text()
    assert meta.startswith("1.000894 · ") and meta.endswith(" · Level 3")
    # The portal's own rule wins over the widget's (zero-specificity) defaults.
    tab.add_style_tag(content=".tt-catalog { --tt-accent: rgb(200, 0, 0); }")
    button = tab.get_by_role("button", name="Search")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(200, 0, 0)"


def test_the_widget_shows_more_and_moves_focus_to_the_first_new_one(
    live_server, agency, portal, tab
):
    for n in range(18):
        ProcedureFactory(agency=agency, title=f"Thủ tục {n:02d}")
    tab.goto(portal.page("vi", widget(live_server)))
    tab.wait_for_function("document.querySelectorAll('.tt-list > li').length === 20")
    assert tab.get_by_role("status").inner_text() == "21 thủ tục"
    tab.get_by_role("button", name="Xem thêm").click()
    tab.wait_for_function("document.querySelectorAll('.tt-list > li').length === 21")
    new = "document.querySelectorAll('.tt-list > li')[20].querySelector('a')"
    assert tab.evaluate(f"document.activeElement === {new}")
    assert tab.get_by_role("button", name="Xem thêm").is_hidden()


def iframe(live_server) -> str:
    src = f"{live_server.url}/embed/catalog/?agency=SXD"
    return f'<iframe title="Thủ tục hành chính" src="{src}" width="360" height="600"></iframe>'


def embed_frame(tab):
    tab.wait_for_load_state("load")
    return next(frame for frame in tab.frames if frame != tab.main_frame)


def allow(origin: str) -> None:
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.embed_allowed_origins = origin
    portal.save()


def test_the_iframe_loads_for_an_allowed_origin(live_server, agency, portal, tab):
    allow(portal.origin)
    tab.goto(portal.page("vi", iframe(live_server)))
    frame = embed_frame(tab)
    assert frame.get_by_role("heading", level=1).inner_text() == "Sở Xây dựng"
    frame.get_by_label("Tìm thủ tục").fill("sua chua")
    frame.get_by_role("button", name="Tìm").click()
    frame.wait_for_url("**q=sua+chua*")
    assert frame.get_by_role("status").inner_text().startswith("1 thủ tục")


def test_the_iframe_is_refused_to_another_origin(live_server, agency, portal, tab):
    allow("https://sotttt.lamdong.gov.vn")
    with tab.expect_response(lambda r: "/embed/catalog/" in r.url) as answer:
        tab.goto(portal.page("vi", iframe(live_server)))
    assert answer.value.headers["content-security-policy"] == (
        "frame-ancestors 'self' https://sotttt.lamdong.gov.vn"
    )
    frame = embed_frame(tab)
    assert frame.url.startswith("chrome-error:")  # Chromium's page for a refused frame
    assert frame.get_by_role("heading").count() == 0


def test_the_embed_page_is_accessible(live_server, agency, page):
    page.goto(f"{live_server.url}/embed/catalog/?agency=SXD&q=giay+phep")
    assert page.get_by_role("status").inner_text().startswith("2 thủ tục")
    assert_no_serious_violations(page)
