/**
 * Field numbers of the onnx.proto3 messages the in-memory model rewrites touch (ModelProto, GraphProto,
 * NodeProto, ValueInfoProto, TypeProto, TensorShapeProto), in one place so every rewrite reads the same schema.
 */
export const MODEL_GRAPH = 7;

export const GRAPH_NODE = 1;
export const GRAPH_INPUT = 11;
export const GRAPH_OUTPUT = 12;
export const GRAPH_VALUE_INFO = 13;

export const NODE_INPUT = 1;
export const NODE_OUTPUT = 2;
export const NODE_NAME = 3;
export const NODE_OP_TYPE = 4;
export const NODE_DOMAIN = 7;

export const VALUE_INFO_NAME = 1;
export const VALUE_INFO_TYPE = 2;
/** TypeProto.tensor_type, then TypeProto.Tensor.shape. */
export const TYPE_TENSOR = 1;
export const TENSOR_SHAPE = 2;
/** TensorShapeProto.dim, then Dimension.dim_value / dim_param. */
export const SHAPE_DIM = 1;
export const DIM_VALUE = 1;
export const DIM_PARAM = 2;
