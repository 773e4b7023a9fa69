import unittest

from roman import to_roman


class HiddenRomanTest(unittest.TestCase):
    def test_subtractive(self):
        self.assertEqual(to_roman(4), "IV")
        self.assertEqual(to_roman(9), "IX")
        self.assertEqual(to_roman(1994), "MCMXCIV")
        self.assertEqual(to_roman(444), "CDXLIV")

    def test_additive(self):
        self.assertEqual(to_roman(1666), "MDCLXVI")
        with self.assertRaises(ValueError):
            to_roman(0)


if __name__ == "__main__":
    unittest.main()
