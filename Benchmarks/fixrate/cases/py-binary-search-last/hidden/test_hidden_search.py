import unittest

from search import find


class HiddenFindTest(unittest.TestCase):
    def test_every_element(self):
        items = [1, 3, 5, 7, 9, 11]
        for index, value in enumerate(items):
            self.assertEqual(find(items, value), index)

    def test_single_and_empty(self):
        self.assertEqual(find([4], 4), 0)
        self.assertEqual(find([], 4), -1)
        self.assertEqual(find([1, 3], 2), -1)


if __name__ == "__main__":
    unittest.main()
