// The documented family (the guide's createSmtpCustomEmailWithConfiguration
// and the sibling create/update/delete/list SMTP configuration operations),
// written independently of mock_server for the no-false-alarm tests (issue
// #18). It serves schema.graphql, the documented surface only; the rules and
// this implementation's own choices where the spec is silent (marked
// "choice:", deliberately not the Python mock's) are in store.mjs. Both
// servers (apollo.mjs, yoga.mjs) use it; only the HTTP stack differs.
import { readFileSync } from "node:fs";
import { GraphQLError } from "graphql";

export { SmtpStore } from "./store.mjs";

const SCHEMA_PATH = new URL("../../../schema.graphql", import.meta.url);

// BROKEN selects a deliberately broken copy, so the tests can show that the
// contract tools still fail a real breach on these stacks.
export const BROKEN = process.env.SMTP_SERVER_BROKEN ?? "";
const BREAKS = new Set(["", "port-as-number"]);
if (!BREAKS.has(BROKEN)) {
  throw new Error(`SMTP_SERVER_BROKEN=${BROKEN} is not one of ${[...BREAKS]}`);
}

export function typeDefs() {
  const sdl = readFileSync(SCHEMA_PATH, "utf8");
  if (BROKEN !== "port-as-number") return sdl;
  // The guide returns the port as a string; this copy returns an Int.
  const broken = sdl.replace(/(type SmtpConfiguration \{[^}]*?\bport: )String!/, "$1Int!");
  if (broken === sdl) throw new Error("schema.graphql has no SmtpConfiguration.port");
  return broken;
}

export function resolvers(store) {
  // Relay convention: every payload echoes clientMutationId.
  const payload = (input, fields) => ({ clientMutationId: input.clientMutationId ?? null, ...fields });
  return {
    Query: {
      smtpConfigurations: (_, { organizationId, defaultSmtp }) => ({
        nodes: store.list(organizationId, defaultSmtp),
      }),
    },
    Mutation: {
      createSmtpCustomEmailWithConfiguration: (_, { input }) =>
        payload(input, { smtpCustomEmail: store.createSender(input) }),
      createSmtpConfiguration: (_, { input }) =>
        payload(input, { smtpConfiguration: store.createConfiguration(input) }),
      updateSmtpConfiguration: (_, { input }) =>
        payload(input, { smtpConfiguration: store.updateConfiguration(input) }),
      deleteSmtpConfiguration: (_, { input }) =>
        payload(input, { success: store.deleteConfiguration(input.id) }),
    },
    SmtpCustomEmail: {
      // null once the configuration was deleted (a choice: see store.mjs).
      smtpConfiguration: (sender) => store.configuration(sender.configurationId),
    },
    SmtpConfiguration: {
      // Documented: the port comes back as a decimal string.
      port: (c) => (BROKEN === "port-as-number" ? c.port : String(c.port)),
      // choice: undocumented meaning, so null ("not known"), not a guess.
      outlookIntegration: () => null,
    },
  };
}

// Bearer-token auth: TOKEN unset means an open server.
const TOKEN = process.env.SMTP_SERVER_TOKEN ?? "";

export function authenticate(authorization) {
  if (TOKEN && authorization !== `Bearer ${TOKEN}`) {
    // Both stacks' documented way to refuse a request: HTTP 401, UNAUTHENTICATED.
    throw new GraphQLError("A valid bearer token is required", {
      extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
    });
  }
  return {};
}

// SMTP_SERVER_MASK=coercion applies the README's recipe: graphql-js quotes
// a variable's whole value (a password included) when it does not coerce.
export const MASK_COERCION = process.env.SMTP_SERVER_MASK === "coercion";
const QUOTED_VALUE = " got invalid value ";

// The coercion message without the quoted value, or null for any other error.
export function withoutQuotedValue(error) {
  if (!(error instanceof GraphQLError) || !(error.originalError instanceof GraphQLError)) {
    return null;
  }
  if (!error.message.includes(QUOTED_VALUE)) return null;
  const variable = error.message.split(QUOTED_VALUE)[0];
  return `${variable} got an invalid value: ${error.originalError.message}`;
}

export function listenOptions() {
  return { host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 4000) };
}
