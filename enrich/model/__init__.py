"""Models: the builtin base, QLoRA fine-tuning, the registry, and loading for generation."""

import logging
import os
import warnings

# Weights come from local folders only; never let a library reach for a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# bitsandbytes warns on import that an optional CPU kernel package is absent; that package would
# fetch kernels from a hub at run time, which this project never does, so the notice is noise.
logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(logging.ERROR)

# peft calls a transformers method that transformers has since deprecated; nothing for us to fix.
warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
