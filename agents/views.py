"""Readable Mesa agents over the state tables (ARCHITECTURE.md §State: agents are views).

An agent holds only its model and its row; each column of the table is a property that reads and writes that
row, so `agent.skill`, `agent.state_name` or `agent.skill = 0.9` work as with any Mesa agent while the
mechanisms stay vectorised over the columns.
"""

from __future__ import annotations

import mesa


def column_property(table: str, name: str, doc: str) -> property:
    def get(self):
        value = getattr(getattr(self.model, table), name)[self.row]
        return value.item() if hasattr(value, "item") else value

    def set_(self, value):
        getattr(getattr(self.model, table), name)[self.row] = value

    return property(get, set_, doc=doc)


class TableAgent(mesa.Agent):
    """A Mesa agent whose attributes are one row of a model table."""

    table = ""
    columns: dict = {}

    def __init__(self, model, row: int):
        super().__init__(model)
        self.row = int(row)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, (_dtype, _fill, doc) in cls.columns.items():
            if name not in cls.__dict__:
                setattr(cls, name, column_property(cls.table, name, doc))

    def __getattr__(self, name: str):
        """Columns of mechanisms of one's own (not known when the class was made) read the row too."""
        table = getattr(self.__dict__.get("model"), self.table, None) if "model" in self.__dict__ else None
        if table is not None and name in getattr(table, "columns", {}):
            value = getattr(table, name)[self.row]
            return value.item() if hasattr(value, "item") else value
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def as_dict(self) -> dict:
        table = getattr(self.model, self.table)
        return {name: getattr(self, name) for name in table.columns}
