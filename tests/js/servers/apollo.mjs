// The documented SMTP family on Apollo Server 5's standalone server, defaults
// as shipped (CSRF prevention, error formatting, body-parser's HTML 400s).
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import {
  authenticate,
  listenOptions,
  MASK_COERCION,
  resolvers,
  SmtpStore,
  typeDefs,
  withoutQuotedValue,
} from "./domain.mjs";

// formatError sees every error, request-level ones included.
function maskCoercion(formatted, error) {
  const message = withoutQuotedValue(error);
  return message === null ? formatted : { ...formatted, message };
}

const server = new ApolloServer({
  typeDefs: typeDefs(),
  resolvers: resolvers(new SmtpStore()),
  ...(MASK_COERCION ? { formatError: maskCoercion } : {}),
});
const { url } = await startStandaloneServer(server, {
  listen: listenOptions(),
  context: async ({ req }) => authenticate(req.headers.authorization),
});
console.log(`apollo ready at ${url}`);
