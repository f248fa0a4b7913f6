import pytest
import time_machine

from tests.monitoring.dataset import NOW, add_mothers, build


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dataset(db, clock):
    return build()


@pytest.fixture
def mothers(dataset):
    """The dataset with its pregnant and breastfeeding mothers (see dataset.add_mothers)."""
    return add_mothers(dataset)
