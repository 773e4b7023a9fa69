import unittest

from notes import add_tag, make_note


class NotesTest(unittest.TestCase):
    def test_add_tag_once(self):
        note = make_note("x", ["a"])
        add_tag(note, "a")
        self.assertEqual(note["tags"], ["a"])


if __name__ == "__main__":
    unittest.main()
