// Parley's promise annotations (see CONTRIBUTING.md, "Promises"), by functionOptions.rule:
//  - order:  a GET whose JSON 200 body is a list, or holds a list of objects, declares
//            x-parley-order with items, field and direction;
//  - filter: every query parameter of such a list, other than page, per_page and the order's
//            field-parameter / direction-parameter, declares x-parley-filter with its field;
//  - count:  an integer property named *count, total_*, deleted or affected declares
//            x-parley-count saying what it counts (`of`, or a list of terms with `of`).
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const COUNT_NAME = /count$|^total_|^(deleted|affected)$/;

function resolve(doc, node) {
  let seen = 0;
  while (node && typeof node === 'object' && typeof node.$ref === 'string' && seen < 32) {
    node = node.$ref.replace(/^#\//, '').split('/').reduce((at, key) => (at || {})[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    seen += 1;
  }
  return node || {};
}

function isList(doc, schema) {
  const body = resolve(doc, schema);
  if (body.type === 'array') return true;
  return Object.values(body.properties || {}).some((prop) => {
    const p = resolve(doc, prop);
    const items = p.items ? (p.items.$ref ? resolve(doc, p.items) : p.items) : null;
    return p.type === 'array' && items && (items.type === 'object' || items.properties);
  });
}

function orderProblems(doc) {
  const results = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    const op = (item || {}).get;
    if (!op) continue;
    const ok = resolve(doc, (op.responses || {})['200']);
    const schema = ((ok.content || {})['application/json'] || {}).schema;
    if (!schema || !isList(doc, schema)) continue;
    const order = op['x-parley-order'];
    if (!order || typeof order.field !== 'string' || !['asc', 'desc'].includes(order.direction) || typeof order.items !== 'string') {
      results.push({ message: `${op.operationId} lists items and must declare x-parley-order (items, field, direction).`, path: ['paths', path, 'get'] });
    }
  }
  return results;
}

function filterProblems(doc) {
  const results = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    const op = (item || {}).get;
    if (!op || !op['x-parley-order']) continue;
    const order = op['x-parley-order'];
    const known = new Set(['page', 'per_page', order['field-parameter'], order['direction-parameter']]);
    const params = [...(item.parameters || []), ...(op.parameters || [])];
    params.forEach((raw, index) => {
      const param = resolve(doc, raw);
      if (param.in !== 'query' || known.has(param.name)) return;
      const filter = param['x-parley-filter'];
      if (!filter || typeof filter.field !== 'string') {
        results.push({ message: `${op.operationId}'s query parameter ${param.name} must declare x-parley-filter with the field it filters.`, path: ['paths', path, 'get', 'parameters'] });
      }
    });
  }
  return results;
}

function countProblems(doc) {
  const results = [];
  const schemas = (doc.components || {}).schemas || {};
  for (const [name, schema] of Object.entries(schemas)) {
    for (const [prop, raw] of Object.entries((schema || {}).properties || {})) {
      const sub = resolve(doc, raw);
      const integer = sub.type === 'integer' || (Array.isArray(sub.type) && sub.type.includes('integer'));
      if (!integer || !COUNT_NAME.test(prop)) continue;
      const count = raw['x-parley-count'];
      const terms = Array.isArray(count) ? count : count ? [count] : [];
      if (!terms.length || !terms.every((t) => t && typeof t.of === 'string')) {
        results.push({ message: `${name}.${prop} is a count and must declare x-parley-count (what it counts: of, where, times, when).`, path: ['components', 'schemas', name, 'properties', prop] });
      }
    }
  }
  return results;
}

module.exports = (doc, options) => {
  const rule = (options || {}).rule;
  if (rule === 'order') return orderProblems(doc || {});
  if (rule === 'filter') return filterProblems(doc || {});
  if (rule === 'count') return countProblems(doc || {});
  return [{ message: `parleyPromises: unknown rule ${rule}` }];
};
