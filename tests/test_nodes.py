"""Parsing `docker buildx inspect`'s node blocks: which node runs which platform natively.

RIG is the rig's own output, captured (one node, the docker driver). TWO_NODES has
the shape buildx 0.13 prints for a docker-container builder with an appended arm64
node (`docker buildx create --append`; a pinned platform carries `*`, label and GC
lines are indented): it cannot be made on the rig, which has no moby/buildkit image.
"""

from __future__ import annotations

from xbuild.doctor import nodes_check
from xbuild.nodes import parse_nodes, placement

RIG = """Name:          default
Driver:        docker
Last Activity: 2026-12-03 16:29:42 +0000 UTC

Nodes:
Name:             default
Endpoint:         default
Status:           running
BuildKit version: v0.0.0+unknown
Platforms:        linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/arm64
Labels:
 org.mobyproject.buildkit.worker.containerd.namespace: moby
 org.mobyproject.buildkit.worker.executor:             containerd
 org.mobyproject.buildkit.worker.hostname:             vm
"""

TWO_NODES = """Name:          multi
Driver:        docker-container
Last Activity: 2026-12-01 10:00:00 +0000 UTC

Nodes:
Name:                  multi0
Endpoint:              unix:///var/run/docker.sock
Status:                running
Buildkit daemon flags: --allow-insecure-entitlement=network.host
BuildKit version:      v0.13.2
Platforms:             linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/386, linux/arm64, linux/riscv64
Labels:
 org.mobyproject.buildkit.worker.executor:    oci
 org.mobyproject.buildkit.worker.hostname:    5c1b2a3d4e5f
GC Policy rule#0:
 All:           false
 Filters:       type==source.local,type==exec.cachemount
 Keep Duration: 48h0m0s

Name:                  multi1
Endpoint:              ssh://ci@arm-box
Status:                running
BuildKit version:      v0.13.2
Platforms:             linux/arm64*, linux/arm/v7, linux/arm/v6
Labels:
 org.mobyproject.buildkit.worker.executor: oci
"""


def test_rig_one_node_emulates_arm64():
    [node] = parse_nodes(RIG)
    assert (node.name, node.endpoint, node.status) == ("default", "default", "running")
    assert node.own == "linux/amd64" and not node.native("linux/arm64")
    assert placement([node], ("linux/amd64", "linux/arm64")) == {"linux/amd64": "default", "linux/arm64": None}
    check = nodes_check(RIG, ("linux/amd64", "linux/arm64"))
    assert "native linux/amd64, linux/amd64/v2, linux/amd64/v3; emulated linux/arm64" in check.detail
    assert "emulated on every node: linux/arm64; conversion still pays" in check.detail


def test_two_nodes_native_for_amd64_and_arm64():
    a, b = parse_nodes(TWO_NODES)
    assert (a.name, b.name, b.endpoint) == ("multi0", "multi1", "ssh://ci@arm-box")
    assert b.pinned == ("linux/arm64",) and b.own == "linux/arm64"
    assert "All" not in TWO_NODES.split("Nodes:")[0]  # GC lines are indented: never read as keys
    assert placement([a, b], ("linux/amd64", "linux/arm64", "linux/arm/v7")) == {
        "linux/amd64": "multi0", "linux/arm64": "multi1", "linux/arm/v7": "multi1"}
    check = nodes_check(TWO_NODES, ("linux/amd64", "linux/arm64"))
    assert "node multi0 (unix:///var/run/docker.sock, running): native linux/amd64, linux/amd64/v2, " \
           "linux/amd64/v3, linux/386; emulated linux/arm64, linux/riscv64" in check.detail
    assert "every requested platform has a native node" in check.detail


def test_riscv64_left_to_emulation_means_conversion_pays():
    check = nodes_check(TWO_NODES, ("linux/amd64", "linux/arm64", "linux/riscv64"))
    assert "emulated on every node: linux/riscv64; conversion still pays" in check.detail


def test_no_nodes_section():
    assert parse_nodes("Name: x\nDriver: docker\n") == []
