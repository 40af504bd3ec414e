"""The parallel labour market model (Mesa): state tables, one module per mechanism, the monthly schedule."""

__version__ = "0.1.0"


def __getattr__(name):  # lazy, so `import abm.states` stays light
    if name == "LabourMarketModel":
        from abm.model import LabourMarketModel
        return LabourMarketModel
    raise AttributeError(name)
