import unittest

from inventory import Inventory


class InventoryTest(unittest.TestCase):
    def test_add_remove(self):
        inventory = Inventory()
        inventory.add("apple", 3)
        inventory.remove("apple", 1)
        self.assertEqual(inventory.stock["apple"], 2)

    def test_value(self):
        inventory = Inventory()
        inventory.add("pear", 2)
        self.assertEqual(inventory.value({"pear": 0.5}), 1.0)


if __name__ == "__main__":
    unittest.main()
