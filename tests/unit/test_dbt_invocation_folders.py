"""Old dbt invocation folders are removed, the newest and the current one kept."""

import os

from orchestration.assets.dbt import remove_old_invocation_folders


def test_only_the_newest_invocation_folders_stay(tmp_path):
    folders = [tmp_path / f"roijai_dbt_models-run{n}-abc" for n in range(6)]
    for age, folder in enumerate(reversed(folders)):  # folders[0] the oldest
        (folder / "run").mkdir(parents=True)
        os.utime(folder, (1_000_000 - age * 100, 1_000_000 - age * 100))
    other = tmp_path / "compiled"
    other.mkdir()
    remove_old_invocation_folders(folders[-1], kept=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["compiled", folders[-2].name, folders[-1].name]
    )
