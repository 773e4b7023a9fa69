import unittest

from text_utils import slugify


class HiddenSlugifyTest(unittest.TestCase):
    def test_collapses_and_trims(self):
        self.assertEqual(slugify("Hello,  World!"), "hello-world")
        self.assertEqual(slugify("  Swift 6 -- is here "), "swift-6-is-here")

    def test_simple(self):
        self.assertEqual(slugify("Hello"), "hello")
        self.assertEqual(slugify("a-b"), "a-b")


if __name__ == "__main__":
    unittest.main()
