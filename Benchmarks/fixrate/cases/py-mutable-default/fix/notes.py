def make_note(text, tags=None):
    """Create a note dict with its own list of tags."""
    return {"text": text, "tags": list(tags) if tags is not None else []}


def add_tag(note, tag):
    if tag not in note["tags"]:
        note["tags"].append(tag)
    return note
