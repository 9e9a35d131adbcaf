"""The engine's KV cache: transformers' cache with layers that write in place.

transformers' ``DynamicLayer`` grows by concatenation, which copies a layer's whole cache at every
decode step; on the CPU those copies took a quarter of a review batch's time. The engine knows a
batch's longest sequence up front (widest prompt plus the token limit), so its layers allocate
that once, write each step into the buffer and hand attention a view of the filled part: a step
reads only the tokens so far, as with the growing cache, and copies nothing.

Imports transformers at module level: import it only where a model is loaded.
"""

from __future__ import annotations

from transformers.cache_utils import Cache, DynamicLayer


class PreallocatedLayer(DynamicLayer):
    """A ``DynamicLayer`` whose keys and values live in buffers of ``capacity`` tokens."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def lazy_initialization(self, key_states, value_states) -> None:
        batch, heads = key_states.shape[:2]
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


def preallocated_cache(config, capacity: int) -> Cache:
    """A cache for a model with ``config`` whose every layer holds up to ``capacity`` tokens."""
    layers = config.get_text_config(decoder=True).num_hidden_layers
    return Cache(layers=[PreallocatedLayer(capacity) for _ in range(layers)])
