import unittest

from batching import chunk


class HiddenChunkTest(unittest.TestCase):
    def test_keeps_the_remainder(self):
        self.assertEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]])

    def test_short_input(self):
        self.assertEqual(chunk([1], 3), [[1]])

    def test_empty(self):
        self.assertEqual(chunk([], 3), [])
        self.assertEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]])


if __name__ == "__main__":
    unittest.main()
