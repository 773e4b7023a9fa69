import re

PATTERN = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?$")


def parse_duration(text):
    """Minutes in a duration like '1h30m', '2h' or '45m'."""
    match = PATTERN.match(text.strip())
    if not match or not text.strip():
        raise ValueError(f"not a duration: {text!r}")
    hours, minutes = match.groups()
    return int(hours or 0) * 60 + int(minutes or 0)
