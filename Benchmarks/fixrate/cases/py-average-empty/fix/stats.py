def average(numbers):
    """Return the arithmetic mean of numbers (0.0 for an empty list)."""
    if not numbers:
        return 0.0
    return sum(numbers) / len(numbers)


def spread(numbers):
    """Return max - min of numbers."""
    return max(numbers) - min(numbers)
