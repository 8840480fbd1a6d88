"""The packaged BERT encoder as an ONNX graph, written node by node from its weights.

all-MiniLM-L6-v2 is a plain BERT encoder (absolute positions, exact GELU) followed by mean
pooling over the attention mask and L2 normalisation. This module writes that computation
with the `onnx` package, reading the weights from model.safetensors, so building the
encoder needs neither torch nor transformers. The graph follows BERT's published
definition (Devlin et al., 2019) as the Hugging Face BertModel computes it:

    x = LayerNorm(word[ids] + position[0..T) + token_type[type_ids])
    per layer:  a = LayerNorm(x + Dense(Attention(x, mask)))
                x = LayerNorm(a + Dense(GELU(Dense(a))))
    embedding = normalize(sum(x * mask) / sum(mask))

Padding positions get the most negative float32 added to their attention scores, exactly as
BertModel's extended attention mask does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from studyplan.adapters.search.encoder import INPUTS, OUTPUT
from studyplan.adapters.search.errors import EncoderError

OPSET = 17  # LayerNormalization is an operator from 17 on
IR_VERSION = 8  # the IR version that goes with opset 17: any onnxruntime from 1.13 reads it


def read_config(model_dir: Path) -> dict[str, Any]:
    """The BERT shape from config.json, refusing anything this graph does not compute."""
    config: dict[str, Any] = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    expected = {"model_type": "bert", "hidden_act": "gelu", "position_embedding_type": "absolute"}
    for key, value in expected.items():
        if config.get(key, value) != value:
            raise EncoderError(
                f"cannot export the model: {key} is {config.get(key)!r}, not {value!r}"
            )
    return config


class _Builder:
    """Collects nodes and initializers; every node output gets a fresh name."""

    def __init__(self, weights: Mapping[str, np.ndarray]) -> None:
        self.weights = weights
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def const(self, value: Any, dtype: Any = np.float32) -> str:
        from onnx import numpy_helper

        self._count += 1
        name = f"const_{self._count}"
        self.initializers.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def weight(self, key: str, transpose: bool = False) -> str:
        if key not in self.weights:
            raise EncoderError(f"cannot export the model: its weights have no {key!r}")
        array = np.asarray(self.weights[key], dtype=np.float32)
        return self.const(np.ascontiguousarray(array.T) if transpose else array)

    def op(self, op_type: str, inputs: Sequence[str], output: str = "", **attrs: Any) -> str:
        from onnx import helper

        self._count += 1
        name = output or f"{op_type.lower()}_{self._count}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [name], **attrs))
        return name

    def linear(self, x: str, prefix: str) -> str:
        """x @ W.T + b, as torch.nn.Linear stores W (out_features, in_features)."""
        product = self.op("MatMul", [x, self.weight(f"{prefix}.weight", transpose=True)])
        return self.op("Add", [product, self.weight(f"{prefix}.bias")])

    def heads(self, x: str, split: str, perm: list[int]) -> str:
        """(batch, tokens, hidden) -> one slice per attention head, axes ordered by `perm`."""
        return self.op("Transpose", [self.op("Reshape", [x, split])], perm=perm)

    def layer_norm(self, x: str, prefix: str, epsilon: float) -> str:
        scale, bias = self.weight(f"{prefix}.weight"), self.weight(f"{prefix}.bias")
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=epsilon)


def build_model(weights: Mapping[str, np.ndarray], config: Mapping[str, Any]) -> Any:
    """The onnx ModelProto: (input_ids, attention_mask, token_type_ids) -> unit embeddings."""
    from onnx import TensorProto, helper

    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    head_size = hidden // heads
    epsilon = float(config["layer_norm_eps"])
    g = _Builder(weights)

    tokens = g.op(
        "Add",
        [
            g.op("Gather", [g.weight("embeddings.word_embeddings.weight"), "input_ids"]),
            g.op("Gather", [g.weight("embeddings.token_type_embeddings.weight"), "token_type_ids"]),
        ],
    )
    length = g.op("Gather", [g.op("Shape", ["input_ids"]), g.const(1, np.int64)], axis=0)
    positions = g.op("Range", [g.const(0, np.int64), length, g.const(1, np.int64)])
    position = g.op("Gather", [g.weight("embeddings.position_embeddings.weight"), positions])
    x = g.layer_norm(g.op("Add", [tokens, position]), "embeddings.LayerNorm", epsilon)

    mask = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)  # (batch, tokens)
    blocked = g.op("Mul", [g.op("Sub", [g.const(1.0), mask]), g.const(np.finfo(np.float32).min)])
    score_bias = g.op("Unsqueeze", [blocked, g.const([1, 2], np.int64)])  # (batch, 1, 1, tokens)
    split = g.const([0, 0, heads, head_size], np.int64)  # 0 keeps that dimension as it is
    merge = g.const([0, 0, hidden], np.int64)
    scale = g.const(1.0 / math.sqrt(head_size))
    half, one, root2 = g.const(0.5), g.const(1.0), g.const(math.sqrt(2.0))

    for index in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{index}"
        # (batch, heads, tokens, head_size); the keys transposed for query @ key.
        query = g.heads(g.linear(x, f"{p}.attention.self.query"), split, [0, 2, 1, 3])
        key = g.heads(g.linear(x, f"{p}.attention.self.key"), split, [0, 2, 3, 1])
        value = g.heads(g.linear(x, f"{p}.attention.self.value"), split, [0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [query, key]), scale]), score_bias])
        context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), value])
        context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]), merge])
        attended = g.op("Add", [g.linear(context, f"{p}.attention.output.dense"), x])
        attended = g.layer_norm(attended, f"{p}.attention.output.LayerNorm", epsilon)
        inner = g.linear(attended, f"{p}.intermediate.dense")
        # GELU, exact: x * 0.5 * (1 + erf(x / sqrt(2)))
        erf = g.op("Erf", [g.op("Div", [inner, root2])])
        gelu = g.op("Mul", [g.op("Mul", [inner, half]), g.op("Add", [one, erf])])
        x = g.op("Add", [g.linear(gelu, f"{p}.output.dense"), attended])
        x = g.layer_norm(x, f"{p}.output.LayerNorm", epsilon)

    weights_per_token = g.op("Unsqueeze", [mask, g.const([2], np.int64)])  # (batch, tokens, 1)
    axis = g.const([1], np.int64)
    summed = g.op("ReduceSum", [g.op("Mul", [x, weights_per_token]), axis], keepdims=0)
    counted = g.op("Max", [g.op("ReduceSum", [weights_per_token, axis], keepdims=0), g.const(1e-9)])
    mean = g.op("Div", [summed, counted])
    norm = g.op("Max", [g.op("ReduceL2", [mean], axes=[1], keepdims=1), g.const(1e-12)])
    g.op("Div", [mean, norm], output=OUTPUT)

    dims = ["batch", "tokens"]
    graph = helper.make_graph(
        g.nodes,
        "sentence_embedding",
        [helper.make_tensor_value_info(name, TensorProto.INT64, dims) for name in INPUTS],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", hidden])],
        initializer=g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    return model


def export_bytes(model_dir: Path, weights_file: str) -> bytes:
    """The serialized ONNX model for the BERT weights in `model_dir`."""
    import onnx
    from safetensors.numpy import load_file

    weights = load_file(str(model_dir / weights_file))
    model = build_model(weights, read_config(model_dir))
    onnx.checker.check_model(model)
    data: bytes = model.SerializeToString()
    return data
