from decimal import Decimal

import pytest

from milequest.domain.percent import percent_complete


@pytest.mark.parametrize(
    ("total", "target", "expected"),
    [
        (0, 1000, 0.0),
        (250, 1000, 25.0),
        (1, 3, 33.33),
        (1000, 1000, 100.0),
        (5000, 1000, 100.0),
        (-5, 1000, 0.0),
        (10, 0, 0.0),
        (Decimal("50.5"), Decimal("101"), 50.0),
    ],
)
def test_percent_complete(total: float, target: float, expected: float) -> None:
    assert percent_complete(total, target) == expected


def test_never_reads_as_done_before_the_target() -> None:
    assert percent_complete(99_999.9, 100_000) == 99.99
    assert percent_complete(Decimal("999999.999"), Decimal("1000000")) == 99.99
