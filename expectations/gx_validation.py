"""Great Expectations 1.x on pandas dataframes, behind one small function.

GX's SQL datasource gives wrong results on DuckDB (through duckdb-engine every expectation
failed with 'list index out of range', measured November 2026), so checks read a dataframe
from the warehouse and validate it here. GX is imported on first use (it costs seconds).
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.expectations import Expectation


class ExpectationError(RuntimeError):
    """GX could not evaluate an expectation: the check cannot say whether the data is right."""


@cache
def _batch_definition():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    frames = context.data_sources.add_pandas("warehouse_frames")
    return frames.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("whole")


def _numpy_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB hands nullable columns over as pandas extension types (Int32 with <NA>), on which
    GX's pandas engine raises; numbers become floats (NaN) and the rest objects (None)."""
    converted = {}
    for column, dtype in frame.dtypes.items():
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and column in frame:
            if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
                converted[column] = frame[column].astype("float64")
            else:
                converted[column] = frame[column].astype(object).where(frame[column].notna())
    return frame.assign(**converted)


def _identity(configuration) -> str:
    kwargs = {k: v for k, v in configuration.kwargs.items() if k != "batch_id"}
    return configuration.type + json.dumps(kwargs, sort_keys=True, default=str)


def _raised(result: ExpectationValidationResult) -> bool:
    info = result.exception_info or {}
    if "raised_exception" in info:
        return bool(info["raised_exception"])
    return any(detail.get("raised_exception") for detail in info.values())


def validate(
    frame: pd.DataFrame, suite_name: str, expectations: list[Expectation]
) -> list[ExpectationValidationResult]:
    """Validate the expectations as one suite; results come back in the order given (GX
    reorders them). Raises ExpectationError if GX could not evaluate one."""
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=suite_name, expectations=expectations)
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": _numpy_dtypes(frame)})
    results = batch.validate(suite, result_format="COMPLETE").results
    for result in results:
        if _raised(result):
            raise ExpectationError(
                f"{suite_name}: {result.expectation_config.type} could not be evaluated: "
                f"{result.exception_info}"
            )
    by_identity = {_identity(result.expectation_config): result for result in results}
    return [by_identity[_identity(expectation.configuration)] for expectation in expectations]


def failing_rows(frame: pd.DataFrame, result: ExpectationValidationResult) -> pd.DataFrame:
    """The rows of the frame an expectation found wrong (the frame needs a 0..n-1 index)."""
    return frame.loc[result.result.get("unexpected_index_list") or []]


def columns_out_of_bounds(
    frame: pd.DataFrame,
    suite_name: str,
    columns: list[str],
    *,
    min_value: object = None,
    max_value: object = None,
) -> dict[str, pd.DataFrame]:
    """Expect every value of each column within the bounds (GX's
    ExpectColumnValuesToBeBetween; missing values are not judged): per column, the rows whose
    value is not, none when all are (the frame needs a 0..n-1 index)."""
    import great_expectations.expectations as gxe

    expectations = [
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=min_value, max_value=max_value)
        for column in columns
    ]
    results = validate(frame, suite_name, expectations)
    return {
        column: failing_rows(frame, result) for column, result in zip(columns, results, strict=True)
    }


def rows_out_of_bounds(
    frame: pd.DataFrame,
    suite_name: str,
    column: str,
    *,
    min_value: object = None,
    max_value: object = None,
) -> pd.DataFrame:
    """columns_out_of_bounds for one column: the rows whose value is out of bounds."""
    bounds = {"min_value": min_value, "max_value": max_value}
    return columns_out_of_bounds(frame, suite_name, [column], **bounds)[column]
