// graphql-inspector's diff as the oracle for `smtp-contract drift` (issue #19).
// Reads [{"id", "old", "new"}] (SDL texts) as JSON on stdin and prints
// {id: [{type, level, path, message}]}: the core API's stable objects, not CLI text.
import { buildSchema } from "graphql";
import { diff } from "@graphql-inspector/core";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const result = {};
for (const pair of JSON.parse(input)) {
  const changes = await diff(buildSchema(pair.old), buildSchema(pair.new));
  result[pair.id] = changes.map((change) => ({
    type: change.type,
    level: change.criticality.level,
    path: change.path ?? null,
    message: change.message,
  }));
}
process.stdout.write(JSON.stringify(result) + "\n");
