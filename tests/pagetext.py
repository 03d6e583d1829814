"""What a reader sees: the visible text of a page's <main> (not the menu, footer or hidden markup)."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any

_SKIP = {"script", "style", "template", "noscript"}


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # >0 while inside <main>
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.depth += 1
        elif tag in _SKIP:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        elif tag in _SKIP:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 0 and not self.skip:
            self.parts.append(data)


def main_text(response: Any) -> str:
    """The text inside <main>, whitespace collapsed; asserts the page answered 200."""
    assert response.status_code == 200, response.status_code
    parser = _MainText()
    parser.feed(response.content.decode())
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def xlsx_rows(response: Any) -> list[list[Any]]:
    """Every row of the first sheet of an exported workbook, as cell values."""
    from openpyxl import load_workbook

    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
