import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ApolloClient,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  gql,
} from "@apollo/client";
import { BatchHttpLink } from "@apollo/client/link/batch-http";

import { UUID, headers, operation, scenarioA, scenarioB, url } from "./guide.js";

const MUTATION = gql(operation);

function apollo(link) {
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

test("Apollo creates scenario A and scenario B as the guide shows", async () => {
  const client = apollo(new HttpLink({ uri: url, headers: headers("apollo-ab") }));

  for (const [variables, port, relay] of [
    [scenarioA, "587", false],
    [scenarioB, "25", true],
  ]) {
    const { data } = await client.mutate({ mutation: MUTATION, variables });
    const sender = data.createSmtpCustomEmailWithConfiguration.smtpCustomEmail;
    assert.match(sender.id, UUID);
    assert.equal(sender.emailAddress, variables.emailAddress);
    assert.equal(sender.senderName, variables.senderName);
    assert.equal(sender.smtpConfiguration.port, port);
    assert.equal(sender.smtpConfiguration.ipRelayAuth, relay);
    assert.equal(sender.smtpConfiguration.organizationId, "980700673");
    assert.equal("password" in sender.smtpConfiguration, false);
  }
});

test("Apollo surfaces the duplicate as CombinedGraphQLErrors", async () => {
  const client = apollo(new HttpLink({ uri: url, headers: headers("apollo-dup") }));
  await client.mutate({ mutation: MUTATION, variables: scenarioB });

  await assert.rejects(
    client.mutate({ mutation: MUTATION, variables: scenarioB }),
    (error) => {
      assert.ok(CombinedGraphQLErrors.is(error), `not CombinedGraphQLErrors: ${error}`);
      const [first] = error.errors;
      assert.equal(first.extensions.code, "RECORD_INVALID");
      assert.equal(first.extensions.field, "emailAddress");
      assert.deepEqual(first.path, ["createSmtpCustomEmailWithConfiguration"]);
      return true;
    },
  );
});

test("Apollo's cache normalizes the sender by __typename and id", async () => {
  const client = apollo(new HttpLink({ uri: url, headers: headers("apollo-cache") }));
  const { data } = await client.mutate({ mutation: MUTATION, variables: scenarioB });
  const sender = data.createSmtpCustomEmailWithConfiguration.smtpCustomEmail;

  assert.equal(sender.__typename, "SmtpCustomEmail");
  const cache = client.cache.extract();
  const entry = cache[`SmtpCustomEmail:${sender.id}`];
  assert.ok(entry, `no SmtpCustomEmail:${sender.id} in ${Object.keys(cache)}`);
  assert.equal(entry.emailAddress, scenarioB.emailAddress);
  const config = sender.smtpConfiguration;
  assert.deepEqual(entry.smtpConfiguration, {
    __ref: `SmtpConfiguration:${config.id}`,
  });
  assert.equal(cache[`SmtpConfiguration:${config.id}`].port, "25");
});

test("BatchHttpLink sends both creates in one request and gets both answers", async () => {
  const bodies = [];
  const recordingFetch = async (input, init) => {
    bodies.push(JSON.parse(init.body));
    return fetch(input, init);
  };
  const link = new BatchHttpLink({
    uri: url,
    headers: headers("apollo-batch"),
    batchMax: 10,
    batchInterval: 20,
    fetch: recordingFetch,
  });
  const client = apollo(link);

  const [a, b] = await Promise.all([
    client.mutate({ mutation: MUTATION, variables: scenarioA }),
    client.mutate({ mutation: MUTATION, variables: scenarioB }),
  ]);

  assert.equal(bodies.length, 1, "one HTTP request");
  assert.ok(Array.isArray(bodies[0]) && bodies[0].length === 2, "a JSON array of 2");
  const portOf = (result) =>
    result.data.createSmtpCustomEmailWithConfiguration.smtpCustomEmail.smtpConfiguration.port;
  assert.deepEqual([portOf(a), portOf(b)], ["587", "25"]);
});
