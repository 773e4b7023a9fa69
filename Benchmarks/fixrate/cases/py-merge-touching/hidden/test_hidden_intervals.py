import unittest

from intervals import merge


class HiddenMergeTest(unittest.TestCase):
    def test_touching(self):
        self.assertEqual(merge([(1, 3), (3, 5)]), [(1, 5)])
        self.assertEqual(merge([(5, 7), (1, 5)]), [(1, 7)])

    def test_apart_and_overlap(self):
        self.assertEqual(merge([(1, 2), (4, 5)]), [(1, 2), (4, 5)])
        self.assertEqual(merge([(1, 4), (2, 6), (8, 9)]), [(1, 6), (8, 9)])
        self.assertEqual(merge([]), [])


if __name__ == "__main__":
    unittest.main()
