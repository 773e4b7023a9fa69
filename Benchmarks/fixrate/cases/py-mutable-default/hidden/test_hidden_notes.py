import unittest

from notes import add_tag, make_note


class HiddenNotesTest(unittest.TestCase):
    def test_notes_do_not_share_tags(self):
        first = make_note("first")
        add_tag(first, "urgent")
        second = make_note("second")
        self.assertEqual(second["tags"], [])
        self.assertEqual(first["tags"], ["urgent"])

    def test_given_tags_are_kept(self):
        self.assertEqual(make_note("x", ["a"])["tags"], ["a"])


if __name__ == "__main__":
    unittest.main()
