"""Each view on its own: paging, actors and regions, hostile data, speed, keyboard, narrow
screens, contrast and bad input."""

import time

from playwright.sync_api import expect

from tests.browser.conftest import Watched
from tests.browser.helpers import BRIEF, LOW_CONTRAST, bar_labels, item_titles


def test_the_list_pages_as_you_scroll(explorer: Watched):
    page = explorer.open("/")
    expect(page.locator(".event-item")).to_have_count(20)
    assert len(explorer.api_requests("/events")) == 1
    page.locator(".event-item").last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 5000)
    expect(page.locator(".event-item")).to_have_count(25)
    pages = explorer.api_requests("/events")
    assert len(pages) == 2
    assert all("limit=20" in url for url in pages) and "cursor=" in pages[1]
    assert item_titles(explorer)[-1] == "The Assad government collapses"
    expect(page.get_by_role("button", name="Show more")).to_have_count(0)


def test_actor_and_region_views(explorer: Watched):
    page = explorer.open("/actors/vladimir-putin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vladimir Putin")
    expect(page.locator(".network a")).to_have_count(5)
    assert page.locator(".co-actors a").all_inner_texts() == [
        "Anton Siluanov", "Donald Trump", "Kirill Dmitriev", "Ukraine", "Volodymyr Zelenskyy"]
    expect(page.locator("#events-title + .section-body li")).to_have_count(4)
    expect(page.locator(".quote-card.statement")).to_have_count(1)
    explorer.screenshot("8-actor", full_page=True)

    page.locator(".network").get_by_role("link", name="Donald Trump: 1 shared event").locator("text").click()
    expect(page).to_have_url(f"{explorer.base_url}/actors/donald-trump")
    explorer.wait_ready()

    page = explorer.open("/regions/alaska")
    assert page.locator(".breadcrumb a").all_inner_texts() == ["North America", "United States", "Alaska"]
    assert page.locator("#children-title + ul a").all_inner_texts() == ["Anchorage"]
    assert page.locator("#events-title + .section-body a").all_inner_texts() == ["Putin and Trump meet in Alaska"]
    explorer.screenshot("9-region", full_page=True)
    page.locator(".breadcrumb").get_by_role("link", name="United States").click()
    expect(page).to_have_url(f"{explorer.base_url}/regions/united-states")
    explorer.wait_ready()
    expect(page.get_by_role("heading", level=1)).to_have_text("United States")


def test_markup_in_the_data_is_shown_as_text_and_never_run(explorer: Watched):
    page = explorer.open("/actors/hostile-markup")
    expect(page.get_by_role("heading", level=1)).to_have_text("<img src=x onerror=alert(1)>")
    expect(page.locator(".actor-view .summary")).to_have_text(
        "<script>window.hostileRan = true</script><b onmouseover=alert(2)>bold</b>")
    assert page.locator("main img, main script, main b").count() == 0
    assert page.evaluate("window.hostileRan") is None
    assert explorer.dialogs == []


def test_first_render_is_fast_and_the_page_is_same_origin_only(explorer: Watched):
    explorer.open("/")
    ready = explorer.page.evaluate("performance.getEntriesByName('explorer-ready')[0].startTime")
    assert ready < 1000
    assert all(url.startswith(explorer.base_url + "/") for url in explorer.requests)


def test_keyboard_toggles_a_filter_and_keeps_focus(explorer: Watched):
    page = explorer.open("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    chip = page.locator(".facet").filter(has=page.get_by_role("heading", name="Status")).get_by_role("button", name="planned")
    chip.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{explorer.base_url}/?status=planned")
    explorer.wait_ready()
    focused = page.locator(".facet").filter(has=page.get_by_role("heading", name="Status")).get_by_role("button", name="planned")
    expect(focused).to_be_focused()
    expect(focused).to_have_attribute("aria-pressed", "true")
    assert item_titles(explorer) == ["Trump to meet Zelenskyy on 18 August", "The EU to spend $40 billion on arms for Ukraine"]


def test_narrow_screen_has_no_sideways_scroll(explorer: Watched):
    explorer.page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/events/putin-trump-alaska-summit", f"/sources/{BRIEF}?span=899-1082", "/actors/vladimir-putin"):
        page = explorer.open(path)
        time.sleep(0.1)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    explorer.screenshot("10-narrow")


def test_text_has_enough_contrast_in_every_view(explorer: Watched):
    for path in ("/?q=Putin", "/?type=CONSULT", "/events/putin-trump-alaska-summit", f"/sources/{BRIEF}?span=899-1082",
                 "/actors/vladimir-putin", "/regions/alaska"):
        page = explorer.open(path)
        assert page.evaluate(LOW_CONTRAST) == [], path


def test_bad_input_is_explained_not_broken(explorer: Watched):
    explorer.allow(422)
    page = explorer.open("/?from=2025-12-31&to=2025-01-01")
    alerts = page.get_by_role("alert")
    expect(alerts).to_have_count(3)  # facets, timeline, list
    assert set(alerts.all_inner_texts()) == {"`from` is after `to`"}

    explorer.allow(400)
    page = explorer.open('/?q="peace')
    detail = 'Unbalanced quote: the " at character 1 opens a phrase that is never closed.'
    expect(page.locator(".search-results").get_by_role("alert")).to_have_text(detail)
    expect(page.locator("#events-title + .section-body").get_by_role("alert")).to_have_text(detail)

    page = explorer.open(f"/sources/{BRIEF}?span=3800-3900")
    expect(page.get_by_role("alert")).to_have_text("The span 3800-3900 is not within this document (0–3883); nothing is selected.")
    assert page.locator(".document-text .selected").count() == 0


def test_the_timeline_never_places_an_event_finer_than_its_date(explorer: Watched):
    page = explorer.open("/?interval=month")
    assert bar_labels(explorer) == ["2025-08: 2 events"]
    expect(page.locator(".timeline figcaption")).to_have_text(
        "Each bar counts the events that start in that month: 2 of 25 events placed. "
        "Not in any bar: 2 events dated less finely than a month, 21 undated events.")
    expect(page.get_by_role("group", name="Bar size").get_by_role("link", name="month")).to_have_attribute("aria-current", "true")
    page.locator(".histogram").get_by_role("link", name="2025-08: 2 events; show only these").click()
    expect(page).to_have_url(f"{explorer.base_url}/?from=2025-08-01&to=2025-08-31&interval=month")
    explorer.wait_ready()
    assert item_titles(explorer) == ["Trump to meet Zelenskyy on 18 August", "Putin and Trump meet in Alaska"]
    page.get_by_role("group", name="Bar size").get_by_role("link", name="day").click()
    expect(page).to_have_url(f"{explorer.base_url}/?from=2025-08-01&to=2025-08-31&interval=day")
    explorer.wait_ready()
    assert bar_labels(explorer) == ["2025-08-15: 1 event", "2025-08-18: 1 event"]
    explorer.screenshot("11-timeline-days")
