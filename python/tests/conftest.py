"""Shared fixtures: the reference data (tests/data) made by tests/reference/make_reference.py."""

import json
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def reference():
    return json.loads((DATA / "ols_reference.json").read_text())


@pytest.fixture(scope="session")
def dataset():
    """(X with an intercept column, y, weights) from ols_data.csv."""
    data = np.loadtxt(DATA / "ols_data.csv", delimiter=",", skiprows=1)
    X = np.column_stack([np.ones(data.shape[0]), data[:, 1:5]])
    return X, data[:, 0], data[:, 5]


@pytest.fixture(scope="session")
def csv_path():
    return DATA / "ols_data.csv"
