import unittest

from duration import parse_duration


class HiddenDurationTest(unittest.TestCase):
    def test_hours(self):
        self.assertEqual(parse_duration("1h30m"), 90)
        self.assertEqual(parse_duration("2h"), 120)

    def test_minutes_and_errors(self):
        self.assertEqual(parse_duration("45m"), 45)
        with self.assertRaises(ValueError):
            parse_duration("")


if __name__ == "__main__":
    unittest.main()
