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
//   - caller references: op, namespace.op and namespace.resource.op
//     resolve through Resolve, over spec.OpIndex (the one reference index,
//     which the loader also resolves document `call`s with) and with the
//     one did-you-mean (Suggest);
//   - the one placeholder classification (Names.Classify): whether a
//     template name is a caller input, a prefixed input (tools., rest.,
//     the adapter's namespace), an env.VAR, a namespaced or plain bound
//     variable;
//   - every exposed element (an Element: MCP tool, dynamic resource, REST
//     operation, aggregate function), listed in document order and
//     compiled once, when serving first asks (Program.Element; lint reads
//     only the list: each element's name and inputs), with its
//     `ref` merged, its `call` and call steps resolved to program
//     operations, its `with` entries split by the target's inputs
//     (Op.SplitWith) and compiled into Values, its templates into Slots
//     whose placeholders are classified once (input, prefixed input, step
//     result, bound variable), its lookups, mappings and outputs compiled;
//     engine/serve executes this one form for every adapter;
//   - the lint rules that need the program (Lint: with-unknown-target and
//     required-not-supplied, split by Op.SplitWith like serving), next to
//     spec.LintDocument's.
//
// The package is pure: no HTTP, no environment, no file access. It may
// import spec (and spec's internal helpers) and the standard library;
// nothing below spec/ imports it back except packages that execute or
// check programs (engine, engine/serve, cmd).
package program
