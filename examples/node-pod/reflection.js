// Server reflection (grpc.reflection.v1alpha) for a grpc-js server built from proto-loader.
//
// @grpc/reflection 1.0.4 serves descriptors whose cross-file imports do not resolve
// (grpc/grpc-node#3018), so `grpcurl describe` fails on any message using
// google.protobuf.Timestamp. proto-loader gives one synthetic file per proto package with an
// empty dependency list; this service restores those dependencies and answers the three
// requests grpcurl makes: list_services, file_containing_symbol and file_by_filename.
'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const descriptor = require('protobufjs/ext/descriptor');

const REFLECTION_PROTO_DIR = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');

function collectFiles(packageDefinition) {
  const files = new Map();
  for (const definition of Object.values(packageDefinition)) {
    const sources = definition.fileDescriptorProtos
      || Object.values(definition).flatMap((method) => (method.requestType ? method.requestType.fileDescriptorProtos : []));
    for (const buffer of sources || []) {
      const file = descriptor.FileDescriptorProto.decode(buffer);
      files.set(file.name, file);
    }
  }
  const symbols = symbolIndex(files);
  // Type names may be fully qualified (".pkg.Type") or relative to the file's package.
  const fileOf = (typeName, pkg) => (typeName.startsWith('.')
    ? symbols.get(typeName.slice(1))
    : symbols.get(`${pkg}.${typeName}`) || symbols.get(typeName));
  for (const file of files.values()) {
    const referenced = new Set();
    const visit = (messages) => {
      for (const message of messages || []) {
        for (const field of message.field || []) if (field.typeName) referenced.add(fileOf(field.typeName, file.package));
        visit(message.nestedType);
      }
    };
    visit(file.messageType);
    for (const service of file.service || []) {
      for (const method of service.method || []) {
        referenced.add(fileOf(method.inputType, file.package));
        referenced.add(fileOf(method.outputType, file.package));
      }
    }
    file.dependency = [...referenced].filter((name) => name && name !== file.name);
  }
  return files;
}

function symbolIndex(files) {
  const index = new Map();
  const addMessages = (prefix, messages, fileName) => {
    for (const message of messages || []) {
      const name = `${prefix}.${message.name}`;
      index.set(name, fileName);
      addMessages(name, message.nestedType, fileName);
      for (const nested of message.enumType || []) index.set(`${name}.${nested.name}`, fileName);
    }
  };
  for (const [fileName, file] of files) {
    addMessages(file.package, file.messageType, fileName);
    for (const item of [...(file.enumType || []), ...(file.service || [])]) index.set(`${file.package}.${item.name}`, fileName);
    for (const service of file.service || []) {
      for (const method of service.method || []) index.set(`${file.package}.${service.name}.${method.name}`, fileName);
    }
  }
  return index;
}

function addReflection(server, packageDefinition, serviceNames) {
  const files = collectFiles(packageDefinition);
  const encoded = new Map([...files].map(([name, file]) => [name, Buffer.from(descriptor.FileDescriptorProto.encode(file).finish())]));
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

module.exports = { addReflection };
