// The documented family's rules, in memory: SMTP configurations and the
// senders that use them. Written from the spec (api-family.md and the guide),
// independently of mock_server; where the spec is silent this file makes its
// own choice, marked "choice:" (deliberately not the Python mock's).
import { randomBytes, randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";

// choice: a plain syntax check, no DNS.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function blank(value) {
  return value === undefined || value === null || value.trim() === "";
}

function invalidPort(port) {
  return !Number.isInteger(port) || port < 1 || port > 65535; // choice: a TCP port
}

// Documented: every error carries extensions.code and a hex correlation_id.
function failure(message, code, fields) {
  const correlation_id = randomBytes(8).toString("hex");
  // Never quote a submitted value: a password could be among them.
  return new GraphQLError(message, { extensions: { code, fields, correlation_id } });
}

function checked(fields) {
  if (fields.length > 0) {
    throw failure(`Invalid value for: ${fields.join(", ")}`, "BAD_USER_INPUT", fields);
  }
}

// choice: the ciphertext is base64 of random bytes, never derived from the
// password; every password sent gets a fresh one (even the same text again),
// and no plain-text password is kept anywhere.
function seal() {
  return randomBytes(24).toString("base64");
}

// Problems of a create input; `prefix` names the fields as the caller sent them.
function createProblems(input, relay, prefix) {
  const fields = [];
  if (blank(input.host)) fields.push(`${prefix}host`);
  if (invalidPort(input.port)) fields.push(`${prefix}port`);
  if (!relay) {
    // Documented: without IP relay, both credentials are required.
    if (blank(input.username)) fields.push(`${prefix}username`);
    if (blank(input.password)) fields.push(`${prefix}password`);
  }
  return fields;
}

export class SmtpStore {
  #configurations = new Map(); // id -> record, in creation order
  #senders = new Map();

  // The organization's configurations (documented), optionally by flag.
  list(organizationId, defaultSmtp) {
    // choice: any ID names an organization, and every authenticated caller
    // manages every organization, so the list is never hidden.
    const org = String(organizationId);
    // choice: defaultSmtp sent as null is the same as omitted.
    const any = defaultSmtp === undefined || defaultSmtp === null;
    return [...this.#configurations.values()].filter(
      (c) => c.organizationId === org && (any || c.defaultSmtp === defaultSmtp),
    );
  }

  configuration(id) {
    return this.#configurations.get(id) ?? null;
  }

  #found(id) {
    const record = this.#configurations.get(String(id));
    if (!record) throw failure("SMTP configuration not found", "NOT_FOUND", ["id"]);
    return record;
  }

  #hasDefault(organizationId) {
    return this.list(organizationId, true).length > 0;
  }

  #makeDefault(record) {
    for (const other of this.list(record.organizationId, true)) other.defaultSmtp = false;
    record.defaultSmtp = true; // documented: one default per organization
  }

  #add(input, relay, wantsDefault) {
    const record = {
      id: randomUUID(),
      host: input.host,
      port: input.port, // an Int here; domain.mjs resolves it as a String
      organizationId: String(input.organizationId),
      ipRelayAuth: relay,
      // choice: credentials sent along with ipRelayAuth: true are dropped.
      username: relay ? null : input.username,
      encryptedPassword: relay ? null : seal(),
      defaultSmtp: false,
    };
    // Documented: the organization's first configuration becomes its default.
    // choice: more generally, one created while the organization has no
    // default (e.g. after its default was deleted or unset) becomes it, even
    // with defaultSmtp: false; otherwise defaultSmtp: false is honoured.
    const becomesDefault = wantsDefault || !this.#hasDefault(record.organizationId);
    this.#configurations.set(record.id, record);
    if (becomesDefault) this.#makeDefault(record);
    return record;
  }

  createConfiguration(input) {
    // Documented: ipRelayAuth defaults to false (an explicit null too: choice).
    const relay = input.ipRelayAuth === true;
    checked(createProblems(input, relay, ""));
    return this.#add(input, relay, input.defaultSmtp === true);
  }

  updateConfiguration(input) {
    // choice: an unknown id is reported before the input is validated.
    const record = this.#found(input.id);
    const sent = (field) => Object.hasOwn(input, field);
    const fields = [];
    // choice: host or port sent as null is an error (both are non-null).
    if (sent("host") && blank(input.host)) fields.push("host");
    if (sent("port") && invalidPort(input.port)) fields.push("port");
    // choice: on an IP-relay configuration, credentials sent are dropped.
    if (!record.ipRelayAuth) {
      // Documented: validated like create; the username may not be cleared.
      if (sent("username") && blank(input.username)) fields.push("username");
      // Documented: a null password keeps the current one; choice: "" or
      // blanks are an error, as on create.
      if (sent("password") && input.password !== null && blank(input.password)) {
        fields.push("password");
      }
    }
    checked(fields);
    if (sent("host")) record.host = input.host;
    if (sent("port")) record.port = input.port;
    if (!record.ipRelayAuth) {
      if (sent("username")) record.username = input.username;
      if (sent("password") && input.password !== null) record.encryptedPassword = seal();
    }
    if (input.defaultSmtp === true) this.#makeDefault(record); // documented
    // choice: defaultSmtp: false unsets this one's flag, leaving the
    // organization without a default (no other is promoted); null is ignored.
    if (input.defaultSmtp === false) record.defaultSmtp = false;
    return record;
  }

  deleteConfiguration(id) {
    const record = this.#found(id); // documented: unknown id -> not found
    // choice: deleting the default promotes no other configuration.
    // choice: deleting one that a sender uses is allowed; the sender stays,
    // its smtpConfiguration then resolves to null (see SmtpCustomEmail).
    this.#configurations.delete(record.id);
    return true;
  }

  // The guide's mutation: a sender and its configuration together.
  createSender(input) {
    const configuration = input.smtpConfiguration;
    // choice: without a configuration there is no organization to create in.
    if (!configuration) checked(["smtpConfiguration"]); // throws
    const relay = configuration.ipRelayAuth === true;
    const fields = [];
    if (blank(input.senderName)) fields.push("senderName");
    if (!EMAIL.test(input.emailAddress)) fields.push("emailAddress");
    checked([...fields, ...createProblems(configuration, relay, "smtpConfiguration.")]);
    const organizationId = String(configuration.organizationId);
    const address = input.emailAddress.toLowerCase(); // choice: case-insensitive
    for (const sender of this.#senders.values()) {
      if (sender.organizationId === organizationId && sender.address === address) {
        // choice: a deleted configuration does not free its sender's address.
        throw failure("This email address is already used in the organization", "CONFLICT", [
          "emailAddress",
        ]);
      }
    }
    // Documented: the configuration is one of the organization's, and the
    // first one added becomes the default. choice: the input has no
    // defaultSmtp, so it is the default only if the organization has none.
    const record = this.#add(configuration, relay, false);
    const sender = {
      id: randomUUID(),
      emailAddress: input.emailAddress,
      senderName: input.senderName,
      organizationId,
      address,
      configurationId: record.id,
    };
    this.#senders.set(sender.id, sender);
    return sender;
  }
}
