"""The engine's in-place KV cache against transformers' growing one."""

import pytest
import torch
from transformers.cache_utils import DynamicLayer

from enrich.engine.kv_cache import PreallocatedLayer, RowsLayer, gather_rows, move_rows_down


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


def test_prompt_chunks_write_their_rows_of_the_batch_in_place():
    torch.manual_seed(0)
    batch = PreallocatedLayer(capacity=10, rows=5)
    first, second = torch.randn(3, 2, 6, 4), torch.randn(2, 2, 6, 4)
    RowsLayer(batch, 0).update(first, -first)
    RowsLayer(batch, 3).update(second, -second)
    prompts = torch.cat([first, second])
    assert torch.equal(batch.keys, prompts) and torch.equal(batch.values, -prompts)
    step = torch.randn(5, 2, 1, 4)
    keys, values = batch.update(step, -step)  # the batch's first decode step reads them
    assert torch.equal(keys, torch.cat([prompts, step], dim=2))
    assert torch.equal(values, -keys)


@pytest.mark.parametrize("select", [move_rows_down, gather_rows])
@pytest.mark.parametrize("kept", [[0, 1, 2, 3, 4, 5], [1, 3, 4], [0, 2, 5], [5]])
def test_kept_rows_come_out_in_order_with_their_filled_tokens(select, kept):
    torch.manual_seed(0)
    buffer = torch.randn(6, 2, 9, 3)
    expected = buffer[kept, :, :7].clone()
    out = select(buffer, torch.tensor(kept), 7)
    assert out.shape == (len(kept), 2, 9, 3)
    assert torch.equal(out[:, :, :7], expected)
