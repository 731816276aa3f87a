"""What the commands share without click (`cli.app`)."""

import json

from therapy_timer import json_views
from therapy_timer.cli.app import emit


def test_every_json_output_carries_the_one_schema_version(monkeypatch, capsys):
    """Raising `json_views.SCHEMA` for a deliberate break raises it in every --json output."""
    monkeypatch.setattr(json_views, "SCHEMA", 2)
    emit({"schema": 1, "command": "old", "phase": None}, "status")
    assert json.loads(capsys.readouterr().out) == {"schema": 2, "command": "status", "phase": None}
