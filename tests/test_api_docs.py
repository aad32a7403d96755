"""/docs and /redoc load everything from the app itself, under a same-origin-only CSP."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

REDOC_LOAD_STYLE = "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='"
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class Loads(HTMLParser):
    """What a page makes the browser fetch, and any inline script it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.styles: list[str] = []
        self.inline_code = ""
        self.holders: dict[str, str] = {}
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
            self._in_script = True
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.styles.append(attributes["href"])
        elif "data-openapi-url" in attributes:
            self.holders[attributes["id"]] = attributes["data-openapi-url"]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_code += data.strip()


def loads(html: str) -> Loads:
    parser = Loads()
    parser.feed(html)
    return parser


@pytest.mark.parametrize(
    ("page", "scripts", "styles", "holder"),
    [
        ("/docs", ["/static/swagger-ui/swagger-ui-bundle.js", "/static/docs/swagger-init.js"],
         ["/static/swagger-ui/swagger-ui.css"], "swagger-ui"),
        ("/redoc", ["/static/redoc/redoc.standalone.js", "/static/docs/redoc-init.js"], [], "redoc"),
    ],
)
def test_pages_load_only_same_origin_files_that_the_app_serves(client, page, scripts, styles, holder):
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    found = loads(response.text)
    assert [s["src"] for s in found.scripts] == scripts
    assert found.styles == styles
    assert found.inline_code == ""
    assert found.holders == {holder: "/openapi.json"}
    assert "http" not in response.text
    for url in scripts + styles:
        assert urlsplit(url).scheme == urlsplit(url).netloc == ""
        asset = client.get(url)
        assert asset.status_code == 200, url
        expected = "text/javascript; charset=utf-8" if url.endswith(".js") else "text/css; charset=utf-8"
        assert asset.headers["content-type"] == expected
        assert asset.headers["cache-control"] == "public, no-cache"
        assert int(asset.headers["content-length"]) == len(asset.content)


def test_vendored_files_are_the_recorded_versions(client):
    assert "SwaggerUIBundle" in client.get("/static/swagger-ui/swagger-ui-bundle.js").text[:400]
    assert ".swagger-ui" in client.get("/static/swagger-ui/swagger-ui.css").text[:2000]
    assert "Redoc" in client.get("/static/redoc/redoc.standalone.js").text[:400]
    readme = client.get("/static/README.md").text
    assert "| `swagger-ui-dist` | 5.35.0 |" in readme
    assert "| `redoc` | 2.5.4 |" in readme


def test_swagger_page_policy(client):
    response = client.get("/docs")
    assert response.headers["content-security-policy"] == POLICY
    assert response.headers["cache-control"] == "public, no-cache"
    assert response.headers["etag"].startswith('W/"97-')


def test_redoc_page_policy_names_a_fresh_nonce_for_its_init_script(client):
    first, second = client.get("/redoc"), client.get("/redoc")
    nonces = []
    for response in (first, second):
        (init,) = [s for s in loads(response.text).scripts if s["src"].endswith("redoc-init.js")]
        nonce = init["nonce"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{24}", nonce)
        styles = f"style-src 'self' 'nonce-{nonce}' {REDOC_LOAD_STYLE}"
        assert response.headers["content-security-policy"] == POLICY.replace("style-src 'self'", styles)
        # A one-time nonce must not be replayed from a cache, so no store and no ETag.
        assert response.headers["cache-control"] == "no-store"
        assert "etag" not in response.headers
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_init_scripts_start_the_viewers_from_the_page_attributes(client):
    swagger = client.get("/static/docs/swagger-init.js").text
    assert 'holder.getAttribute("data-openapi-url")' in swagger
    assert "validatorUrl: null" in swagger
    redoc = client.get("/static/docs/redoc-init.js").text
    assert "{ nonce: document.currentScript.nonce }" in redoc


def test_static_files_revalidate_with_their_own_validators(client):
    first = client.get("/static/docs/swagger-init.js")
    assert first.headers["etag"].startswith('"')
    again = client.get("/static/docs/swagger-init.js", headers={"If-None-Match": first.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    missing = client.get("/static/nothing.js")
    assert missing.status_code == 404
    assert missing.headers["cache-control"] == "no-store"
