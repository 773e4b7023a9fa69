import unittest

from stats import average, spread


class HiddenStatsTest(unittest.TestCase):
    def test_empty_is_zero(self):
        self.assertEqual(average([]), 0.0)

    def test_average_still_works(self):
        self.assertEqual(average([1, 2, 3, 4]), 2.5)
        self.assertEqual(spread([3, 3]), 0)


if __name__ == "__main__":
    unittest.main()
