// Package program is naftiko's compile stage: it turns a loaded
// *spec.Capability into one immutable, resolved Program that every runtime
// executes (naftiko run, the embedding API of package engine, and the REST,
// MCP and control servers of engine/serve).
//
// A Program holds, once, what the document means:
//
//   - every consumed operation (Op) with its merged parameter set (adapter
//     → resource → operation), its implicit inputs (SPEC.md §6.2), its
//     merged headers, its authentication, its Accept header taken from the
//     one format table (Accept), and its base URL parsed when it is literal;
//   - the one reference index: op, namespace.op and namespace.resource.op
//     resolve through Resolve, with the one did-you-mean (Suggest);
//   - the one placeholder classification (Names.Classify): whether a
//     template name is a caller input, a prefixed input (tools., rest.,
//     the adapter's namespace), an env.VAR, a namespaced or plain bound
//     variable;
//   - every exposed element (Element: MCP tool, resource, prompt, REST
//     operation, aggregate function) with its `ref` merged, its `call` and
//     call steps resolved to program operations, and its `with` values
//     compiled into Values (templates, $this, step outputs, JSONPath).
//
// The package is pure: no HTTP, no environment, no file access. It may
// import spec (and spec's internal helpers) and the standard library;
// nothing below spec/ imports it back except packages that execute or
// check programs (engine, engine/serve, cmd).
package program
