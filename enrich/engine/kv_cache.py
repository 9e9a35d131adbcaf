"""The engine's KV cache: transformers' cache with layers that write in place.

transformers' ``DynamicLayer`` grows by concatenation, which copies a layer's whole cache at every
decode step; on the CPU those copies took a quarter of a review batch's time. The engine knows a
batch's longest sequence up front (widest prompt plus the token limit), so its layers allocate
that once, write each step into the buffer and hand attention a view of the filled part: a step
reads only the tokens so far, as with the growing cache, and copies nothing.

The engine runs a batch's prompts in chunks of rows (small forward passes keep their activations
in the CPU's caches); each chunk runs with the cache :func:`rows_of` makes, whose layers are views
of the chunk's rows of the batch's buffers, so its keys and values land in place too. The tokens
all the batch's prompts start with (a task's instructions) are computed once, on one row, and
copied into every row (:func:`write_prefix`); the chunks then run only what follows them.

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

    def batch_select_indices(self, indices) -> None:
        """Keep only the batch rows ``indices``, given in ascending order (as the engine's are).

        On the CPU the kept rows move down within the buffers (:func:`move_rows_down`);
        elsewhere, a GPU, where each copy is a kernel launch, they are gathered into new buffers
        in one copy (:func:`gather_rows`).
        """
        if not self.is_initialized:
            return
        length = self.keys.shape[-2]
        select = move_rows_down if self._keys.device.type == "cpu" else gather_rows
        self._keys = select(self._keys, indices, length)
        self._values = select(self._values, indices, length)
        self.keys, self.values = self._keys[:, :, :length], self._values[:, :, :length]


class RowsLayer(PreallocatedLayer):
    """Rows ``start``... of a batch's :class:`PreallocatedLayer`, as a layer of their own.

    Its buffers are views of the batch layer's (allocated on the first update of any chunk), so
    a prompt chunk's keys and values are written where the batch's decode steps read them; each
    update also shows the batch layer the tokens filled so far. With ``filled`` tokens (a prefix
    the batch's rows share, already written by :func:`write_prefix`) its ``rows`` rows start
    after them: the chunk's tokens take the positions that follow the prefix.
    """

    def __init__(
        self, batch: PreallocatedLayer, start: int, rows: int | None = None, filled: int = 0
    ) -> None:
        super().__init__(batch.capacity)
        self.batch = batch
        self.start = start
        self.filled = filled
        if filled:
            if rows is None or not batch.is_initialized:
                raise ValueError("rows after a prefix need the rows and the prefix written")
            self._attach(rows)

    def _attach(self, rows: int) -> None:
        span = slice(self.start, self.start + rows)
        self.device = self.batch.device
        self._keys, self._values = self.batch._keys[span], self.batch._values[span]
        self.keys = self._keys[:, :, : self.filled]
        self.values = self._values[:, :, : self.filled]
        self.is_initialized = True

    def lazy_initialization(self, key_states, value_states) -> None:
        if not self.batch.is_initialized:
            self.batch.lazy_initialization(key_states, value_states)
        self._attach(key_states.shape[0])

    def update(self, key_states, value_states, *args, **kwargs):
        keys, values = super().update(key_states, value_states)
        batch, end = self.batch, keys.shape[-2]
        batch.keys, batch.values = batch._keys[:, :, :end], batch._values[:, :, :end]
        return keys, values


def move_rows_down(buffer, rows, length: int):
    """``buffer``'s rows ``rows`` (an ascending index tensor), their first ``length`` tokens moved
    in place to the front: reads and writes the filled part once and allocates nothing. Returns
    the front rows' view."""
    for new, old in enumerate(rows.tolist()):
        if new != old:  # ascending, so row ``old`` is read before anything is written there
            buffer[new, :, :length] = buffer[old, :, :length]
    return buffer[: len(rows)]


def gather_rows(buffer, rows, length: int):
    """``buffer``'s rows ``rows`` (an index tensor) in a new buffer of the same capacity, their
    first ``length`` tokens copied in one gather."""
    out = buffer.new_empty((len(rows), *buffer.shape[1:]))
    out[:, :, :length] = buffer[rows, :, :length]
    return out


def preallocated_cache(config, capacity: int, rows: int) -> Cache:
    """A cache for a model with ``config``; each layer holds ``rows`` x ``capacity`` tokens."""
    layers = config.get_text_config(decoder=True).num_hidden_layers
    return Cache(layers=[PreallocatedLayer(capacity, rows) for _ in range(layers)])


def rows_of(cache: Cache, start: int, rows: int | None = None, filled: int = 0) -> Cache:
    """A cache over rows ``start``... of ``cache`` (one of :func:`preallocated_cache`'s),
    writing into its buffers: the cache of one prompt chunk (of ``rows`` rows, after a prefix of
    ``filled`` tokens already written to every row)."""
    return Cache(layers=[RowsLayer(layer, start, rows, filled) for layer in cache.layers])


def write_prefix(cache: Cache, prefix: Cache) -> None:
    """Write ``prefix`` (a one-row cache of the tokens every row of the batch starts with) into
    every row of ``cache`` (one of :func:`preallocated_cache`'s), which then holds that many
    tokens: the shared part of the prompts is computed once, not once a row."""
    for layer, shared in zip(cache.layers, prefix.layers):
        if not layer.is_initialized:
            layer.lazy_initialization(shared.keys, shared.values)
        length = shared.keys.shape[-2]
        layer._keys[:, :, :length] = shared.keys
        layer._values[:, :, :length] = shared.values
        layer.keys, layer.values = layer._keys[:, :, :length], layer._values[:, :, :length]
