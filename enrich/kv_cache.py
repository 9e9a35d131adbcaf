"""The engine's KV cache: transformers' cache with layers that write in place.

transformers' ``DynamicLayer`` grows by concatenation, which copies a layer's whole cache at every
decode step; on the CPU those copies took a quarter of a review batch's time. The engine knows a
batch's longest sequence up front (widest prompt plus the token limit), so its layers allocate
that once, write each step into the buffer and hand attention a view of the filled part: a step
reads only the tokens so far, as with the growing cache, and copies nothing.

The engine fills a batch's prompt part in chunks of rows (small forward passes keep their
activations in the CPU's caches): each chunk runs with a cache of its own rows, whose keys and
values :meth:`PreallocatedLayer.take_rows` then copies into the batch's buffers.

Imports transformers at module level: import it only where a model is loaded.
"""

from __future__ import annotations

from transformers.cache_utils import Cache, DynamicLayer


class PreallocatedLayer(DynamicLayer):
    """A ``DynamicLayer`` whose keys and values live in buffers of ``capacity`` tokens.

    ``rows`` is the batch size the buffers hold; by default that of the first update.
    """

    def __init__(self, capacity: int, rows: int | None = None) -> None:
        super().__init__()
        self.capacity = capacity
        self.rows = rows

    def lazy_initialization(self, key_states, value_states) -> None:
        batch, heads = self.rows or key_states.shape[0], key_states.shape[1]
        self.device = key_states.device
        self._keys = key_states.new_empty((batch, heads, self.capacity, key_states.shape[-1]))
        self._values = value_states.new_empty((batch, heads, self.capacity, value_states.shape[-1]))
        self.keys, self.values = self._keys[:, :, :0], self._values[:, :, :0]
        self.is_initialized = True

    def update(self, key_states, value_states, *args, **kwargs):
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        start = self.keys.shape[-2]
        end = start + key_states.shape[-2]
        if end > self.capacity:
            raise ValueError(f"KV cache of {self.capacity} tokens cannot hold {end}")
        self._keys[:, :, start:end] = key_states
        self._values[:, :, start:end] = value_states
        self.keys, self.values = self._keys[:, :, :end], self._values[:, :, :end]
        return self.keys, self.values

    def take_rows(self, start: int, other: DynamicLayer) -> None:
        """Copy ``other``'s keys and values into rows ``start``... of this layer (a prefill chunk).

        Every chunk of a batch has the same length (the batch's padded width).
        """
        if not self.is_initialized:
            self.lazy_initialization(other.keys, other.values)
        rows, length = other.keys.shape[0], other.keys.shape[-2]
        self._keys[start : start + rows, :, :length] = other.keys
        self._values[start : start + rows, :, :length] = other.values
        self.keys, self.values = self._keys[:, :, :length], self._values[:, :, :length]

    def batch_select_indices(self, indices) -> None:
        """Keep only the batch rows ``indices`` (copying the filled part, not the whole buffer)."""
        if not self.is_initialized:
            return
        length = self.keys.shape[-2]
        keys = self._keys.new_empty((len(indices), *self._keys.shape[1:]))
        values = self._values.new_empty((len(indices), *self._values.shape[1:]))
        keys[:, :, :length] = self.keys[indices]
        values[:, :, :length] = self.values[indices]
        self._keys, self._values = keys, values
        self.keys, self.values = keys[:, :, :length], values[:, :, :length]


def preallocated_cache(config, capacity: int, rows: int | None = None) -> Cache:
    """A cache for a model with ``config``; each layer holds ``rows`` x ``capacity`` tokens."""
    layers = config.get_text_config(decoder=True).num_hidden_layers
    return Cache(layers=[PreallocatedLayer(capacity, rows) for _ in range(layers)])


def take_rows(cache: Cache, start: int, chunk: Cache) -> None:
    """Copy a prefill chunk's cache into rows ``start``... of ``cache``, layer by layer."""
    for layer, part in zip(cache.layers, chunk.layers, strict=True):
        layer.take_rows(start, part)
