"""/docs and /redoc work without internet: every file they load is served by the app."""

import re

import pytest
from fastapi.testclient import TestClient

# The URLs a page loads: scripts, styles, icons, and the OpenAPI document.
LOADED = re.compile(r"""(?:src|href|spec-url)="([^"]+)"|url: ?'([^']+)'""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_load_only_what_the_app_serves(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert "http://" not in response.text and "https://" not in response.text
    urls = [a or b for a, b in LOADED.findall(response.text)]
    assert any(url.endswith(".js") for url in urls), urls
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), f"{url}: not the app's"
        assert client.get(url).status_code == 200, url
