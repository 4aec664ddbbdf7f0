// Server reflection (grpc.reflection.v1alpha) for a grpc-js server, answered from real file
// descriptors with their imports: the contract's from generated/typescript/descriptors.binpb,
// protoc's own, written by scripts/generate_stubs.py beside the stubs (ts-proto could embed
// descriptors in the stubs, but its copies lose which fields belong to a oneof), and a library
// service's (grpc-health-check's) from its proto-loader definition.
//
// @grpc/reflection 1.0.4 is not used: it takes only proto-loader package definitions, whose
// synthetic files have no imports (grpc/grpc-node#3018), so `grpcurl describe` would fail on any
// message using google.protobuf.Timestamp. This service answers the three requests grpcurl makes:
// list_services, file_containing_symbol and file_by_filename.
'use strict';

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { clearField, fromBinary, toBinary } = require('@bufbuild/protobuf');
const { FieldDescriptorProtoSchema, FileDescriptorProtoSchema, FileDescriptorSetSchema } = require('@bufbuild/protobuf/wkt');

const DESCRIPTOR_SET = path.resolve(__dirname, '..', '..', 'generated', 'typescript', 'descriptors.binpb');
const REFLECTION_PROTO_DIR = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');

// The contract's descriptors of the given files (e.g. a generated module's protobufFileName) and
// of everything they import.
function contractFiles(fileNames) {
  const all = new Map(fromBinary(FileDescriptorSetSchema, fs.readFileSync(DESCRIPTOR_SET)).file.map((file) => [file.name, file]));
  const needed = new Map();
  const add = (name) => {
    if (needed.has(name)) return;
    const file = all.get(name);
    if (!file) throw new Error(`${name} is not in ${DESCRIPTOR_SET}: run scripts/generate_stubs.py`);
    needed.set(name, file);
    file.dependency.forEach(add);
  };
  fileNames.forEach(add);
  return [...needed.values()];
}

// The descriptors behind a service definition loaded by @grpc/proto-loader (grpc-health-check's).
// Their imports are lost, so this suits only files that import nothing, as health.proto.
function loadedFiles(serviceDefinition) {
  const files = new Map();
  for (const method of Object.values(serviceDefinition)) {
    for (const buffer of method.requestType.fileDescriptorProtos) {
      const file = fromBinary(FileDescriptorProtoSchema, buffer);
      files.set(file.name, file);
    }
  }
  return [...files.values()];
}

// Served without json_name, as the Python servers' descriptors are, so that grpcurl prints the
// proto field names (pod_id, not podId) whatever language the pod is written in.
function clearJsonNames(messages) {
  for (const message of messages) {
    for (const field of message.field) clearField(field, FieldDescriptorProtoSchema.field.jsonName);
    clearJsonNames(message.nestedType);
  }
}

function symbolIndex(files) {
  const index = new Map();
  const addMessages = (prefix, messages, fileName) => {
    for (const message of messages) {
      const name = `${prefix}.${message.name}`;
      index.set(name, fileName);
      addMessages(name, message.nestedType, fileName);
      for (const nested of message.enumType) index.set(`${name}.${nested.name}`, fileName);
    }
  };
  for (const file of files) {
    addMessages(file.package, file.messageType, file.name);
    for (const item of [...file.enumType, ...file.service]) index.set(`${file.package}.${item.name}`, file.name);
    for (const service of file.service) {
      for (const method of service.method) index.set(`${file.package}.${service.name}.${method.name}`, file.name);
    }
  }
  return index;
}

function addReflection(server, files, serviceNames) {
  files.forEach((file) => clearJsonNames(file.messageType));
  const encoded = new Map(files.map((file) => [file.name, Buffer.from(toBinary(FileDescriptorProtoSchema, file))]));
  const symbols = symbolIndex(files);
  const allFiles = () => [...encoded.values()];
  const reflection = grpc.loadPackageDefinition(protoLoader.loadSync('grpc/reflection/v1alpha/reflection.proto', {
    includeDirs: [REFLECTION_PROTO_DIR], keepCase: true, longs: String, enums: String, oneofs: true,
  })).grpc.reflection.v1alpha;
  const listed = [...serviceNames, 'grpc.reflection.v1alpha.ServerReflection'];

  const answer = (request) => {
    const base = { valid_host: request.host, original_request: request };
    if (request.list_services !== undefined && request.list_services !== null) {
      return { ...base, list_services_response: { service: listed.map((name) => ({ name })) } };
    }
    const fileName = request.file_by_filename || symbols.get(request.file_containing_symbol);
    if (fileName && encoded.has(fileName)) {
      // Send the whole (small) set so every import resolves in one answer.
      return { ...base, file_descriptor_response: { file_descriptor_proto: allFiles() } };
    }
    const wanted = request.file_by_filename || request.file_containing_symbol || request.message_request;
    return { ...base, error_response: { error_code: grpc.status.NOT_FOUND, error_message: `not found: ${wanted}` } };
  };

  server.addService(reflection.ServerReflection.service, {
    ServerReflectionInfo: (call) => {
      call.on('data', (request) => call.write(answer(request)));
      call.on('end', () => call.end());
    },
  });
}

module.exports = { addReflection, contractFiles, loadedFiles };
