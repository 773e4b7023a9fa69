def line_total(price, count):
    """Price of `count` items at `price` each, rounded to cents."""
    return round(price * count, 2)
