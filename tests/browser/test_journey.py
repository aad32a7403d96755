"""The journey the issue describes, in a real browser: search for Putin, open the summit, follow
its quotes to their exact spans, filter with a facet, walk back and forward, read the source."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import Watched
from tests.browser.helpers import (
    BRIEF,
    BRIEF_TEXT,
    CONSULT_EVENTS,
    MEASURE_SELECTION,
    PUTIN_EVENTS,
    STATEMENT,
    SUMMIT_QUOTE,
    bar_labels,
    item_titles,
)


def test_code_point_offsets_of_the_brief_match_the_api():
    # The expectations below are the API's offsets; check them against the text itself.
    assert BRIEF_TEXT.index(SUMMIT_QUOTE) == 271 and len(SUMMIT_QUOTE) == 160
    assert BRIEF_TEXT.index(STATEMENT) == 899 and len(STATEMENT) == 183
    assert len(BRIEF_TEXT) == 3883


def test_search_open_the_summit_and_follow_a_quote_to_its_span(explorer: Watched):
    page = explorer.open("/")
    page.get_by_role("searchbox").fill("Putin")
    page.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(f"{explorer.base_url}/?q=Putin")
    explorer.wait_ready()
    results = page.locator(".search-results")
    expect(results.get_by_role("heading", name=re.compile("^Actors"))).to_be_visible()
    expect(results.locator(".hit.actor a").first).to_have_text("Vladimir Putin")
    assert item_titles(explorer) == PUTIN_EVENTS
    explorer.screenshot("1-search")

    page.locator(".event-item").get_by_role("link", name="Putin and Trump meet in Alaska").click()
    expect(page).to_have_url(f"{explorer.base_url}/events/putin-trump-alaska-summit")
    explorer.wait_ready()
    expect(page.get_by_role("heading", level=1)).to_have_text("Putin and Trump meet in Alaska")
    expect(page.locator(".event-view time")).to_have_text("15 August 2025 (day precision)")
    assert page.locator(".event-view .breadcrumb a").all_inner_texts() == [
        "North America", "United States", "Alaska", "Anchorage", "Joint Base Elmendorf-Richardson"
    ]
    assert [a.strip() for a in page.locator(".event-view ul.plain li").first.all_inner_texts()] == [
        "Vladimir Putin participant"
    ]
    assert page.locator(".quote-card").count() == 8
    explorer.screenshot("2-event", full_page=True)

    page.get_by_role("link", name=SUMMIT_QUOTE).click()
    expect(page).to_have_url(f"{explorer.base_url}/sources/{BRIEF}?span=271-431")
    explorer.wait_ready()
    seen = page.evaluate(MEASURE_SELECTION)
    assert (seen["start"], seen["end"], seen["selected"]) == (271, 431, SUMMIT_QUOTE)
    assert seen["whole"] == BRIEF_TEXT
    assert seen["visible"] and seen["focused"]
    mark = page.locator('mark[data-quote="summit-details"]')
    expect(mark).to_have_class("quote excerpt")
    explorer.screenshot("3-source-selection")


def test_the_statement_is_highlighted_at_the_api_offsets(explorer: Watched):
    page = explorer.open("/events/putin-calls-for-secret-negotiations")
    card = page.locator(".quote-card.statement")
    expect(card.locator("figcaption")).to_have_text("statement by Vladimir Putin · characters 899–1082")
    card.get_by_role("link", name=STATEMENT).click()
    expect(page).to_have_url(f"{explorer.base_url}/sources/{BRIEF}?span=899-1082")
    explorer.wait_ready()
    seen = page.evaluate(MEASURE_SELECTION)
    assert (seen["start"], seen["end"], seen["selected"]) == (899, 1082, STATEMENT)
    assert seen["visible"]
    statement = page.locator(".document-text mark.quote.statement")
    expect(statement).to_have_count(1)
    expect(statement).to_have_text(STATEMENT)
    assert statement.get_attribute("data-quote") == "putin-secret-negotiations-statement"
    explorer.screenshot("4-statement")


def test_a_facet_changes_the_list_and_the_timeline_and_history_walks_back(explorer: Watched):
    page = explorer.open("/")
    expect(page.locator(".event-item")).to_have_count(20)
    assert bar_labels(explorer) == ["1916: 1 event", "2023: 1 event", "2025: 2 events"]
    expect(page.locator(".timeline figcaption")).to_have_text(
        "Each bar counts the events that start in that year: 4 of 25 events placed. Not in any bar: 21 undated events.")
    explorer.screenshot("5-home")

    consult = page.locator(".facet").filter(has=page.get_by_role("heading", name="Type")).get_by_role("button", name="CONSULT")
    expect(consult).to_have_text("CONSULT2")
    consult.click()
    expect(page).to_have_url(f"{explorer.base_url}/?type=CONSULT")
    explorer.wait_ready()
    assert item_titles(explorer) == CONSULT_EVENTS
    assert bar_labels(explorer) == ["2025: 2 events"]
    expect(page.locator(".timeline figcaption")).to_have_text(
        "Each bar counts the events that start in that year: 2 of 2 events placed.")
    expect(page.locator(".facet").filter(has=page.get_by_role("heading", name="Type")).get_by_role("button", name="CONSULT")
           ).to_have_attribute("aria-pressed", "true")
    explorer.screenshot("6-facet")

    page.go_back()
    expect(page).to_have_url(f"{explorer.base_url}/")
    explorer.wait_ready()
    expect(page.locator(".event-item")).to_have_count(20)
    assert bar_labels(explorer) == ["1916: 1 event", "2023: 1 event", "2025: 2 events"]
    page.go_forward()
    expect(page).to_have_url(f"{explorer.base_url}/?type=CONSULT")
    explorer.wait_ready()
    assert item_titles(explorer) == CONSULT_EVENTS


def test_the_source_view_marks_every_quote_and_mention(explorer: Watched):
    page = explorer.open(f"/sources/{BRIEF}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Putin and Trump Met in Alaska to Broker Ceasefire")
    assert page.locator(".document-text").evaluate("e => e.textContent") == BRIEF_TEXT
    assert page.locator(".document-text mark.quote.statement").count() == 1
    assert page.locator(".document-text mark.quote.excerpt").count() == 15
    assert page.locator(".document-text mark.quote.analysis").count() == 12
    # 88 mentions: 22 words name both an actor and a region ("Russia") and "Assad" lies inside
    # "Assad government", so 65 are links over their words and 23 are markers beside them.
    assert page.locator(".document-text a.mention").count() == 65
    assert page.locator(".document-text a.mention-marker").count() == 23
    expect(page.locator(".legend")).to_contain_text("Statement: an actor's own words")
    assassination = page.locator(".document-text a.mention", has_text="Assad government")
    expect(assassination).to_have_attribute("href", "/actors/assad-government")
    marker = page.locator('.document-text a.mention-marker[href="/actors/bashar-al-assad"]')
    expect(marker).to_have_attribute("aria-label", "Bashar al-Assad (actor)")
    explorer.screenshot("7-source", full_page=True)

    page.locator(".document-text a.mention.actor", has_text="Zelenskyy").first.click()
    expect(page).to_have_url(f"{explorer.base_url}/actors/volodymyr-zelenskyy")
    explorer.wait_ready()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volodymyr Zelenskyy")
    page.go_back()
    expect(page).to_have_url(f"{explorer.base_url}/sources/{BRIEF}")
