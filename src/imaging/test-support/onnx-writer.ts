/**
 * Encodes small ONNX graphs (protobuf wire format written by hand) so tests can build models with any input
 * size, layout and label set without Python or binary fixtures. Covers only what such test graphs need.
 */

class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(value: number): void {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n; // int64 two's complement
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.bytes.push(byte);
    } while (v > 0n);
  }
  private key(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }
  int(field: number, value: number): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }
  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.bytes.push(...b);
    return this;
  }
  raw(field: number, data: Uint8Array): this {
    this.key(field, 2);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }
  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.raw(field, inner.finish());
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const FLOAT = 1;
const AttributeType = { FLOAT: 1, INT: 2, INTS: 7 } as const;

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, number | number[]>;
}

export interface OnnxGraph {
  /** float32 inputs and outputs with their shapes (a string is a symbolic, dynamic dimension). */
  inputs: { name: string; shape: (number | string)[] }[];
  outputs: { name: string; shape: (number | string)[] }[];
  /** float32 constants. */
  initializers: { name: string; dims: number[]; values: number[] }[];
  nodes: OnnxNode[];
  opset?: number;
}

function valueInfo(w: ProtoWriter, { name, shape }: { name: string; shape: (number | string)[] }): void {
  w.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, FLOAT).message(2, (s) => {
        for (const d of shape) s.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      }),
    ),
  );
}

/** ModelProto bytes (IR version 8) for a graph of standard-domain operators. */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  return new ProtoWriter()
    .int(1, 8) // ir_version
    .string(2, 'clinote-test')
    .message(7, (g) => {
      graph.nodes.forEach((node, i) =>
        g.message(1, (n) => {
          node.inputs.forEach((x) => n.string(1, x));
          node.outputs.forEach((y) => n.string(2, y));
          n.string(3, `${node.op}_${i}`).string(4, node.op);
          for (const [name, value] of Object.entries(node.attributes ?? {})) {
            n.message(5, (a) => {
              a.string(1, name);
              if (Array.isArray(value)) {
                value.forEach((v) => a.int(8, v));
                a.int(20, AttributeType.INTS);
              } else if (Number.isInteger(value)) {
                a.int(3, value).int(20, AttributeType.INT);
              } else {
                a.float(2, value).int(20, AttributeType.FLOAT);
              }
            });
          }
        }),
      );
      g.string(2, 'test-graph');
      for (const init of graph.initializers) {
        g.message(5, (t) => {
          init.dims.forEach((d) => t.int(1, d));
          t.int(2, FLOAT).string(8, init.name);
          t.raw(9, new Uint8Array(Float32Array.from(init.values).buffer));
        });
      }
      graph.inputs.forEach((x) => g.message(11, (v) => valueInfo(v, x)));
      graph.outputs.forEach((y) => g.message(12, (v) => valueInfo(v, y)));
    })
    .message(8, (o) => o.string(1, '').int(2, graph.opset ?? 13))
    .finish();
}
