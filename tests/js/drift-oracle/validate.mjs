// graphql-inspector's validate as the oracle for `smtp-contract operations check`
// (issue #17). Reads {"schema": SDL, "documents": [{"name", "text"}]} as JSON on
// stdin and prints [{name, errors: [message], deprecated: [message]}] for the
// documents it finds invalid: the core API's objects, not CLI text.
import { buildSchema, Source } from "graphql";
import { validate } from "@graphql-inspector/core";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { schema, documents } = JSON.parse(input);
const sources = documents.map((d) => new Source(d.text, d.name));
const invalid = validate(buildSchema(schema), sources, { strictDeprecated: false });
const result = invalid.map((doc) => ({
  name: doc.source.name,
  errors: doc.errors.map((e) => e.message),
  deprecated: doc.deprecated.map((e) => e.message),
}));
process.stdout.write(JSON.stringify(result) + "\n");
