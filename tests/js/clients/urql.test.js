import assert from "node:assert/strict";
import { test } from "node:test";

import { Client, CombinedError, fetchExchange, gql } from "@urql/core";

import { UUID, headers, operation, scenarioA, scenarioB, url } from "./guide.js";

const MUTATION = gql(operation);

function urql(name) {
  return new Client({
    url,
    exchanges: [fetchExchange],
    fetchOptions: { headers: headers(name) },
  });
}

test("urql creates scenario A and scenario B as the guide shows", async () => {
  const client = urql("urql-ab");

  for (const [variables, port] of [
    [scenarioA, "587"],
    [scenarioB, "25"],
  ]) {
    const result = await client.mutation(MUTATION, variables).toPromise();
    assert.equal(result.error, undefined, String(result.error));
    const sender = result.data.createSmtpCustomEmailWithConfiguration.smtpCustomEmail;
    assert.match(sender.id, UUID);
    assert.equal(sender.emailAddress, variables.emailAddress);
    assert.equal(sender.smtpConfiguration.port, port);
  }
});

test("urql surfaces the duplicate as a CombinedError", async () => {
  const client = urql("urql-dup");
  const first = await client.mutation(MUTATION, scenarioA).toPromise();
  assert.equal(first.error, undefined, String(first.error));

  const second = await client.mutation(MUTATION, scenarioA).toPromise();

  assert.ok(second.error instanceof CombinedError, `not a CombinedError: ${second.error}`);
  assert.equal(second.error.networkError, undefined);
  const [error] = second.error.graphQLErrors;
  assert.equal(error.extensions.code, "RECORD_INVALID");
  assert.equal(error.extensions.field, "emailAddress");
  assert.equal(second.data.createSmtpCustomEmailWithConfiguration, null);
});

test("urql without the token gets a network error with status 401", async () => {
  const client = new Client({ url, exchanges: [fetchExchange] });

  const result = await client.mutation(MUTATION, scenarioB).toPromise();

  assert.ok(result.error instanceof CombinedError);
  assert.equal(result.error.response.status, 401);
  assert.equal(result.data, undefined);
});
