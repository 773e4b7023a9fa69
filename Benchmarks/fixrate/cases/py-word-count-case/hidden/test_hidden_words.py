import unittest

from words import count_words


class HiddenWordsTest(unittest.TestCase):
    def test_case_insensitive(self):
        self.assertEqual(count_words("The cat and the hat"), {"the": 2, "cat": 1, "and": 1, "hat": 1})

    def test_counts(self):
        self.assertEqual(count_words("a b a"), {"a": 2, "b": 1})
        self.assertEqual(count_words(""), {})


if __name__ == "__main__":
    unittest.main()
