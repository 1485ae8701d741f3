// Runs openapi-backend for the GitHub stand-in (see github-openapi.ts) in a worker thread, where
// Node's own require() loads it: it depends on an ES-module-only package, which Jest's module
// system cannot load before Node 24.9. For each request it answers the operation GitHub's
// description routes it to, its path parameters, the schema errors, and what the operation
// documents (query parameters, body schema) for the stricter checks made on the other side.
const fs = require('fs');
const { parentPort, workerData } = require('worker_threads');
const { OpenAPIBackend } = require('openapi-backend');

/**
 * OpenAPI 3.0 lets a schema without `type` be `nullable` (GitHub's description does so, e.g. for
 * custom property values); ajv refuses to compile that. The same schema, said the way ajv takes
 * it: either the schema without `nullable`, or null.
 */
function nullableWithoutType(node) {
  if (Array.isArray(node)) {
    node.forEach(nullableWithoutType);
    return node;
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  Object.values(node).forEach(nullableWithoutType);
  if (node.nullable === true && node.type === undefined) {
    const schema = { ...node };
    delete schema.nullable;
    for (const key of Object.keys(node)) {
      delete node[key];
    }
    node.anyOf = [schema, { type: 'null' }];
  }
  return node;
}

const definition = nullableWithoutType(JSON.parse(fs.readFileSync(workerData.definition, 'utf8')));
// Formats ajv does not know without ajv-formats ("date-time", as in the commits list's query) or
// at all ("repo.nwo", GitHub's owner/name in a pull request's body) take any string, as ajv
// would do anyway after warning on every request.
const api = new OpenAPIBackend({ definition, quick: true, validate: true, ajvOpts: { strict: false, formats: { 'repo.nwo': true, 'date-time': true } } });
const ready = api.init();

parentPort.on('message', async ({ id, request }) => {
  try {
    await ready;
    const operation = api.matchOperation(request);
    if (!operation) {
      parentPort.postMessage({ id, result: {} });
      return;
    }
    const { params } = api.router.parseRequest({ method: request.method, path: request.path, headers: request.headers }, operation);
    const { errors } = api.validateRequest({ ...request, body: request.body === undefined ? {} : request.body }, operation);
    parentPort.postMessage({
      id,
      result: {
        operationId: operation.operationId,
        route: `${operation.method.toUpperCase()} ${operation.path}`,
        params,
        errors: (errors || []).map(({ instancePath, message }) => ({ instancePath, message })),
        bodyRequired: Boolean(operation.requestBody && operation.requestBody.required),
        documentedQuery: (operation.parameters || []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        bodySchema: operation.requestBody && operation.requestBody.content && operation.requestBody.content['application/json']
          ? operation.requestBody.content['application/json'].schema
          : undefined,
      },
    });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack) });
  }
});
