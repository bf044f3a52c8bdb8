// The README's recipe (GraphQL Code Generator), parameterised by the test:
// CODEGEN_SCHEMA is the running mock's URL or a path to schema.graphql.
// typescript-operations 6 re-declares the input types it uses when it shares
// a file with the typescript plugin (TS2300), so each plugin gets its own file
// and the operations import the schema's types.
const schema = process.env.CODEGEN_SCHEMA;
const token = process.env.CODEGEN_TOKEN;
const fromUrl = /^https?:/.test(schema);

module.exports = {
  overwrite: true,
  schema:
    fromUrl && token ? [{ [schema]: { headers: { Authorization: `Bearer ${token}` } } }] : schema,
  documents: process.env.CODEGEN_DOCUMENTS,
  generates: {
    "generated/schema-types.ts": { plugins: ["typescript"] },
    "generated/operations.ts": {
      plugins: ["typescript-operations"],
      config: { importSchemaTypesFrom: "./generated/schema-types.ts" },
    },
  },
};
