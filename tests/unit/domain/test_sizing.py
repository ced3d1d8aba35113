"""The VM and connection-point calculators against domain sheet §6 formulas."""

from __future__ import annotations

import pytest

from cmgtui.domain.azure.sizing import cmgcp_needed, per_vm_capacity, size_instances
from cmgtui.model import DeploymentMethod, VmSize


def test_12000_standard_needs_two() -> None:
    r = size_instances(12_000, VmSize.STANDARD, high_availability=False)
    assert (r.per_vm, r.needed, r.recommended, r.capped) == (6000, 2, 2, False)
    assert r.steps == ["12,000 peak clients ÷ 6,000 per Standard A2_v2 VM = 2 VMs"]


def test_rounding_up_is_explained() -> None:
    r = size_instances(12_001, VmSize.STANDARD, high_availability=False)
    assert r.recommended == 3
    assert "rounded up to 3 VMs" in r.steps[0]


def test_ha_with_100_clients_gives_two() -> None:
    r = size_instances(100, VmSize.STANDARD, high_availability=True)
    assert (r.needed, r.recommended) == (1, 2)
    assert "high availability → at least 2 VMs" in r.steps


def test_no_ha_small_gives_one() -> None:
    assert size_instances(100, VmSize.STANDARD, high_availability=False).recommended == 1
    zero = size_instances(0, VmSize.STANDARD, high_availability=False)
    assert (zero.needed, zero.recommended) == (0, 1)


def test_200000_standard_capped_with_advice() -> None:
    r = size_instances(200_000, VmSize.STANDARD, high_availability=True)
    assert r.needed == 34
    assert r.recommended == 16 and r.capped
    assert r.steps[-1].startswith("capped at 16: consider Large A4_v2")
    assert "second CMG" in r.steps[-1]


def test_large_capped_suggests_second_cmg_only() -> None:
    r = size_instances(200_000, VmSize.LARGE, high_availability=True)
    assert r.capped and r.steps[-1] == "capped at 16: consider a second CMG"


@pytest.mark.parametrize(
    ("size", "per_vm"), [(VmSize.LAB, 10), (VmSize.STANDARD, 6000), (VmSize.LARGE, 10000)]
)
def test_per_vm_current(size: VmSize, per_vm: int) -> None:
    assert per_vm_capacity(size, 2309)[0] == per_vm
    assert per_vm_capacity(size)[0] == per_vm


@pytest.mark.parametrize("version", [2010, 2103])
def test_early_vmss_2000(version: int) -> None:
    r = size_instances(10_000, VmSize.STANDARD, False, site_version=version)
    assert r.per_vm == 2000 and r.recommended == 5
    assert f"{version} site" in r.steps[0]


def test_classic_6000() -> None:
    r = size_instances(10_000, VmSize.LAB, False, method=DeploymentMethod.CLASSIC)
    assert r.per_vm == 6000 and r.recommended == 2


def test_lab_warns_non_production() -> None:
    r = size_instances(5, VmSize.LAB, False)
    assert r.recommended == 1
    assert any("not production" in s for s in r.steps)


def test_negative_rejected() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        size_instances(-1, VmSize.STANDARD, False)


@pytest.mark.parametrize(
    ("vms", "ha", "clients", "expected"),
    [
        (16, False, None, 4),
        (16, True, None, 4),
        (1, False, None, 1),
        (1, True, None, 2),
        (5, False, None, 2),
        (4, False, 40_000, 3),
        (4, False, 16_384, 1),
    ],
)
def test_cmgcp_needed(vms: int, ha: bool, clients, expected: int) -> None:
    assert cmgcp_needed(vms, ha, clients) == expected
