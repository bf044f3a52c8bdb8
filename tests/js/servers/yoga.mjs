// The documented SMTP family on GraphQL Yoga 5, defaults as shipped (masked
// errors, GraphiQL on GET, its own JSON 400s).
import { createServer } from "node:http";
import { GraphQLError } from "graphql";
import { createSchema, createYoga, maskError } from "graphql-yoga";
import {
  authenticate,
  listenOptions,
  MASK_COERCION,
  resolvers,
  SmtpStore,
  typeDefs,
  withoutQuotedValue,
} from "./domain.mjs";

// Yoga's masking passes GraphQLErrors through; this rewrites coercion messages
// and leaves every other error to Yoga's own maskError.
function maskCoercion(error, message, isDev) {
  const masked = withoutQuotedValue(error);
  if (masked === null) return maskError(error, message, isDev);
  return new GraphQLError(masked, { nodes: error.nodes, extensions: error.extensions });
}

const yoga = createYoga({
  schema: createSchema({ typeDefs: typeDefs(), resolvers: resolvers(new SmtpStore()) }),
  ...(MASK_COERCION ? { maskedErrors: { maskError: maskCoercion } } : {}),
  context: ({ request }) => authenticate(request.headers.get("authorization") ?? undefined),
});
const { host, port } = listenOptions();
createServer(yoga).listen(port, host, () => {
  console.log(`yoga ready at http://${host}:${port}${yoga.graphqlEndpoint}`);
});
