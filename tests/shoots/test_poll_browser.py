"""The tablet's poll in Chromium: nothing changed, 304 on the wire and the queue still
shown (the browser gives htmx its kept copy as a 200); a change, the new queue."""

import pytest
from django.conf import settings
from django.test import Client

from shoots import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("mid_morning"),
]

POLL = 20_000  # ms: hx-trigger="every 20s"


def test_an_unchanged_queue_is_304_on_the_wire_and_a_change_shows(
    chromium, live_server, in_the_building, crew
):
    client = Client()
    client.force_login(crew.makeup_artist.user)
    context = chromium.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    # What the page's scripts see (Playwright's response) and what the server sent (the
    # raw response, from the DevTools protocol): a 304 reaches htmx as a 200.
    polls = []  # (status seen by htmx, the request's If-None-Match)
    urls, wire = {}, {}

    def seen(response):
        request = response.request
        if request.resource_type == "xhr" and request.url.endswith("/shoots/tablet/"):
            polls.append((response.status, request.all_headers().get("if-none-match")))

    def on_the_wire():
        return [wire[i] for i, url in urls.items() if url.endswith("/shoots/tablet/") and i in wire]

    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        page.clock.install()
        page.on("response", seen)
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.on(
            "Network.requestWillBeSent",
            lambda e: urls.setdefault(e["requestId"], e["request"]["url"]),
        )
        devtools.on(
            "Network.responseReceivedExtraInfo",
            lambda e: wire.setdefault(e["requestId"], e["statusCode"]),
        )
        page.goto(f"{live_server.url}/shoots/tablet/")
        queue = page.get_by_test_id("queue")
        names = str(in_the_building.order.customer)

        def poll():
            count = len(polls)
            with page.expect_response(lambda r: r.url.endswith("/shoots/tablet/")):
                page.clock.run_for(POLL)
            page.wait_for_function("() => !document.querySelector('.htmx-request')")
            assert len(polls) == count + 1

        poll()  # the first poll fetches the fragment and its ETag
        poll()  # nothing changed
        status, held = polls[-1]
        assert held and held.startswith('W/"')
        assert status == 200
        assert names in queue.inner_text()
        assert "With me now" in queue.inner_text()

        line = next(line for line in in_the_building.plan.all() if line.is_outfit)
        services.set_look(line=line, look="Garden, veil up", by=crew.dress_stylist)
        poll()
        assert "Garden, veil up" in queue.inner_text()
        poll()
        assert "Garden, veil up" in queue.inner_text()
        # The page's own load is 200; then the polls: new, unchanged, changed, unchanged.
        assert on_the_wire() == [200, 200, 304, 200, 304]
    finally:
        context.close()
