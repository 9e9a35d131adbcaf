"""The engine's in-place KV cache against transformers' growing one."""

import pytest
import torch
from transformers.cache_utils import DynamicLayer

from enrich.kv_cache import PreallocatedLayer


def test_in_place_layer_returns_what_the_growing_layer_returns():
    torch.manual_seed(0)
    grown, placed = DynamicLayer(), PreallocatedLayer(capacity=12)
    steps = [torch.randn(4, 2, 7, 8, dtype=torch.float64)] + [
        torch.randn(4, 2, 1, 8, dtype=torch.float64) for _ in range(3)
    ]
    for i, step in enumerate(steps):
        expected = grown.update(step, -step)
        got = placed.update(step, -step)
        assert [torch.equal(a, b) for a, b in zip(expected, got)] == [True, True]
        assert placed.get_seq_length() == grown.get_seq_length() == 7 + i
        if i == 1:  # rows leave the batch
            keep = torch.tensor([0, 2, 3])
            grown.batch_select_indices(keep)
            placed.batch_select_indices(keep)
            assert placed.keys.shape == grown.keys.shape == (3, 2, 8, 8)
            steps[2:] = [s[:3] for s in steps[2:]]
    assert torch.equal(placed.values, grown.values)


def test_in_place_layer_refuses_more_than_its_capacity():
    placed = PreallocatedLayer(capacity=3)
    placed.update(torch.zeros(1, 1, 3, 2), torch.zeros(1, 1, 3, 2))
    with pytest.raises(ValueError, match="cannot hold 4"):
        placed.update(torch.zeros(1, 1, 1, 2), torch.zeros(1, 1, 1, 2))
