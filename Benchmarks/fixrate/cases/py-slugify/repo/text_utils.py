import re


def slugify(title):
    """Lowercase words of title joined by single dashes, for URLs."""
    return re.sub(r"[^a-z0-9]", "-", title.lower())
