import unittest

from search import find


class FindTest(unittest.TestCase):
    def test_first(self):
        self.assertEqual(find([1, 3, 5, 7], 1), 0)

    def test_missing(self):
        self.assertEqual(find([1, 3, 5, 7], 4), -1)


if __name__ == "__main__":
    unittest.main()
