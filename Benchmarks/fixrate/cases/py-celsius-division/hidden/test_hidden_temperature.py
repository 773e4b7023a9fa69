import unittest

from temperature import celsius_to_fahrenheit, fahrenheit_to_celsius


class HiddenTemperatureTest(unittest.TestCase):
    def test_exact(self):
        self.assertAlmostEqual(fahrenheit_to_celsius(100), 37.7777777, places=5)
        self.assertAlmostEqual(fahrenheit_to_celsius(0), -17.7777777, places=5)

    def test_round_trip(self):
        self.assertAlmostEqual(fahrenheit_to_celsius(celsius_to_fahrenheit(21.5)), 21.5)


if __name__ == "__main__":
    unittest.main()
