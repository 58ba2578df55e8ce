"""Gradio's own words in Chinese, whatever the browser's language.

Gradio's frontend picks its language (the login form's Login / username / password / Incorrect Credentials, the
upload box's Drop File Here, Loading…, Use via API) from `navigator.language`, and the login page gets none of the
app's config to change that (no i18n, no head). On an intranet browser set to English the login page and those
words came up in English beside the Chinese UI. `ChineseLocale` wraps the app (ASGI) and, in every HTML page it
serves, reports the browser's language as zh-CN to the page's scripts before Gradio's run, and marks the page
`lang="zh-CN"` (the font and line-breaking rules of Chinese text). Nothing else is touched: other requests and
responses pass through as they are.
"""
from __future__ import annotations

import re

LOCALE = "zh-CN"
SCRIPT = (
    "<script>(function(){var g=function(v){return function(){return v}};"
    f"Object.defineProperty(Navigator.prototype,'language',{{get:g('{LOCALE}'),configurable:true}});"
    f"Object.defineProperty(Navigator.prototype,'languages',{{get:g(['{LOCALE}','zh']),configurable:true}});"
    "})();</script>"
)
_HEAD = re.compile(rb"<head[^>]*>", re.I)
_HTML_LANG = re.compile(rb"<html([^>]*?)\slang=\"[^\"]*\"", re.I)


def localised(page: bytes) -> bytes:
    """An HTML page with the locale script first in its head and lang="zh-CN"; unchanged when it has no head."""
    m = _HEAD.search(page)
    if m is None:
        return page
    page = page[:m.end()] + SCRIPT.encode() + page[m.end():]
    return _HTML_LANG.sub(rb'<html\1 lang="' + LOCALE.encode() + b'"', page, count=1)


class ChineseLocale:
    """ASGI middleware: GET responses of type text/html go through `localised`; everything else passes."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        chunks: list[bytes] = []

        async def wrapped(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if not html or headers.get(b"content-encoding"):
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = localised(b"".join(chunks))
            headers = [(k, v) for k, v in start.get("headers") or [] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, wrapped)
