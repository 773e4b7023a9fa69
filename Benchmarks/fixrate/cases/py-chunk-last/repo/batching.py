def chunk(items, size):
    """Split items into lists of at most `size` elements, in order."""
    if size <= 0:
        raise ValueError("size must be positive")
    chunks = []
    for start in range(0, len(items) - size + 1, size):
        chunks.append(items[start:start + size])
    return chunks
