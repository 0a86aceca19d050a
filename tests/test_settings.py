import pytest

from conftest import REPO
from pipeline.settings import SettingsError, baseline_settings, ner_settings, read_params, train_settings


def test_the_repository_params_give_every_setting():
    params = read_params(REPO / "params.yaml")
    s = train_settings(params, "models/ner_pipeline")
    assert s.base_model == "models/ner_pipeline" and s.epochs == params["train"]["epochs"]
    assert ner_settings(params).epochs == params["ner"]["epochs"]
    assert baseline_settings(params)["c"] == params["baseline"]["C"]


@pytest.mark.parametrize("edit, message", [
    (lambda p: p["train"].pop("epochs"), "train.epochs is missing (expected a whole number)"),
    (lambda p: p["train"].update(encoder="partly"), "train.encoder is 'partly' (expected 'tuned' or 'frozen')"),
    (lambda p: p["train"].update(dropout="high"), "train.dropout is 'high' (expected a number)"),
    (lambda p: p["encoder"].update(window=True), "encoder.window is True (expected a whole number)"),
])
def test_a_bad_setting_names_the_file_and_key(tmp_path, edit, message):
    import yaml

    params = yaml.safe_load((REPO / "params.yaml").read_text())
    edit(params)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    with pytest.raises(SettingsError) as e:
        train_settings(read_params(path), "base")
    assert str(e.value) == f"{path}: {message}"
