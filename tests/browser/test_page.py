"""The explorer's page and assets as served: CSP, no inline script, size budget, text-only DOM."""

import re

from app.web import ASSETS_DIR, CONTENT_SECURITY_POLICY

VIEW_PATHS = ["/", "/events/putin-trump-alaska-summit", "/actors/vladimir-putin", "/regions/alaska",
              "/sources/2025-08-15-putin-trump-alaska-summit"]
BUDGET_BYTES = 150 * 1024
# Ways a string could reach the DOM as markup or code; data goes in with textContent only.
HTML_SINKS = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment"
    r"|\beval\(|new Function|setAttribute\(\s*[\"'](?:on|style)|\.style\.cssText"
)


def test_every_view_path_answers_the_same_shell_with_a_strict_policy(client):
    pages = [client.get(path) for path in VIEW_PATHS]
    assert [page.status_code for page in pages] == [200] * 5
    assert len({page.text for page in pages}) == 1
    page = pages[0]
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-store"
    assert "etag" not in page.headers
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page.text, flags=re.DOTALL)
    assert scripts == [""]  # one script, loaded from its src, with no inline body
    assert re.findall(r"<script\b[^>]*>", page.text) == ['<script type="module" src="/static/explorer/main.js">']
    assert "<style" not in page.text and not re.search(r"\s(?:style|on\w+)=", page.text)


def test_the_shell_names_only_assets_that_exist(client):
    page = client.get("/").text
    assets = re.findall(r'(?:href|src)="(/static/explorer/[^"]+)"', page)
    modules = sorted(path.name for path in ASSETS_DIR.glob("*.js"))
    assert sorted(asset.rsplit("/", 1)[1] for asset in assets) == sorted([*modules, "explorer.css", "icon.svg"])
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.headers["cache-control"] == "public, no-cache"
        assert response.headers["etag"].startswith('"')  # the file's own validator, not the data version
    assert client.get("/static/explorer/main.js").headers["content-type"] == "text/javascript; charset=utf-8"


def test_every_module_is_imported_from_main(client):
    imports = {
        path.name: set(re.findall(r'from "\./([\w-]+\.js)"', path.read_text(encoding="utf-8")))
        for path in ASSETS_DIR.glob("*.js")
    }
    reached, todo = set(), ["main.js"]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(imports[name])
    assert reached == set(imports)


def test_other_paths_stay_api_problems(client):
    for path in ("/events", "/events/a/b", "/explorer", "/static/explorer/missing.js"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
    assert not any(path in client.get("/openapi.json").json()["paths"] for path in VIEW_PATHS)


def test_javascript_and_css_fit_the_budget():
    files = [*ASSETS_DIR.glob("*.js"), *ASSETS_DIR.glob("*.css")]
    total = sum(path.stat().st_size for path in files)
    assert {"main.js", "explorer.css"} <= {path.name for path in files}
    assert total < BUDGET_BYTES, f"{total} bytes of JavaScript and CSS"


def test_no_data_is_ever_parsed_as_html():
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(ASSETS_DIR.glob("*.js"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HTML_SINKS.search(line)
    ]
    assert offenders == []
