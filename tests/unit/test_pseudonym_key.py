"""The pseudonym key: real data never runs on a key made up for the occasion (a re-ingested
file would get other pseudonyms, silently breaking the links between survey rounds); the
shipped sample gets one generated once, private to the pipeline's account."""

import stat

import pytest

from orchestration.run import main
from sources.pseudonymize import KEY_VARIABLE, LOCAL_KEY_FILE, MissingKeyError, load_key


@pytest.fixture
def no_key_variable(monkeypatch):
    monkeypatch.delenv(KEY_VARIABLE, raising=False)


def test_real_data_without_a_key_is_refused(tmp_path, no_key_variable):
    with pytest.raises(MissingKeyError, match="real data needs the installation's own"):
        load_key(tmp_path, may_generate=False)
    assert not (tmp_path / LOCAL_KEY_FILE).exists()


def test_a_key_file_the_operator_wrote_is_used(tmp_path, no_key_variable):
    (tmp_path / LOCAL_KEY_FILE).write_text("the operator's key\n", encoding="utf-8")
    assert load_key(tmp_path, may_generate=False) == b"the operator's key"


def test_the_sample_gets_one_private_key_generated_once(tmp_path, no_key_variable):
    first = load_key(tmp_path / "data", may_generate=True)
    assert load_key(tmp_path / "data", may_generate=True) == first
    assert stat.S_IMODE((tmp_path / "data" / LOCAL_KEY_FILE).stat().st_mode) == 0o600


def test_the_variable_wins(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_VARIABLE, "from the environment")
    assert load_key(tmp_path, may_generate=False) == b"from the environment"


def test_make_run_on_real_data_without_a_key_refuses_to_start(
    tmp_path, monkeypatch, no_key_variable, capsys
):
    landing = tmp_path / "landing" / "register"
    landing.mkdir(parents=True)
    (landing / "villages.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("ROIJAI_LANDING_DIR", str(tmp_path / "landing"))
    monkeypatch.setenv("ROIJAI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ROIJAI_DUCKDB_PATH", str(tmp_path / "data" / "warehouse.duckdb"))
    assert main() == 2
    assert KEY_VARIABLE in capsys.readouterr().err
    assert not (tmp_path / "data" / "warehouse.duckdb").exists()
