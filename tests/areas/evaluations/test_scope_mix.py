"""The scope's channel and language mix on the settings page (for rate lines)."""

from __future__ import annotations

from rfp import models as m
from tests.areas.evaluations.test_evaluations import _settings_form
from tests.areas.evaluations.test_template_scope import _new_from_template
from tests.fixtures.setup import load


def test_the_mix_is_saved_and_shown_back(client, auth, db, demo):
    evaluation_id = _new_from_template(client, auth)
    data = _settings_form(
        db, evaluation_id, channel_mix="voice 60, chat 30%, email 10", language_mix="en 100"
    )
    assert client.post(f"/evaluations/{evaluation_id}/settings", data=data).status_code == 302
    scope = load(db, m.Evaluation, evaluation_id).scope
    assert scope["channel_mix"] == {"voice": 60, "chat": 30, "email": 10}
    assert scope["language_mix"] == {"en": 100}
    page = client.get(f"/evaluations/{evaluation_id}/settings").get_data(as_text=True)
    assert 'value="voice 60, chat 30, email 10"' in page


def test_a_mix_that_does_not_add_up_or_names_an_unknown_channel_is_refused(client, auth, db, demo):
    evaluation_id = _new_from_template(client, auth)
    url = f"/evaluations/{evaluation_id}/settings"
    for changes, message in (
        ({"channel_mix": "voice 60, chat 30"}, "must add up to 100 % (it adds up to 90 %)"),
        ({"channel_mix": "fax 100"}, "must be one of the scope&#39;s channels"),
        ({"language_mix": "english"}, "write a name and a percentage"),
    ):
        response = client.post(url, data=_settings_form(db, evaluation_id, **changes))
        assert response.status_code in (200, 400, 409, 422), changes
        assert message in response.get_data(as_text=True), changes
        assert "channel_mix" not in load(db, m.Evaluation, evaluation_id).scope
