"""The generation engine: batched greedy decoding inside each worker."""
