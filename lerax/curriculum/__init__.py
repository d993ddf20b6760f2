"""Curricula: environment parameters changed between iterations inside the compiled loop."""

from ._adaptive import (
    AbstractAdaptiveCurriculum as AbstractAdaptiveCurriculum,
    AdaptiveCurriculumState as AdaptiveCurriculumState,
    AdaptiveCurriculumStepState as AdaptiveCurriculumStepState,
    LevelCurriculum as LevelCurriculum,
)
from ._scheduled import ScheduledCurriculum as ScheduledCurriculum
from ._schedules import (
    Schedule as Schedule,
    cosine_schedule as cosine_schedule,
    linear_schedule as linear_schedule,
    step_schedule as step_schedule,
)
from .base import AbstractCurriculum as AbstractCurriculum
