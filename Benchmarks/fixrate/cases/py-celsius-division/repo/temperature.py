def fahrenheit_to_celsius(fahrenheit):
    """Degrees Celsius for degrees Fahrenheit."""
    return (fahrenheit - 32) * 5 // 9


def celsius_to_fahrenheit(celsius):
    """Degrees Fahrenheit for degrees Celsius."""
    return celsius * 9 / 5 + 32
