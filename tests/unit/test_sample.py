"""The shipped sample is exactly what the generator makes, so it can always be rebuilt."""

from sources.sample.generate import generate
from sources.settings import SAMPLE_LANDING_DIR


def files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_shipped_sample_is_the_generator_output(tmp_path):
    generate(tmp_path / "landing", seed=2562)
    assert files(tmp_path / "landing") == files(SAMPLE_LANDING_DIR)


def test_every_source_kind_has_sample_files():
    for kind in ("register", "survey", "agency", "plans"):
        assert list((SAMPLE_LANDING_DIR / kind).iterdir()), kind
