/**
 * Field numbers of the onnx.proto3 messages the in-memory model rewrites touch (ModelProto, GraphProto,
 * NodeProto, ValueInfoProto, TypeProto, TensorShapeProto), in one place so every rewrite reads the same schema.
 */
export const MODEL_GRAPH = 7;
/** The rest of ModelProto, written by scripts/models/onnxGraphWriter.ts: ir_version, producer_name/_version, doc_string, opset_import. */
export const MODEL_IR_VERSION = 1;
export const MODEL_PRODUCER_NAME = 2;
export const MODEL_PRODUCER_VERSION = 3;
export const MODEL_DOC_STRING = 6;
export const MODEL_OPSET_IMPORT = 8;

/** OperatorSetIdProto.domain ('' is the default ai.onnx domain), version. */
export const OPSET_DOMAIN = 1;
export const OPSET_VERSION = 2;

export const GRAPH_NODE = 1;
export const GRAPH_NAME = 2;
export const GRAPH_INITIALIZER = 5;
export const GRAPH_INPUT = 11;
export const GRAPH_OUTPUT = 12;
export const GRAPH_VALUE_INFO = 13;

export const NODE_INPUT = 1;
export const NODE_OUTPUT = 2;
export const NODE_NAME = 3;
export const NODE_OP_TYPE = 4;
export const NODE_ATTRIBUTE = 5;
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
/** TypeProto.Tensor.elem_type (a TensorProto.DataType). */
export const TENSOR_ELEM_TYPE = 1;

/** AttributeProto.name, f, i, ints, type. */
export const ATTRIBUTE_NAME = 1;
export const ATTRIBUTE_F = 2;
export const ATTRIBUTE_I = 3;
export const ATTRIBUTE_S = 4;
export const ATTRIBUTE_INTS = 8;
export const ATTRIBUTE_TYPE = 20;
/** AttributeProto.AttributeType values. */
export const ATTRIBUTE_TYPE_FLOAT = 1;
export const ATTRIBUTE_TYPE_INT = 2;
export const ATTRIBUTE_TYPE_STRING = 3;
export const ATTRIBUTE_TYPE_INTS = 7;

/** TensorProto.dims, data_type, name, raw_data. */
export const TENSOR_PROTO_DIMS = 1;
export const TENSOR_PROTO_DATA_TYPE = 2;
export const TENSOR_PROTO_NAME = 8;
export const TENSOR_PROTO_RAW_DATA = 9;
/** TensorProto.DataType FLOAT, INT64, FLOAT16. */
export const DATA_TYPE_FLOAT = 1;
export const DATA_TYPE_INT64 = 7;
export const DATA_TYPE_FLOAT16 = 10;
