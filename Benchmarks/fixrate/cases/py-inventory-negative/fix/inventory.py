from pricing import line_total


class Inventory:
    def __init__(self):
        self.stock = {}

    def add(self, name, count):
        self.stock[name] = self.stock.get(name, 0) + count

    def remove(self, name, count):
        available = self.stock.get(name, 0)
        if count > available:
            raise ValueError(f"only {available} {name} in stock")
        self.stock[name] = available - count

    def value(self, prices):
        return sum(line_total(prices[name], count) for name, count in self.stock.items())
