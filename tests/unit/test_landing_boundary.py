"""The landing boundary refuses what leads outside the landing folder, and only that."""

from sources.landing import LandingBoundary


def test_links_out_of_the_landing_folder_are_outside_and_the_rest_inside(tmp_path):
    landing, elsewhere = tmp_path / "landing", tmp_path / "elsewhere"
    (landing / "survey" / "2564").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "secret.csv").write_text("x")
    (landing / "survey" / "round.csv").write_text("x")
    (landing / "survey" / "2564" / "round.csv").write_text("x")
    (landing / "survey" / "out.csv").symlink_to(elsewhere / "secret.csv")
    (landing / "survey" / "in.csv").symlink_to(landing / "survey" / "round.csv")
    (landing / "survey" / "linked_folder").symlink_to(elsewhere)
    boundary = LandingBoundary(landing)
    assert not boundary.outside(landing / "survey" / "round.csv")
    assert not boundary.outside(landing / "survey" / "2564" / "round.csv")
    assert not boundary.outside(landing / "survey" / "in.csv")
    assert boundary.outside(landing / "survey" / "out.csv")
    assert boundary.outside(landing / "survey" / "linked_folder" / "secret.csv")
