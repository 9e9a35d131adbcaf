#!/usr/bin/env bash
# Fake GPU discovery for the scheduling test: reports two GPUs, addresses 0 and 1.
echo '{"name": "gpu", "addresses": ["0", "1"]}'
