def average(numbers):
    """Return the arithmetic mean of numbers (0.0 for an empty list)."""
    return sum(numbers) / len(numbers)


def spread(numbers):
    """Return max - min of numbers."""
    return max(numbers) - min(numbers)
