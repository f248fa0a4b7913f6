import pytest
import time_machine

from tests.monitoring.dataset import NOW, build


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dataset(db, clock):
    return build()
