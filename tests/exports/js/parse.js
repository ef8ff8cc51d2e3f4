// Parse paperkg exports with the graphology parsers Gephi Lite uses, and print what they
// read as JSON: node parse.js FORMAT FILE [FORMAT FILE ...]  (FORMAT: gexf | graphml).
"use strict";
const fs = require("fs");
const Graph = require("graphology");
const gexf = require("graphology-gexf");
const graphml = require("graphology-graphml");

const parsers = { gexf: gexf.parse, graphml: graphml.parse };
const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2) {
  console.error("usage: node parse.js FORMAT FILE [FORMAT FILE ...]");
  process.exit(2);
}
const out = [];
for (let i = 0; i < args.length; i += 2) {
  const parse = parsers[args[i]];
  if (!parse) throw new Error("unknown format " + args[i]);
  const graph = parse(Graph, fs.readFileSync(args[i + 1], "utf-8"));
  const data = graph.export();
  out.push({
    format: args[i], file: args[i + 1], type: graph.type, multi: graph.multi,
    order: graph.order, size: graph.size, attributes: data.attributes,
    nodes: data.nodes, edges: data.edges,
  });
}
process.stdout.write(JSON.stringify(out));
