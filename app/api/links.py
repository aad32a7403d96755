"""Links from each resource to itself and its neighbours (paths under the API root)."""

from urllib.parse import quote

API = "/api/v1"


def event(item: dict) -> dict[str, str]:
    return {"self": f"{API}/events/{item['id']}", "source": f"{API}/sources/{item['source']['id']}"}


def actor(item: dict) -> dict[str, str]:
    base = f"{API}/actors/{item['id']}"
    return {
        "self": base,
        "events": f"{base}/events",
        "quotes": f"{base}/quotes",
        "mentions": f"{base}/mentions",
        "network": f"{base}/network",
    }


def region(item: dict) -> dict[str, str]:
    base = f"{API}/regions/{item['id']}"
    return {"self": base, "events": f"{base}/events", "mentions": f"{base}/mentions"}


def quote_(item: dict) -> dict[str, str]:
    return {"self": f"{API}/quotes/{item['id']}", "source": f"{API}/sources/{item['source']['id']}"}


def source(item: dict) -> dict[str, str]:
    base = f"{API}/sources/{item['id']}"
    sid = quote(item["id"])
    return {"self": base, "events": f"{API}/events?source={sid}", "quotes": f"{API}/quotes?source={sid}"}
