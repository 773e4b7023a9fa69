def make_note(text, tags=[]):
    """Create a note dict with its own list of tags."""
    return {"text": text, "tags": tags}


def add_tag(note, tag):
    if tag not in note["tags"]:
        note["tags"].append(tag)
    return note
