"""Regenerate seeds/bot_user_agents.csv from the crawler-user-agents package.

The package (PyPI `crawler-user-agents`, github.com/monperrus/crawler-user-agents, MIT licence)
ships crawler-user-agents.json: one regular expression per known crawler, bot, scraper or HTTP
library. Staging joins every pattern of the seed into one case-insensitive alternation, run by
DuckDB's RE2 (and Spark's java.util.regex on Spark), so a pattern is kept only when it uses the
syntax both engines read the same way (`portability_problem`); `\\/` becomes `/`.

    make bot-user-agents    # installs the pinned package version and rewrites the seed
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
from importlib import metadata, resources
from pathlib import Path

from orchestration.paths import SEEDS_DIR

PACKAGE = "crawler-user-agents"
SOURCE_URL = "https://github.com/monperrus/crawler-user-agents"
SEED = SEEDS_DIR / "bot_user_agents.csv"
COLUMNS = ("pattern", "description", "crawler_url", "rule_source")

# Escapes RE2 and Java read alike: a backslash before punctuation is that character.
_ESCAPES = set("dDsSwWbBtnrf")
_UNPORTABLE = (
    ("(?", "groups with flags, lookarounds or names"),
    ("&&", "character class intersection (Java only)"),
    ("[[", "nested character classes (Java only)"),
    ("++", "possessive quantifiers"),
    ("*+", "possessive quantifiers"),
    ("?+", "possessive quantifiers"),
    ("}+", "possessive quantifiers"),
)
_QUANTIFIER = re.compile(r"\{[0-9]+(,[0-9]*)?\}")

log = logging.getLogger(__name__)


def portability_problem(pattern: str) -> str | None:
    """Why `pattern` may not run alike on Python `re`, RE2 and Java, or None when it does."""
    for text, why in _UNPORTABLE:
        if text in pattern:
            return why
    try:
        re.compile(pattern)
    except re.error as error:
        return f"not a valid regular expression: {error}"
    position = 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            escaped = pattern[position + 1 : position + 2]
            if escaped.isalnum() and escaped not in _ESCAPES:
                return f"escape \\{escaped} (backreference or engine-specific class)"
            position += 2
            continue
        if char == "{" and not _QUANTIFIER.match(pattern, position):
            return "a literal { (Java reads it as a repetition)"
        position += 1
    return None


def portable(pattern: str) -> str:
    """The pattern with escaped slashes unescaped (`Googlebot\\/` -> `Googlebot/`)."""
    return pattern.replace("\\/", "/")


def seed_rows(crawlers: list[dict], source: str) -> list[dict[str, str]]:
    """Seed rows of the package's crawler entries, unportable patterns left out (logged)."""
    rows, seen = [], set()
    for crawler in crawlers:
        pattern = portable(crawler["pattern"])
        problem = portability_problem(pattern)
        if problem or pattern in seen:
            log.warning("left out %r: %s", crawler["pattern"], problem or "duplicate")
            continue
        seen.add(pattern)
        rows.append(
            {
                "pattern": pattern,
                "description": " ".join(crawler.get("description", "").split()),
                "crawler_url": crawler.get("url", ""),
                "rule_source": source,
            }
        )
    return rows


def write_seed(rows: list[dict[str, str]], path: Path = SEED) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SEED, help="seed CSV to write")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    data = resources.files("crawleruseragents").joinpath("crawler-user-agents.json")
    crawlers = json.loads(data.read_text(encoding="utf-8"))
    source = f"{PACKAGE} {metadata.version(PACKAGE)}"
    rows = seed_rows(crawlers, source)
    write_seed(rows, args.out)
    log.info("%s: %d patterns of %d from %s", args.out, len(rows), len(crawlers), source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
