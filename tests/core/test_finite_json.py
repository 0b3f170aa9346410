"""A rate of 1e308 (saved before the bounds existed) made the results API emit
`Infinity`, which no strict JSON reader accepts. The app's JSON refuses to write a
figure that is not finite: the answer is a JSON 500 naming the figure."""

from __future__ import annotations

import json
import math

import pytest
from sqlalchemy import select, update

from rfp import models as m
from rfp.core.finite_json import NotFiniteFigure


@pytest.mark.parametrize("figure", [math.inf, -math.inf, math.nan])
def test_the_app_s_json_never_writes_infinity_or_nan(app, figure):
    with pytest.raises(NotFiniteFigure) as refused:
        app.json.dumps({"vendors": [{"cost": {"tco": 1.0}}, {"cost": {"tco": figure}}]})
    assert refused.value.path == "vendors[1].cost.tco"
    assert app.json.dumps({"tco": 1e20}) == '{"tco": 1e+20}'


def test_a_figure_that_is_not_finite_answers_a_json_500_naming_it(client, auth, db, demo):
    # 1e308 an agent-hour, written past the forms and operations as an old row would be:
    # the TCO (rate x hours x term) is infinite.
    with db.transaction() as s:
        s.execute(
            update(m.VendorResponse)
            .where(m.VendorResponse.vendor_id == demo["cottonwood"])
            .values(rate=1e308)
        )
        assert (
            s.scalar(
                select(m.VendorResponse.rate).where(
                    m.VendorResponse.vendor_id == demo["cottonwood"]
                )
            )
            == 1e308
        )
    auth.login("morgan")
    response = client.get(f"/api/evaluations/{demo['evaluation']}/results")
    body = response.get_data(as_text=True)
    assert "Infinity" not in body and "NaN" not in body
    assert response.status_code == 500
    answer = json.loads(body)
    assert answer["status"] == 500
    assert "is not a finite number" in answer["detail"]
    assert ".cost." in answer["detail"]
