"""Read a page's form the way a browser would submit it, so tests fill in forms rather than guess names."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from django.test import Client


class _FormParser(HTMLParser):
    def __init__(self, selector_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.selector_class = selector_class
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text = ""
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.selector_class in (attrs.get("class") or "").split():
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            else:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            if chosen:
                self.fields.append((self._select, chosen[0]))
            self._select = None


def form_data(html: str | bytes, form_class: str = "state-form") -> dict:
    """The values a browser would send from the form with this class: {name: value or [values]}."""
    parser = _FormParser(form_class)
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    data: dict = {}
    for name, value in parser.fields:
        if name in data:
            data[name] = data[name] if isinstance(data[name], list) else [data[name]]
            data[name].append(value)
        else:
            data[name] = value
    return data


def field_value(html: str | bytes, name: str) -> str | list | None:
    return form_data(html).get(name)


def text_of(html: str | bytes) -> str:
    """The page's visible text, roughly: tags removed, whitespace collapsed."""
    text = html.decode() if isinstance(html, bytes) else html
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", text, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


def new_form(client: Client, plural: str) -> dict:
    response = client.get(f"/{plural}/new/")
    assert response.status_code == 200
    return form_data(response.content)
