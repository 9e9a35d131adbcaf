"""Peer engines for ``bench/peers.py``: what a user might run instead of ours, behind our contract.

Each class implements :class:`enrich.engine.base.GenerationEngine` (``device``, ``stats``,
``generate``), so the benchmark times them and the project's own engine through one loop and
compares their outputs token for token. All take prompts as text, tokenize them with the model's
own Hugging Face tokenizer (the same ids for every engine, special tokens as the job adds them),
decode greedily and stop a row at the end token or at ``max_new_tokens``.

- :class:`HFGenerate`: transformers' ``model.generate``, one row at a time or in left-padded
  batches sorted by length;
- :class:`CTranslate2Engine`: CTranslate2's ``Generator.generate_batch`` over a model converted
  from the merged Hugging Face folder (:func:`convert_ctranslate2`), in any compute type;
- :class:`LlamaCppEngine`: llama.cpp (``llama-cpp-python``) over a GGUF file, one sequence at a
  time (the high-level API has no batch of sequences), prompts given as token ids;
  :func:`write_merged_gguf` writes the tuned weights into a copy of the embedded base's GGUF.

The peer libraries come from the ``bench`` extra (``pip install -e .[bench]``) and are imported
inside the functions, so this module imports without them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from enrich.engine.base import EngineStats, Generation


def _until_eos(new: list[int], eos: int) -> tuple[int, ...]:
    """The generated ids before the first end token."""
    if eos in new:
        new = new[: new.index(eos)]
    return tuple(new)


class _Peer:
    """Tokenizing, ordering and the results shared by the peers; subclasses run the token ids."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.stats = EngineStats()

    def generate(
        self,
        prompts: list[str],
        *,
        max_new_tokens: int,
        batch_size: int = 64,
        on_rows: Callable[[int, int], None] | None = None,
    ) -> list[Generation]:
        encoded = self.tokenizer(prompts, add_special_tokens=True)["input_ids"] if prompts else []
        results: list[Generation | None] = [None] * len(encoded)
        order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i]), i))
        done = tokens = 0
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            started = time.perf_counter()
            try:
                outs = self._run([encoded[i] for i in rows], max_new_tokens, batch_size)
                error = None
            except Exception as exc:  # noqa: BLE001 - a failing batch is data, as the contract says
                outs, error = [()] * len(rows), f"{type(exc).__name__}: {exc}"
            seconds = (time.perf_counter() - started) / len(rows)
            self.stats.batches += 1
            for i, ids in zip(rows, outs):
                text = None if error else self.tokenizer.decode(ids, skip_special_tokens=True).strip()
                results[i] = Generation(text, len(encoded[i]), len(ids), seconds, error, token_ids=ids)
                done, tokens = done + 1, tokens + len(encoded[i]) + len(ids)
                if on_rows is not None:
                    on_rows(done, tokens)
        return results  # type: ignore[return-value]

    def _run(self, batch: list[list[int]], max_new_tokens: int, batch_size: int) -> list[tuple[int, ...]]:
        raise NotImplementedError


class HFGenerate(_Peer):
    """transformers' ``generate``: ``batched=False`` runs one row at a time (the naive loop),
    ``batched=True`` left-pads a batch of similar lengths and runs it in one call."""

    def __init__(self, model, tokenizer, *, batched: bool) -> None:
        super().__init__(tokenizer)
        self.model = model
        self.batched = batched
        self.device = next(model.parameters()).device

    def _run(self, batch, max_new_tokens, batch_size):
        import torch

        pad, eos = self.tokenizer.pad_token_id, self.tokenizer.eos_token_id
        groups = [batch] if self.batched else [[ids] for ids in batch]
        out = []
        for group in groups:
            width = max(map(len, group))
            ids = torch.full((len(group), width), pad, dtype=torch.long)
            mask = torch.zeros((len(group), width), dtype=torch.long)
            for row, prompt in enumerate(group):  # left padding, as generate expects
                ids[row, width - len(prompt) :] = torch.tensor(prompt)
                mask[row, width - len(prompt) :] = 1
            with torch.inference_mode():
                new = self.model.generate(
                    input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens,
                    do_sample=False, pad_token_id=pad, eos_token_id=eos,
                )[:, width:].tolist()
            out += [_until_eos(n, eos) for n in new]
        return out


def convert_ctranslate2(merged_dir: str | Path, out_dir: str | Path) -> Path:
    """Convert the merged Hugging Face folder to a CTranslate2 model in float32 (once; reused).

    CTranslate2 converts the weights to the compute type asked for when it loads them, so one
    float32 conversion serves int8, bfloat16 and float32 runs.
    """
    import ctranslate2.converters

    out = Path(out_dir)
    if not (out / "model.bin").is_file():
        ctranslate2.converters.TransformersConverter(str(merged_dir)).convert(
            str(out), quantization="float32", force=True
        )
    return out


class CTranslate2Engine(_Peer):
    """CTranslate2's ``Generator`` on the CPU: greedy (``sampling_topk=1``), ``max_batch_size``
    rows a batch, prompts given as token strings of the Hugging Face tokenizer."""

    def __init__(self, model_dir: str | Path, tokenizer, *, compute_type: str, threads: int) -> None:
        import ctranslate2

        super().__init__(tokenizer)
        self.compute_type = compute_type
        self.device = "cpu"
        self.generator = ctranslate2.Generator(
            str(model_dir), device="cpu", compute_type=compute_type,
            inter_threads=1, intra_threads=threads,
        )

    def _run(self, batch, max_new_tokens, batch_size):
        eos = self.tokenizer.eos_token_id
        results = self.generator.generate_batch(
            [self.tokenizer.convert_ids_to_tokens(ids) for ids in batch],
            max_batch_size=batch_size, beam_size=1, sampling_topk=1,
            max_length=max_new_tokens, include_prompt_in_result=False,
            end_token=self.tokenizer.eos_token,
        )
        return [_until_eos(list(r.sequences_ids[0]), eos) for r in results]


def _permute_for_gguf(weights, heads: int):
    """Undo transformers' reverse permutation of q/k rows on reading a llama GGUF: the layout
    llama.cpp's converter writes (``convert_hf_to_gguf.py``'s ``permute``)."""
    return (
        weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


# Hugging Face Llama names -> GGUF names (llama.cpp's tensor map for the llama architecture).
_GGUF_NAMES = {
    "model.embed_tokens.weight": "token_embd.weight",
    "model.norm.weight": "output_norm.weight",
    "lm_head.weight": "output.weight",
}
_GGUF_LAYER = {
    "self_attn.q_proj.weight": "attn_q.weight",
    "self_attn.k_proj.weight": "attn_k.weight",
    "self_attn.v_proj.weight": "attn_v.weight",
    "self_attn.o_proj.weight": "attn_output.weight",
    "mlp.gate_proj.weight": "ffn_gate.weight",
    "mlp.up_proj.weight": "ffn_up.weight",
    "mlp.down_proj.weight": "ffn_down.weight",
    "input_layernorm.weight": "attn_norm.weight",
    "post_attention_layernorm.weight": "ffn_norm.weight",
}


def write_merged_gguf(source_gguf: str | Path, merged_dir: str | Path, out: str | Path, *,
                      quant: str = "F32") -> Path:
    """Write the merged Hugging Face weights into a copy of ``source_gguf`` (its metadata and
    tokenizer kept, each tensor replaced), in ``F32``, ``F16`` or ``Q8_0`` (norms stay F32).

    llama.cpp then runs the tuned model on the same weights as the other engines' float32 runs
    (``Q8_0``: rounded to 8 bits, llama.cpp's usual CPU choice).
    """
    import gguf
    import numpy as np
    from safetensors.numpy import load_file

    out = Path(out)
    if out.is_file():
        return out
    reader = gguf.GGUFReader(str(source_gguf))
    arch = "llama"
    writer = gguf.GGUFWriter(str(out) + ".tmp", arch)
    for field in reader.fields.values():
        if field.name.startswith("GGUF.") or field.name in ("general.architecture", "general.file_type"):
            continue
        value_type = field.types[0]
        if value_type == gguf.GGUFValueType.ARRAY:
            sub = field.types[-1]
            values = [field.parts[i].tolist() for i in field.data]
            if sub == gguf.GGUFValueType.STRING:
                values = [bytes(v).decode("utf-8", errors="surrogateescape") for v in values]
            else:
                values = [v[0] for v in values]
            writer.add_key_value(field.name, values, value_type, sub_type=sub)
        else:
            value = field.parts[field.data[0]]
            value = bytes(value).decode("utf-8") if value_type == gguf.GGUFValueType.STRING else value[0]
            writer.add_key_value(field.name, value, value_type)
    kinds = {"F32": gguf.GGMLQuantizationType.F32, "F16": gguf.GGMLQuantizationType.F16,
             "Q8_0": gguf.GGMLQuantizationType.Q8_0}
    file_type = {"F32": gguf.LlamaFileType.ALL_F32, "F16": gguf.LlamaFileType.MOSTLY_F16,
                 "Q8_0": gguf.LlamaFileType.MOSTLY_Q8_0}[quant]
    writer.add_file_type(file_type)
    heads = reader.fields["llama.attention.head_count"].parts[-1][0]
    kv_heads = reader.fields["llama.attention.head_count_kv"].parts[-1][0]
    tensors = load_file(str(Path(merged_dir) / "model.safetensors"))
    for name, weights in tensors.items():
        weights = weights.astype(np.float32)
        if name in _GGUF_NAMES:
            target = _GGUF_NAMES[name]
        else:
            _, _, layer, rest = name.split(".", 3)
            target = f"blk.{layer}.{_GGUF_LAYER[rest]}"
            if rest == "self_attn.q_proj.weight":
                weights = _permute_for_gguf(weights, int(heads))
            elif rest == "self_attn.k_proj.weight":
                weights = _permute_for_gguf(weights, int(kv_heads))
        kind = kinds[quant] if weights.ndim == 2 else gguf.GGMLQuantizationType.F32
        if kind == gguf.GGMLQuantizationType.F16:
            weights = weights.astype(np.float16)
        elif kind == gguf.GGMLQuantizationType.Q8_0:
            weights = gguf.quants.quantize(weights, kind)
        writer.add_tensor(target, weights, raw_dtype=kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    Path(str(out) + ".tmp").rename(out)
    return out


class LlamaCppEngine(_Peer):
    """llama.cpp through ``llama-cpp-python``: one sequence at a time, greedy (temperature 0),
    the KV cache's common prefix with the previous prompt reused (the library's own reuse)."""

    def __init__(self, gguf_file: str | Path, tokenizer, *, threads: int, context: int,
                 lora: str | Path | None = None) -> None:
        from llama_cpp import Llama

        super().__init__(tokenizer)
        self.device = "cpu"
        self.llm = Llama(
            model_path=str(gguf_file), n_ctx=context, n_batch=512, n_threads=threads,
            n_threads_batch=threads, lora_path=str(lora) if lora else None, verbose=False,
        )

    def _run(self, batch, max_new_tokens, batch_size):
        eos = self.tokenizer.eos_token_id
        out = []
        for ids in batch:
            new = []
            for token in self.llm.generate(ids, top_k=1, top_p=1.0, min_p=0.0, temp=0.0,
                                           repeat_penalty=1.0, reset=True):
                if token == eos:
                    break
                new.append(token)
                if len(new) >= max_new_tokens:
                    break
            out.append(tuple(new))
        return out
