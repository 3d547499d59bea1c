"""Waiting on an exported story in a page, the way every browser test does."""

import time


def wait_ready(page, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate("() => document.getElementById('ipyreport').dataset.ready === 'true'"):
            wait_idle(page)
            return
        time.sleep(0.05)
    msg = "the story never became ready"
    raise AssertionError(msg)


def wait_idle(page, timeout=10.0):
    # wait_for_function evaluates strings, which the page's CSP forbids.
    deadline = time.monotonic() + timeout
    while page.evaluate("() => document.getElementById('ipyreport').ipyreport?.busy ?? true"):
        if time.monotonic() > deadline:
            msg = "the player stayed busy"
            raise AssertionError(msg)
        time.sleep(0.05)


def open_story(open_file, path, **options):
    """Open an exported story, wait until its first step is drawn, and give it the keyboard."""
    watch = open_file(path, **options)
    wait_ready(watch.page)
    watch.page.focus("#ipyreport")
    return watch, watch.page
