// Parley conventions that need more than one field to check (see .spectral.yaml).
//  - a GET under /v1/ whose 200 body is a page envelope ({items: [...]}) takes page and per_page;
//  - a POST that creates or sends (operationId create*, send*, add*, stream*, regenerate*,
//    *Chat) takes the Idempotency-Key header;
//  - an operation that answers text/event-stream takes the Last-Event-ID header.
const CREATES_OR_SENDS = /^(create|send|add|stream|regenerate)|Chat$/;

function paramNames(pathItem, operation) {
  const params = [...(pathItem.parameters || []), ...(operation.parameters || [])];
  return new Set(params.filter((p) => p && p.name).map((p) => `${p.in}:${p.name}`));
}

module.exports = (paths) => {
  const results = [];
  for (const [path, pathItem] of Object.entries(paths || {})) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
      const operation = pathItem[method];
      if (!operation) continue;
      const names = paramNames(pathItem, operation);
      const at = ['paths', path, method];
      const ok = (operation.responses || {})['200'] || {};
      const json = ((ok.content || {})['application/json'] || {}).schema || {};
      const isPage = json.properties && json.properties.items && json.properties.items.type === 'array';
      if (method === 'get' && path.startsWith('/v1/') && isPage) {
        for (const name of ['page', 'per_page']) {
          if (!names.has(`query:${name}`)) {
            results.push({ message: `${operation.operationId} is a v1 list and must take the ${name} query parameter.`, path: at });
          }
        }
      }
      if (method === 'post' && CREATES_OR_SENDS.test(operation.operationId || '') && !names.has('header:Idempotency-Key')) {
        results.push({ message: `${operation.operationId} creates or sends and must take the Idempotency-Key header.`, path: at });
      }
      if ((ok.content || {})['text/event-stream'] && !names.has('header:Last-Event-ID')) {
        results.push({ message: `${operation.operationId} streams and must take the Last-Event-ID header.`, path: at });
      }
    }
  }
  return results;
};
