import unittest

from inventory import Inventory


class HiddenInventoryTest(unittest.TestCase):
    def test_cannot_go_negative(self):
        inventory = Inventory()
        inventory.add("apple", 3)
        with self.assertRaises(ValueError):
            inventory.remove("apple", 5)
        self.assertEqual(inventory.stock["apple"], 3)

    def test_unknown_item(self):
        inventory = Inventory()
        with self.assertRaises(ValueError):
            inventory.remove("kiwi", 1)

    def test_exact_removal(self):
        inventory = Inventory()
        inventory.add("apple", 3)
        inventory.remove("apple", 3)
        self.assertEqual(inventory.stock.get("apple", 0), 0)


if __name__ == "__main__":
    unittest.main()
