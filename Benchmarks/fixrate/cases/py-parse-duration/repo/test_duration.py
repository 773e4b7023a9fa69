import unittest

from duration import parse_duration


class DurationTest(unittest.TestCase):
    def test_minutes(self):
        self.assertEqual(parse_duration("45m"), 45)

    def test_invalid(self):
        with self.assertRaises(ValueError):
            parse_duration("soon")


if __name__ == "__main__":
    unittest.main()
