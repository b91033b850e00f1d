import pandas as pd

def designs() -> pd.DataFrame:
    """Reactor designs, one row per design (index: design id)."""

def projects() -> pd.DataFrame:
    """Real nuclear projects with their financing, one row per project (index: project id)."""

def countries() -> pd.DataFrame:
    """Country power systems, one row per country (index: ISO code)."""

def sources() -> pd.DataFrame:
    """Every source the catalogue cites, one row per source (index: source id)."""
