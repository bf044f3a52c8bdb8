// The guide's mutation, written independently of mock_server for the
// no-false-alarm tests (issue #18): the documented rules, and this
// implementation's own choices where the guide is silent (marked "choice").
// Both servers (apollo.mjs, yoga.mjs) use it; only the HTTP stack differs.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { GraphQLError } from "graphql";

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

// choice: a plain syntax check, no DNS.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function blank(value) {
  return value === undefined || value === null || value.trim() === "";
}

function invalidFields(input, configuration, relay) {
  const fields = [];
  if (blank(input.senderName)) fields.push("senderName");
  if (!EMAIL.test(input.emailAddress)) fields.push("emailAddress");
  if (blank(configuration.host)) fields.push("smtpConfiguration.host");
  if (configuration.port < 1 || configuration.port > 65535) {
    fields.push("smtpConfiguration.port"); // choice: a TCP port
  }
  if (!relay) {
    // Documented: without IP relay, both credentials are required.
    if (blank(configuration.username)) fields.push("smtpConfiguration.username");
    if (blank(configuration.password)) fields.push("smtpConfiguration.password");
  }
  return fields;
}

function badInput(message, fields) {
  // Never quote a submitted value: a password could be among them.
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", fields } });
}

export class Senders {
  #byId = new Map();

  create(input) {
    const configuration = input.smtpConfiguration;
    if (!configuration) {
      // choice: without a configuration there is no organization to create in.
      throw badInput("smtpConfiguration is required", ["smtpConfiguration"]);
    }
    // Documented: ipRelayAuth defaults to false (an explicit null too: choice).
    const relay = configuration.ipRelayAuth === true;
    const fields = invalidFields(input, configuration, relay);
    if (fields.length > 0) {
      throw badInput(`Invalid value for: ${fields.join(", ")}`, fields);
    }
    const organizationId = String(configuration.organizationId);
    const address = input.emailAddress.toLowerCase(); // choice: case-insensitive
    for (const sender of this.#byId.values()) {
      if (sender.organizationId === organizationId && sender.address === address) {
        throw new GraphQLError("This email address is already used in the organization", {
          extensions: { code: "CONFLICT", fields: ["emailAddress"] },
        });
      }
    }
    const sender = {
      id: randomUUID(),
      emailAddress: input.emailAddress,
      senderName: input.senderName,
      address,
      organizationId,
      smtpConfiguration: {
        id: randomUUID(),
        host: configuration.host,
        // Documented: the port comes back as a decimal string.
        port: BROKEN === "port-as-number" ? configuration.port : String(configuration.port),
        organizationId: configuration.organizationId,
        ipRelayAuth: relay,
      },
      // Kept for SMTP, never resolved: the SDL has no field for them.
      credentials: relay ? null : { username: configuration.username, password: configuration.password },
    };
    this.#byId.set(sender.id, sender);
    return sender;
  }

  get(id) {
    return this.#byId.get(id) ?? null;
  }

  inOrganization(organizationId) {
    return [...this.#byId.values()].filter((s) => s.organizationId === organizationId);
  }

  delete(id) {
    return this.#byId.delete(id);
  }
}

export function resolvers(senders) {
  return {
    Query: {
      smtpCustomEmail: (_, { id }) => senders.get(id),
      smtpCustomEmails: (_, { organizationId }) => senders.inOrganization(organizationId),
    },
    Mutation: {
      createSmtpCustomEmailWithConfiguration: (_, { input }) => ({
        clientMutationId: input.clientMutationId ?? null,
        smtpCustomEmail: senders.create(input),
      }),
      deleteSmtpCustomEmail: (_, { input }) => ({
        clientMutationId: input.clientMutationId ?? null,
        success: senders.delete(input.id),
      }),
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
