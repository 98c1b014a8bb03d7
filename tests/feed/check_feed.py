"""Reads a site's Atom feed of published versions with feedparser, as a feed reader
would, and checks what a subscriber gets:

    python check_feed.py FEED ENTRY_TITLE...

The feed parses without a problem (`bozo` is 0), has one entry per title given, in that
order, and each entry has a date, a unique id, a link and a summary.
"""

import sys

import feedparser


def main() -> int:
    path, titles = sys.argv[1], sys.argv[2:]
    with open(path, "rb") as f:
        feed = feedparser.parse(f.read())
    problems = []
    if feed.bozo:
        problems.append(f"not a well-formed feed: {feed.bozo_exception!r}")
    if feed.version != "atom10":
        problems.append(f"not Atom 1.0 but {feed.version!r}")
    got = [entry.get("title") for entry in feed.entries]
    if got != titles:
        problems.append(f"entry titles {got!r}, expected {titles!r}")
    ids = [entry.get("id") for entry in feed.entries]
    if len(set(ids)) != len(ids) or not all(ids):
        problems.append(f"entry ids not unique: {ids!r}")
    for entry in feed.entries:
        for key in ("updated_parsed", "link", "summary"):
            if not entry.get(key):
                problems.append(f"entry {entry.get('title')!r} has no {key}")
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{path}: {len(feed.entries)} entries, as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
