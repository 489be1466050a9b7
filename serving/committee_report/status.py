"""Which target villages are behind, and why: the report's traffic light (ไฟสถานะ), one rule
per reason, read from a row of ``mart_village``.

Red: a report due is missing, the village has no baseline survey, or no agency has funded a
project in it. Amber: its reports came late, it has no village development plan yet, or less
than ``DISBURSEMENT_BEHIND_BELOW`` of its budget is disbursed. Green: none of these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from serving.committee_report.thai import thai_percent

RED, AMBER, GREEN = "red", "amber", "green"
LIGHTS = (RED, AMBER, GREEN)  # worst first
LIGHT_LABELS = {RED: ("แดง", "red"), AMBER: ("เหลือง", "amber"), GREEN: ("เขียว", "green")}
DISBURSEMENT_BEHIND_BELOW = 0.8  # a village that disbursed less of its budget is amber


@dataclass(frozen=True)
class VillageStatus:
    light: str
    reasons: tuple[str, ...]  # Thai / English, worst first


def village_status(village: Mapping) -> VillageStatus:
    red = []
    if village["reporting_status"] == "missing":
        red.append(f"ขาดส่งรายงาน / reports missing: {village['missing_reports']}")
    if not village["is_surveyed"]:
        red.append("ยังไม่ได้สำรวจข้อมูลพื้นฐาน / no baseline survey")
    if not village["has_funded_project"]:
        red.append("ยังไม่มีโครงการที่ได้รับงบประมาณ / no funded project")
    amber = []
    if village["reporting_status"] == "late":
        amber.append("ส่งรายงานล่าช้า / reports late")
    if not village["has_plan"]:
        amber.append("ยังไม่มีแผนพัฒนาหมู่บ้าน / no village plan")
    rate = village["disbursement_rate"]
    if rate is not None and rate < DISBURSEMENT_BEHIND_BELOW:
        amber.append(
            f"เบิกจ่าย {thai_percent(rate)} ต่ำกว่า {thai_percent(DISBURSEMENT_BEHIND_BELOW, 0)}"
            f" / disbursed below {thai_percent(DISBURSEMENT_BEHIND_BELOW, 0)}"
        )
    light = RED if red else AMBER if amber else GREEN
    return VillageStatus(light, tuple(red + amber))
