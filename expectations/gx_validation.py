"""Great Expectations 1.x on pandas dataframes, behind one small function.

GX's SQL datasource gives wrong results on DuckDB (see STACK.md), so checks read a dataframe
from the warehouse and validate it here. GX is imported on first use (it costs seconds).
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.expectations import Expectation


@cache
def _batch_definition():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    frames = context.data_sources.add_pandas("warehouse_frames")
    return frames.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("whole")


def validate(
    frame: pd.DataFrame, suite_name: str, expectations: list[Expectation]
) -> list[ExpectationValidationResult]:
    """Validate the expectations as one suite; results come back in the order given."""
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=suite_name, expectations=expectations)
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    return batch.validate(suite, result_format="COMPLETE").results


def failing_rows(frame: pd.DataFrame, result: ExpectationValidationResult) -> pd.DataFrame:
    """The rows of the frame an expectation found wrong (the frame needs a 0..n-1 index)."""
    return frame.loc[result.result.get("unexpected_index_list") or []]
