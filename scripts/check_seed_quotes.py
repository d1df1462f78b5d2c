#!/usr/bin/env python3
"""Check the seed file's evidence against the article's text: every quote attributed to the article
is verbatim in the paragraph its locator names, and every locator of a numbered reference agrees
with that reference's pages.

Usage: scripts/check_seed_quotes.py ARTICLE.txt [records/seed/article.yaml]
(the article is shared/seeds/000_8aed81289ca4453d.txt; it is not part of the repository).
"""

import re
import sys
from pathlib import Path

import yaml


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sections(article: str) -> tuple[dict[str, list[str]], dict[int, str]]:
    paras = [norm(line) for line in article.split("\n") if line.strip()]

    def at(prefix: str) -> int:
        return next(i for i, p in enumerate(paras) if p.startswith(prefix))

    results = paras[at("After gaining independence in 1991") : at("In conclusion,")]
    # One paragraph of the text is broken in two ("... including Korgan," / "Tyumen and Omsk regions, ...").
    k = next(n for n, p in enumerate(results) if p.startswith("Tyumen and Omsk regions"))
    results[k - 1 : k + 1] = [results[k - 1] + " " + results[k]]
    found = {
        "Byline": [paras[at("Ganiy M. Karassayev")]],
        "Abstract": [paras[at("Lately legal framework")]],
        "Introduction": paras[at("From the very first days of independence") :][:2],
        "Materials and methods": paras[at("New research data") :][:3],
        "Results and discussion": results,
        "Conclusions": paras[at("In conclusion,") :][:2],
    }
    references = {int(m.group(1)): p for p in paras if (m := re.match(r"^(\d+)\. ", p))}
    return found, references


def main(article_path: str, seed_path: str = "records/seed/article.yaml") -> int:
    found, references = sections(Path(article_path).read_text(encoding="utf-8"))
    entries = yaml.safe_load(Path(seed_path).read_text(encoding="utf-8"))["entries"]
    sources = {f"${e['key']}": e["data"] for e in entries if e["type"] == "source"}
    problems = []
    for entry in entries:
        for citation in entry["data"].get("citations", []):
            locator, quote = citation.get("locator", ""), norm(citation.get("quote", ""))
            if citation["source"] == "$source/article":
                if m := re.match(r"References, no\. (\d+)$", locator):
                    paragraph = references.get(int(m.group(1)), "")
                elif m := re.match(r"(.+), para\. (\d+)$", locator):
                    paragraphs = found.get(m.group(1), [])
                    index = int(m.group(2)) - 1
                    paragraph = paragraphs[index] if 0 <= index < len(paragraphs) else ""
                else:
                    paragraph = (found.get(locator) or [""])[0]
                if quote not in paragraph:
                    problems.append(f"{entry['key']}: quote not found in {locator!r}: {quote[:70]}")
            else:
                pages = str(sources[citation["source"]].get("pages", ""))
                if locator and re.findall(r"\d+", locator) != re.findall(r"\d+", pages):
                    problems.append(f"{entry['key']}: locator {locator!r} is not the pages {pages!r}")
    print("\n".join(problems) or f"All quotes and locators of {seed_path} agree with the article.")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
