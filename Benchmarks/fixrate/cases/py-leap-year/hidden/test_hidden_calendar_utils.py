import unittest

from calendar_utils import days_in_february, is_leap


class HiddenLeapTest(unittest.TestCase):
    def test_centuries(self):
        self.assertFalse(is_leap(1900))
        self.assertFalse(is_leap(2100))
        self.assertTrue(is_leap(2000))
        self.assertEqual(days_in_february(1900), 28)

    def test_common_years(self):
        self.assertTrue(is_leap(2024))
        self.assertFalse(is_leap(2023))


if __name__ == "__main__":
    unittest.main()
