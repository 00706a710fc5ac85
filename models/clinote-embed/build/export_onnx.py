"""Step 5 of the clinote-embed build: the ONNX graph and the transformers.js config.

The graph has the inputs and output of a BERT encoder (input_ids, attention_mask -> last_hidden_state), so
@xenova/transformers loads it as a `bert` model and its feature-extraction pipeline mean-pools and normalises.
Inside: the token table stored as int8 with one float scale per row (row-wise symmetric quantisation),
looked up with Gather, dequantised for the looked-up rows only, and zeroed at padded positions.
"""

import argparse
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 7  # onnxruntime-node 1.14 (bundled with @xenova/transformers 2.17) reads IR 7 models


def quantize_rows(table):
    scales = np.abs(table).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantized = np.clip(np.rint(table / scales[:, None]), -127, 127).astype(np.int8)
    return quantized, scales.astype(np.float32)[:, None]


def build_graph(quantized, scales):
    dims = ["batch_size", "sequence_length"]
    nodes = [
        helper.make_node("Gather", ["token_table", "input_ids"], ["token_q"], axis=0),
        helper.make_node("Cast", ["token_q"], ["token_f"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["token_scale", "input_ids"], ["scale"], axis=0),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_f", "last_axis"], ["mask_col"]),
        helper.make_node("Mul", ["scale", "mask_col"], ["masked_scale"]),
        helper.make_node("Mul", ["token_f", "masked_scale"], ["last_hidden_state"]),
    ]
    graph = helper.make_graph(
        nodes,
        "clinote_embed_static",
        inputs=[helper.make_tensor_value_info("input_ids", TensorProto.INT64, dims),
                helper.make_tensor_value_info("attention_mask", TensorProto.INT64, dims)],
        outputs=[helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, dims + [quantized.shape[1]])],
        initializer=[numpy_helper.from_array(quantized, "token_table"),
                     numpy_helper.from_array(scales, "token_scale"),
                     numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="clinote-embed")
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model


def transformers_config(vocab_size, dim):
    """What transformers.js reads: model_type picks BertModel; the rest describes the static model honestly."""
    return {
        "_name_or_path": "clinote-embed",
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": dim,
        "vocab_size": vocab_size,
        "num_hidden_layers": 0,
        "num_attention_heads": 1,
        "max_position_embeddings": 2048,
        "pad_token_id": 0,
        "clinote_embed": {
            "architecture": "static token embeddings, frequency-weighted mean pooling",
            "quantization": "int8 per-row symmetric",
            "pooling": "mean",
            "normalize": True,
        },
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()

    table = np.load(os.path.join(args.work, "table.npy"))
    quantized, scales = quantize_rows(table)
    model = build_graph(quantized, scales)
    os.makedirs(os.path.join(args.model, "onnx"), exist_ok=True)
    path = os.path.join(args.model, "onnx", "model_quantized.onnx")
    onnx.save(model, path)
    with open(os.path.join(args.model, "config.json"), "w", encoding="utf-8") as f:
        json.dump(transformers_config(*table.shape), f, indent=2)
        f.write("\n")
    error = np.abs(quantized.astype(np.float32) * scales - table).max()
    print(f"exported {path}: {os.path.getsize(path) / 2**20:.2f} MiB, {table.shape[0]} x {table.shape[1]} int8, "
          f"max dequantisation error {error:.5f}")


if __name__ == "__main__":
    main()
