import unittest

from stats import average, spread


class StatsTest(unittest.TestCase):
    def test_average(self):
        self.assertEqual(average([2, 4]), 3.0)

    def test_spread(self):
        self.assertEqual(spread([5, 1, 9]), 8)


if __name__ == "__main__":
    unittest.main()
